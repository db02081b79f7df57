package io.pgflo.sink.file;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.Batcher;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.Batch;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.Sink;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A made-up source: transactions of INSERTs into {@code public.items(id, data)} with ids 1, 2, 3, ... in commit order,
 * cut into batches by the real {@link Batcher}, the way the pipeline does it.
 */
final class TestTransactions {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);
    private static final Column DATA = new Column("data", new ColumnType(25, "text", 25, 0), false);
    private static final Instant COMMIT_TIME = Instant.parse("2026-11-24T12:00:00Z");

    /** One source transaction. */
    record Transaction(long xid, Lsn commitLsn, Lsn endLsn, List<SourceChange> events) {}

    private final List<Transaction> transactions = new ArrayList<>();
    private long nextId = 1;

    /** Adds transactions of these sizes. */
    TestTransactions add(int... sizes) {
        for (int size : sizes) {
            long xid = 1000 + transactions.size();
            Lsn commitLsn = Lsn.of(0x1000L * (transactions.size() + 1));
            Lsn endLsn = Lsn.of(commitLsn.value() + 0x30);
            List<SourceChange> events = new ArrayList<>();
            for (int ordinal = 0; ordinal < size; ordinal++) {
                long id = nextId++;
                Row row = new Row(List.of(ColumnValue.text(ID, Long.toString(id)), ColumnValue.text(DATA, "row-" + id)));
                events.add(new SourceChange(Operation.INSERT, "public", "items", Lsn.of(commitLsn.value() - 0x800 + ordinal),
                        commitLsn, xid, COMMIT_TIME, ordinal, List.of("id"), row, null, null));
            }
            transactions.add(new Transaction(xid, commitLsn, endLsn, List.copyOf(events)));
        }
        return this;
    }

    List<Transaction> all() {
        return transactions;
    }

    Transaction get(int index) {
        return transactions.get(index);
    }

    /** Every id of every transaction, in commit order. */
    List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (long id = 1; id < nextId; id++) {
            ids.add(id);
        }
        return ids;
    }

    /**
     * What the engine does: delivers the transactions that end after the sink's checkpoint, cut into batches of at most
     * {@code maxEvents} (a larger transaction is split, with the previous checkpoint), and a final drain.
     */
    void deliver(Sink sink, int maxEvents) {
        deliver(sink, maxEvents, transactions.size());
    }

    /** As {@link #deliver(Sink, int)}, for the first {@code count} transactions only. */
    void deliver(Sink sink, int maxEvents, int count) {
        Position after = sink.lastCheckpoint();
        Batcher batcher = new Batcher(new BatchPolicy(maxEvents, Duration.ofHours(1)), after);
        Consumer<Batch> write = sink::writeBatch;
        for (Transaction transaction : transactions.subList(0, count)) {
            if (!Position.afterTransaction(transaction.endLsn()).isAfter(after)) {
                continue;
            }
            for (SourceChange event : transaction.events()) {
                if (after.covers(event)) {
                    continue; // the sink checkpointed inside this transaction: the source skips what it has
                }
                batcher.add(event, 0);
                writeIfCut(batcher, write);
            }
            batcher.commit(new TransactionCommit(transaction.xid(), transaction.commitLsn(), transaction.endLsn(),
                    COMMIT_TIME), 0);
            writeIfCut(batcher, write);
        }
        Batch last = batcher.drainCommitted();
        if (last != null) {
            write.accept(last);
        }
    }

    /** Delivers each transaction that ends after the sink's checkpoint as a batch of its own. */
    void deliverEachAlone(Sink sink) {
        for (Transaction transaction : transactions) {
            if (Position.afterTransaction(transaction.endLsn()).isAfter(sink.lastCheckpoint())) {
                sink.writeBatch(batchOf(transaction));
            }
        }
    }

    /** Writes the events of one transaction in batches that do not move the checkpoint, as when it is split. */
    static void deliverWithoutCommit(Sink sink, Transaction transaction, int maxEvents) {
        List<SourceChange> events = transaction.events();
        for (int from = 0; from < events.size(); from += maxEvents) {
            sink.writeBatch(Batch.of(events.subList(from, Math.min(events.size(), from + maxEvents)), sink.lastCheckpoint()));
        }
    }

    /** One batch with the whole transaction and its checkpoint. */
    static Batch batchOf(Transaction transaction) {
        return Batch.of(transaction.events(), transaction.endLsn());
    }

    private static void writeIfCut(Batcher batcher, Consumer<Batch> write) {
        Batch batch = batcher.poll(0);
        if (batch != null) {
            write.accept(batch);
        }
    }
}
