package io.pgflo.sink.api;

import java.time.Instant;
import java.util.List;

/**
 * One committed change to one table: the unit every sink receives.
 *
 * <p>Or, for a sink that asked for them ({@link SinkProvider#acceptsProvisionalChanges}), a provisional change: one
 * of a large transaction the source streams before it knows whether it commits. Its {@link #commitLsn()} is
 * {@link Lsn#MAX} and its {@link #commitTime()} {@link Instant#EPOCH}; the sink learns that it committed when a batch's
 * checkpoint passes it, and that it did not through {@link Sink#discardOpenTransaction()}.
 *
 * <p>An interface, not a class, so that the engine can carry more than a plugin reads (or values in another form)
 * without a plugin noticing.
 */
public interface ChangeEvent {

    /** What happened. */
    Operation operation();

    /** The table's schema. */
    String schema();

    /** The table's name. */
    String table();

    /** The WAL position of this change. */
    Lsn lsn();

    /** The WAL position of the commit of the transaction the change belongs to ({@link Lsn#MAX} while provisional). */
    Lsn commitLsn();

    /** The source transaction's id. */
    long xid();

    /** When the transaction committed on the source. */
    Instant commitTime();

    /**
     * The change's 0-based position within its transaction; with {@link #commitLsn()} it names the change uniquely
     * and stably, across retries and restarts ({@link #position()}).
     */
    int ordinal();

    /**
     * The names of the replication key's columns (primary key, replica identity index, or all columns under REPLICA
     * IDENTITY FULL); empty when the table has none.
     */
    List<String> keyColumns();

    /** The row after the change (INSERT, UPDATE, READ), else null. */
    Row newRow();

    /**
     * The row, or its key, before the change when the server sent it (UPDATE of a key or under REPLICA IDENTITY
     * FULL, DELETE), else null.
     */
    Row oldRow();

    /**
     * For {@link Operation#DDL}, the table's definitions before and after the schema change as the source's catalog
     * had them, {@code {"previous":...,"definition":...}} (the format is in wal-adapter's README); else null.
     */
    String ddl();

    /**
     * About how many bytes the change's values take (their UTF-8 lengths, old row and DDL text included): what
     * batches and buffers are bounded by besides their number of events.
     */
    long valueBytes();

    /** Where this change stands in the stream: its transaction's commit LSN and its ordinal in it. */
    default Position position() {
        return Position.of(commitLsn(), ordinal());
    }

    /** Columns whose value is an unchanged TOAST value: present in neither row, unchanged on the source. */
    default List<String> unchangedToastColumns() {
        Row row = newRow();
        return row == null ? List.of() : row.unchangedToastColumns();
    }

    /** Whether this change belongs to a transaction not known to commit yet (see the class comment). */
    default boolean provisional() {
        return commitLsn().equals(Lsn.MAX);
    }

    /** {@code schema.table}, unquoted, for messages. */
    default String qualifiedTable() {
        return schema() + "." + table();
    }
}
