package io.pgflo.sink.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PositionAndBatchTest {
    private static final Column ID = new Column("id", new ColumnType(20, "bigint", 20, 0), true);

    @Test
    void aPositionCoversEarlierTransactionsAndTheChangesUpToItsOrdinal() {
        Position inside = Position.of(Lsn.of(100), 2);
        assertThat(inside.covers(event(90, 7))).isTrue();
        assertThat(inside.covers(event(100, 2))).isTrue();
        assertThat(inside.covers(event(100, 3))).isFalse();
        assertThat(inside.covers(event(110, 0))).isFalse();
        assertThat(Position.afterTransaction(Lsn.of(100)).covers(event(99, 5000))).isTrue();
        assertThat(Position.afterTransaction(Lsn.of(100)).covers(event(100, 0)))
                .as("a commit record may start exactly where the transaction before it ended").isFalse();
        assertThat(Position.START.covers(event(1, 0))).isFalse();
    }

    @Test
    void positionsOrderByLsnThenOrdinalAndPrintAsLsnHashOrdinal() {
        assertThat(Position.of(Lsn.of(100), 2)).isLessThan(Position.of(Lsn.of(100), 3))
                .isLessThan(Position.afterTransaction(Lsn.of(108))).isLessThan(Position.of(Lsn.of(108), 0))
                .isLessThan(Position.of(Lsn.of(109), 0));
        assertThat(Position.afterTransaction(Lsn.of(100))).as("an end, then the transaction committing right there")
                .isLessThan(Position.of(Lsn.of(100), 0));
        for (ChangeEvent e : List.of(event(99, 1), event(100, 0), event(100, 3), event(108, 0))) {
            for (Position p : List.of(Position.afterTransaction(Lsn.of(100)), Position.of(Lsn.of(100), 2),
                    Position.afterTransaction(Lsn.of(108)))) {
                assertThat(p.covers(e)).as("%s covers %s", p, e.position()).isEqualTo(e.position().compareTo(p) <= 0);
            }
        }
        assertThat(Position.of(Lsn.of(0x1A), 4)).hasToString("0/1A#4");
        assertThat(Position.afterTransaction(Lsn.of(0x1A))).hasToString("0/1A");
        assertThat(event(100, 2).position()).isEqualTo(Position.of(Lsn.of(100), 2));
        assertThatThrownBy(() -> Position.of(Lsn.of(1), -1)).hasMessageContaining("ordinal");
    }

    @Test
    void aBatchSaysWhetherItEndsATransaction() {
        assertThat(Batch.of(List.of(event(100, 0), event(100, 1)), Lsn.of(108)).endsTransaction()).isTrue();
        assertThat(Batch.of(List.of(event(100, 0), event(200, 0)), Lsn.of(108)).endsTransaction())
                .as("cut inside the transaction at 200").isFalse();
        assertThat(Batch.of(List.of(), Lsn.of(108)).endsTransaction()).isTrue();
        assertThat(Batch.of(List.of(event(200, 0), event(200, 1)), Position.of(Lsn.of(200), 1)).endsTransaction())
                .as("checkpointed at its last change, inside the transaction").isFalse();
    }

    @Test
    void positionsReadBackWhatTheyPrintAndRefuseAnythingElse() {
        assertThat(Position.parse("0/1A#4")).isEqualTo(Position.of(Lsn.of(0x1A), 4));
        assertThat(Position.parse("0/1A")).isEqualTo(Position.afterTransaction(Lsn.of(0x1A)));
        assertThat(Position.parse("0/0")).isSameAs(Position.START);
        for (String bad : List.of("0/1A#", "0/1A#-1", "0/1A#x", "0/1A#01", "0/1A#2147483647", "1A#3", "")) {
            assertThatThrownBy(() -> Position.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void onlyAPositionAfterAWholeTransactionMayBeAcknowledgedToTheSource() {
        assertThat(Position.afterTransaction(Lsn.of(300)).acknowledgeable(Lsn.of(108))).isEqualTo(Lsn.of(300));
        assertThat(Position.of(Lsn.of(200), 7).acknowledgeable(Lsn.of(108))).isEqualTo(Lsn.of(108));
    }

    @Test
    void columnValuesReadAsTypedValuesOrSayWhyNot() {
        assertThat(ColumnValue.text(ID, "42").asLong()).isEqualTo(42);
        assertThat(ColumnValue.utf8(ID, "7".getBytes()).asBigDecimal()).isEqualByComparingTo("7");
        assertThat(ColumnValue.text(ID, "1.5e3").asDouble()).isEqualTo(1500.0);
        assertThat(ColumnValue.text(ID, "t").asBoolean()).isTrue();
        assertThat(ColumnValue.text(ID, "f").asBoolean()).isFalse();
        assertThatThrownBy(() -> ColumnValue.sqlNull(ID).asLong()).hasMessage("column id has no value to read as a whole "
                + "number: it is NULL");
        assertThatThrownBy(() -> ColumnValue.unchangedToastOf(ID).asBoolean()).hasMessageContaining("unchanged TOAST");
        assertThatThrownBy(() -> ColumnValue.text(ID, "x").asLong()).hasMessage("column id (bigint) is not a whole "
                + "number: 'x'");
    }

    private static ChangeEvent event(long commitLsn, int ordinal) {
        Row row = new Row(List.of(ColumnValue.text(ID, "1")));
        return new ChangeEvent() {
            public Operation operation() { return Operation.INSERT; }
            public String schema() { return "public"; }
            public String table() { return "t"; }
            public Lsn lsn() { return Lsn.of(commitLsn - 1); }
            public Lsn commitLsn() { return Lsn.of(commitLsn); }
            public long xid() { return 1; }
            public Instant commitTime() { return Instant.EPOCH; }
            public int ordinal() { return ordinal; }
            public List<String> keyColumns() { return List.of("id"); }
            public Row newRow() { return row; }
            public Row oldRow() { return null; }
            public String ddl() { return null; }
            public long valueBytes() { return 1; }
        };
    }
}
