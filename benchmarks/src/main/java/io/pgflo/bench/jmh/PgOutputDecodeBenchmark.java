package io.pgflo.bench.jmh;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.wal.PgOutputDecoder;
import io.pgflo.wal.PgOutputMessage.Insert;
import io.pgflo.wal.PgOutputMessage;
import io.pgflo.wal.TupleData;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * pgoutput decoding, one message per operation: an INSERT of the benchmark table's 6 columns (about 230 bytes),
 * an UPDATE, and the INSERT decoded and turned into a {@link ChangeEvent} the way {@code ChangeEventAssembler} does
 * (which is package-private, so the few lines of its row building are mirrored here). Operations per second are
 * messages (events) per second on one core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PgOutputDecodeBenchmark {
    private static final int DISTINCT_ROWS = 1024;

    private final PgOutputDecoder decoder = new PgOutputDecoder();
    private byte[][] inserts;
    private byte[][] updates;
    private byte[] begin;
    private int next;

    @Setup
    public void setUp() {
        inserts = new byte[DISTINCT_ROWS][];
        updates = new byte[DISTINCT_ROWS][];
        for (int i = 0; i < DISTINCT_ROWS; i++) {
            inserts[i] = PgOutputMessages.insert(SampleRows.RELATION_OID, SampleRows.texts(1_000_000 + i));
            updates[i] = PgOutputMessages.update(SampleRows.RELATION_OID, SampleRows.texts(2_000_000 + i));
        }
        begin = PgOutputMessages.begin(0x3_0000_0000L, 817_214_400_123_456L, 4242);
    }

    private int nextIndex() {
        next = (next + 1) & (DISTINCT_ROWS - 1);
        return next;
    }

    @Benchmark
    public PgOutputMessage decodeInsert() {
        return decoder.decode(ByteBuffer.wrap(inserts[nextIndex()]));
    }

    @Benchmark
    public PgOutputMessage decodeUpdate() {
        return decoder.decode(ByteBuffer.wrap(updates[nextIndex()]));
    }

    @Benchmark
    public PgOutputMessage decodeBegin() {
        return decoder.decode(ByteBuffer.wrap(begin));
    }

    @Benchmark
    public ChangeEvent decodeInsertToEvent() {
        Insert insert = (Insert) decoder.decode(ByteBuffer.wrap(inserts[nextIndex()]));
        return event(insert.newTuple());
    }

    /** What the assembler does per INSERT: one {@link ColumnValue} per column, a {@link Row}, a {@link ChangeEvent}. */
    static SourceChange event(TupleData tuple) {
        List<Column> columns = SampleRows.COLUMNS;
        ColumnValue[] values = new ColumnValue[tuple.size()];
        for (int i = 0; i < values.length; i++) {
            Column column = columns.get(i);
            values[i] = switch (tuple.kind(i)) {
                case TupleData.NULL -> ColumnValue.sqlNull(column);
                case TupleData.UNCHANGED_TOAST -> ColumnValue.unchangedToastOf(column);
                default -> ColumnValue.utf8(column, tuple.utf8(i));
            };
        }
        return new SourceChange(Operation.INSERT, SampleRows.SCHEMA, SampleRows.TABLE, Lsn.of(0x3_0000_0100L),
                Lsn.of(0x3_0000_0000L), 4242, COMMIT_TIME, 0, SampleRows.KEY, new Row(List.of(values)), null, null);
    }

    private static final Instant COMMIT_TIME = Instant.parse("2026-11-24T12:00:00.123456Z");
}
