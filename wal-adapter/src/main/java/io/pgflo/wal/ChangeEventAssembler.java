package io.pgflo.wal;

import io.pgflo.domain.OpenTransactionDiscarded;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.domain.Watermark;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import io.pgflo.wal.PgOutputMessage.Begin;
import io.pgflo.wal.PgOutputMessage.Commit;
import io.pgflo.wal.PgOutputMessage.Delete;
import io.pgflo.wal.PgOutputMessage.Insert;
import io.pgflo.wal.PgOutputMessage.LogicalMessage;
import io.pgflo.wal.PgOutputMessage.Relation;
import io.pgflo.wal.PgOutputMessage.StreamAbort;
import io.pgflo.wal.PgOutputMessage.StreamCommit;
import io.pgflo.wal.PgOutputMessage.StreamStart;
import io.pgflo.wal.PgOutputMessage.StreamStop;
import io.pgflo.wal.PgOutputMessage.Streamed;
import io.pgflo.wal.PgOutputMessage.Truncate;
import io.pgflo.wal.PgOutputMessage.Update;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns pgoutput messages into change events and commits: keeps the relation cache, numbers the changes within
 * each transaction, and drops transactions that a checkpoint already covers.
 *
 * <p>Transactions the server streams before their commit (protocol 2) are spooled ({@link TransactionSpool}) and
 * delivered at their commit, in commit order like any other. With {@link #deliverProvisionally}, one of them may go out
 * while it streams: the first streamed transaction that nothing else overlaps has its changes delivered as provisional
 * events at once, confirmed by its commit. Anything that would have to reach the sink before its commit (another
 * transaction's commit, another streamed transaction) or that rolls part of it back turns those events void
 * ({@link OpenTransactionDiscarded}); the transaction then comes again, whole, from its spool at its commit.
 */
final class ChangeEventAssembler {
    private static final Logger log = LoggerFactory.getLogger(ChangeEventAssembler.class);

    /**
     * Prefix of the logical messages with which earlier versions carried DDL. Any role may emit a logical message, so
     * one with this prefix is a forgery or a leftover: it is ignored with a warning, never replayed.
     */
    static final String DDL_PREFIX = "pg_flo_ddl";
    /**
     * Memory a streamed transaction's spool may use before it moves to a file. Small: the server streams only
     * transactions past its {@code logical_decoding_work_mem}, and several may stream at once.
     */
    static final int SPOOL_MEMORY = 1 << 20;

    private final IntFunction<ColumnType> types;
    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private final Map<Integer, RelationInfo> relations = new HashMap<>();
    private final Map<Long, StreamedTransaction> streamed = new LinkedHashMap<>();
    private Path spoolDirectory = WalSourceConfig.DEFAULT_SPOOL_DIRECTORY;
    private int spoolMemory = SPOOL_MEMORY;
    /**
     * What the sink has: transactions up to it are skipped. Inside a transaction (a sink that checkpointed part of
     * one), that transaction's changes up to the ordinal are too; once it has passed, this becomes its end.
     */
    private Position resumeAfter = Position.START;
    private boolean deliverDdl;
    private boolean deliverProvisionally;
    /** The transaction whose changes are being delivered: a Begin's, a spooled one's at its commit, or null. */
    private Context current;
    private boolean skipping;
    /** The streamed transaction whose block is being received, or null between blocks. */
    private StreamedTransaction block;
    /** The streamed transaction whose changes go out provisionally (its {@code stream}), or null. */
    private Context provisional;

    ChangeEventAssembler(IntFunction<ColumnType> types) {
        this.types = types;
    }

    /**
     * Whether this stream delivers DDL events; off by default. The capture trigger serves every group on the database,
     * so a stream whose sink did not ask for DDL must not receive the statements installed for another group's sink.
     * (The sink that asked sorts out which tables are its own: names change under renames and vanish under drops.)
     */
    void deliverDdl(boolean deliver) {
        this.deliverDdl = deliver;
    }

    /** Whether a streamed transaction's changes may go out before its commit (see the class comment); off by default. */
    void deliverProvisionally(boolean deliver) {
        this.deliverProvisionally = deliver;
    }

    /** Where streamed transactions are spooled once they outgrow their memory. */
    void spoolTo(Path directory) {
        this.spoolDirectory = directory;
    }

    /** Where streamed transactions larger than {@code memory} bytes are spooled. */
    void spoolTo(Path directory, int memory) {
        spoolTo(directory);
        this.spoolMemory = memory;
    }

    void resumeAfter(Position checkpoint) {
        this.resumeAfter = checkpoint;
    }

    /**
     * Decodes one message as the server sent it, and handles it.
     *
     * @param lsn the WAL position of the message (the start of its XLogData)
     */
    void accept(ByteBuffer buffer, Lsn lsn, Consumer<SourceMessage> out) {
        ByteBuffer raw = block == null ? null : buffer.duplicate();
        PgOutputMessage message;
        try {
            message = decoder.decode(buffer, block != null);
        } catch (PgOutputException e) {
            throw new PgOutputException(e.getMessage() + " at " + lsn, e);
        }
        if (block == null) {
            accept(message, lsn, out);
            return;
        }
        if (message instanceof Streamed inBlock) {
            block.spool.append(inBlock.xid(), lsn, raw);
            if (isProvisional(block)) {
                handle(inBlock.message(), lsn, provisional, out);
            }
        } else {
            accept(message, lsn, out);
        }
    }

    /**
     * Handles one decoded message outside a streamed block.
     *
     * @param lsn the WAL position of the message (the start of its XLogData)
     */
    void accept(PgOutputMessage message, Lsn lsn, Consumer<SourceMessage> out) {
        if (message instanceof Begin begin) {
            // Should it hold changes while a streamed transaction goes out provisionally, the first of them voids
            // that (see emit); a heartbeat's, or any other without changes, does not.
            current = new Context(begin.finalLsn(), begin.xid(), begin.commitTime(), null);
            // A commit record that starts before the checkpoint ends at or before it: delivered already.
            skipping = begin.finalLsn().isBefore(resumeAfter.lsn());
        } else if (message instanceof Commit commit) {
            // Without changes while a provisional transaction is open, its commit must not move the checkpoint: that
            // would commit the provisional changes with it. The checkpoint moves at the provisional one's commit.
            if (!skipping && provisional == null) {
                out.accept(new TransactionCommit(current == null ? 0 : current.xid, commit.commitLsn(), commit.endLsn(),
                        commit.commitTime()));
            }
            passResumePoint(commit.commitLsn(), commit.endLsn());
            current = null;
            skipping = false;
        } else if (message instanceof StreamStart start) {
            streamStart(start, out);
        } else if (message instanceof StreamStop) {
            block = null;
        } else if (message instanceof StreamCommit commit) {
            streamCommit(commit, out);
        } else if (message instanceof StreamAbort abort) {
            streamAbort(abort, out);
        } else if (message instanceof Streamed inBlock) {
            throw new PgOutputException("message of streamed transaction " + inBlock.xid() + " at " + lsn
                    + " outside a stream block");
        } else if (!skipping || message instanceof Relation) {
            // A Relation in a skipped transaction still describes the table for the transactions after it.
            handle(message, lsn, current, out);
        }
    }

    private void streamStart(StreamStart start, Consumer<SourceMessage> out) {
        StreamedTransaction transaction = streamed.get(start.xid());
        if (transaction == null) {
            if (!start.first()) {
                throw new PgOutputException("the server streams transaction " + start.xid()
                        + " on, but its first block never arrived");
            }
            transaction = new StreamedTransaction(start.xid(), new TransactionSpool(start.xid(), spoolDirectory, spoolMemory));
            streamed.put(start.xid(), transaction);
        }
        if (provisional != null && provisional.stream != transaction) {
            discardProvisional("transaction " + start.xid() + " streams alongside it", out);
        }
        // Not while a transaction the sink has part of may still come: which one this is shows only at its commit.
        if (provisional == null && deliverProvisionally && resumeAfter.wholeTransaction() && start.first()
                && streamed.size() == 1 && current == null) {
            provisional = new Context(Lsn.MAX, transaction.xid, Instant.EPOCH, transaction);
        }
        block = transaction;
    }

    private void streamCommit(StreamCommit commit, Consumer<SourceMessage> out) {
        StreamedTransaction transaction = streamed.remove(commit.xid());
        if (transaction == null) {
            throw new PgOutputException("commit of streamed transaction " + commit.xid() + " at " + commit.commitLsn()
                    + ", which never streamed");
        }
        try {
            TransactionCommit end = new TransactionCommit(commit.xid(), commit.commitLsn(), commit.endLsn(), commit.commitTime());
            if (commit.commitLsn().isBefore(resumeAfter.lsn())) {
                if (isProvisional(transaction)) {
                    discardProvisional("the checkpoint covers it", out);
                }
                // Delivered before; but the tables its stream described stay described so for what follows. Only
                // the Relations are decoded (by their tag), not the changes around them.
                transaction.spool.replay((lsn, bytes) -> {
                    if (bytes.get(bytes.position()) == 'R' && spooled(bytes) instanceof Relation relation) {
                        relations.put(relation.oid(), describe(relation));
                    }
                });
            } else if (isProvisional(transaction)) {
                relations.putAll(transaction.relations);
                provisional = null;
                out.accept(end);
            } else {
                current = new Context(commit.commitLsn(), commit.xid(), commit.commitTime(), null);
                transaction.spool.replay((lsn, bytes) -> handle(spooled(bytes), lsn, current, out));
                current = null;
                out.accept(end);
            }
        } finally {
            transaction.close();
        }
        passResumePoint(commit.commitLsn(), commit.endLsn());
    }

    /** Once the transaction a position inside one names has gone by, only whole transactions are left to compare. */
    private void passResumePoint(Lsn commitLsn, Lsn endLsn) {
        if (!resumeAfter.wholeTransaction() && !commitLsn.isBefore(resumeAfter.lsn())) {
            resumeAfter = Position.afterTransaction(endLsn);
        }
    }

    private void streamAbort(StreamAbort abort, Consumer<SourceMessage> out) {
        StreamedTransaction transaction = streamed.get(abort.xid());
        if (transaction == null) {
            return;
        }
        if (abort.subxid() == abort.xid()) {
            streamed.remove(abort.xid());
            if (isProvisional(transaction)) {
                discardProvisional("it rolled back", out);
            }
            transaction.close();
        } else if (transaction.spool.abortSubtransaction(abort.subxid()) && isProvisional(transaction)) {
            discardProvisional("it rolled back subtransaction " + abort.subxid(), out);
        }
    }

    private void discardProvisional(String reason, Consumer<SourceMessage> out) {
        log.info("changes of transaction {} sent before its commit are void ({}); {}", provisional.xid, reason,
                streamed.containsKey(provisional.xid) ? "it goes out whole at its commit" : "nothing of it goes out");
        out.accept(new OpenTransactionDiscarded(provisional.xid, reason));
        provisional.stream.relations.clear();
        provisional = null;
    }

    private boolean isProvisional(StreamedTransaction transaction) {
        return provisional != null && provisional.stream == transaction;
    }

    /** A message of a spooled stream block, without its xid. */
    private PgOutputMessage spooled(ByteBuffer bytes) {
        return ((Streamed) decoder.decode(bytes, true)).message();
    }

    /** A Relation, a change, or a logical message, of the transaction {@code context} (null outside any). */
    private void handle(PgOutputMessage message, Lsn lsn, Context context, Consumer<SourceMessage> out) {
        if (message instanceof Relation relation) {
            (context != null && context.stream != null ? context.stream.relations : relations)
                    .put(relation.oid(), describe(relation));
        } else if (message instanceof Insert insert) {
            RelationInfo table = relation(insert.relationOid(), lsn, context);
            if (table.schemaChanges()) {
                if (deliverDdl) {
                    emit(schemaChange(table, insert.newTuple(), lsn, context), out);
                }
                return;
            }
            emit(event(Operation.INSERT, table, lsn, context, table.row(insert.newTuple(), false), null, null,
                    insert.newTuple().valueBytes()), out);
        } else if (message instanceof Update update) {
            RelationInfo table = relation(update.relationOid(), lsn, context);
            if (table.schemaChanges()) {
                return;
            }
            Row oldRow = update.oldTuple() == null ? null : table.row(update.oldTuple(), update.oldKind() == 'K');
            long bytes = update.newTuple().valueBytes() + (update.oldTuple() == null ? 0 : update.oldTuple().valueBytes());
            emit(event(Operation.UPDATE, table, lsn, context, table.row(update.newTuple(), false), oldRow, null, bytes),
                    out);
        } else if (message instanceof Delete delete) {
            RelationInfo table = relation(delete.relationOid(), lsn, context);
            if (table.schemaChanges()) {
                return;
            }
            emit(event(Operation.DELETE, table, lsn, context, null,
                    table.row(delete.oldTuple(), delete.oldKind() == 'K'), null, delete.oldTuple().valueBytes()), out);
        } else if (message instanceof Truncate truncate) {
            for (int oid : truncate.relationOids()) {
                RelationInfo table = relation(oid, lsn, context);
                if (!table.schemaChanges()) {
                    emit(event(Operation.TRUNCATE, table, lsn, context, null, null, null, 0), out);
                }
            }
        } else if (message instanceof LogicalMessage logical && logical.prefix().equals(Watermark.PREFIX)
                && logical.transactional() && context != null && !context.commitLsn.equals(Lsn.MAX)) {
            // A backfill's watermark: its chunk's rows go in here, as changes of this transaction after its own.
            out.accept(new Watermark(new String(logical.content(), StandardCharsets.UTF_8), context.xid,
                    context.commitLsn, context.commitTime, context.peekOrdinal()));
        } else if (message instanceof LogicalMessage logical && logical.prefix().startsWith(DDL_PREFIX) && deliverDdl
                && !logical.prefix().equals(DDL_PREFIX + "_end")) {
            log.warn("ignoring a logical message with prefix {} at {}: schema changes travel as rows of {}, which only "
                    + "pg_flo's capture may write; any role can emit such a message, so this one was not replayed",
                    logical.prefix(), lsn, DdlCapture.CHANGES_TABLE);
        }
        // Origin and Type messages, and logical messages of other prefixes, carry nothing a sink needs.
    }

    /** Hands the change over; the first change of another transaction voids the provisional one (see accept). */
    private void emit(SourceChange event, Consumer<SourceMessage> out) {
        if (!resumeAfter.wholeTransaction() && !event.provisional() && resumeAfter.covers(event)) {
            return; // the sink has this change of the transaction it checkpointed inside
        }
        if (provisional != null && !event.provisional()) {
            discardProvisional("transaction " + event.xid() + " committed while it streamed", out);
        }
        out.accept(event);
    }

    /**
     * Forgets every streamed transaction, deleting their spools, once the stream they came on has ended: a new stream
     * sends them again from their start.
     */
    void reset() {
        // Every spool is closed, even when one cannot be: each holds an open file (unlinked, so its space is freed only
        // then). The first failure is thrown after.
        RuntimeException failure = null;
        for (StreamedTransaction transaction : streamed.values()) {
            try {
                transaction.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        streamed.clear();
        block = null;
        provisional = null;
        current = null;
        skipping = false;
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A row of the capture's table as a DDL event: named after the table as the targets know it, carrying the
     * definitions before and after as {@code {"previous":...,"definition":...}} (both JSON the server wrote).
     */
    private SourceChange schemaChange(RelationInfo capture, TupleData tuple, Lsn lsn, Context context) {
        Row row = capture.row(tuple, false);
        String schema = row.text("schema_name");
        String table = row.text("table_name");
        String definition = row.text("definition");
        if (schema == null || table == null || definition == null) {
            throw new PgOutputException("malformed schema change at " + lsn + ": schema, table or definition missing");
        }
        String previous = row.text("previous");
        String change = "{\"previous\":" + (previous == null ? "null" : previous) + ",\"definition\":" + definition + "}";
        RelationInfo named = new RelationInfo(schema, table, 'd', List.of(), List.of());
        return event(Operation.DDL, named, lsn, context, null, null, change, change.length());
    }

    private SourceChange event(Operation operation, RelationInfo table, Lsn lsn, Context context, Row newRow, Row oldRow,
            String ddl, long valueBytes) {
        if (context == null) {
            throw new PgOutputException(operation + " on " + table.schema() + "." + table.table() + " at " + lsn
                    + " outside a transaction");
        }
        return new SourceChange(operation, table.schema(), table.table(), lsn, context.commitLsn, context.xid,
                context.commitTime, context.nextOrdinal(), table.keyColumns(), newRow, oldRow, ddl, valueBytes);
    }

    private RelationInfo relation(int oid, Lsn lsn, Context context) {
        RelationInfo info = context != null && context.stream != null ? context.stream.relations.get(oid) : null;
        if (info == null) {
            info = relations.get(oid);
        }
        if (info == null) {
            throw new PgOutputException("change at " + lsn + " refers to relation " + Integer.toUnsignedString(oid)
                    + " before any Relation message described it");
        }
        return info;
    }

    private RelationInfo describe(Relation relation) {
        return RelationInfo.describe(relation, types);
    }

    /**
     * The transaction changes are being delivered for, numbering them: its commit (or {@link Lsn#MAX} for provisional
     * changes), and for provisional ones the streamed transaction, whose own relation descriptions come first.
     */
    private static final class Context {
        final Lsn commitLsn;
        final long xid;
        final Instant commitTime;
        final StreamedTransaction stream;
        private int ordinal;

        Context(Lsn commitLsn, long xid, Instant commitTime, StreamedTransaction stream) {
            this.commitLsn = commitLsn;
            this.xid = xid;
            this.commitTime = commitTime;
            this.stream = stream;
        }

        int nextOrdinal() {
            return ordinal++;
        }

        /** The ordinal the next change would get. */
        int peekOrdinal() {
            return ordinal;
        }
    }
}
