package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.api.ConsumerInfo;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.NatsServer;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules, routing and config files on workers, with a real replicator, nats-server and PostgreSQL: a file worker's rules
 * (a filter and a mask) decide exactly which events it writes, and a filtered change still moves its acknowledgement;
 * a PostgreSQL worker configured by a file in pg_flo's keys writes into the routed table; a bad rules file stops a
 * worker with one line and status 2 before it takes anything from the stream.
 */
@ExtendWith(PostgresExtension.class)
class WorkerShapingIT {
    private static final String GROUP = "shaped";
    private static final String STREAM = "pgflo_" + GROUP + "_stream";
    private static final String RULES = """
            tables:
              users:
                - type: filter
                  column: id
                  parameters: {operator: gt, value: 1}
                - type: transform
                  column: email
                  parameters: {type: mask, mask_char: '*'}
            """;
    private static final String ROUTES = """
            users:
              source_table: users
              destination_table: customers
              column_mappings:
                - source: name
                  destination: customer_name
            """;

    @Test
    void workersApplyTheirRulesRoutesAndConfigFiles(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("shaped_src");
        String target = pg.createDatabase("shaped_dst");
        pg.execute(db, "CREATE TABLE users (id int PRIMARY KEY, name text, email text)");
        Path out = dir.resolve("out");
        Path rules = Files.writeString(dir.resolve("rules.yml"), RULES);
        Path badRules = Files.writeString(dir.resolve("bad-rules.yml"), RULES.replace("column: email", "column: mail"));
        Path routes = Files.writeString(dir.resolve("routing.yml"), ROUTES);
        List<JavaProcess> all = new ArrayList<>();
        try (NatsServer nats = NatsServer.start()) {
            // pg_flo's worker keys: source-*, target-*, target-sync-schema (which creates the routed table); routing
            // named by its file.
            Path workerConfig = Files.writeString(dir.resolve("pg-worker.yaml"), """
                    group: %s
                    nats-url: %s
                    status-dir: %s
                    tables: [users]
                    batch-delay-ms: 20
                    target-host: %s
                    target-port: %d
                    target-dbname: %s
                    target-user: %s
                    target-sync-schema: true
                    target-disable-foreign-keys: false
                    track-ddl: false
                    source-host: %s
                    source-port: %d
                    source-dbname: %s
                    source-user: %s
                    routing-config: %s
                    """.formatted(GROUP, nats.url(), dir.resolve("pg-status"), pg.host(), pg.port(), target,
                    TestPostgres.SUPERUSER, pg.host(), pg.port(), db, TestPostgres.SUPERUSER, routes));
            JavaProcess replicator = start(dir, "replicator", "replicator", "--host", pg.host(), "--port",
                    Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", GROUP,
                    "--tables", "users", "--batch-delay-ms", "20", "--status-dir", dir.resolve("rep-status").toString(),
                    "--nats-url", nats.url());
            all.add(replicator);
            JavaProcess postgresWorker = start(dir, "pg-worker", "worker", "postgres", "--config", workerConfig.toString());
            all.add(postgresWorker);
            ScaleOutProcesses.awaitSlotActive(pg, db, GROUP, replicator);
            pg.execute(db, "INSERT INTO users VALUES (1, 'ann', 'ann@example.com'), (2, 'bob', 'bob@example.com')",
                    "INSERT INTO users VALUES (3, 'cy', 'cy@example.com'), (4, 'di', NULL)",
                    "UPDATE users SET email = 'bobby@example.com' WHERE id = 2",
                    "DELETE FROM users WHERE id = 3");

            List<String> fileWorker = List.of("worker", "file", "--group", GROUP, "--nats-url", nats.url(),
                    "--status-dir", dir.resolve("file-status").toString(), "--file-output-dir", out.toString(),
                    "--batch-delay-ms", "20");
            JavaProcess bad = start(dir, "bad-file-worker", concat(fileWorker, "--source-host", pg.host(),
                    "--source-port", Integer.toString(pg.port()), "--source-dbname", db, "--source-user",
                    TestPostgres.SUPERUSER, "--rules-config", badRules.toString()));
            all.add(bad);
            assertThat(bad.waitFor(Duration.ofSeconds(60))).isTrue();
            assertThat(bad.exitCode()).as("stderr: %s", bad.stderr()).isEqualTo(ExitCode.USAGE);
            assertThat(bad.stderr().lines().filter(line -> line.startsWith("pg_flo:")).toList()).singleElement()
                    .asString().startsWith("pg_flo: " + badRules + ":7:").contains("no column 'mail'");
            assertThat(Files.exists(out)).as("nothing written").isFalse();

            // Without --source-* flags: the rules are bound to each table's first change.
            JavaProcess good = start(dir, "file-worker", concat(fileWorker, "--rules-config", rules.toString()));
            all.add(good);
            List<String> expected = List.of("INSERT 2 " + masked("bob@example.com"),
                    "INSERT 3 " + masked("cy@example.com"), "INSERT 4 null", "UPDATE 2 " + masked("bobby@example.com"),
                    "DELETE 3 -");
            awaitFileEvents(out, expected.size(), good);
            assertThat(described(ScaleOutProcesses.fileEvents(out))).containsExactlyElementsOf(expected);

            // A transaction whose every change is filtered out is still acknowledged to JetStream.
            long published = lastSequence(nats);
            pg.execute(db, "INSERT INTO users VALUES (0, 'zed', 'zed@example.com')");
            awaitAcknowledgedAll(nats, "file", good, published);
            assertThat(described(ScaleOutProcesses.fileEvents(out))).containsExactlyElementsOf(expected);

            awaitTarget(pg, target, "0:zed:zed@example.com 1:ann:ann@example.com 2:bob:bobby@example.com 4:di:-", postgresWorker);
            ScaleOutProcesses.stopCleanly(List.of(good, postgresWorker, replicator));
        } finally {
            all.forEach(JavaProcess::close);
        }
    }

    /** The mask transform's result: the first and last characters kept, the others starred. */
    private static String masked(String text) {
        return text.charAt(0) + "*".repeat(text.length() - 2) + text.charAt(text.length() - 1);
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    private static JavaProcess start(Path dir, String name, String... args) {
        return start(dir, name, List.of(args));
    }

    private static JavaProcess start(Path dir, String name, List<String> args) {
        return ScaleOutProcesses.start(dir.resolve("logs").resolve(name + "-" + System.nanoTime()), args);
    }

    /** Each event as {@code TYPE id email}: the new row's email, {@code -} for a DELETE. */
    private static List<String> described(List<JsonNode> events) {
        List<String> described = new ArrayList<>();
        for (JsonNode event : events) {
            String type = event.get("type").asText();
            JsonNode row = type.equals("DELETE") ? event.get("old_data") : event.get("data");
            described.add(type + " " + row.get("id").asText() + " "
                    + (type.equals("DELETE") ? "-" : row.get("email").asText()));
        }
        return described;
    }

    private static void awaitFileEvents(Path out, int expected, JavaProcess worker) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ScaleOutProcesses.fileEvents(out).size() < expected && System.nanoTime() < deadline) {
            assertThat(worker.isAlive()).as("file worker alive; stderr: %s", worker.stderr()).isTrue();
            Thread.sleep(100);
        }
        assertThat(ScaleOutProcesses.fileEvents(out)).as("events written").hasSize(expected);
    }

    private static long lastSequence(NatsServer nats) throws Exception {
        try (Connection connection = Nats.connect(nats.url())) {
            return lastSequence(connection.jetStreamManagement());
        }
    }

    private static long lastSequence(JetStreamManagement management) throws Exception {
        return management.getStreamInfo(STREAM).getStreamState().getLastSequence();
    }

    /**
     * Until the replicator has published past {@code published} and the consumer has acknowledged everything, with
     * nothing pending. (The stream's last message read at once could still be the one before the change.)
     */
    private static void awaitAcknowledgedAll(NatsServer nats, String consumer, JavaProcess worker, long published)
            throws Exception {
        try (Connection connection = Nats.connect(nats.url())) {
            JetStreamManagement management = connection.jetStreamManagement();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long last = lastSequence(management);
            while (last <= published && System.nanoTime() < deadline) {
                Thread.sleep(100);
                last = lastSequence(management);
            }
            assertThat(last).as("the replicator published the change").isGreaterThan(published);
            ConsumerInfo info = management.getConsumerInfo(STREAM, consumer);
            while ((info.getAckFloor().getStreamSequence() < last || info.getNumPending() > 0)
                    && System.nanoTime() < deadline) {
                assertThat(worker.isAlive()).as("worker alive; stderr: %s", worker.stderr()).isTrue();
                Thread.sleep(100);
                info = management.getConsumerInfo(STREAM, consumer);
            }
            assertThat(info.getAckFloor().getStreamSequence()).as("acknowledged up to the stream's last message")
                    .isGreaterThanOrEqualTo(last);
            assertThat(info.getNumPending()).isZero();
        }
    }

    private static void awaitTarget(TestPostgres pg, String target, String expected, JavaProcess worker)
            throws InterruptedException {
        String query = "SELECT coalesce(string_agg(id || ':' || customer_name || ':' || coalesce(email, '-'), ' ' "
                + "ORDER BY id), '') FROM customers";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!pg.queryString(target, query).equals(expected) && System.nanoTime() < deadline) {
            assertThat(worker.isAlive()).as("PostgreSQL worker alive; stderr: %s", worker.stderr()).isTrue();
            Thread.sleep(100);
        }
        assertThat(pg.queryString(target, query)).isEqualTo(expected);
    }
}
