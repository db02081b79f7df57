package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.testkit.TestPostgres;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rows an initial copy or a backfill reads (READ) may already be in the target: they are upserted, never duplicated. */
class ReadRowsIT {
    private static final Column ID = new Column("id", new ColumnType(23, "integer", 23, 0), true);
    private static final Column V = new Column("v", new ColumnType(25, "text", 25, 0), false);

    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void rowsReadByACopyOverwriteWhatTheTargetHasAndAddWhatItLacks() {
        String target = targetServer.createDatabase("read_rows");
        targetServer.execute(target, "CREATE TABLE t (id int PRIMARY KEY, v text)", "CREATE TABLE keyless (id int, v text)",
                "INSERT INTO t VALUES (1, 'stale')");
        try (PostgresSink sink = new PostgresSink(PostgresSinkConfig.of(targetServer.endpoint(target), "read_rows"))) {
            sink.writeBatch(Batch.of(List.of(read("t", 1, "fresh", 0), read("t", 2, "new", 1),
                    read("keyless", 3, "plain", 2)), Lsn.of(200)));
            sink.flush();
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(Lsn.of(200)));
        }
        assertThat(Replication.rows(targetServer, target, "SELECT id, v FROM t ORDER BY id"))
                .containsExactly("1 | fresh", "2 | new");
        assertThat(Replication.rows(targetServer, target, "SELECT id, v FROM keyless")).containsExactly("3 | plain");
    }

    @Test
    void eachBatchOfACopyCommitsWithItsCheckpointInsideTheCopyWhichARestartFindsAgain() {
        String target = targetServer.createDatabase("read_commits");
        targetServer.execute(target, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        Position first = Position.of(Lsn.of(150), 1);
        try (PostgresSink sink = new PostgresSink(PostgresSinkConfig.of(targetServer.endpoint(target), "read_commits"))) {
            sink.writeBatch(Batch.of(List.of(read("t", 1, "a", 0), read("t", 2, "b", 1)), first));
            sink.flush();
            assertThat(sink.lastCheckpoint()).as("committed, though inside the copy").isEqualTo(first);
            SourceChange done = new SourceChange(Operation.COPY_DONE, "public", "t", Lsn.of(100), Lsn.of(150), 1,
                    Instant.EPOCH, 3, List.of("id"), null, null, null);
            sink.writeBatch(Batch.of(List.of(read("t", 3, "c", 2), done), Position.of(Lsn.of(150), 3)));
            sink.flush();
        }
        assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM t")).containsExactly("3");
        try (PostgresSink restarted = new PostgresSink(PostgresSinkConfig.of(targetServer.endpoint(target), "read_commits"))) {
            assertThat(restarted.lastCheckpoint()).as("a table's COPY_DONE commits too").isEqualTo(Position.of(Lsn.of(150), 3));
            restarted.writeBatch(Batch.of(List.of(), Position.afterTransaction(Lsn.of(151))));
            restarted.flush();
        }
        assertThat(Replication.rows(targetServer, target, "SELECT lsn, ordinal FROM internal_pg_flo.lsn_status"))
                .as("after the copy, a whole position again").containsExactly("0/97 | null");
    }

    private static SourceChange read(String table, int id, String value, int ordinal) {
        Row row = new Row(List.of(ColumnValue.text(ID, Integer.toString(id)), ColumnValue.text(V, value)));
        return new SourceChange(Operation.READ, "public", table, Lsn.of(100), Lsn.of(150), 1, Instant.EPOCH, ordinal,
                table.equals("t") ? List.of("id") : List.of(), row, null, null);
    }
}
