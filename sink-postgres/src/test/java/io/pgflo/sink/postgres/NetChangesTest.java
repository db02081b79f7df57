package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.RowChange.Kind;
import io.pgflo.sink.postgres.RowChange.Shape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NetChangesTest {
    private static final TableName TABLE = new TableName("public", "t");
    private static final Shape UPSERT = shape(Kind.UPSERT, List.of("id", "a", "b"));
    private static final Shape DELETE = shape(Kind.DELETE, List.of());

    @Test
    void keepsTheLastFullRowWithLaterPartialUpdatesLaidOverIt() {
        NetChanges net = new NetChanges();
        net.add(upsert("1", "a1", "b1", true));
        net.add(update("1", List.of("b"), List.of("b2")));
        net.add(update("1", List.of("a"), List.of("a3")));
        List<List<RowChange>> runs = net.drain();
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(run).singleElement().satisfies(change -> {
                assertThat(change.kind()).isEqualTo(Kind.UPSERT);
                assertThat(change.values()).containsExactly("1", "a3", "b2");
                assertThat(change.fresh()).isTrue();
            });
        });
        assertThat(net.isEmpty()).isTrue();
    }

    @Test
    void unitesPartialUpdatesOfARowItHasNotSeenWhole() {
        NetChanges net = new NetChanges();
        net.add(update("1", List.of("a"), List.of("a1")));
        net.add(update("1", List.of("b", "a"), List.of("b2", "a2")));
        RowChange change = net.drain().get(0).get(0);
        assertThat(change.kind()).isEqualTo(Kind.UPDATE);
        assertThat(change.shape().columns()).containsExactly("a", "b");
        assertThat(change.values()).containsExactly("a2", "b2");
    }

    @Test
    void twoTouchesOfARowStayATouchThatSetsItsCarriedColumnToItself() {
        Shape touch = new Shape(Kind.UPDATE, TABLE, List.of(), List.of(), List.of("id"), List.of("integer"),
                List.of("body"), List.of(true));
        NetChanges net = new NetChanges();
        net.add(new RowChange(touch, event(), List.of(), List.of("1"), false));
        net.add(new RowChange(touch, event(), List.of(), List.of("1"), false));
        RowChange change = net.drain().get(0).get(0);
        assertThat(change.shape().columns()).isEmpty();
        assertThat(change.shape().carried()).containsExactly("body");
        assertThat(StatementSql.update(change.shape())).isEqualTo("UPDATE \"public\".\"t\" AS t SET \"body\" = t.\"body\" FROM unnest(?::text[]) AS v(p1) "
                + "WHERE t.\"id\" = CAST(v.p1 AS integer)");

        net.add(new RowChange(touch, event(), List.of(), List.of("1"), false));
        net.add(update("1", List.of("a"), List.of("a2")));
        RowChange then = net.drain().get(0).get(0);
        assertThat(then.shape().columns()).containsExactly("a");
        assertThat(StatementSql.update(then.shape())).startsWith("UPDATE \"public\".\"t\" AS t SET \"a\" = CAST(v.p1 AS text) FROM");
    }

    @Test
    void aRowDeletedAndInsertedAgainIsUpsertedAndNotFresh() {
        NetChanges net = new NetChanges();
        net.add(delete("1"));
        net.add(upsert("1", "a", "b", true));
        net.add(upsert("2", "a", "b", true));
        net.add(delete("3"));
        List<List<RowChange>> runs = net.drain();
        assertThat(runs).extracting(run -> run.get(0).kind() + ":" + run.get(0).fresh() + ":" + run.size())
                .containsExactly("DELETE:false:1", "UPSERT:true:1", "UPSERT:false:1");
        assertThat(runs.get(2).get(0).keyValues()).containsExactly("1");
    }

    @Test
    void refusesWhatItCannotMerge() {
        NetChanges net = new NetChanges();
        net.add(delete("1"));
        assertThat(net.accepts(update("1", List.of("a"), List.of("x")))).as("update of a deleted row").isFalse();
        assertThat(net.accepts(update("2", List.of("a"), List.of("x")))).isTrue();
        RowChange otherKey = new RowChange(new Shape(Kind.DELETE, TABLE, List.of(), List.of(), List.of("a"),
                List.of("text"), List.of(), List.of(true)), event(), List.of(), List.of("x"), false);
        assertThat(net.accepts(otherKey)).as("another key").isFalse();
        RowChange matched = new RowChange(shape(Kind.MATCHED_DELETE, List.of()), event(), List.of(), List.of("1"), false);
        assertThat(net.accepts(matched)).isFalse();
    }

    @Test
    void refusesAnUpdateOfColumnsTheEarlierChangeDescribedOtherwise() {
        // The table changed between the two without a DDL event: applied in order, not merged (merging threw).
        NetChanges net = new NetChanges();
        net.add(upsert("1", "a1", "b1", true));
        assertThat(net.accepts(update("1", List.of("c"), List.of("x")))).as("a column the full row lacks").isFalse();
        assertThat(net.accepts(update("1", List.of("b"), List.of("x")))).isTrue();
        net.add(update("2", List.of("a"), List.of("x")));
        RowChange retyped = new RowChange(new Shape(Kind.UPDATE, TABLE, List.of("a"), List.of("integer"), List.of("id"),
                List.of("integer"), List.of(), List.of(true)), event(), List.of("7"), List.of("2"), false);
        assertThat(net.accepts(retyped)).as("a column cast to another type").isFalse();
        assertThat(net.accepts(update("2", List.of("c"), List.of("y")))).as("updates unite their columns").isTrue();
    }

    private static RowChange upsert(String id, String a, String b, boolean fresh) {
        return new RowChange(UPSERT, event(), List.of(id, a, b), List.of(id), fresh);
    }

    private static RowChange update(String id, List<String> columns, List<String> values) {
        return new RowChange(shape(Kind.UPDATE, columns), event(), values, List.of(id), false);
    }

    private static RowChange delete(String id) {
        return new RowChange(DELETE, event(), List.of(), List.of(id), false);
    }

    private static Shape shape(Kind kind, List<String> columns) {
        return new Shape(kind, TABLE, columns, columns.stream().map(c -> "text").toList(), List.of("id"), List.of("integer"),
                List.of(), List.of(true));
    }

    private static SourceChange event() {
        return new SourceChange(Operation.DELETE, "public", "t", Lsn.of(1), Lsn.of(1), 1, Instant.EPOCH, 0, List.of("id"),
                null, new io.pgflo.sink.api.Row(List.of()), null);
    }
}
