package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Schema sync's part for routed tables: a table is created under the source's names, as pg_dump or the catalog copier
 * print it, and then renamed in the same transaction. Renaming with {@code ALTER TABLE} is exact where editing their
 * text would not be: constraints, indexes, defaults, generated columns and foreign keys follow the rename by
 * themselves.
 */
final class RoutedTables {
    private RoutedTables() {}

    /**
     * A routed table is created under its source name first, so nothing of that name may be on the target already.
     */
    static void checkNothingInTheWay(Connection target, List<TableName> missing, TableRoutes routes,
            DatabaseEndpoint where) throws SQLException {
        for (TableName table : missing) {
            Optional<Route> route = routes.route(table);
            if (route.isPresent() && !route.get().destination().equals(table) && SchemaSync.relationExists(target, table)) {
                throw new ConfigurationException("--sync-schema cannot create " + route.get().destination() + " on "
                        + where.describe() + ": it is made as a copy of " + table + " and then renamed, and the target "
                        + "has a relation " + table + " already; create " + route.get().destination() + " on the "
                        + "target yourself, or move " + table + " out of the way");
            }
        }
    }

    /** Moves and renames each created table, and its mapped columns, to its route's names. */
    static void rename(Connection target, List<TableName> created, TableRoutes routes) throws SQLException {
        try (Statement statement = target.createStatement()) {
            statement.setEscapeProcessing(false);
            for (TableName table : created) {
                Optional<Route> found = routes.route(table);
                if (found.isEmpty() || !found.get().renames()) {
                    continue;
                }
                Route route = found.get();
                for (Map.Entry<String, String> column : route.columns().entrySet()) {
                    if (!column.getKey().equals(column.getValue())) {
                        statement.execute("ALTER TABLE " + table.quoted() + " RENAME COLUMN "
                                + quoteIdentifier(column.getKey()) + " TO " + quoteIdentifier(column.getValue()));
                    }
                }
                TableName destination = route.destination();
                TableName current = table;
                if (!destination.schema().equals(current.schema())) {
                    statement.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(destination.schema()));
                    statement.execute("ALTER TABLE " + current.quoted() + " SET SCHEMA "
                            + quoteIdentifier(destination.schema()));
                    current = new TableName(destination.schema(), current.table());
                }
                if (!destination.table().equals(current.table())) {
                    statement.execute("ALTER TABLE " + current.quoted() + " RENAME TO "
                            + quoteIdentifier(destination.table()));
                }
            }
        }
    }
}
