package io.pgflo.sink.file;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.ReplicationNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a streaming process (SIGKILL) at random points while transactions commit, restarts it each time, and checks
 * that in the end every committed change is in the files exactly once, in commit order, with whole lines only.
 */
@ExtendWith(PostgresExtension.class)
class FileSinkCrashIT {
    private static final int KILLS = 4;
    private static final String GROUP = "file_crash";
    /** Generous: on a loaded machine a child JVM takes many seconds to connect; these only bound a failure. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** The workload stops on its own after this many transactions, so a slow machine does not grow the catch-up. */
    private static final int MAX_TRANSACTIONS = 800;

    @TempDir
    Path temp;

    @Test
    void everyCommittedChangeIsInTheFilesExactlyOnceInCommitOrderAfterRepeatedKills(TestPostgres pg) throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String db = pg.createDatabase("file_crash");
        Path out = temp.resolve("out");
        Path status = temp.resolve("status");
        try {
            pg.execute(db, "CREATE TABLE events (id bigserial PRIMARY KEY, txn int NOT NULL, payload text NOT NULL)");
            // Small files, compression and batches smaller than the largest transactions: kills land in rotations,
            // in gzips, and between the batches of one transaction.
            JavaProcess.Builder stream = JavaProcess.builder(FileSinkStreamMain.class)
                    .jvmArgs("-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto")
                    .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                    .args(pg.host(), Integer.toString(pg.port()), db, GROUP, "events", status.toString(), out.toString(),
                            Integer.toString(32 * 1024), "20", "true");
            String slot = ReplicationNames.forGroup(GROUP).slot();
            Workload workload = new Workload(pg, db, random.nextLong());

            int truncations = 0;
            for (int kill = 0; kill < KILLS; kill++) {
                awaitSlotIdle(pg, db, slot);
                try (JavaProcess process = stream.start()) {
                    process.awaitOutput(FileSinkStreamMain.READY, START_TIMEOUT);
                    workload.startOnce();
                    Thread.sleep(300 + random.nextInt(1200));
                    assertThat(process.kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);
                    truncations += process.stderr().contains("truncated ") ? 1 : 0;
                }
            }
            workload.stop();

            awaitSlotIdle(pg, db, slot);
            try (JavaProcess process = stream.start()) {
                process.awaitOutput(FileSinkStreamMain.READY, START_TIMEOUT);
                awaitCheckpointPast(status, workload.lastTransactionInside(), process);
                process.terminate();
                assertThat(process.waitFor(Duration.ofSeconds(30))).as("stops on SIGTERM").isTrue();
                assertThat(process.exitCode()).isEqualTo(JavaProcess.TERMINATED_EXIT_CODE);
                assertThat(process.stdout()).contains("stopped at checkpoint");
            }

            List<Long> committed = committedIds(pg, db);
            assertThat(committed).as("committed rows (seed %d)", seed).hasSizeGreaterThan(100);
            List<JsonNode> events = OutputFiles.events(out);
            assertThat(events.stream().map(event -> event.get("data").get("id").asLong()).toList())
                    .as("ids in the files, in order (seed %d, %d transactions, %d restarts truncated a file)", seed,
                            workload.transactions(), truncations)
                    .isEqualTo(committed);
            assertThat(events.stream().map(event -> Lsn.parse(event.get("commit_lsn").asText())).toList()).isSorted();

            System.out.printf("crash test: seed %d, %d transactions, %d committed rows, %d kills, %d restarts truncated a file%n",
                    seed, workload.transactions(), committed.size(), KILLS, truncations);
            List<String> names = OutputFiles.names(out);
            System.out.printf("crash test: %d files%n", names.size());
            assertThat(names).noneMatch(name -> name.endsWith(".tmp"));
            for (int i = 0; i < names.size(); i++) {
                String content = OutputFiles.content(out.resolve(names.get(i)));
                if (i < names.size() - 1) {
                    assertThat(names.get(i)).as("rotated files are gzipped").endsWith(".jsonl.gz");
                    assertThat(content).as(names.get(i)).isNotEmpty().endsWith("\n");
                } else {
                    assertThat(content.isEmpty() || content.endsWith("\n")).as("%s ends with a line end", names.get(i)).isTrue();
                }
            }
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static void awaitSlotIdle(TestPostgres pg, String db, String slot) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection connection = pg.connect(db);
                    PreparedStatement query = connection.prepareStatement(
                            "SELECT active FROM pg_replication_slots WHERE slot_name = ?")) {
                query.setString(1, slot);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next() || !rows.getBoolean(1)) {
                        return;
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("slot " + slot + " still active 60 s after its process was killed");
    }

    private static void awaitCheckpointPast(Path status, Lsn position, JavaProcess process) throws Exception {
        Path file = status.resolve(FileSinkConfig.STATUS_FILE);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        Lsn checkpoint = Lsn.ZERO;
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (Files.exists(file)) {
                checkpoint = Lsn.parse(OutputFiles.status(status).get("lsn").asText());
                if (checkpoint.isAfter(position)) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("checkpoint " + checkpoint + " did not pass " + position + "\n" + process.stderr());
    }

    private static List<Long> committedIds(TestPostgres pg, String db) throws SQLException {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = pg.connect(db);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM events ORDER BY id")) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    /**
     * Transactions of 1 to 50 inserts on one connection, one after another, so that ids grow in commit order; about one
     * in ten rolls back, and must not appear. The last one always commits.
     */
    private static final class Workload {
        private final TestPostgres pg;
        private final String db;
        private final Random random;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger transactions = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile Lsn lastTransactionInside;
        private Thread thread;

        Workload(TestPostgres pg, String db, long seed) {
            this.pg = pg;
            this.db = db;
            this.random = new Random(seed);
        }

        void startOnce() {
            if (thread == null) {
                thread = new Thread(this::run, "crash-it-workload");
                thread.start();
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
            assertThat(thread.isAlive()).as("workload stopped").isFalse();
            assertThat(failure.get()).as("workload failure").isNull();
        }

        int transactions() {
            return transactions.get();
        }

        /** A WAL position inside the last transaction, before its commit: its checkpoint is past it. */
        Lsn lastTransactionInside() {
            return lastTransactionInside;
        }

        private void run() {
            try (Connection connection = pg.connect(db);
                    PreparedStatement insert = connection.prepareStatement("INSERT INTO events (txn, payload) VALUES (?, ?)");
                    PreparedStatement position = connection.prepareStatement("SELECT pg_current_wal_insert_lsn()::text")) {
                connection.setAutoCommit(false);
                boolean last = false;
                while (!last) {
                    last = !running.get() || transactions.get() + 1 >= MAX_TRANSACTIONS;
                    int txn = transactions.incrementAndGet();
                    int size = 1 + random.nextInt(50);
                    for (int i = 0; i < size; i++) {
                        insert.setInt(1, txn);
                        insert.setString(2, "transaction " + txn + " change " + i + " " + "x".repeat(random.nextInt(100)));
                        insert.executeUpdate();
                    }
                    if (!last && random.nextInt(10) == 0) {
                        connection.rollback();
                    } else {
                        if (last) {
                            try (ResultSet rows = position.executeQuery()) {
                                rows.next();
                                lastTransactionInside = Lsn.parse(rows.getString(1));
                            }
                        }
                        connection.commit();
                    }
                    Thread.sleep(random.nextInt(15));
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }
    }
}
