package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * What the engine tells a sink about the stream it will receive.
 *
 * @param group the replication group name (one slot, one publication, one checkpoint)
 * @param statusDir where a sink that keeps its checkpoint in a file puts it
 * @param source how to reach the source database (for sinks that copy its schema)
 * @param tables the replicated tables
 */
public record SinkContext(String group, Path statusDir, DatabaseEndpoint source, List<TableName> tables) {
    public SinkContext {
        requireNonNull(group, "group is null");
        requireNonNull(statusDir, "statusDir is null");
        requireNonNull(source, "source is null");
        tables = List.copyOf(tables);
    }
}
