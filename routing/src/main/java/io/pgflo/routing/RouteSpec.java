package io.pgflo.routing;

import io.pgflo.sink.api.Operation;
import java.util.List;
import java.util.Set;

/**
 * One entry of a routing file, checked for form but not yet against the source.
 *
 * @param destination null when the file names none (the table keeps its name)
 * @param at where the entry's key is, for errors
 */
record RouteSpec(TableRef source, TableRef destination, List<ColumnMapping> columns, Set<Operation> operations,
        String at) {
    RouteSpec {
        columns = List.copyOf(columns);
        operations = Set.copyOf(operations);
    }

    /** {@code source: destination}, and where it is written. */
    record ColumnMapping(String source, String destination, String at) {}
}
