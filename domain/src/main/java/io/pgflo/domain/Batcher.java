package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups change events into batches by size and by time, on transaction boundaries where it can.
 *
 * <p>Rules, in order:
 * <ol>
 *   <li>When the held events reach {@code maxEvents}, or their values {@code maxBytes}, the committed ones are cut;
 *       if none is committed (one transaction larger than a batch), all of them are cut without moving the
 *       checkpoint, so memory stays bounded whatever the transaction size and the width of its rows.</li>
 *   <li>When the oldest committed, not yet cut, item is {@code maxDelay} old, the committed items are cut. An item
 *       is an event or a commit that moved the checkpoint (a heartbeat), so an idle stream still checkpoints.</li>
 * </ol>
 * Not thread-safe; time is passed in (nanoseconds from any fixed origin) so the rules are testable.
 */
public final class Batcher {
    private final BatchPolicy policy;
    private final long maxDelayNanos;
    private List<SourceChange> held;
    private long heldBytes;
    private int committedCount;
    private long committedBytes;
    private Position committedCheckpoint;
    private Position emittedCheckpoint;
    private Instant committedTime;
    private Instant emittedTime;
    private boolean hasCommittedItem;
    private long oldestCommittedItemAt;
    private long openTransactionStartedAt;
    /** Whether events of the open transaction went out in a batch already (a transaction larger than a batch). */
    private boolean openTransactionCut;

    public Batcher(BatchPolicy policy, Position startCheckpoint) {
        this.policy = requireNonNull(policy, "policy is null");
        this.maxDelayNanos = policy.maxDelay().toNanos();
        this.committedCheckpoint = requireNonNull(startCheckpoint, "startCheckpoint is null");
        this.emittedCheckpoint = startCheckpoint;
        this.held = newHeldList();
    }

    public void add(SourceChange event, long nowNanos) {
        if (held.size() == committedCount) {
            openTransactionStartedAt = nowNanos;
        }
        held.add(event);
        heldBytes += event.valueBytes();
    }

    public void commit(TransactionCommit commit, long nowNanos) {
        boolean added = held.size() > committedCount;
        if (!added && !Position.afterTransaction(commit.endLsn()).isAfter(committedCheckpoint)) {
            return;
        }
        if (!hasCommittedItem) {
            hasCommittedItem = true;
            oldestCommittedItemAt = added ? openTransactionStartedAt : nowNanos;
        }
        for (int i = committedCount; i < held.size(); i++) {
            // Sent before its commit was known: what is still held goes out with the commit's LSN and time, so that
            // only changes already written as part of the open transaction are provisional.
            if (held.get(i).provisional()) {
                held.set(i, held.get(i).confirmedBy(commit));
            }
        }
        committedCount = held.size();
        committedBytes = heldBytes;
        committedCheckpoint = Position.max(committedCheckpoint, Position.afterTransaction(commit.endLsn()));
        committedTime = commit.commitTime();
        openTransactionCut = false;
    }

    /**
     * Drops the held events of the open transaction (see {@link OpenTransactionDiscarded}). Returns whether some of its
     * events went out in a batch already, which the sink must then discard too.
     */
    public boolean discardOpen() {
        if (held.size() > committedCount) {
            held.subList(committedCount, held.size()).clear();
            heldBytes = committedBytes;
        }
        boolean cut = openTransactionCut;
        openTransactionCut = false;
        return cut;
    }

    /**
     * The source commit time of the newest transaction in the batches cut so far, a transaction without changes (a
     * heartbeat) included; null before the first. How far the sink is behind the source, once that batch is written.
     */
    public Instant lastCutCommitTime() {
        return emittedTime;
    }

    /** The batch to write now, or null when no rule says to cut yet. */
    public Batch poll(long nowNanos) {
        if (held.size() >= policy.maxEvents() || heldBytes >= policy.maxBytes()) {
            return committedCount > 0 ? cutCommitted() : cutOpenTransaction();
        }
        if (hasCommittedItem && nowNanos - oldestCommittedItemAt >= maxDelayNanos) {
            return cutCommitted();
        }
        return null;
    }

    /** Everything committed and not yet cut, regardless of the rules (for a clean stop), or null when nothing is. */
    public Batch drainCommitted() {
        return hasCommittedItem ? cutCommitted() : null;
    }

    private Batch cutCommitted() {
        Batch batch;
        if (committedCount == held.size()) {
            batch = Batch.of(held, committedCheckpoint);
            held = newHeldList();
        } else {
            List<SourceChange> open = held.subList(committedCount, held.size());
            batch = Batch.of(held.subList(0, committedCount), committedCheckpoint);
            List<SourceChange> rest = newHeldList();
            rest.addAll(open);
            held = rest;
        }
        heldBytes -= committedBytes;
        committedCount = 0;
        committedBytes = 0;
        hasCommittedItem = false;
        emittedCheckpoint = committedCheckpoint;
        emittedTime = committedTime;
        return batch;
    }

    private Batch cutOpenTransaction() {
        openTransactionCut = true;
        SourceChange last = held.get(held.size() - 1);
        if (!last.provisional()) {
            // Committed, its commit LSN known: the batch checkpoints at its last change, so a sink that records it
            // resumes exactly there. Provisional changes have no commit to name, and keep the checkpoint before them.
            emittedCheckpoint = Position.max(emittedCheckpoint, last.position());
            committedCheckpoint = Position.max(committedCheckpoint, emittedCheckpoint);
        }
        Batch batch = Batch.of(held, emittedCheckpoint);
        held = newHeldList();
        heldBytes = 0;
        return batch;
    }

    private List<SourceChange> newHeldList() {
        return new ArrayList<>(Math.min(policy.maxEvents(), 1024));
    }
}
