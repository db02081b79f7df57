package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.TableName;
import java.util.List;

/**
 * Rows of a backfilled table, read in key order in one query, and what that query saw.
 *
 * @param table the table
 * @param rows the rows read, as {@link io.pgflo.sink.api.Operation#READ} changes (placeholders for their position)
 * @param snapshot the transactions the query saw: a streamed change of one it did not see is newer than the chunk
 * @param lastKey the key values (text) of the last row, where the next chunk starts; null when no row was read
 * @param last whether the table has no rows after these
 */
public record BackfillChunk(TableName table, List<SourceChange> rows, XidSnapshot snapshot, List<String> lastKey,
        boolean last) {
    public BackfillChunk {
        requireNonNull(table, "table is null");
        requireNonNull(snapshot, "snapshot is null");
        rows = List.copyOf(rows);
        lastKey = lastKey == null ? null : List.copyOf(lastKey);
    }
}
