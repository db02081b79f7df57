package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's connection is lost while the PostgreSQL sink holds a streamed transaction's provisional changes in its
 * open target transaction: the sink cannot apply them again by itself, so the stream starts again from the
 * checkpoint, the source sends the transaction again, and the target ends equal to the source.
 */
@ExtendWith(PostgresExtension.class)
class TargetLostDuringStreamedTransactionIT {
    /**
     * The sink's session in a transaction that has written rows: a batch of it is applied. The session is idle between
     * statements, or active in the COPY that the transaction's new rows go into, which stays open between batches.
     */
    private static final String OPEN_SINK_SESSION = "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
            + "'pg_flo-streamed_loss-sink' AND state IN ('idle in transaction', 'active') AND backend_xid IS NOT NULL";

    @Test
    void theStreamStartsAgainAndTheTransactionArrivesOnce(TestPostgres source, @TempDir Path dir) throws Exception {
        String db = source.createDatabase("streamed_loss");
        source.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text, n int NOT NULL DEFAULT 0)",
                "ALTER DATABASE " + db + " SET logical_decoding_work_mem = '64kB'");
        try (TestPostgres target = TestPostgres.start()) {
            String targetDb = target.createDatabase("replica");
            target.execute(targetDb, "CREATE TABLE t (id int PRIMARY KEY, v text, n int NOT NULL DEFAULT 0)");
            try (PgFloProcess stream = PgFloProcess.start(source, db, "streamed_loss", null, "postgres", "--tables", "t",
                    "--status-dir", dir.toString(), "--target-host", target.host(), "--target-port",
                    Integer.toString(target.port()), "--target-dbname", targetDb, "--target-user", TestPostgres.SUPERUSER,
                    "--track-ddl", "false", "--batch-size", "500");
                    Connection open = source.connect(db)) {
                source.execute(db, "INSERT INTO t SELECT g, 'before' FROM generate_series(1, 10) g");
                stream.awaitCaughtUp();
                open.setAutoCommit(false);
                try (Statement statement = open.createStatement()) {
                    statement.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(100, 5099) g");
                    awaitOpenSinkSession(target, targetDb, stream);
                    assertThat(target.queryLong(targetDb, "SELECT count(*) FROM t")).as("not visible yet").isEqualTo(10);
                    target.execute("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            + "WHERE application_name = 'pg_flo-streamed_loss-sink'");
                    statement.execute("INSERT INTO t SELECT g, md5(g::text) FROM generate_series(5100, 9099) g");
                    statement.execute("UPDATE t SET n = n + 1");
                }
                open.commit();
                stream.awaitCaughtUp();
                assertThat(stream.stderr()).contains("sink's destination lost");
                assertThat(stream.stop()).as(stream.stderr()).isZero();
            }
            String checksum = "SELECT count(*) || ':' || sum(n) || ':' || md5(string_agg(id || v, ',' ORDER BY id)) FROM t";
            assertThat(target.queryString(targetDb, checksum)).isEqualTo(source.queryString(db, checksum))
                    .startsWith("9010:9010:");
        }
    }

    /** Until the sink's session holds provisional changes in an open transaction. */
    private static void awaitOpenSinkSession(TestPostgres target, String targetDb, PgFloProcess stream)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (target.queryLong(targetDb, OPEN_SINK_SESSION) == 0) {
            assertThat(System.nanoTime()).as("no open sink transaction on the target; %s", stream.stderr())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
