package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where routing sends each replicated table: its name on the way out, its columns' names, and the operations it lets
 * through. Tables without a route go out as they came. The engine's shaper applies it to events; a built-in sink that
 * creates or alters tables (the PostgreSQL sink's schema sync and DDL replay) is granted it as a capability to name
 * what it creates.
 */
public record TableRoutes(Map<TableName, Route> routes) {
    /** No routes: every table as it is. */
    public static final TableRoutes NONE = new TableRoutes(Map.of());

    public TableRoutes {
        // In the file's order, for messages that name the first of several.
        routes = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(routes, "routes is null")));
    }

    /** The route of {@code source}, if it has one. */
    public Optional<Route> route(TableName source) {
        return Optional.ofNullable(routes.get(source));
    }

    /** The name {@code source} goes out under. */
    public TableName destination(TableName source) {
        Route route = routes.get(source);
        return route == null ? source : route.destination();
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /**
     * One table's route.
     *
     * @param columns source column name to destination name; columns not in it keep their names
     * @param operations the operations let through: INSERT (which also lets the rows of a copy or backfill through,
     *     {@link Operation#READ}), UPDATE, DELETE, TRUNCATE; schema changes and the end of a table's copy always pass
     */
    public record Route(TableName source, TableName destination, Map<String, String> columns, Set<Operation> operations) {
        public Route {
            requireNonNull(source, "source is null");
            requireNonNull(destination, "destination is null");
            columns = Map.copyOf(columns);
            operations = Set.copyOf(operations);
        }

        /** The name {@code column} goes out under. */
        public String column(String column) {
            return columns.getOrDefault(column, column);
        }

        /** {@code names} renamed, in their order. */
        public List<String> columns(List<String> names) {
            return names.stream().map(this::column).toList();
        }

        /** Whether a change of {@code operation} on this table goes out. */
        public boolean lets(Operation operation) {
            return switch (operation) {
                case READ -> operations.contains(Operation.INSERT);
                case DDL, COPY_DONE -> true;
                default -> operations.contains(operation);
            };
        }

        /** Whether this route renames anything: the table or a column. */
        public boolean renames() {
            return !source.equals(destination) || columns.entrySet().stream().anyMatch(e -> !e.getKey().equals(e.getValue()));
        }
    }
}
