package io.pgflo.sink.postgres;

import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.postgres.TableDefinition.ColumnDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Schema changes of routed tables, in the names the target holds: a captured definition names the source's table,
 * which the target knows under its routed name, and {@link SchemaChangePlanner} would otherwise rename the target's
 * table back to the source's name.
 *
 * <p>Renamed columns are another matter: the capture's constraint, index and generated-column definitions are the
 * server's deparsed text, naming the source's columns, and rewriting names inside SQL text is what this sink never
 * does. So DDL replay of a table whose route renames columns is refused when the sink starts.
 */
final class RoutedDdl {
    private RoutedDdl() {}

    /** Refuses DDL replay for routes that rename columns; see the class comment. */
    static void refuseUntranslatable(PostgresSinkConfig config) {
        if (!config.trackDdl()) {
            return;
        }
        for (Route route : config.routes().routes().values()) {
            Optional<Map.Entry<String, String>> renamed = route.columns().entrySet().stream()
                    .filter(column -> !column.getKey().equals(column.getValue())).findFirst();
            if (renamed.isPresent()) {
                throw new ConfigurationException("--routing-config renames columns of " + route.source() + " ("
                        + renamed.get().getKey() + " to " + renamed.get().getValue() + "), and schema changes cannot be "
                        + "replayed under renamed columns (the source's constraint and index definitions name the "
                        + "source's columns); pass --track-ddl false and change the target's schema yourself, or route "
                        + route.source() + " without column_mappings");
            }
        }
    }

    /** {@code change} with its definitions under the routed table names (and column names, where mapped). */
    static SchemaChange translate(SchemaChange change, TableRoutes routes) {
        if (routes.isEmpty()) {
            return change;
        }
        return new SchemaChange(change.previous() == null ? null : translate(change.previous(), routes),
                translate(change.definition(), routes));
    }

    private static TableDefinition translate(TableDefinition definition, TableRoutes routes) {
        Optional<Route> found = routes.route(definition.name());
        if (found.isEmpty()) {
            return definition;
        }
        Route route = found.get();
        List<ColumnDefinition> columns = new ArrayList<>();
        for (ColumnDefinition column : definition.columns()) {
            columns.add(new ColumnDefinition(column.num(), route.column(column.name()), column.type(), column.notNull(),
                    column.defaultExpression(), column.generated(), column.identity(), column.sequence()));
        }
        return new TableDefinition(route.destination().schema(), route.destination().table(), columns,
                definition.constraints(), definition.indexes());
    }
}
