package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import java.time.Duration;
import java.time.Instant;

/**
 * Moves changes from a {@link ChangeSource} to a {@link Sink}: batches them, writes each batch, and acknowledges to
 * the source only the checkpoints the sink reports durable ({@link Sink#lastCheckpoint()}), which may be some time
 * after the write returned.
 *
 * <p>{@link #run()} blocks until {@link #stop()} is called (from any thread) or something fails. On a stop it
 * writes what is committed and held, acknowledges it, and returns; an open transaction's events are left for the
 * next run, which receives them again. On a failure nothing past the last durable checkpoint is acknowledged.
 */
public final class Pipeline {
    private static final Duration MAX_POLL = Duration.ofMillis(50);

    private final ChangeSource source;
    private final Sink sink;
    private final BatchPolicy policy;
    private final BackfillMerger backfills;
    private final PipelineListener listener;
    private final ChangeShaper shaper;
    /** Written batches not yet durable: their checkpoints and newest source commit times, oldest first. */
    private final java.util.ArrayDeque<Written> notDurable = new java.util.ArrayDeque<>();
    private final PipelineStats stats = new PipelineStats();
    /** The checkpoint of the last batch handed to the sink: the sink is free once its durable checkpoint reaches it. */
    private Position lastWritten;
    private volatile boolean stopRequested;

    public Pipeline(ChangeSource source, Sink sink, BatchPolicy policy) {
        this(source, sink, policy, new BackfillMerger());
    }

    /** A pipeline that puts the chunks of the backfills {@code backfills} is handed into the stream. */
    public Pipeline(ChangeSource source, Sink sink, BatchPolicy policy, BackfillMerger backfills) {
        this(source, sink, policy, backfills, PipelineListener.NONE);
    }

    /** A pipeline that also reports what it does to {@code listener}. */
    public Pipeline(ChangeSource source, Sink sink, BatchPolicy policy, BackfillMerger backfills,
            PipelineListener listener) {
        this(source, sink, policy, backfills, listener, ChangeShaper.NONE);
    }

    /**
     * A pipeline that hands the sink each change as {@code shaper} shapes it (streamed changes and backfill rows
     * alike); a change it leaves out still moves the checkpoint, with its transaction's commit.
     */
    public Pipeline(ChangeSource source, Sink sink, BatchPolicy policy, BackfillMerger backfills,
            PipelineListener listener, ChangeShaper shaper) {
        this.shaper = requireNonNull(shaper, "shaper is null");
        this.source = requireNonNull(source, "source is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.backfills = requireNonNull(backfills, "backfills is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    private record Written(Position checkpoint, Instant commitTime) {}

    public void run() throws InterruptedException {
        Position resumeAfter = sink.lastCheckpoint();
        stats.recordStart(resumeAfter);
        lastWritten = resumeAfter;
        Batcher batcher = new Batcher(policy, resumeAfter);
        source.start(resumeAfter);
        Duration pollTimeout = policy.maxDelay().compareTo(MAX_POLL) < 0 ? policy.maxDelay() : MAX_POLL;
        Position acknowledged = resumeAfter;
        while (!stopRequested) {
            SourceMessage message = source.poll(Duration.ZERO);
            boolean caughtUp = message == null && source.caughtUp();
            if (message == null && (caughtUp || sinkFree())) {
                // Nothing pending this instant: what is committed goes now instead of waiting out the batch delay, when
                // the source has nothing more (a change waits only while more is arriving), or when the sink has made
                // everything before durable (a source still decoding a backlog must not hold changes while the sink
                // idles). Batches grow while the sink is busy with the one before (group commit), so their size follows
                // the load; the delay stays the bound for a sink that never reports durable positions.
                Batch ready = batcher.drainCommitted();
                if (ready != null) {
                    write(ready, batcher.lastCutCommitTime());
                    acknowledged = acknowledgeDurable(acknowledged);
                }
            }
            if (message == null) {
                message = source.poll(pollTimeout);
            }
            stats.recordCaughtUp(caughtUp && message == null && notDurable.isEmpty());
            long now = System.nanoTime();
            if (message instanceof SourceChange event) {
                // The merger judges backfill rows by the keys the source changed, so it sees the change as it came.
                backfills.observe(event);
                addShaped(batcher, event, now);
            } else if (message instanceof Watermark watermark) {
                for (SourceChange row : backfills.arrived(watermark)) {
                    addShaped(batcher, row, now);
                }
            } else if (message instanceof TransactionCommit commit) {
                batcher.commit(commit, now);
                listener.transactionCommitted();
            } else if (message instanceof OpenTransactionDiscarded && batcher.discardOpen()) {
                sink.discardOpenTransaction();
            }
            Batch batch = batcher.poll(now);
            if (batch == null && message == null) {
                // Idle (nothing arrived within the poll timeout): what is committed need not wait out the batch delay.
                batch = batcher.drainCommitted();
            }
            if (batch != null) {
                write(batch, batcher.lastCutCommitTime());
            } else if (message == null) {
                // Idle: let the sink finish what it holds, so its checkpoint is acknowledged (and a failure of a
                // batch it returned from surfaces) without waiting for the next batch.
                sink.flush();
            }
            acknowledged = acknowledgeDurable(acknowledged);
        }
        Batch last = batcher.drainCommitted();
        if (last != null) {
            write(last, batcher.lastCutCommitTime());
        }
        sink.flush();
        acknowledgeDurable(acknowledged);
    }

    private void addShaped(Batcher batcher, SourceChange change, long now) {
        SourceChange shaped = shaper.shape(change);
        if (shaped == null) {
            listener.filtered(change);
        } else {
            batcher.add(shaped, now);
        }
    }

    private void write(Batch batch, Instant newestCommit) {
        long start = System.nanoTime();
        sink.writeBatch(batch);
        listener.batchWritten(batch, Duration.ofNanos(System.nanoTime() - start));
        stats.recordBatch(batch, newestCommit);
        lastWritten = batch.checkpoint();
        if (newestCommit != null && batch.checkpoint().wholeTransaction()
                && (notDurable.isEmpty() || batch.checkpoint().isAfter(notDurable.peekLast().checkpoint()))) {
            notDurable.addLast(new Written(batch.checkpoint(), newestCommit));
        }
    }

    /** Whether the sink has made every batch handed to it durable (one volatile read in the built-in sinks). */
    private boolean sinkFree() {
        return !lastWritten.isAfter(sink.lastCheckpoint());
    }

    /** Asks {@link #run()} to finish the committed work it holds and return. */
    public void stop() {
        stopRequested = true;
    }

    public PipelineStats stats() {
        return stats;
    }

    /**
     * Acknowledges what the sink has made durable since the last call; the sink may finish batches later. A position
     * inside a transaction is recorded but not acknowledged: the source must send that transaction again.
     */
    private Position acknowledgeDurable(Position acknowledged) {
        Position durable = sink.lastCheckpoint();
        if (durable.isAfter(acknowledged)) {
            if (durable.wholeTransaction()) {
                source.acknowledge(durable.lsn());
            }
            stats.recordDurable(durable);
            Instant now = null;
            while (!notDurable.isEmpty() && notDurable.peekFirst().checkpoint().compareTo(durable) <= 0) {
                now = now == null ? Instant.now() : now;
                Instant commitTime = notDurable.pollFirst().commitTime();
                stats.recordDurableCommit(commitTime);
                listener.durable(commitTime, now);
            }
            return durable;
        }
        return acknowledged;
    }
}
