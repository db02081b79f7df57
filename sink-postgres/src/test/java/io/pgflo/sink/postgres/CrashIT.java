package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Kills the streaming process (SIGKILL: no shutdown hook, nothing flushed) again and again while many small transactions
 * commit on the source. At the end the target equals the source, and no transaction was applied twice: an
 * insert-only table without a key would show a duplicate row, and counters incremented by every transaction must match.
 */
class CrashIT {
    private static final int TRANSACTIONS = 1_000;
    private static final int KILLS = 4;

    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void killedRepeatedlyDuringAWorkloadTheTargetEndsEqualWithNothingTwice() throws Exception {
        String source = sourceServer.createDatabase("crash_src");
        String target = targetServer.createDatabase("crash_dst");
        sourceServer.execute(source,
                "CREATE TABLE ledger (txn int NOT NULL, note text)",
                "ALTER TABLE ledger REPLICA IDENTITY FULL",
                "CREATE TABLE counters (id int PRIMARY KEY, n bigint NOT NULL)");
        JavaProcess.Builder child = JavaProcess.builder(StreamingChild.class)
                .args(sourceServer.host(), Integer.toString(sourceServer.port()), source,
                        targetServer.host(), Integer.toString(targetServer.port()), target, "crash")
                .env("PGFLO_TEST_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .jvmArgs("-Xmx256m");
        // The first run creates the slot, so the workload's changes are all kept for the stream.
        try (JavaProcess first = child.start()) {
            first.awaitOutput("streaming from checkpoint", Duration.ofSeconds(120));
            sourceServer.execute(source, "INSERT INTO counters SELECT g, 0 FROM generate_series(0, 9) g");
            AtomicInteger committed = new AtomicInteger();
            AtomicReference<Throwable> workloadFailure = new AtomicReference<>();
            Thread workload = new Thread(() -> runWorkload(source, committed, workloadFailure), "crash-workload");
            workload.start();
            List<Integer> killedAt = new ArrayList<>();
            JavaProcess running = first;
            for (int kill = 0; kill < KILLS; kill++) {
                Thread.sleep(400 + kill * 150L);
                killedAt.add(committed.get());
                assertThat(running.kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);
                if (running != first) {
                    running.close();
                }
                running = child.start();
                running.awaitOutput("streaming from checkpoint", Duration.ofSeconds(120));
            }
            workload.join(Duration.ofMinutes(5).toMillis());
            assertThat(workloadFailure.get()).isNull();
            assertThat(committed.get()).isEqualTo(TRANSACTIONS);

            Lsn end = Lsn.parse(sourceServer.queryString(source, "SELECT pg_logical_emit_message(true, 'end', '')::text"));
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!checkpoint(target).isAfter(end) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(checkpoint(target)).as("caught up (killed after %s committed transactions)", killedAt).isGreaterThan(end);
            assertThat(killedAt).as("kills while the workload ran").filteredOn(n -> n > 0 && n < TRANSACTIONS).hasSizeGreaterThan(1);
            running.kill();
            running.close();
        }
        List<String> ledger = Replication.rows(targetServer, target, "SELECT count(*), count(DISTINCT txn) FROM ledger");
        assertThat(ledger).as("every transaction once").containsExactly(TRANSACTIONS + " | " + TRANSACTIONS);
        assertThat(Replication.rows(targetServer, target, "SELECT id, n FROM counters ORDER BY id"))
                .containsExactlyElementsOf(Replication.rows(sourceServer, source, "SELECT id, n FROM counters ORDER BY id"));
        assertThat(Replication.rows(targetServer, target, "SELECT md5(string_agg(t::text, ',' ORDER BY txn)) FROM ledger t"))
                .containsExactlyElementsOf(Replication.rows(sourceServer, source,
                        "SELECT md5(string_agg(t::text, ',' ORDER BY txn)) FROM ledger t"));
    }

    private void runWorkload(String source, AtomicInteger committed, AtomicReference<Throwable> failure) {
        try (Connection connection = sourceServer.connect(source);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO ledger VALUES (?, ?)");
                PreparedStatement count = connection.prepareStatement("UPDATE counters SET n = n + 1 WHERE id = ?")) {
            connection.setAutoCommit(false);
            for (int i = 1; i <= TRANSACTIONS; i++) {
                insert.setInt(1, i);
                insert.setString(2, "transaction " + i);
                insert.executeUpdate();
                count.setInt(1, i % 10);
                count.executeUpdate();
                connection.commit();
                committed.incrementAndGet();
                // About 80 transactions a second, so that the kills land while the workload runs.
                Thread.sleep(10);
            }
        } catch (SQLException | InterruptedException | RuntimeException e) {
            failure.set(e);
        }
    }

    private Lsn checkpoint(String target) {
        List<String> rows = Replication.rows(targetServer, target,
                "SELECT lsn::text FROM internal_pg_flo.lsn_status WHERE group_name = 'crash'");
        return rows.isEmpty() ? Lsn.ZERO : Lsn.parse(rows.get(0));
    }
}
