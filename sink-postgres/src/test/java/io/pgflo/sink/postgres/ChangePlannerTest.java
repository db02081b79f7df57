package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.postgres.RowChange.Kind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans that need no target lookup: the event names its key (no connection is used for them). */
class ChangePlannerTest {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);
    private static final Column TITLE = new Column("title", new ColumnType(25, "text", 25, 0), false);
    private static final Column BODY = new Column("body", new ColumnType(25, "text", 25, 0), false);

    @Test
    void aTouchThatSendsOnlyTheKeySetsAnUnchangedColumnToItselfAndNeverTheKey() throws Exception {
        // UPDATE docs SET body = body: the key, and the large value as unchanged TOAST. The key may be an identity
        // column GENERATED ALWAYS, which no UPDATE may set, not even to itself.
        RowChange touch = plan(new Row(List.of(ColumnValue.text(ID, "1"), ColumnValue.unchangedToastOf(BODY))));
        assertThat(touch.kind()).isEqualTo(Kind.UPDATE);
        assertThat(touch.shape().columns()).isEmpty();
        assertThat(touch.shape().carried()).containsExactly("body");
        assertThat(StatementSql.update(touch.shape()))
                .startsWith("UPDATE \"public\".\"docs\" AS t SET \"body\" = t.\"body\" FROM unnest(?::text[]) AS v(p1)");
    }

    @Test
    void anUpdateWithSomethingToSetSetsOnlyThatAndCarriesNothing() throws Exception {
        RowChange update = plan(new Row(List.of(ColumnValue.text(ID, "1"), ColumnValue.text(TITLE, "new"),
                ColumnValue.unchangedToastOf(BODY))));
        assertThat(update.kind()).isEqualTo(Kind.UPDATE);
        assertThat(update.shape().columns()).containsExactly("title");
        assertThat(update.shape().carried()).isEmpty();
        assertThat(update.values()).containsExactly("new");
    }

    private static RowChange plan(Row newRow) throws Exception {
        ChangeEvent event = new SourceChange(Operation.UPDATE, "public", "docs", Lsn.of(1), Lsn.of(2), 7, Instant.EPOCH, 0,
                List.of("id"), newRow, null, null);
        List<RowChange> planned = new ChangePlanner(new TargetKeys()).plan(null, event);
        assertThat(planned).hasSize(1);
        return planned.get(0);
    }
}
