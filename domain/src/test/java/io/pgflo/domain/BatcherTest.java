package io.pgflo.domain;

import static io.pgflo.domain.TestEvents.commit;
import static io.pgflo.domain.TestEvents.insert;
import static io.pgflo.domain.TestEvents.provisional;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatcherTest {
    private static final long MS = 1_000_000L;

    @Test
    void cutsOnTransactionBoundaryWhenSizeIsReached() {
        Batcher batcher = new Batcher(new BatchPolicy(4, Duration.ofHours(1)), Position.START);
        for (int tx = 0; tx < 3; tx++) {
            long base = 100 * (tx + 1);
            batcher.add(insert(base + 1, base + 50, 0), 0);
            batcher.add(insert(base + 2, base + 50, 1), 0);
            batcher.commit(commit(base + 50), 0);
        }
        // 6 events held, 6 committed: the committed ones go out together.
        Batch batch = batcher.poll(0);
        assertThat(batch.size()).isEqualTo(6);
        assertThat(batch.checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(358)));
        assertThat(batcher.poll(0)).isNull();
    }

    @Test
    void leavesAnOpenTransactionBehindWhenCuttingBySize() {
        Batcher batcher = new Batcher(new BatchPolicy(3, Duration.ofHours(1)), Position.START);
        batcher.add(insert(1, 10, 0), 0);
        batcher.commit(commit(10), 0);
        batcher.add(insert(11, 20, 0), 0);
        batcher.add(insert(12, 20, 1), 0);
        Batch first = batcher.poll(0);
        assertThat(first.events()).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1));
        assertThat(first.checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(18)));
        assertThat(batcher.poll(0)).isNull();
        batcher.commit(commit(20), 0);
        assertThat(batcher.drainCommitted().events()).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(11), Lsn.of(12));
    }

    @Test
    void splitsATransactionLargerThanABatchCheckpointingAtItsLastChange() {
        Batcher batcher = new Batcher(new BatchPolicy(2, Duration.ofHours(1)), Position.afterTransaction(Lsn.of(5)));
        batcher.add(insert(11, 99, 0), 0);
        assertThat(batcher.poll(0)).isNull();
        batcher.add(insert(12, 99, 1), 0);
        Batch part1 = batcher.poll(0);
        assertThat(part1.size()).isEqualTo(2);
        assertThat(part1.checkpoint()).as("inside the transaction committing at 99, after its change 1")
                .isEqualTo(Position.of(Lsn.of(99), 1));
        assertThat(part1.endsTransaction()).isFalse();
        batcher.add(insert(13, 99, 2), 0);
        batcher.commit(commit(99), 0);
        Batch rest = batcher.drainCommitted();
        assertThat(rest.events()).extracting(ChangeEvent::ordinal).containsExactly(2);
        assertThat(rest.checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(107)));
    }

    @Test
    void cutsWhenTheHeldValuesReachTheByteBoundLeavingTheOpenTransactionBehind() {
        Batcher batcher = new Batcher(new BatchPolicy(1_000, Duration.ofHours(1), 100), Position.START);
        batcher.add(wide(1, 10, 0, 40), 0);
        batcher.add(wide(2, 10, 1, 40), 0);
        batcher.commit(commit(10), 0);
        assertThat(batcher.poll(0)).as("80 bytes held").isNull();
        batcher.add(wide(11, 20, 0, 40), 0);
        Batch first = batcher.poll(0);
        assertThat(first.events()).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1), Lsn.of(2));
        assertThat(first.checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(18)));
        assertThat(batcher.poll(0)).as("what is left, 40 bytes, is counted alone").isNull();
        batcher.add(wide(12, 20, 1, 40), 0);
        assertThat(batcher.poll(0)).isNull();
        batcher.commit(commit(20), 0);
        batcher.add(wide(21, 30, 0, 30), 0);
        assertThat(batcher.poll(0).events()).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(11), Lsn.of(12));
    }

    @Test
    void splitsATransactionOfWideRowsByBytes() {
        Batcher batcher = new Batcher(new BatchPolicy(1_000, Duration.ofHours(1), 100), Position.afterTransaction(Lsn.of(5)));
        batcher.add(wide(11, 99, 0, 60), 0);
        assertThat(batcher.poll(0)).isNull();
        batcher.add(wide(12, 99, 1, 60), 0);
        Batch part = batcher.poll(0);
        assertThat(part.size()).isEqualTo(2);
        assertThat(part.checkpoint()).isEqualTo(Position.of(Lsn.of(99), 1));
        batcher.add(wide(13, 99, 2, 60), 0);
        assertThat(batcher.poll(0)).as("the part cut is no longer counted").isNull();
        // One value larger than the bound is a batch of its own.
        batcher.add(wide(14, 99, 3, 500), 0);
        assertThat(batcher.poll(0).events()).extracting(ChangeEvent::ordinal).containsExactly(2, 3);
    }

    @Test
    void theDiscardedOpenTransactionsBytesAreNoLongerCounted() {
        Batcher batcher = new Batcher(new BatchPolicy(1_000, Duration.ofHours(1), 100), Position.START);
        batcher.add(wide(1, 10, 0, 40), 0);
        batcher.commit(commit(10), 0);
        batcher.add(wide(11, 20, 0, 50), 0);
        batcher.discardOpen();
        batcher.add(wide(21, 30, 0, 50), 0);
        assertThat(batcher.poll(0)).as("40 + 50 bytes held").isNull();
    }

    @Test
    void discardingTheOpenTransactionDropsItsHeldEventsAndSaysWhetherSomeWentOutAlready() {
        Batcher batcher = new Batcher(new BatchPolicy(3, Duration.ofHours(1)), Position.START);
        batcher.add(insert(1, 10, 0), 0);
        batcher.commit(commit(10), 0);
        batcher.add(provisional(11, 0), 0);
        assertThat(batcher.discardOpen()).as("nothing of it was cut").isFalse();
        assertThat(batcher.drainCommitted().events()).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1));

        for (int i = 0; i < 4; i++) {
            batcher.add(provisional(20 + i, i), 0);
        }
        Batch cut = batcher.poll(0);
        assertThat(cut.size()).as("a transaction larger than a batch").isEqualTo(4);
        assertThat(cut.checkpoint()).as("provisional changes have no commit to name").isEqualTo(Position.afterTransaction(Lsn.of(18)));
        batcher.add(provisional(30, 4), 0);
        assertThat(batcher.discardOpen()).as("part of it went out").isTrue();
        assertThat(batcher.drainCommitted()).as("the held part is gone").isNull();
        assertThat(batcher.discardOpen()).as("said once").isFalse();

        for (int i = 0; i < 3; i++) {
            batcher.add(insert(40 + i, 50, i), 0);
        }
        batcher.poll(0);
        batcher.commit(commit(50), 0);
        assertThat(batcher.discardOpen()).as("a transaction that committed after a cut is not open").isFalse();
    }

    @Test
    void checkpointsNeverGoBackWhenAHeartbeatCommitsBeforeAPartCutIsFollowedByTheRest() {
        Batcher batcher = new Batcher(new BatchPolicy(2, Duration.ZERO), Position.START);
        batcher.commit(commit(10), 0);
        batcher.add(insert(21, 40, 0), 0);
        batcher.add(insert(22, 40, 1), 0);
        assertThat(batcher.poll(0).checkpoint()).isEqualTo(Position.of(Lsn.of(40), 1));
        assertThat(batcher.drainCommitted().checkpoint()).as("the heartbeat's 0/12 is behind the part already cut")
                .isEqualTo(Position.of(Lsn.of(40), 1));
        batcher.add(insert(23, 40, 2), 0);
        batcher.commit(commit(40), 0);
        assertThat(batcher.drainCommitted().checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(48)));
    }

    @Test
    void theProvisionalEventsStillHeldAtTheirCommitGoOutWithItsLsnAndTime() {
        Batcher batcher = new Batcher(new BatchPolicy(3, Duration.ofHours(1)), Position.START);
        for (int i = 0; i < 3; i++) {
            batcher.add(provisional(20 + i, i), 0);
        }
        Batch open = batcher.poll(0);
        assertThat(open.events()).as("cut while open").hasSize(3).allMatch(ChangeEvent::provisional);
        batcher.add(provisional(23, 3), 0);
        batcher.commit(commit(90), 0);
        Batch rest = batcher.drainCommitted();
        assertThat(rest.events()).extracting(ChangeEvent::commitLsn).containsExactly(Lsn.of(90));
        assertThat(rest.events()).noneMatch(ChangeEvent::provisional);
        assertThat(rest.checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(98)));
    }

    /** An insert whose one value is {@code bytes} characters long. */
    private static SourceChange wide(long lsn, long commitLsn, int ordinal, int bytes) {
        Row row = new Row(java.util.List.of(ColumnValue.text(new Column("doc", new ColumnType(25, "text", 25, 0), false), "x".repeat(bytes))));
        return new SourceChange(Operation.INSERT, "public", "t", Lsn.of(lsn), Lsn.of(commitLsn), 7, Instant.EPOCH, ordinal,
                java.util.List.of(), row, null, null);
    }

    @Test
    void cutsByAgeOfTheOldestCommittedEvent() {
        Batcher batcher = new Batcher(new BatchPolicy(1000, Duration.ofMillis(100)), Position.START);
        batcher.add(insert(1, 10, 0), 0);
        batcher.commit(commit(10), 60 * MS);
        assertThat(batcher.poll(99 * MS)).isNull();
        assertThat(batcher.poll(100 * MS).size()).isEqualTo(1);
    }

    @Test
    void neverCutsAnOpenTransactionByTime() {
        Batcher batcher = new Batcher(new BatchPolicy(1000, Duration.ofMillis(100)), Position.START);
        batcher.add(insert(1, 10, 0), 0);
        assertThat(batcher.poll(10_000 * MS)).isNull();
        assertThat(batcher.drainCommitted()).isNull();
    }

    @Test
    void anEmptyTransactionMovesTheCheckpointSoAnIdleStreamAdvances() {
        Batcher batcher = new Batcher(new BatchPolicy(1000, Duration.ofMillis(100)), Position.afterTransaction(Lsn.of(50)));
        batcher.commit(commit(100), 0);
        Batch heartbeat = batcher.poll(100 * MS);
        assertThat(heartbeat.isEmpty()).isTrue();
        assertThat(heartbeat.checkpoint()).isEqualTo(Position.afterTransaction(Lsn.of(108)));
    }

    @Test
    void ignoresCommitsAtOrBeforeTheCheckpoint() {
        Batcher batcher = new Batcher(new BatchPolicy(1000, Duration.ZERO), Position.afterTransaction(Lsn.of(500)));
        batcher.commit(commit(100), 0);
        assertThat(batcher.poll(0)).isNull();
        assertThat(batcher.drainCommitted()).isNull();
    }

    @Test
    void zeroDelayCutsEveryCommit() {
        Batcher batcher = new Batcher(new BatchPolicy(1000, Duration.ZERO), Position.START);
        batcher.add(insert(1, 10, 0), 5);
        assertThat(batcher.poll(5)).isNull();
        batcher.commit(commit(10), 5);
        assertThat(batcher.poll(5).size()).isEqualTo(1);
    }

    @Test
    void theCutCommitTimeIsTheNewestCutTransactionsHeartbeatsIncludedAndNotAnOpenTransactionsPart() {
        Batcher batcher = new Batcher(new BatchPolicy(2, Duration.ofHours(1)), Position.START);
        assertThat(batcher.lastCutCommitTime()).isNull();
        Instant first = Instant.parse("2026-12-01T10:00:00Z");
        batcher.add(insert(1, 10, 0), 0);
        batcher.commit(new TransactionCommit(7, Lsn.of(10), Lsn.of(18), first), 0);
        assertThat(batcher.lastCutCommitTime()).as("committed, not cut yet").isNull();
        batcher.drainCommitted();
        assertThat(batcher.lastCutCommitTime()).isEqualTo(first);

        Instant heartbeat = first.plusSeconds(10);
        batcher.commit(new TransactionCommit(8, Lsn.of(30), Lsn.of(38), heartbeat), 0);
        assertThat(batcher.drainCommitted().events()).isEmpty();
        assertThat(batcher.lastCutCommitTime()).as("a transaction without changes").isEqualTo(heartbeat);

        batcher.add(insert(41, 99, 0), 0);
        batcher.add(insert(42, 99, 1), 0);
        assertThat(batcher.poll(0).size()).as("part of an open transaction").isEqualTo(2);
        assertThat(batcher.lastCutCommitTime()).isEqualTo(heartbeat);
    }
}
