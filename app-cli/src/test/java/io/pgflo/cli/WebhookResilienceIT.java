package io.pgflo.cli;

import static io.pgflo.cli.MetricsEndpoint.awaitMetric;
import static io.pgflo.cli.MetricsEndpoint.freePort;
import static io.pgflo.cli.MetricsEndpoint.get;
import static io.pgflo.cli.MetricsEndpoint.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook sink against a flaky or absent receiver, end to end: the real {@code pg_flo stream webhook} process on
 * the testkit's PostgreSQL, default webhook flags except the URL (and the dead-letter or retry-for flag a test is
 * about), the metrics endpoint scraped for readiness and the request counter.
 */
@ExtendWith(PostgresExtension.class)
class WebhookResilienceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a receiver took (2xx), in arrival order: each event's row id, value, commit LSN and ordinal. */
    record Taken(int id, int v, String key) {}

    /** A receiver answering by a rule, recording what it took and counting what it answered. */
    static final class Receiver extends Dispatcher {
        final List<Taken> taken = new CopyOnWriteArrayList<>();
        final Map<Integer, AtomicInteger> answered = new ConcurrentHashMap<>();
        final Function<Taken, Integer> rule;

        Receiver(Function<Taken, Integer> rule) {
            this.rule = rule;
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            Taken event = parse(request.getBody().readUtf8(), request.getHeader("Idempotency-Key"));
            int status = rule.apply(event);
            answered.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
            if (status >= 200 && status <= 299) {
                taken.add(event);
            }
            return new MockResponse().setResponseCode(status).setBody(status >= 400 ? "refused by the test" : "");
        }

        int answered(int status) {
            AtomicInteger count = answered.get(status);
            return count == null ? 0 : count.get();
        }

        private static Taken parse(String body, String key) {
            try {
                JsonNode data = JSON.readTree(body).get("data");
                return new Taken(data.get("id").asInt(), data.get("v").asInt(), key);
            } catch (IOException e) {
                throw new IllegalStateException(body, e);
            }
        }
    }

    @Test
    void aReceiverFailingOneRequestInThreeAndOneRowFourTimesGetsEveryEventInOrderPerRow(TestPostgres pg,
            @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("flaky");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v int)");
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger stubborn = new AtomicInteger();
        Receiver receiver = new Receiver(event -> {
            if (event.id() == 7 && event.v() == 3 && stubborn.incrementAndGet() <= 4) {
                return 503;
            }
            return requests.incrementAndGet() % 3 == 0 ? 500 : 200;
        });
        int metrics = freePort();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(receiver);
            server.start();
            try (PgFloProcess stream = PgFloProcess.start(pg, db, "flaky", dir.resolve("logs"), "webhook",
                    "--tables", "t", "--status-dir", dir.resolve("status").toString(),
                    "--metrics-port", Integer.toString(metrics), "--webhook-url", server.url("/hook").toString())) {
                pg.execute(db, "INSERT INTO t SELECT g, 0 FROM generate_series(1, 100) g");
                for (int round = 1; round <= 5; round++) {
                    pg.execute(db, "UPDATE t SET v = " + round);
                }
                stream.awaitCaughtUp();

                assertThat(receiver.taken).as("every event once").hasSize(600)
                        .extracting(Taken::key).doesNotHaveDuplicates();
                Map<Integer, List<Integer>> perRow = new HashMap<>();
                for (Taken event : receiver.taken) {
                    perRow.computeIfAbsent(event.id(), id -> new ArrayList<>()).add(event.v());
                }
                assertThat(perRow).hasSize(100).allSatisfy((id, values) ->
                        assertThat(values).as("row %d in commit order", id).containsExactly(0, 1, 2, 3, 4, 5));
                assertThat(stubborn.get()).as("row 7's change was refused four times, then taken").isEqualTo(5);
                assertThat(receiver.answered(500)).isPositive();

                // The request counter, by code: exactly what the receiver answered.
                String sample = "pgflo_webhook_requests_total{code=\"%d\",group=\"flaky\",sink=\"webhook\"}";
                awaitMetric(metrics, String.format(sample, 200), receiver.answered(200));
                assertThat(value(get(metrics, "/metrics").body(), String.format(sample, 500))).isEqualTo(receiver.answered(500));
                assertThat(value(get(metrics, "/metrics").body(), String.format(sample, 503))).isEqualTo(4);
                assertThat(get(metrics, "/health/ready").statusCode()).isEqualTo(200);
                assertThat(stream.stderr()).as("one line per back-off step, not one per failed request")
                        .contains("retry 1 in", "retry 4 in");
                assertThat(countOf(stream.stderr(), "retry 1 in")).isLessThan(receiver.answered(500) / 2);
                assertThat(stream.stop()).as(stream.stderr()).isZero();
            }
        }
    }

    @Test
    void aReceiverDownForTwoMinutesLosesNothingAndReadinessFollowsIt(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("outage2m");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v int)");
        Receiver receiver = new Receiver(event -> 200);
        int metrics = freePort();
        MockWebServer first = new MockWebServer();
        first.setDispatcher(receiver);
        first.start();
        int port = first.getPort();
        MockWebServer second = new MockWebServer();
        second.setDispatcher(receiver);
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "outage2m", dir.resolve("logs"), "webhook",
                "--tables", "t", "--status-dir", dir.resolve("status").toString(),
                "--metrics-port", Integer.toString(metrics), "--webhook-url", first.url("/hook").toString())) {
            pg.execute(db, "INSERT INTO t SELECT g, 0 FROM generate_series(1, 50) g");
            stream.awaitCaughtUp();
            awaitReady(metrics, 200, Duration.ofSeconds(30));

            first.shutdown();
            long downAt = System.nanoTime();
            pg.execute(db, "INSERT INTO t SELECT g, 1 FROM generate_series(51, 100) g");
            pg.execute(db, "UPDATE t SET v = 2 WHERE id <= 10");
            HttpResponse<String> notReady = awaitReady(metrics, 503, Duration.ofSeconds(30));
            assertThat(notReady.body()).contains("sink in retry", "POST http://", "LSN");
            assertThat(get(metrics, "/health/live").statusCode()).as("in retry is not wedged").isEqualTo(200);

            List<Integer> seen = new CopyOnWriteArrayList<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    try {
                        seen.add(get(metrics, "/health/ready").statusCode());
                        Thread.sleep(1_000);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            watcher.start();
            Thread.sleep(Math.max(0, Duration.ofMinutes(2).toMillis() - (System.nanoTime() - downAt) / 1_000_000));
            watching.set(false);
            watcher.join();
            assertThat(seen).as("not ready for the whole outage").isNotEmpty().containsOnly(503);
            assertThat(stream.stderr()).doesNotContain("stream failed");

            second.start(InetAddress.getByName(first.getHostName()), port);
            stream.awaitCaughtUp();
            awaitReady(metrics, 200, Duration.ofSeconds(30));

            assertThat(receiver.taken).extracting(Taken::key).doesNotHaveDuplicates();
            assertThat(receiver.taken).filteredOn(event -> event.v() == 1).hasSize(50);
            assertThat(receiver.taken).filteredOn(event -> event.v() == 2).extracting(Taken::id)
                    .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
            assertThat(receiver.taken).hasSize(110);
            assertThat(stream.stderr()).contains("delivers again after");
            assertThat(stream.stop()).as(stream.stderr()).isZero();
        } finally {
            second.close();
            first.close();
        }
    }

    @Test
    void retryForExhaustedStopsTheStreamWithTheClearError(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("givesup");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v int)");
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(new Receiver(event -> 503));
            server.start();
            String url = server.url("/hook").toString().replace("http://", "http://someone:pa55word@");
            try (PgFloProcess stream = PgFloProcess.start(pg, db, "givesup", dir.resolve("logs"), "webhook",
                    "--tables", "t", "--status-dir", dir.resolve("status").toString(), "--webhook-url", url,
                    "--webhook-retry-for", "3s")) {
                pg.execute(db, "INSERT INTO t VALUES (1, 0)");
                assertThat(stream.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(stream.stderr()).contains("pg_flo: stream failed", server.url("/hook").toString(), "HTTP 503",
                        "LSN", "(--webhook-retry-for 3s)").doesNotContain("pa55word");
            }
        }
    }

    @Test
    void aRefusedEventGoesToTheDeadLetterDirectoryOrStopsTheStreamWithoutOne(TestPostgres pg, @TempDir Path dir)
            throws Exception {
        String db = pg.createDatabase("poison");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v int)");
        Receiver receiver = new Receiver(event -> event.id() == 5 ? 400 : 200);
        Path deadLetters = dir.resolve("dead");
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(receiver);
            server.start();
            String[] common = {"--tables", "t", "--webhook-url", server.url("/hook").toString()};
            try (PgFloProcess stream = PgFloProcess.start(pg, db, "poison", dir.resolve("logs"), "webhook",
                    concat(common, "--status-dir", dir.resolve("status").toString(),
                            "--webhook-dead-letter", deadLetters.toString()))) {
                pg.execute(db, "INSERT INTO t SELECT g, 0 FROM generate_series(1, 20) g");
                stream.awaitCaughtUp();
                assertThat(receiver.taken).extracting(Taken::id).hasSize(19).doesNotContain(5);
                List<Path> letters;
                try (Stream<Path> files = Files.list(deadLetters)) {
                    letters = files.toList();
                }
                assertThat(letters).hasSize(1);
                JsonNode letter = JSON.readTree(letters.get(0).toFile());
                assertThat(letter.get("status").asInt()).isEqualTo(400);
                assertThat(letter.get("response").asText()).isEqualTo("refused by the test");
                assertThat(letter.get("event").get("data").get("id").asInt()).isEqualTo(5);
                assertThat(stream.stop()).as(stream.stderr()).isZero();
            }

            String other = pg.createDatabase("poison2");
            pg.execute(other, "CREATE TABLE t (id int PRIMARY KEY, v int)");
            try (PgFloProcess stream = PgFloProcess.start(pg, other, "poison2", dir.resolve("logs2"), "webhook",
                    concat(common, "--status-dir", dir.resolve("status2").toString()))) {
                pg.execute(other, "INSERT INTO t SELECT g, 0 FROM generate_series(1, 20) g");
                assertThat(stream.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
                assertThat(stream.stderr()).contains("pg_flo: stream failed", "HTTP 400", "not retried");
            }
        }
    }

    private static String[] concat(String[] first, String... more) {
        return Stream.concat(Stream.of(first), Stream.of(more)).toArray(String[]::new);
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static HttpResponse<String> awaitReady(int port, int status, Duration within) throws Exception {
        return MetricsEndpoint.awaitStatus(port, "/health/ready", status, within);
    }
}
