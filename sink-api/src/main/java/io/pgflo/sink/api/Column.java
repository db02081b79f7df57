package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

/** A column of a replicated table, as the replication stream describes it. */
public record Column(String name, ColumnType type, boolean partOfKey) {
    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
