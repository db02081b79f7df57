package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.time.Instant;
import java.util.List;

/**
 * The engine's {@link ChangeEvent}: what a source produces and the pipeline hands to sinks, which see it through the
 * interface only.
 *
 * @param valueBytes given by the source, which has the lengths at hand as it decodes; counted by the shorter
 *     constructor without it
 */
public record SourceChange(
        Operation operation,
        String schema,
        String table,
        Lsn lsn,
        Lsn commitLsn,
        long xid,
        Instant commitTime,
        int ordinal,
        List<String> keyColumns,
        Row newRow,
        Row oldRow,
        String ddl,
        long valueBytes)
        implements ChangeEvent, SourceMessage {

    /** A change whose {@code valueBytes} are counted from its rows and DDL text. */
    public SourceChange(Operation operation, String schema, String table, Lsn lsn, Lsn commitLsn, long xid,
            Instant commitTime, int ordinal, List<String> keyColumns, Row newRow, Row oldRow, String ddl) {
        this(operation, schema, table, lsn, commitLsn, xid, commitTime, ordinal, keyColumns, newRow, oldRow, ddl,
                countBytes(newRow, oldRow, ddl));
    }

    public SourceChange {
        requireNonNull(operation, "operation is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(commitLsn, "commitLsn is null");
        requireNonNull(commitTime, "commitTime is null");
        keyColumns = List.copyOf(keyColumns);
        if ((operation == Operation.INSERT || operation == Operation.UPDATE || operation == Operation.READ)
                && newRow == null) {
            throw new IllegalArgumentException(operation + " on " + schema + "." + table + " at " + lsn + " has no new row");
        }
        if (operation == Operation.DELETE && oldRow == null) {
            throw new IllegalArgumentException("DELETE on " + schema + "." + table + " at " + lsn + " has no old row or key");
        }
        if (operation == Operation.DDL && ddl == null) {
            throw new IllegalArgumentException("DDL event at " + lsn + " has no statement");
        }
        if (valueBytes < 0) {
            throw new IllegalArgumentException("valueBytes must not be negative, got " + valueBytes);
        }
    }

    /** This change with the commit LSN and time of {@code commit}, the end of its transaction. */
    public SourceChange confirmedBy(TransactionCommit commit) {
        return new SourceChange(operation, schema, table, lsn, commit.commitLsn(), xid, commit.commitTime(), ordinal,
                keyColumns, newRow, oldRow, ddl, valueBytes);
    }

    /** This change placed in the stream: at {@code lsn}, as change {@code ordinal} of a transaction at {@code commitLsn}. */
    public SourceChange numbered(Lsn lsn, Lsn commitLsn, Instant commitTime, int ordinal) {
        return new SourceChange(operation, schema, table, lsn, commitLsn, xid, commitTime, ordinal, keyColumns, newRow,
                oldRow, ddl, valueBytes);
    }

    private static long countBytes(Row newRow, Row oldRow, String ddl) {
        long bytes = ddl == null ? 0 : ddl.length();
        if (newRow != null) {
            bytes += newRow.valueBytes();
        }
        if (oldRow != null) {
            bytes += oldRow.valueBytes();
        }
        return bytes;
    }
}
