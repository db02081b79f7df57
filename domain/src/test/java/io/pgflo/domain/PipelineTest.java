package io.pgflo.domain;

import static io.pgflo.domain.TestEvents.commit;
import static io.pgflo.domain.TestEvents.insert;
import static io.pgflo.domain.TestEvents.provisional;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BatchCompletionListener;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TableName;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pipeline's contract with in-memory ports: acknowledge only what the sink made durable. */
class PipelineTest {

    @Test
    void acknowledgesOnlyAfterTheSinkWroteTheBatch() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0), commit(30)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO));
        source.onDrained = pipeline::stop;

        pipeline.run();

        assertThat(sink.events).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1), Lsn.of(21));
        assertThat(source.acknowledged).containsExactly(Lsn.of(18), Lsn.of(38));
        assertThat(sink.checkpointAtEachAck).filteredOn(Position::wholeTransaction).extracting(Position::lsn)
                .containsExactlyElementsOf(source.acknowledged);
        assertThat(pipeline.stats().eventsWritten()).isEqualTo(2);
    }

    @Test
    void aShaperShapesStreamedChangesAndOnesItLeavesOutStillMoveTheCheckpoint() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), insert(2, 10, 1), commit(10),
                insert(20, 30, 0), commit(30)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        List<ChangeEvent> filtered = new ArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void filtered(SourceChange change) {
                filtered.add(change);
            }
        };
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO), new BackfillMerger(),
                listener, TestEvents.ODD_MARKED);
        source.onDrained = pipeline::stop;

        pipeline.run();

        assertThat(sink.events).extracting(event -> event.newRow().text("id")).containsExactly("1!");
        assertThat(filtered).extracting(event -> event.newRow().text("id")).as("reported as they came")
                .containsExactly("2", "20");
        assertThat(source.acknowledged).as("a transaction left out entirely still moves the slot")
                .containsExactly(Lsn.of(18), Lsn.of(38));
        assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(Lsn.of(38)));
    }

    @Test
    void backfillRowsAreShapedWhileTheMergerSeesTheChangeAsItCame() throws Exception {
        TableName table = new TableName("public", "t");
        BackfillMerger merger = new BackfillMerger();
        merger.track(table);
        List<SourceChange> chunkRows = new ArrayList<>();
        for (long id = 3; id <= 6; id++) {
            chunkRows.add(new SourceChange(io.pgflo.sink.api.Operation.READ, "public", "t", Lsn.ZERO, Lsn.ZERO, 0,
                    Instant.EPOCH, 0, List.of("id"), insert(id, 1, 0).newRow(), null, null));
        }
        // Row 5 is changed by a transaction the chunk's query did not see: the merger must know its key as the source
        // sent it ("5", not the shaped "5!"), or the chunk's stale copy of row 5 would overwrite the change.
        merger.offer("n:1:0", new BackfillChunk(table, chunkRows, new XidSnapshot(5, 5, java.util.Set.of()),
                List.of("6"), true));
        SourceChange unseen = new SourceChange(io.pgflo.sink.api.Operation.UPDATE, "public", "t", Lsn.of(40),
                Lsn.of(50), 9, Instant.EPOCH, 0, List.of("id"), insert(5, 1, 0).newRow(), null, null);
        ScriptedSource source = new ScriptedSource(List.of(unseen, new Watermark("n:1:0", 9, Lsn.of(50), Instant.EPOCH,
                1), new TransactionCommit(9, Lsn.of(50), Lsn.of(58), Instant.EPOCH)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(100, Duration.ZERO), merger,
                PipelineListener.NONE, TestEvents.ODD_MARKED);
        source.onDrained = pipeline::stop;

        pipeline.run();

        assertThat(sink.events).extracting(event -> event.operation() + ":" + (event.newRow() == null ? "" : event.newRow().text("id")))
                .as("the streamed change, then the chunk shaped, without the row the stream changed")
                .containsExactly("UPDATE:5!", "READ:3!", "COPY_DONE:");
    }

    @Test
    void theStatsCommitTimeFollowsHeartbeatsSoAnIdleStreamShowsNoGrowingLag() throws Exception {
        Instant heartbeat = Instant.parse("2026-12-01T10:00:10Z");
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10),
                new TransactionCommit(8, Lsn.of(30), Lsn.of(38), heartbeat)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO));
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(pipeline.stats().lastCommitTime()).isEqualTo(heartbeat);
        assertThat(pipeline.stats().eventsWritten()).isEqualTo(1);
    }

    @Test
    void startsTheSourceAfterTheSinksCheckpoint() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of());
        Pipeline pipeline = new Pipeline(source, new RecordingSink(Lsn.of(77)), BatchPolicy.DEFAULT);
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(source.startedAfter).isEqualTo(Position.afterTransaction(Lsn.of(77)));
        assertThat(source.acknowledged).isEmpty();
    }

    @Test
    void aStopWritesCommittedWorkButNotAnOpenTransaction() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(100, Duration.ofHours(1)));
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(sink.events).extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1));
        assertThat(source.acknowledged).containsExactly(Lsn.of(18));
    }

    @Test
    void aFailingSinkAcknowledgesNothing() {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        sink.failure = new IllegalStateException("disk full");
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO));
        assertThatThrownBy(pipeline::run).hasMessage("disk full");
        assertThat(source.acknowledged).isEmpty();
    }

    @Test
    void itReportsTransactionsWrittenBatchesAndEachTransactionOnceWhenItIsDurable() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0), commit(30)));
        LaggingSink sink = new LaggingSink();
        List<String> reported = new ArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void transactionCommitted() {
                reported.add("commit");
            }

            @Override
            public void batchWritten(Batch batch, Duration took) {
                reported.add("batch " + batch.size());
            }

            @Override
            public void durable(java.time.Instant commitTime, java.time.Instant now) {
                reported.add("durable " + commitTime);
            }
        };
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1000, Duration.ZERO), new BackfillMerger(),
                listener);
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(reported).containsExactly("commit", "batch 1", "commit", "batch 1", "durable 1970-01-01T00:00:00Z",
                "durable 1970-01-01T00:00:00Z");
    }

    @Test
    void aSinkThatFinishesBatchesLaterIsAcknowledgedOnlyAsFarAsItIsDurable() throws Exception {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0), commit(30),
                insert(41, 50, 0), commit(50)));
        LaggingSink sink = new LaggingSink();
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO));
        source.onDrained = pipeline::stop;

        pipeline.run();

        // Each batch becomes durable when the next one is written; the last one at the flush of the clean stop.
        assertThat(source.acknowledged).containsExactly(Lsn.of(18), Lsn.of(38), Lsn.of(58));
        assertThat(sink.durableAtEachAck).filteredOn(Position::wholeTransaction).extracting(Position::lsn)
                .containsExactlyElementsOf(source.acknowledged);
        assertThat(sink.flushed).isTrue();
        assertThat(pipeline.stats().checkpoint()).as("the progress line shows the durable checkpoint").isEqualTo(Position.afterTransaction(Lsn.of(58)));
    }

    @Test
    void aFailureAfterTheWriteReturnedAcknowledgesNothingPastTheDurableCheckpoint() {
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0), commit(30)));
        LaggingSink sink = new LaggingSink();
        sink.failFlush = new IllegalStateException("fsync failed");
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO));
        source.onDrained = pipeline::stop;

        assertThatThrownBy(pipeline::run).hasMessage("fsync failed");
        assertThat(source.acknowledged).containsExactly(Lsn.of(18));
        assertThat(pipeline.stats().checkpoint()).as("the change at 21 is durable; its transaction is not acknowledged")
                .isEqualTo(Position.of(Lsn.of(30), 0));
    }

    @Test
    void anIdleSourceLetsTheSinkFinishItsBatchesSoTheyAreAcknowledgedWithoutANextBatch() throws Exception {
        List<SourceMessage> script = new ArrayList<>(List.of(insert(1, 10, 0), commit(10)));
        script.add(null); // a poll that times out: the source is idle
        script.add(null);
        ScriptedSource source = new ScriptedSource(script);
        LaggingSink sink = new LaggingSink();
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1, Duration.ZERO));
        source.onPoll = () -> {
            if (source.polls == 5) { // the poll after the idle one that found nothing pending, then nothing arriving
                assertThat(source.acknowledged).as("acknowledged while idle, before the stop").containsExactly(Lsn.of(18));
                pipeline.stop();
            }
        };
        pipeline.run();
        assertThat(source.acknowledged).containsExactly(Lsn.of(18));
    }

    @Test
    void aCommittedTransactionGoesOutAsSoonAsNothingMoreIsPendingNotAfterTheBatchDelay() throws Exception {
        // The next transaction is on its way but not there yet: the first is written in that gap, though the delay is
        // an hour and the batch far from full.
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), insert(2, 10, 1), commit(10),
                insert(21, 30, 0), commit(30)));
        source.gapsBefore.add(3);
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1000, Duration.ofHours(1)));
        List<Integer> writtenWhenTheNextArrived = new ArrayList<>();
        source.onPoll = () -> {
            if (source.handedOut == 3 && writtenWhenTheNextArrived.isEmpty() && !source.gapsBefore.contains(3)) {
                writtenWhenTheNextArrived.add(sink.events.size());
            }
        };
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(writtenWhenTheNextArrived).as("the first transaction was written in the gap").containsExactly(2);
        assertThat(sink.events).hasSize(3);
    }

    @Test
    void aGapInASourceStillDecodingABacklogCutsTheBatchWhenTheSinkHasNothingInFlight() throws Exception {
        // The consumer outran the decoding for an instant; the sink idles, so holding the change would only add latency.
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0), commit(30)));
        source.gapsBefore.add(2);
        source.decoding = true;
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1000, Duration.ofHours(1)));
        List<Integer> writtenWhenTheNextArrived = new ArrayList<>();
        source.onPoll = () -> {
            if (source.handedOut == 2 && writtenWhenTheNextArrived.isEmpty() && !source.gapsBefore.contains(2)) {
                writtenWhenTheNextArrived.add(sink.events.size());
            }
        };
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(writtenWhenTheNextArrived).containsExactly(1);
        assertThat(sink.events).hasSize(2);
    }

    @Test
    void aGapInASourceStillDecodingABacklogLetsTheBatchGrowWhileTheSinkIsBusy() throws Exception {
        // Group commit: the first batch is not durable yet, so the next gathers what arrives meanwhile.
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0), commit(30),
                insert(41, 50, 0), commit(50)));
        source.gapsBefore.add(2);
        source.gapsBefore.add(4);
        source.decoding = true;
        LaggingSink sink = new LaggingSink();
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1000, Duration.ofHours(1)));
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(sink.batchSizes).as("cut at the first gap (sink free), not at the second (sink busy)")
                .containsExactly(1, 2);
    }

    @Test
    void anIdleSourceHasItsCommittedChangesWrittenWithoutWaitingForTheBatchDelay() throws Exception {
        List<SourceMessage> script = new ArrayList<>(List.of(insert(1, 10, 0), commit(10), insert(21, 30, 0)));
        script.add(null); // idle: the rest of the open transaction has not arrived yet
        ScriptedSource source = new ScriptedSource(script);
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(100, Duration.ofHours(1)));
        source.onPoll = () -> {
            if (source.polls == 5) {
                assertThat(sink.events).as("written at the idle poll, not an hour later")
                        .extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1));
                pipeline.stop();
            }
        };
        pipeline.run();
        assertThat(sink.events).as("the open transaction stays held").extracting(ChangeEvent::lsn).containsExactly(Lsn.of(1));
        assertThat(source.acknowledged).containsExactly(Lsn.of(18));
    }

    @Test
    void aDiscardedOpenTransactionIsDiscardedByTheSinkOnlyIfPartOfItWasWritten() throws Exception {
        OpenTransactionDiscarded discard = new OpenTransactionDiscarded(7, "rolled back");
        ScriptedSource source = new ScriptedSource(List.of(insert(1, 10, 0), commit(10), provisional(11, 0), discard,
                provisional(21, 0), provisional(22, 1), provisional(23, 2), discard, insert(31, 40, 0), commit(40)));
        RecordingSink sink = new RecordingSink(Lsn.ZERO);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(2, Duration.ofHours(1)));
        source.onDrained = pipeline::stop;
        pipeline.run();
        assertThat(sink.discards).as("the first discard found nothing written, the second two events").containsExactly(2);
        assertThat(sink.events).extracting(ChangeEvent::lsn)
                .containsExactly(Lsn.of(1), Lsn.of(21), Lsn.of(22), Lsn.of(31));
        assertThat(source.acknowledged).containsExactly(Lsn.of(18), Lsn.of(48));
    }

    @Test
    void whatCommitsWhileTheSinkIsBusyGoesOnceTheSinkSaysItIsDoneNotWithTheNextArrival() throws Exception {
        // The source's waits end only on an arrival or a wake-up, as a replication stream's do while its server sends
        // nothing; the sink applies on a thread of its own and tells the source when a batch is done.
        WakingSource source = new WakingSource();
        CountDownLatch release = new CountDownLatch(1);
        ThreadedSink sink = new ThreadedSink(source::wakeUp, release);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(1000, Duration.ofHours(1)));
        Thread running = new Thread(() -> {
            try {
                pipeline.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        running.setDaemon(true);
        running.start();

        try {
            source.arrive(insert(1, 10, 0), commit(10));
            assertThat(sink.firstStarted.await(10, TimeUnit.SECONDS)).as("the first batch is in flight").isTrue();
            source.arrive(insert(21, 30, 0), commit(30));
            source.awaitTakenAndWaiting(4);
            release.countDown();

            sink.awaitBatches(2);
            assertThat(sink.batches).as("the second transaction, held while the sink was busy, went when it was done")
                    .containsExactly(List.of(1L), List.of(21L));
            pipeline.stop();
            // Again until it ends: a poll that does not wait may take a wake-up meant for the one after it.
            for (int i = 0; i < 100 && running.isAlive(); i++) {
                source.wakeUp();
                running.join(100);
            }
            assertThat(running.isAlive()).isFalse();
            assertThat(source.acknowledged).containsExactly(Lsn.of(18), Lsn.of(38));
        } finally {
            release.countDown();
            pipeline.stop();
            sink.close();
        }
    }

    /**
     * A source whose messages arrive from the test, and whose waiting poll ends only when one arrives or when it is
     * woken (a minute at most). It never says it has caught up: the pipeline cannot tell that nothing more is coming.
     */
    private static final class WakingSource implements ChangeSource {
        private final Deque<SourceMessage> arrived = new ArrayDeque<>();
        final List<Lsn> acknowledged = new java.util.concurrent.CopyOnWriteArrayList<>();
        private boolean woken;
        private boolean waiting;
        private int taken;

        synchronized void arrive(SourceMessage... messages) {
            arrived.addAll(List.of(messages));
            notifyAll();
        }

        /** Waits until the pipeline has taken {@code count} messages and waits for more. */
        synchronized void awaitTakenAndWaiting(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((taken < count || !waiting) && System.nanoTime() < deadline) {
                wait(100);
            }
            assertThat(taken).isEqualTo(count);
            assertThat(waiting).isTrue();
        }

        @Override
        public synchronized SourceMessage poll(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            if (!timeout.isZero()) {
                waiting = true;
                notifyAll();
                while (arrived.isEmpty() && !woken && System.nanoTime() < deadline) {
                    wait(100);
                }
                waiting = false;
            }
            woken = false;
            SourceMessage next = arrived.poll();
            if (next != null) {
                taken++;
            }
            return next;
        }

        @Override
        public synchronized void wakeUp() {
            woken = true;
            notifyAll();
        }

        @Override
        public boolean caughtUp() {
            return false;
        }

        @Override
        public void start(Position resumeAfter) {}

        @Override
        public void acknowledge(Lsn durable) {
            acknowledged.add(durable);
        }

        @Override
        public void close() {}
    }

    /** A sink that applies each batch on a {@link BatchWorker}; the first waits for {@code release}. */
    private static final class ThreadedSink implements Sink {
        final List<List<Long>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CountDownLatch firstStarted = new CountDownLatch(1);
        private final CountDownLatch release;
        private final BatchWorker worker;
        private volatile Position checkpoint = Position.START;

        ThreadedSink(BatchCompletionListener completions, CountDownLatch release) {
            this.release = release;
            this.worker = new BatchWorker("test-sink", "the test sink", this::lastCheckpoint, completions);
        }

        void awaitBatches(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (batches.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        @Override
        public Position lastCheckpoint() {
            return checkpoint;
        }

        @Override
        public void writeBatch(Batch batch) {
            worker.submit(() -> {
                firstStarted.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                batches.add(batch.events().stream().map(event -> event.lsn().value()).toList());
                checkpoint = batch.checkpoint();
            });
        }

        @Override
        public void flush() {
            worker.await();
        }

        @Override
        public void close() {
            worker.stop(Duration.ofSeconds(5), true);
        }
    }

    private static final class ScriptedSource implements ChangeSource {
        private final Deque<SourceMessage> script;
        final List<Lsn> acknowledged = new ArrayList<>();
        Position startedAfter;
        Runnable onDrained = () -> {};
        Runnable onPoll = () -> {};
        /** Message counts before which a poll that does not wait finds nothing (the source is between two arrivals). */
        final java.util.Set<Integer> gapsBefore = new java.util.HashSet<>();
        /** Whether the source says more is on its way in a gap (a backlog it is still decoding). */
        boolean decoding;
        private int handedOut;
        int polls;
        private final Deque<Boolean> idle = new ArrayDeque<>();

        ScriptedSource(List<SourceMessage> script) {
            this.script = new ArrayDeque<>();
            for (SourceMessage message : script) {
                if (message == null) {
                    idle.add(Boolean.TRUE);
                } else {
                    this.script.add(message);
                }
            }
        }

        @Override
        public void start(Position resumeAfter) {
            startedAfter = resumeAfter;
        }

        @Override
        public SourceMessage poll(Duration timeout) {
            polls++;
            onPoll.run();
            if (timeout.isZero() && gapsBefore.remove(handedOut)) {
                return null; // nothing pending this instant; the next message arrives within a waiting poll
            }
            SourceMessage next = script.poll();
            if (next != null) {
                handedOut++;
            }
            if (next == null && idle.poll() == null) {
                onDrained.run();
            }
            return next;
        }

        @Override
        public boolean caughtUp() {
            return !decoding;
        }

        @Override
        public void acknowledge(Lsn durable) {
            acknowledged.add(durable);
        }

        @Override
        public void close() {}
    }

    private static final class RecordingSink implements Sink {
        final List<ChangeEvent> events = new ArrayList<>();
        final List<Position> checkpointAtEachAck = new ArrayList<>();
        final List<Integer> discards = new ArrayList<>();
        RuntimeException failure;
        private Position checkpoint;
        private int openWritten;

        RecordingSink(Lsn checkpoint) {
            this.checkpoint = Position.afterTransaction(checkpoint);
        }

        @Override
        public Position lastCheckpoint() {
            return checkpoint;
        }

        @Override
        public void writeBatch(Batch batch) {
            if (failure != null) {
                throw failure;
            }
            events.addAll(batch.events());
            if (batch.checkpoint().isAfter(checkpoint)) {
                checkpointAtEachAck.add(batch.checkpoint());
                openWritten = 0;
            } else {
                openWritten += batch.size();
            }
            checkpoint = batch.checkpoint();
        }

        @Override
        public void discardOpenTransaction() {
            discards.add(openWritten);
            openWritten = 0;
        }

        @Override
        public void close() {}
    }

    /** Makes each batch durable only when the next is written, or at a flush. */
    private static final class LaggingSink implements Sink {
        final List<Position> durableAtEachAck = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();
        RuntimeException failFlush;
        boolean flushed;
        private Position pending = Position.START;
        private Position durable = Position.START;

        @Override
        public Position lastCheckpoint() {
            return durable;
        }

        @Override
        public void writeBatch(Batch batch) {
            makeDurable();
            batchSizes.add(batch.size());
            pending = batch.checkpoint();
        }

        @Override
        public void flush() {
            if (failFlush != null) {
                throw failFlush;
            }
            makeDurable();
            flushed = true;
        }

        private void makeDurable() {
            if (pending.isAfter(durable)) {
                durable = pending;
                durableAtEachAck.add(durable);
            }
        }

        @Override
        public void close() {}
    }
}
