package io.pgflo.wal;

import static io.pgflo.wal.PgOutputBytes.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.Position;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * The reader thread's failures reach the pipeline. The stream here is the driver's interface with reads that fail as
 * told: what is under test is the hand-over between the two threads, not the protocol (PostgresChangeSourceIT).
 */
class StreamReaderTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void anErrorOnTheReaderThreadIsThrownByPollInsteadOfLookingLikeAnIdleSource() {
        StreamReader reader = started(() -> {
            throw new OutOfMemoryError("Java heap space (test)");
        });

        assertThatThrownBy(() -> pollUntilFailure(reader))
                .isInstanceOf(SourceException.class)
                .hasMessageContaining("replication stream from slot s stopped")
                .hasMessageContaining("Java heap space (test)")
                .hasCauseInstanceOf(OutOfMemoryError.class);
    }

    @Test
    void anExceptionOnTheReaderThreadIsThrownByPoll() {
        StreamReader reader = started(() -> {
            throw new IllegalStateException("decoder gave up (test)");
        });

        assertThatThrownBy(() -> pollUntilFailure(reader))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("decoder gave up (test)");
    }

    @Test
    void aQuietStreamIsNoFailure() throws Exception {
        StreamReader reader = started(() -> null);

        assertThat(reader.poll(Duration.ofMillis(200))).isNull();
        assertThat(reader.stop()).isTrue();
    }

    @Test
    void rowsOfLargeValuesFillTheQueueUpToItsBytesNotItsNumberOfMessages() throws Exception {
        // One transaction of rows with a 1 MB value each, and a pipeline that takes nothing.
        byte[] document = new byte[1 << 20];
        java.util.Arrays.fill(document, (byte) 'x');
        AtomicInteger reads = new AtomicInteger();
        StreamReader reader = started(() -> {
            int read = reads.getAndIncrement();
            if (read == 0) {
                return message('B').i64(1L << 40).i64(0).i32(7).buffer();
            }
            if (read == 1) {
                return message('R').i32(1).string("public").string("docs").i8('d').i16(1)
                        .i8(1).string("doc").i32(25).i32(-1).buffer();
            }
            return message('I').i32(1).i8('N').i16(1).i8('t').i32(document.length).bytes(document).buffer();
        });
        int before;
        do {
            before = reads.get();
            Thread.sleep(300);
        } while (reads.get() != before);

        // Up to the queue's bytes, a chunk being filled (which goes out at 4 MB), and the row that was read last.
        long bound = (StreamReader.MAX_QUEUED_BYTES + StreamReader.CHUNK_BYTES) / document.length + 1;
        assertThat(reads.get() - 2L).as("rows read while nothing was taken").isBetween(bound - 4, bound + 2);
        int taken = 0;
        while (reader.poll(Duration.ofSeconds(1)) != null && taken < 100) {
            taken++;
        }
        assertThat(taken).as("taking them lets the reader go on").isGreaterThan((int) bound);
        assertThat(reader.stop()).isTrue();
    }

    @Test
    void aWaitingPipelineGetsACommitAtOnceAndIsWokenWhenTheStreamFallsSilent() throws Exception {
        Server server = Server.of(1, 0);
        StreamReader reader = sending(server, Duration.ofMillis(1));

        long start = System.nanoTime();
        SourceMessage change = reader.poll(WAIT);
        SourceMessage commit = reader.poll(Duration.ZERO);

        assertThat(change).as("the transaction before the next read ends").isInstanceOf(SourceChange.class);
        assertThat(commit).isInstanceOf(TransactionCommit.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT);
        assertThat(reader.caughtUp()).as("the server may still be sending").isFalse();

        release(server.silent());
        start = System.nanoTime();
        assertThat(reader.poll(WAIT)).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken, not timed out").isLessThan(WAIT);
        assertThat(reader.caughtUp()).isTrue();
        assertThat(reader.stop()).isTrue();
    }

    @Test
    void transactionsReadBackToBackWaitForTheChunkOrTheSilence() throws Exception {
        Server server = Server.of(3, 0);
        StreamReader reader = sending(server, Duration.ofMinutes(1));

        // The first came after a silence (the start), so it goes at once; the two after it came back to back.
        assertThat(reader.poll(WAIT)).isInstanceOf(SourceChange.class);
        assertThat(reader.poll(Duration.ZERO)).isInstanceOf(TransactionCommit.class);
        assertThat(reader.poll(Duration.ofMillis(300))).as("held while the server may still be sending").isNull();

        release(server.silent());
        assertThat(pollKinds(reader, 4))
                .containsExactly("SourceChange", "TransactionCommit", "SourceChange", "TransactionCommit");
        assertThat(reader.caughtUp()).isTrue();
        assertThat(reader.stop()).isTrue();
    }

    @Test
    void aSteadyStreamWithoutSilentReadsStillReachesAWaitingPipelineWithinTheChunkWait() throws Exception {
        // Each commit read 200 ms after its transaction began: longer than the chunk wait, never a silent read.
        assertEachOfThreeReachesAWaitingPipelineBeforeTheSilentRead(Server.of(3, 200), Duration.ofMillis(100));
    }

    @Test
    void liveTransactionsReadBackToBackEachReachAWaitingPipelineAtOnce() throws Exception {
        // Each commit read 200 ms after its transaction began, never a silent read, and a chunk wait of a minute: only
        // the commits' being live (stamped as they are read, as a server sends what just committed) lets them go.
        // Without that, each would wait for a silent read, which pgjdbc's makes wait a millisecond for data.
        assertEachOfThreeReachesAWaitingPipelineBeforeTheSilentRead(Server.live(3, 200), Duration.ofMinutes(1));
    }

    /** Takes the server's three transactions, each waited for in a poll, before the stream falls silent. */
    private static void assertEachOfThreeReachesAWaitingPipelineBeforeTheSilentRead(Server server, Duration chunkWait)
            throws Exception {
        StreamReader reader = sending(server, chunkWait);

        assertThat(pollKinds(reader, 6)).containsExactly("SourceChange", "TransactionCommit", "SourceChange",
                "TransactionCommit", "SourceChange", "TransactionCommit");
        assertThat(reader.caughtUp()).as("the silent read has not come yet").isFalse();
        server.silent().countDown();
        assertThat(reader.stop()).isTrue();
    }

    @Test
    void aWakeUpWhileTheStreamIsLiveEndsTheWaitingPollAndOneBeforeItTheNextWait() throws Exception {
        Server server = Server.live(1, 0); // then silent: the read after the commit waits for ever
        StreamReader reader = sending(server, Duration.ofMinutes(1));
        assertThat(pollKinds(reader, 2)).containsExactly("SourceChange", "TransactionCommit");

        inAMoment(reader::wakeUp);
        long start = System.nanoTime();
        assertThat(reader.poll(Duration.ofMinutes(1))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("woken, not timed out").isLessThan(WAIT);

        reader.wakeUp();
        start = System.nanoTime();
        assertThat(reader.poll(Duration.ofMinutes(1))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not lost while nobody waited").isLessThan(WAIT);
        server.silent().countDown();
        assertThat(reader.stop()).isTrue();
    }

    @Test
    void aWakeUpInABacklogIsIgnoredSoTheBatchesGrowWhileTheSinkIsBusy() throws Exception {
        Server server = Server.of(1, 0); // committed long ago, then silent
        StreamReader reader = sending(server, Duration.ofMinutes(1));
        assertThat(pollKinds(reader, 2)).containsExactly("SourceChange", "TransactionCommit");

        reader.wakeUp();
        long start = System.nanoTime();
        assertThat(reader.poll(Duration.ofMillis(500))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("waited for a chunk until its timeout")
                .isGreaterThanOrEqualTo(Duration.ofMillis(450));
        server.silent().countDown();
        assertThat(reader.stop()).isTrue();
    }

    /** A server that sends its transactions once {@code sent} opens, and finds nothing more once {@code silent} does. */
    private record Server(CountDownLatch sent, CountDownLatch silent, Supplier<ByteBuffer> reads) {
        /** Transactions committed long ago (the commit time is zero), as a backlog's. */
        static Server of(int transactions, long commitAfterMillis) {
            CountDownLatch sent = new CountDownLatch(1);
            CountDownLatch silent = new CountDownLatch(1);
            return new Server(sent, silent, transactions(transactions, sent, silent, commitAfterMillis, false));
        }

        /** Transactions whose commits are stamped as they are read. */
        static Server live(int transactions, long commitAfterMillis) {
            CountDownLatch sent = new CountDownLatch(1);
            CountDownLatch silent = new CountDownLatch(1);
            return new Server(sent, silent, transactions(transactions, sent, silent, commitAfterMillis, true));
        }
    }

    /** A reader of {@code server}, which starts sending 300 ms from now: the test waits in a poll by then. */
    private static StreamReader sending(Server server, Duration chunkWait) {
        StreamReader reader = started(server.reads(), chunkWait);
        release(server.sent());
        return reader;
    }

    /** The kinds of the next {@code count} messages, each waited for up to {@link #WAIT} ("null" for none). */
    private static List<String> pollKinds(StreamReader reader, int count) throws InterruptedException {
        List<String> kinds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SourceMessage message = reader.poll(WAIT);
            kinds.add(message == null ? "null" : message.getClass().getSimpleName());
        }
        return kinds;
    }

    /**
     * A stream of {@code count} one-row transactions read back to back, the first once {@code sent} opens, each commit
     * {@code commitAfterMillis} after its row and committed at the start of 2000 or, {@code live}, as it is read; then
     * a read that waits for {@code silent} and finds nothing, as pgjdbc's does when the server has nothing more.
     */
    private static Supplier<ByteBuffer> transactions(int count, CountDownLatch sent, CountDownLatch silent,
            long commitAfterMillis, boolean live) {
        List<Supplier<ByteBuffer>> script = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            long lsn = 100L * i;
            int xid = i;
            script.add(() -> message('B').i64(lsn).i64(0).i32(xid).buffer());
            if (i == 1) {
                script.add(() -> message('R').i32(1).string("public").string("t").i8('d').i16(1).i8(1).string("id")
                        .i32(23).i32(-1).buffer());
            }
            script.add(() -> message('I').i32(1).i8('N').i16(1).text(Integer.toString(xid)).buffer());
            script.add(() -> {
                sleep(commitAfterMillis);
                // pgoutput's commit time: microseconds since 2000-01-01 UTC.
                return message('C').i8(0).i64(lsn).i64(lsn + 8)
                        .i64(live ? (System.currentTimeMillis() - 946_684_800_000L) * 1000 : 0).buffer();
            });
        }
        AtomicInteger reads = new AtomicInteger();
        return () -> {
            int read = reads.getAndIncrement();
            if (read == 0) {
                await(sent);
            }
            if (read < script.size()) {
                return script.get(read).get();
            }
            await(silent);
            return null;
        };
    }

    /** Opens {@code latch} in a moment ({@link #inAMoment}). */
    private static void release(CountDownLatch latch) {
        inAMoment(latch::countDown);
    }

    /** Runs {@code action} 300 ms from now, on another thread: the test is waiting in a poll by then. */
    private static void inAMoment(Runnable action) {
        Thread later = new Thread(() -> {
            sleep(300);
            action.run();
        });
        later.setDaemon(true);
        later.start();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(WAIT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static StreamReader started(Supplier<ByteBuffer> reads) {
        return started(reads, Duration.ofMillis(1));
    }

    private static StreamReader started(Supplier<ByteBuffer> reads, Duration chunkWait) {
        // A commit counts as live within a minute of the clock, so a busy machine's pauses cannot make a live one old;
        // the old ones here are from 2000.
        StreamReader reader = new StreamReader(new ScriptedStream(reads),
                new ChangeEventAssembler(oid -> ColumnType.ofOid(oid, "t" + oid)), "replication stream from slot s",
                Duration.ofSeconds(10), chunkWait, Duration.ofMinutes(1));
        reader.start();
        reader.release(Position.START);
        return reader;
    }

    /** Polls until the reader's failure is thrown; fails the test if it never is. */
    private static void pollUntilFailure(StreamReader reader) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(50));
        }
        throw new AssertionError("poll kept returning nothing for " + WAIT + ": the reader's failure was lost");
    }

    /** The driver's stream, reading what {@code reads} gives (or throws); no status is sent anywhere. */
    private static final class ScriptedStream implements PGReplicationStream {
        private final Supplier<ByteBuffer> reads;

        ScriptedStream(Supplier<ByteBuffer> reads) {
            this.reads = reads;
        }

        @Override
        public ByteBuffer read() {
            return reads.get();
        }

        @Override
        public ByteBuffer readPending() {
            return reads.get();
        }

        @Override
        public LogSequenceNumber getLastReceiveLSN() {
            return LogSequenceNumber.INVALID_LSN;
        }

        @Override
        public LogSequenceNumber getLastFlushedLSN() {
            return LogSequenceNumber.INVALID_LSN;
        }

        @Override
        public LogSequenceNumber getLastAppliedLSN() {
            return LogSequenceNumber.INVALID_LSN;
        }

        @Override
        public void setFlushedLSN(LogSequenceNumber lsn) {}

        @Override
        public void setAppliedLSN(LogSequenceNumber lsn) {}

        @Override
        public void forceUpdateStatus() {}

        @Override
        public boolean isClosed() {
            return false;
        }

        @Override
        public void close() {}
    }
}
