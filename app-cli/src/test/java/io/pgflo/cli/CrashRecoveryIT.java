package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fault every CDC tool must survive: {@code kill -9} at random points while changes are committed, several times
 * in a row, for every sink. No committed change may be lost; the file and PostgreSQL sinks may not repeat one either.
 */
@ExtendWith(PostgresExtension.class)
class CrashRecoveryIT {
    private static final int TRANSACTIONS = 150;
    private static final int KILLS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum SinkKind { STDOUT, FILE, POSTGRES, WEBHOOK }

    @ParameterizedTest
    @EnumSource(SinkKind.class)
    void killedAtRandomPointsAndRestartedLosesNothing(SinkKind kind, TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("crash_" + kind.name().toLowerCase());
        String target = pg.createDatabase("crash_target");
        String table = "CREATE TABLE t (id int PRIMARY KEY, v text)";
        pg.execute(db, table);
        pg.execute(target, table);
        String group = "crash_" + kind.name().toLowerCase();
        ConcurrentLinkedQueue<RecordedRequest> received = new ConcurrentLinkedQueue<>();
        try (MockWebServer receiver = new MockWebServer()) {
            receiver.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    received.add(request);
                    return new MockResponse().setResponseCode(200);
                }
            });
            receiver.start();
            List<String> args = new ArrayList<>(List.of("--tables", "t", "--status-dir", dir.resolve("status").toString(),
                    "--batch-size", "7"));
            switch (kind) {
                case FILE -> args.addAll(List.of("--output-dir", dir.resolve("out").toString(), "--max-file-size", "4096"));
                case POSTGRES -> args.addAll(List.of("--target-host", pg.host(), "--target-port", Integer.toString(pg.port()),
                        "--target-dbname", target, "--target-user", TestPostgres.SUPERUSER, "--track-ddl", "false"));
                case WEBHOOK -> args.addAll(List.of("--webhook-url", receiver.url("/events").toString()));
                default -> { }
            }

            Thread writer = new Thread(() -> writeWorkload(pg, db), "workload");
            List<PgFloProcess> runs = new ArrayList<>();
            String sink = kind.name().toLowerCase();
            try {
                for (int kill = 0; kill < KILLS; kill++) {
                    PgFloProcess run = PgFloProcess.start(pg, db, group, dir.resolve("run-" + kill), sink, args.toArray(String[]::new));
                    runs.add(run);
                    if (kill == 0) {
                        // The first run created the slot: from here on every commit is captured.
                        writer.start();
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextLong(200, 1200));
                    assertThat(run.kill()).isEqualTo(JavaProcess.KILLED_EXIT_CODE);
                }
                writer.join();
                PgFloProcess last = PgFloProcess.start(pg, db, group, dir.resolve("run-last"), sink, args.toArray(String[]::new));
                runs.add(last);
                last.awaitCaughtUp();
                assertThat(last.stop()).as(last.stderr()).isZero();

                int maxId = (int) pg.queryLong(db, "SELECT max(id) FROM t");
                switch (kind) {
                    case STDOUT -> assertAtLeastOnce(stdoutEvents(runs), maxId);
                    case FILE -> assertExactlyOnceInOrder(fileEvents(dir.resolve("out")), maxId);
                    case POSTGRES -> assertThat(pg.queryString(target, CHECKSUM)).isEqualTo(pg.queryString(db, CHECKSUM));
                    case WEBHOOK -> assertWebhookDeliveries(received, maxId);
                }
            } finally {
                writer.interrupt();
                runs.forEach(PgFloProcess::close);
            }
        }
    }

    private static final String CHECKSUM = "SELECT count(*) || ':' || md5(string_agg(id || '=' || coalesce(v, ''), ',' ORDER BY id)) FROM t";

    /** Transactions of 1 to 20 inserts plus an update of the first row, with short pauses. */
    private static void writeWorkload(TestPostgres pg, String db) {
        int next = 1;
        for (int tx = 0; tx < TRANSACTIONS; tx++) {
            int size = ThreadLocalRandom.current().nextInt(1, 21);
            pg.execute(db, "BEGIN", "INSERT INTO t SELECT g, 'v' || g FROM generate_series(" + next + ", " + (next + size - 1) + ") g",
                    "UPDATE t SET v = 'updated' WHERE id = " + next, "COMMIT");
            next += size;
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(5, 30));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Complete lines of every run's stdout; a kill may cut the last line of a run short. */
    private static List<JsonNode> stdoutEvents(List<PgFloProcess> runs) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (PgFloProcess run : runs) {
            String out = run.stdout();
            int end = out.lastIndexOf('\n');
            for (String line : out.substring(0, end + 1).split("\n")) {
                if (!line.isEmpty()) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        return events;
    }

    private static List<JsonNode> fileEvents(Path out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(out)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        assertThat(files).as("rotation by size made several files").hasSizeGreaterThan(1);
        for (Path file : files) {
            String content = Files.readString(file);
            if (content.isEmpty()) {
                continue;
            }
            assertThat(content).as("%s ends with a newline (no partial line)", file.getFileName()).endsWith("\n");
            for (String line : content.split("\n")) {
                events.add(JSON.readTree(line));
            }
        }
        return events;
    }

    private static void assertAtLeastOnce(List<JsonNode> events, int maxId) {
        Map<Integer, Integer> inserts = insertCounts(events);
        assertThat(inserts.keySet()).as("every inserted row arrived").containsExactlyInAnyOrderElementsOf(ids(maxId));
    }

    private static void assertExactlyOnceInOrder(List<JsonNode> events, int maxId) {
        Map<Integer, Integer> inserts = insertCounts(events);
        assertThat(inserts.values()).as("each insert exactly once").containsOnly(1);
        assertThat(inserts.keySet()).containsExactlyInAnyOrderElementsOf(ids(maxId));
        assertThat(events).extracting(e -> Lsn.parse(e.get("lsn").asText())).as("commit order").isSorted();
        assertThat(events.stream().filter(e -> e.get("type").asText().equals("UPDATE")).count()).isEqualTo(TRANSACTIONS);
    }

    private static void assertWebhookDeliveries(ConcurrentLinkedQueue<RecordedRequest> received, int maxId) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        Map<String, String> bodyByKey = new HashMap<>();
        for (RecordedRequest request : received) {
            String body = request.getBody().readUtf8();
            String key = request.getHeader("Idempotency-Key");
            assertThat(key).isNotBlank();
            String previous = bodyByKey.putIfAbsent(key, body);
            if (previous != null) {
                assertThat(body).as("a redelivery under the same Idempotency-Key carries the same event").isEqualTo(previous);
            }
            events.add(JSON.readTree(body));
        }
        assertAtLeastOnce(events, maxId);
    }

    private static Map<Integer, Integer> insertCounts(List<JsonNode> events) {
        Map<Integer, Integer> counts = new HashMap<>();
        for (JsonNode event : events) {
            if (event.get("type").asText().equals("INSERT")) {
                counts.merge(event.get("data").get("id").asInt(), 1, Integer::sum);
            }
        }
        return counts;
    }

    private static List<Integer> ids(int maxId) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= maxId; i++) {
            ids.add(i);
        }
        return ids;
    }
}
