package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.TableName;

/**
 * One part of a table's rows that a {@link SnapshotReader} reads on its own, so that parts can be read in parallel.
 *
 * @param table the table
 * @param index the part's number, from 0
 * @param count how many parts the table has
 * @param start where the part starts, in the reader's own unit (heap pages for PostgreSQL)
 * @param end where it ends, exclusive, in that unit; {@link #OPEN} for the last part, which takes everything after start
 */
public record CopyChunk(TableName table, int index, int count, long start, long end) {
    /** The end of the last part: no bound. */
    public static final long OPEN = -1;

    public CopyChunk {
        requireNonNull(table, "table is null");
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("chunk " + index + " of " + count + " of " + table);
        }
        if (start < 0 || (end != OPEN && end <= start)) {
            throw new IllegalArgumentException("chunk " + index + " of " + table + " spans " + start + ".." + end);
        }
    }

    public boolean last() {
        return index == count - 1;
    }

    @Override
    public String toString() {
        return table + " part " + (index + 1) + "/" + count;
    }
}
