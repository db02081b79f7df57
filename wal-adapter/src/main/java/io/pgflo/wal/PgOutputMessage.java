package io.pgflo.wal;

import io.pgflo.sink.api.Lsn;
import java.time.Instant;
import java.util.List;

/**
 * The messages of the pgoutput logical decoding protocol, as the decoder reads them: version 1, and version 2's
 * streaming of in-progress transactions.
 */
public sealed interface PgOutputMessage {

    record Begin(Lsn finalLsn, Instant commitTime, long xid) implements PgOutputMessage {}

    record Commit(int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgOutputMessage {}

    record Origin(Lsn lsn, String name) implements PgOutputMessage {}

    /** A table's shape; sent before the first change to it in a session and again after it changes. */
    record Relation(int oid, String namespace, String name, char replicaIdentity, List<RelationColumn> columns)
            implements PgOutputMessage {
        public Relation {
            columns = List.copyOf(columns);
        }
    }

    record RelationColumn(boolean partOfKey, String name, int typeOid, int typeModifier) {}

    /** Names a user-defined type the following Relation uses. */
    record Type(int oid, String namespace, String name) implements PgOutputMessage {}

    record Insert(int relationOid, TupleData newTuple) implements PgOutputMessage {}

    /**
     * @param oldKind 'K' when {@code oldTuple} is the old key, 'O' when it is the whole old row, 0 when absent
     */
    record Update(int relationOid, char oldKind, TupleData oldTuple, TupleData newTuple) implements PgOutputMessage {}

    record Delete(int relationOid, char oldKind, TupleData oldTuple) implements PgOutputMessage {}

    record Truncate(boolean cascade, boolean restartIdentity, int[] relationOids) implements PgOutputMessage {}

    /** A message from {@code pg_logical_emit_message}. */
    record LogicalMessage(boolean transactional, Lsn lsn, String prefix, byte[] content) implements PgOutputMessage {}

    /** Starts a block of changes of the in-progress transaction {@code xid}; {@code first} for its first block. */
    record StreamStart(long xid, boolean first) implements PgOutputMessage {}

    /** Ends the current block of a streamed transaction. */
    record StreamStop() implements PgOutputMessage {}

    /** The streamed transaction {@code xid} committed: every block of it came before. */
    record StreamCommit(long xid, int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgOutputMessage {}

    /**
     * The streamed transaction {@code xid} rolled back ({@code subxid == xid}), or only its subtransaction
     * {@code subxid} did, with every subtransaction begun after it.
     */
    record StreamAbort(long xid, long subxid) implements PgOutputMessage {}

    /**
     * A message within a block of a streamed transaction: a Relation, Type, change or logical message, which then
     * carries the xid of the (sub)transaction it belongs to.
     */
    record Streamed(long xid, PgOutputMessage message) implements PgOutputMessage {}
}
