package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which tables' DDL the replayer takes, across commits, rollbacks and a COMMIT whose answer never came. */
class DdlReplayerTest {
    private static final List<TableName> TABLES = List.of(new TableName("public", "t"));

    @Test
    void aTableSeenInARolledBackTransactionIsForgotten() {
        DdlReplayer ddl = new DdlReplayer(true, TABLES);
        ddl.noteTable(rowOf("u"));
        assertThat(ddl.accepts(ddlOn("u"))).isTrue();
        ddl.rolledBack();
        assertThat(ddl.accepts(ddlOn("u"))).isFalse();
        assertThat(ddl.accepts(ddlOn("t"))).isTrue();
    }

    @Test
    void aTableSeenInACommitThatWentThroughDespiteTheBrokenConnectionIsKept() {
        // A rename of t to u, say, in a batch whose COMMIT reached the target while the connection broke: the sink
        // rolls back, reconnects, finds the checkpoint ahead and skips the batch on its retry.
        DdlReplayer ddl = new DdlReplayer(true, TABLES);
        ddl.noteTable(rowOf("u"));
        ddl.committing();
        ddl.rolledBack();
        ddl.inDoubtCommit(true);
        assertThat(ddl.accepts(ddlOn("u"))).as("later DDL on the new name").isTrue();
        ddl.rolledBack();
        assertThat(ddl.accepts(ddlOn("u"))).as("a fact now, kept by later rollbacks").isTrue();
    }

    @Test
    void aCommitThatDidNotTakeEffectLeavesTheTablesAsBefore() {
        DdlReplayer ddl = new DdlReplayer(true, TABLES);
        ddl.noteTable(rowOf("u"));
        ddl.committing();
        ddl.rolledBack();
        ddl.inDoubtCommit(false);
        assertThat(ddl.accepts(ddlOn("u"))).isFalse();
        ddl.inDoubtCommit(true); // no commit in doubt any more
        assertThat(ddl.accepts(ddlOn("u"))).isFalse();
    }

    private static SourceChange rowOf(String table) {
        return new SourceChange(Operation.INSERT, "public", table, Lsn.of(1), Lsn.of(2), 7, Instant.EPOCH, 0, List.of(),
                new io.pgflo.sink.api.Row(List.of()), null, null);
    }

    private static SourceChange ddlOn(String table) {
        return new SourceChange(Operation.DDL, "public", table, Lsn.of(3), Lsn.of(4), 7, Instant.EPOCH, 0, List.of(), null,
                null, "ALTER TABLE " + table + " ADD COLUMN c int");
    }
}
