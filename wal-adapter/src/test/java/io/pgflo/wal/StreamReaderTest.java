package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.ColumnType;
import io.pgflo.domain.Lsn;
import java.nio.ByteBuffer;
import java.time.Duration;
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

    private static StreamReader started(Supplier<ByteBuffer> reads) {
        StreamReader reader = new StreamReader(new ScriptedStream(reads),
                new ChangeEventAssembler(oid -> ColumnType.ofOid(oid, "t" + oid)), "replication stream from slot s",
                Duration.ofSeconds(10));
        reader.start();
        reader.release(Lsn.ZERO);
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
