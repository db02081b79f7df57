package io.pgflo.bench.jmh;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.json.EventJsonEncoder;
import io.pgflo.json.JsonLinesWriter;
import io.pgflo.wal.PgOutputDecoder;
import io.pgflo.wal.PgOutputMessage.Insert;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JSON encoding of the benchmark table's INSERT events (6 columns: bigint, text, numeric, timestamptz, jsonb,
 * boolean; about 430 bytes of JSON each): per event as a byte array (webhook per-event mode), as JSON lines into a
 * stream (stdout and file sinks), as arrays of 500 (webhook batch mode), and the whole CPU path of one event from
 * pgoutput bytes to a JSON line. Operations per second are events per second on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventJsonBenchmark {
    private static final int DISTINCT_EVENTS = 1024;
    private static final int BATCH = 500;

    private final EventJsonEncoder encoder = new EventJsonEncoder();
    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private ChangeEvent[] events;
    private byte[][] inserts;
    private List<ChangeEvent> batch;
    private JsonLinesWriter lines;
    private int next;

    /** Counts and drops bytes, like a pipe to /dev/null without the system call. */
    static final class DiscardingStream extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }

    @Setup
    public void setUp() {
        events = new ChangeEvent[DISTINCT_EVENTS];
        inserts = new byte[DISTINCT_EVENTS][];
        for (int i = 0; i < DISTINCT_EVENTS; i++) {
            events[i] = SampleRows.insertEvent(1_000_000 + i);
            inserts[i] = PgOutputMessages.insert(SampleRows.RELATION_OID, SampleRows.texts(1_000_000 + i));
        }
        batch = List.of(events).subList(0, BATCH);
    }

    @Setup(Level.Iteration)
    public void openWriter() {
        lines = new JsonLinesWriter(new DiscardingStream());
    }

    @TearDown(Level.Iteration)
    public void closeWriter() throws IOException {
        lines.close();
    }

    private int nextIndex() {
        next = (next + 1) & (DISTINCT_EVENTS - 1);
        return next;
    }

    @Benchmark
    public byte[] encodeEvent() {
        return encoder.encode(events[nextIndex()]);
    }

    @Benchmark
    public void writeJsonLine() throws IOException {
        lines.write(events[nextIndex()]);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] encodeArrayOf500() {
        return encoder.encodeArray(batch);
    }

    /** pgoutput bytes to a JSON line: decode, build the event, encode. The engine's CPU cost per event. */
    @Benchmark
    public void decodeAndWriteJsonLine(Blackhole blackhole) throws IOException {
        Insert insert = (Insert) decoder.decode(ByteBuffer.wrap(inserts[nextIndex()]));
        ChangeEvent event = PgOutputDecodeBenchmark.event(insert.newTuple());
        lines.write(event);
        blackhole.consume(event);
    }
}
