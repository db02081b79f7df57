package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Large transactions that the server streams before their commit (pgoutput protocol 2), with the source database's
 * {@code logical_decoding_work_mem} at its minimum so a few thousand rows stream: the sink applies them as they come,
 * in a target transaction that commits with the source's commit, and rolls back when the source rolls back, when
 * another transaction commits first, or when the stream stops.
 */
class StreamedTransactionsIT {
    private static final String TABLE = "CREATE TABLE items (id int PRIMARY KEY, label text, counter int NOT NULL DEFAULT 0)";
    private static final String BULK = "INSERT INTO items (id, label) SELECT g, 'item ' || g || ' ' || md5(g::text) "
            + "FROM generate_series(%d, %d) g";

    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void aStreamedTransactionIsAppliedAsItStreamsAndCommitsWithItsCommit() throws Exception {
        String source = streamingSource("stream_alone_src");
        String target = targetServer.createDatabase("stream_alone_dst");
        Replication.Recorder seen = new Replication.Recorder();
        try (Replication replication = start(source, target, "stream_alone", seen);
                Connection bulk = transaction(source)) {
            execute(bulk, BULK.formatted(1, 5_000));
            awaitTrue(() -> provisional(seen) > 0, "provisional changes while the transaction is open");
            assertThat(rowsInTarget(target)).as("nothing visible before the source commits").isZero();
            // A heartbeat meanwhile (a transaction without changes) leaves the provisional changes be.
            sourceServer.execute(source, "SELECT pg_logical_emit_message(true, 'pg_flo_heartbeat', '')");
            execute(bulk, "UPDATE items SET counter = counter + 1 WHERE id % 7 = 0", "DELETE FROM items WHERE id % 11 = 0");
            bulk.commit();
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
            assertThat(seen.discards()).isZero();
            long xid = seen.events().stream().filter(ChangeEvent::provisional).findFirst().orElseThrow().xid();
            assertThat(seen.events().stream().filter(e -> e.xid() == xid).count())
                    .as("every change once, most before the commit").isEqualTo(5_000 + 714 + 454);
        }
    }

    @Test
    void theTargetsIdleTimeoutsDoNotEndTheSinksSessionWhileTheSourceIsSlow() throws Exception {
        String source = streamingSource("stream_idle_src");
        String target = targetServer.createDatabase("stream_idle_dst");
        targetServer.execute(target, "ALTER DATABASE " + target + " SET idle_in_transaction_session_timeout = '1s'",
                "ALTER DATABASE " + target + " SET idle_session_timeout = '1s'",
                "ALTER DATABASE " + target + " SET statement_timeout = '1s'");
        Replication.Recorder seen = new Replication.Recorder();
        try (Replication replication = start(source, target, "stream_idle", seen);
                Connection bulk = transaction(source)) {
            execute(bulk, BULK.formatted(1, 5_000));
            awaitTrue(() -> provisional(seen) > 0, "provisional changes while the transaction is open");
            Thread.sleep(2_500); // the sink's session idle inside the open target transaction
            execute(bulk, BULK.formatted(5_001, 6_000));
            bulk.commit();
            replication.awaitCaughtUp();
            Thread.sleep(2_500); // idle outside a transaction
            sourceServer.execute(source, "INSERT INTO items (id, label) VALUES (100001, 'after a quiet spell')");
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
            assertThat(replication.failure()).isNull();
            assertThat(seen.discards()).isZero();
        }
    }

    @Test
    void aTransactionCommittingWhileAnotherStreamsGoesFirstAndTheStreamedOneComesAgainWhole() throws Exception {
        String source = streamingSource("stream_mixed_src");
        String target = targetServer.createDatabase("stream_mixed_dst");
        Replication.Recorder seen = new Replication.Recorder();
        try (Replication replication = start(source, target, "stream_mixed", seen);
                Connection bulk = transaction(source)) {
            execute(bulk, BULK.formatted(1, 4_000));
            awaitTrue(() -> provisional(seen) > 0, "provisional changes while the transaction is open");
            sourceServer.execute(source, "INSERT INTO items (id, label) VALUES (100001, 'small, committed first')");
            awaitTrue(() -> Replication.rows(targetServer, target, "SELECT count(*) FROM items").equals(List.of("1")),
                    "the small transaction alone in the target");
            // The streamed transaction goes on, and touches the row the small one committed.
            execute(bulk, BULK.formatted(4_001, 6_000), "UPDATE items SET counter = 5 WHERE id = 100001");
            bulk.commit();
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
            assertThat(seen.discards()).isEqualTo(1);
        }
    }

    @Test
    void aRolledBackStreamedTransactionLeavesNothingAndARolledBackSavepointOnlyItsPart() throws Exception {
        String source = streamingSource("stream_abort_src");
        String target = targetServer.createDatabase("stream_abort_dst");
        Replication.Recorder seen = new Replication.Recorder();
        try (Replication replication = start(source, target, "stream_abort", seen)) {
            try (Connection doomed = transaction(source)) {
                execute(doomed, BULK.formatted(1, 4_000));
                awaitTrue(() -> provisional(seen) > 0, "provisional changes of the doomed transaction");
                doomed.rollback();
            }
            int before = provisional(seen);
            try (Connection partly = transaction(source)) {
                execute(partly, BULK.formatted(10_001, 12_000), "SAVEPOINT s", BULK.formatted(20_001, 24_000));
                awaitTrue(() -> provisional(seen) > before + 2_000, "the savepoint's changes streamed");
                execute(partly, "ROLLBACK TO SAVEPOINT s", BULK.formatted(30_001, 32_000));
                partly.commit();
            }
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
            assertThat(Replication.rows(targetServer, target, "SELECT min(id), max(id), count(*) FROM items"))
                    .containsExactly("10001 | 32000 | 4000");
            assertThat(seen.discards()).isEqualTo(2);
        }
    }

    @Test
    void aStreamStoppedWhileATransactionIsOpenRollsItsPartBackAndTheNextRunAppliesItOnce() throws Exception {
        String source = streamingSource("stream_stop_src");
        String target = targetServer.createDatabase("stream_stop_dst");
        Replication.Recorder seen = new Replication.Recorder();
        try (Connection bulk = transaction(source)) {
            try (Replication first = start(source, target, "stream_stop", seen)) {
                first.awaitCaughtUp();
                execute(bulk, BULK.formatted(1, 5_000));
                awaitTrue(() -> provisional(seen) > 0, "provisional changes while the transaction is open");
            }
            assertThat(rowsInTarget(target)).as("the open part rolled back at the stop").isZero();
            execute(bulk, "UPDATE items SET counter = counter + 1");
            bulk.commit();
        }
        try (Replication second = start(source, target, "stream_stop", new Replication.Recorder())) {
            second.awaitCaughtUp();
            second.assertSameTable("items");
            assertThat(Replication.rows(targetServer, target, "SELECT count(*), sum(counter) FROM items"))
                    .containsExactly("5000 | 5000");
        }
    }

    @Test
    void aCopyOverSeveralBatchesThatTheTargetRefusesIsUndoneWholeAndItsRowsGoInWithOnConflict() throws Exception {
        String source = streamingSource("stream_refused_src");
        String target = targetServer.createDatabase("stream_refused_dst");
        // A row the target held before the stream: the COPY, open since the first of the transaction's batches of
        // 500, meets it near the end.
        targetServer.execute(target, TABLE, "INSERT INTO items VALUES (4800, 'old', 7)");
        try (Replication replication = start(source, target, "stream_refused", new Replication.Recorder());
                Connection bulk = transaction(source)) {
            execute(bulk, BULK.formatted(1, 5_000));
            bulk.commit();
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
        }
    }

    @Test
    void anOpenCopyEndsBeforeTheSinkLooksUpANewTableOrRunsAnyOtherStatement() throws Exception {
        String source = streamingSource("stream_between_src");
        sourceServer.execute(source, "CREATE TABLE others (code text PRIMARY KEY, note text)");
        String target = targetServer.createDatabase("stream_between_dst");
        try (Replication replication = start(source, target, "stream_between", new Replication.Recorder());
                Connection bulk = transaction(source)) {
            execute(bulk, BULK.formatted(1, 2_000),
                    // First sight of this table: its key is read from the target while the COPY into items is open.
                    "INSERT INTO others SELECT 'c' || g, 'note ' || g FROM generate_series(1, 300) g",
                    "UPDATE items SET counter = counter + 1 WHERE id <= 10",
                    BULK.formatted(2_001, 3_000),
                    "DELETE FROM items WHERE id BETWEEN 2500 AND 2600",
                    BULK.formatted(3_001, 4_000),
                    "TRUNCATE others",
                    "INSERT INTO others VALUES ('after', 'the truncate')");
            bulk.commit();
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
            replication.assertSameTable("others");
        }
    }

    @Test
    void aTransactionLargerThanOneCopyGoesInSeveralAndARefusedOneIsRetriedWhole() throws Exception {
        String source = streamingSource("stream_large_src");
        String target = targetServer.createDatabase("stream_large_dst");
        int rows = OpenCopy.MAX_ROWS + 5_000;
        targetServer.execute(target, TABLE, "INSERT INTO items VALUES (" + (rows - 1_000) + ", 'old', 7)");
        try (Replication replication = start(source, target, "stream_large", new Replication.Recorder());
                Connection bulk = transaction(source)) {
            execute(bulk, BULK.formatted(1, rows));
            bulk.commit();
            replication.awaitCaughtUp();
            replication.assertSameTable("items");
        }
    }

    /** A source database whose walsender streams any transaction above 64 kB of changes. */
    private String streamingSource(String prefix) {
        String database = sourceServer.createDatabase(prefix);
        sourceServer.execute(database, TABLE, "ALTER DATABASE " + database + " SET logical_decoding_work_mem = '64kB'");
        return database;
    }

    private Replication start(String source, String target, String group, Replication.Recorder seen) {
        return Replication.start(sourceServer, source, targetServer, target, group, List.of(),
                config -> config.withSyncSchema(true), new BatchPolicy(500, Duration.ofMillis(20)), seen);
    }

    private Connection transaction(String database) throws SQLException {
        Connection connection = sourceServer.connect(database);
        connection.setAutoCommit(false);
        return connection;
    }

    private static void execute(Connection connection, String... sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private long rowsInTarget(String target) {
        return Long.parseLong(Replication.rows(targetServer, target, "SELECT count(*) FROM items").get(0));
    }

    private static int provisional(Replication.Recorder seen) {
        return (int) seen.events().stream().filter(ChangeEvent::provisional).count();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(20);
        }
    }
}
