package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/**
 * One committed change to one table: the unit every sink receives.
 *
 * <p>Or, for a sink that asked for them ({@link SinkProvider#acceptsProvisionalChanges}), a provisional change: one
 * of a large transaction the source streams before it knows whether it commits. Its {@code commitLsn} is
 * {@link Lsn#MAX} and its {@code commitTime} {@link java.time.Instant#EPOCH}; the {@link TransactionCommit} that
 * follows its transaction's changes confirms them, an {@link OpenTransactionDiscarded} voids them.
 *
 * @param operation what happened
 * @param schema the table's schema
 * @param table the table's name
 * @param lsn the WAL position of this change
 * @param commitLsn the WAL position of the commit of the transaction the change belongs to ({@link Lsn#MAX} for a
 *     provisional change)
 * @param xid the source transaction id
 * @param commitTime when the transaction committed on the source
 * @param ordinal the change's 0-based position within its transaction; with {@code commitLsn} it names the change
 *     uniquely and stably, across retries and restarts
 * @param keyColumns the names of the replication key's columns (primary key, replica identity index, or all
 *     columns under REPLICA IDENTITY FULL); empty when the table has none
 * @param newRow the row after the change (INSERT, UPDATE), else null
 * @param oldRow the row, or its key, before the change when the server sent it (UPDATE of a key or under
 *     REPLICA IDENTITY FULL, DELETE), else null
 * @param ddl for {@link Operation#DDL}, the table's definitions before and after the schema change as the source's
 *     catalog had them, {@code {"previous":...,"definition":...}} (the format is in wal-adapter's README); else null
 * @param valueBytes about how many bytes the change's values take (their UTF-8 lengths, old row and DDL text
 *     included): what batches and buffers are bounded by besides their number of events. Given by the source, which
 *     has the lengths at hand as it decodes; counted by the constructor without it
 */
public record ChangeEvent(
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
        implements SourceMessage {

    /** A change whose {@code valueBytes} are counted from its rows and DDL text. */
    public ChangeEvent(Operation operation, String schema, String table, Lsn lsn, Lsn commitLsn, long xid,
            Instant commitTime, int ordinal, List<String> keyColumns, Row newRow, Row oldRow, String ddl) {
        this(operation, schema, table, lsn, commitLsn, xid, commitTime, ordinal, keyColumns, newRow, oldRow, ddl,
                countBytes(newRow, oldRow, ddl));
    }

    public ChangeEvent {
        requireNonNull(operation, "operation is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        requireNonNull(lsn, "lsn is null");
        requireNonNull(commitLsn, "commitLsn is null");
        requireNonNull(commitTime, "commitTime is null");
        keyColumns = List.copyOf(keyColumns);
        if ((operation == Operation.INSERT || operation == Operation.UPDATE) && newRow == null) {
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

    /** Columns whose value is an unchanged TOAST value: present in neither row, unchanged on the source. */
    public List<String> unchangedToastColumns() {
        return newRow == null ? List.of() : newRow.unchangedToastColumns();
    }

    /** Whether this change belongs to a transaction not known to commit yet (see the class comment). */
    public boolean provisional() {
        return commitLsn.equals(Lsn.MAX);
    }

    /** This change with the commit LSN and time of {@code commit}, the end of its transaction. */
    public ChangeEvent confirmedBy(TransactionCommit commit) {
        return new ChangeEvent(operation, schema, table, lsn, commit.commitLsn(), xid, commit.commitTime(), ordinal,
                keyColumns, newRow, oldRow, ddl, valueBytes);
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

    /** {@code schema.table}, unquoted, for messages. */
    public String qualifiedTable() {
        return schema + "." + table;
    }
}
