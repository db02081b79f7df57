package io.pgflo.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BackfillMergerTest {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);
    private static final TableName T = new TableName("public", "t");
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");
    /** Saw every transaction before 250 but 180 and 210, which ran. */
    private static final XidSnapshot SNAPSHOT = new XidSnapshot(180, 250, Set.of(180L, 210L));

    @Test
    void aRowChangedByATransactionTheChunksQueryDidNotSeeIsLeftToTheStream() {
        BackfillMerger merger = new BackfillMerger();
        merger.track(T);
        merger.observe(change(Operation.UPDATE, 2, 150)); // seen by the query: the chunk has it
        merger.observe(change(Operation.UPDATE, 3, 300)); // after the query
        merger.observe(change(Operation.DELETE, 4, 210)); // running while the query ran
        merger.observe(change(Operation.UPDATE, 5, 180)); // committed before, visible only after
        CompletableFuture<Position> emitted = merger.offer("n:1:0", chunk(true, 1, 2, 3, 4, 5, 6));

        List<SourceChange> rows = merger.arrived(new Watermark("n:1:0", 77, Lsn.of(0x900), AT, 0));

        assertThat(rows).extracting(row -> row.newRow() == null ? row.operation().name() : row.newRow().text("id"))
                .containsExactly("1", "2", "6", "COPY_DONE");
        assertThat(rows).extracting(ChangeEvent::ordinal).containsExactly(0, 1, 2, 3);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.commitLsn()).isEqualTo(Lsn.of(0x900));
            assertThat(row.commitTime()).isEqualTo(AT);
        });
        assertThat(emitted).isCompletedWithValue(Position.of(Lsn.of(0x900), 3));
        assertThat(merger.noted(T)).as("what every later query sees is forgotten").isEqualTo(3);
    }

    @Test
    void aWatermarkNobodyWaitsForAddsNothingAndChangesToUntrackedTablesAreNotNoted() {
        BackfillMerger merger = new BackfillMerger();
        merger.observe(change(Operation.INSERT, 1, 300));
        assertThat(merger.noted(T)).isZero();
        merger.track(T);
        merger.offer("n:1:0", chunk(false, 1));
        assertThat(merger.arrived(new Watermark("someone-else", 1, Lsn.of(5), AT, 0))).isEmpty();
        assertThat(merger.arrived(new Watermark("n:1:0", 1, Lsn.of(9), AT, 2))).singleElement()
                .satisfies(row -> assertThat(row.ordinal()).isEqualTo(2));
        assertThat(merger.arrived(new Watermark("n:1:0", 1, Lsn.of(9), AT, 2))).as("once only").isEmpty();
    }

    @Test
    void snapshotsReadAsPostgresPrintsThemAndCompareIdsModulo2To32() {
        XidSnapshot parsed = XidSnapshot.parse("4294967396:4294967400:4294967397");
        assertThat(parsed.sees(100)).as("xid 100 of epoch 1").isTrue();
        assertThat(parsed.sees(101)).as("running").isFalse();
        assertThat(parsed.sees(102)).isTrue();
        assertThat(parsed.sees(104)).as("at xmax").isFalse();
        assertThat(new XidSnapshot(10, 20, Set.of()).sees(0xFFFFFFF0L)).as("before the wrap").isTrue();
    }

    private static SourceChange change(Operation operation, int id, long xid) {
        Row row = row(id);
        return new SourceChange(operation, "public", "t", Lsn.of(1), Lsn.of(2), xid, AT, 0, List.of("id"),
                operation == Operation.DELETE ? null : row, operation == Operation.DELETE ? row : null, null);
    }

    private static BackfillChunk chunk(boolean last, int... ids) {
        List<SourceChange> rows = new java.util.ArrayList<>();
        for (int id : ids) {
            rows.add(new SourceChange(Operation.READ, "public", "t", Lsn.ZERO, Lsn.ZERO, 0, Instant.EPOCH, 0,
                    List.of("id"), row(id), null, null));
        }
        return new BackfillChunk(T, rows, SNAPSHOT, List.of(Integer.toString(ids[ids.length - 1])), last);
    }

    private static Row row(int id) {
        return new Row(List.of(ColumnValue.text(ID, Integer.toString(id))));
    }
}
