package io.pgflo.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.domain.Pipeline;
import io.pgflo.json.JsonStatusFile;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.PipelineThread;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The whole pipeline: a real PostgreSQL's replication stream, the pipeline, the webhook sink, a real HTTP receiver. */
@ExtendWith(PostgresExtension.class)
class WebhookSinkIT {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static JsonSchema schema;

    @BeforeAll
    static void loadTheEventSchema() throws Exception {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = WebhookSinkIT.class.getResourceAsStream("/io/pgflo/json/change-event.schema.json")) {
            assertThat(in).isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    /** The workload: every kind of row change on two tables; one line per event, in commit order. */
    private static final List<String> EXPECTED = List.of(
            "INSERT users 1", "INSERT users 2", "INSERT orders 10", "UPDATE users 1", "UPDATE orders 10",
            "DELETE orders 10", "DELETE users 2", "INSERT users 3", "UPDATE users 3", "INSERT orders 11");

    private static void runWorkload(TestPostgres pg, String db) {
        pg.execute(db,
                "INSERT INTO users VALUES (1, 'ada', '{\"langs\": [\"en\"]}'), (2, 'bob', NULL)",
                "INSERT INTO orders VALUES (10, 1, 9.99)",
                "UPDATE users SET name = 'ada l.' WHERE id = 1",
                "UPDATE orders SET total = 12.50 WHERE id = 10",
                "DELETE FROM orders WHERE id = 10",
                "DELETE FROM users WHERE id = 2",
                "BEGIN; INSERT INTO users VALUES (3, 'cy', '{}'); UPDATE users SET name = 'cyd' WHERE id = 3; "
                        + "INSERT INTO orders VALUES (11, 3, 1); COMMIT");
    }

    private static String createTables(TestPostgres pg, String prefix) {
        String db = pg.createDatabase(prefix);
        pg.execute(db,
                "CREATE TABLE users (id int PRIMARY KEY, name text NOT NULL, profile jsonb)",
                "CREATE TABLE orders (id int PRIMARY KEY, user_id int NOT NULL, total numeric(10, 2) NOT NULL)");
        return db;
    }

    private static WalSourceConfig source(TestPostgres pg, String db, String group) {
        return WalSourceConfig.of(pg.endpoint(db), group, "public", List.of("users", "orders"))
                .withHeartbeatInterval(Duration.ZERO);
    }

    @ParameterizedTest(name = "lanes {0}, batch size {1}")
    @CsvSource({"1, 1", "4, 1", "1, 4", "4, 3"})
    void everyChangeOnTwoTablesArrivesOnceInOrderAsSchemaValidJson(int lanes, int batchSize, TestPostgres pg,
            @TempDir Path statusDir) throws Exception {
        String db = createTables(pg, "webhook");
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).lanes(lanes).batchSize(batchSize).build();
            JsonStatusFile status = new JsonStatusFile(statusDir.resolve(WebhookSinkProvider.STATUS_FILE));
            try (PostgresChangeSource source = PostgresChangeSource.open(source(pg, db, db));
                    WebhookSink sink = new WebhookSink(config, status)) {
                runWorkload(pg, db);
                try (RunningPipeline running = new RunningPipeline(new Pipeline(source, sink, new BatchPolicy(100,
                        Duration.ofMillis(20))))) {
                    running.awaitUntil(() -> deliveredEvents(receiver).size() >= EXPECTED.size());
                    running.stop();
                }
            }

            List<JsonNode> events = deliveredEvents(receiver);
            assertThat(events).allSatisfy(event -> assertThat(schema.validate(event)).isEmpty());
            assertThat(events.stream().map(WebhookSinkIT::keyOf).distinct()).as("each once").hasSize(EXPECTED.size());
            List<String> arrived = events.stream().map(WebhookSinkIT::describe).toList();
            if (lanes == 1) {
                assertThat(arrived).containsExactlyElementsOf(EXPECTED);
            } else {
                assertThat(arrived).containsExactlyInAnyOrderElementsOf(EXPECTED);
                assertThat(perRow(arrived)).isEqualTo(perRow(EXPECTED));
            }
            for (Exchange exchange : receiver.delivered()) {
                JsonNode body = MAPPER.readTree(exchange.body());
                JsonNode first = body.isArray() ? body.get(0) : body;
                assertThat(exchange.idempotencyKey()).startsWith(keyOf(first));
                assertThat(body.isArray()).isEqualTo(batchSize > 1);
            }
            JsonNode update = events.stream().filter(e -> describe(e).equals("UPDATE users 1")).findFirst().orElseThrow();
            assertThat(update.get("data").get("profile").get("langs").get(0).asText()).isEqualTo("en");
            assertThat(status.load()).as("checkpoint saved").isNotEqualTo(Lsn.ZERO);
        } finally {
            pg.dropDatabase(db);
        }
    }

    @Test
    void aReceiverDownLongerThanTheRetryBudgetStopsThePipelineAndARestartDeliversEverything(TestPostgres pg,
            @TempDir Path statusDir) throws Exception {
        String db = createTables(pg, "webhook_down");
        Path statusFile = statusDir.resolve(WebhookSinkProvider.STATUS_FILE);
        WalSourceConfig sourceConfig = source(pg, db, db);
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).lanes(1).maxAttempts(3)
                    .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(100)).build();
            Position checkpointBeforeOutage;
            WebhookDeliveryException failure;
            try (PostgresChangeSource source = PostgresChangeSource.open(sourceConfig);
                    WebhookSink sink = new WebhookSink(config, new JsonStatusFile(statusFile))) {
                pg.execute(db, "INSERT INTO users VALUES (1, 'a', NULL), (2, 'b', NULL)");
                try (RunningPipeline running = new RunningPipeline(new Pipeline(source, sink,
                        new BatchPolicy(1000, Duration.ofMillis(20))))) {
                    running.awaitUntil(() -> receiver.delivered().size() == 2
                            && !new JsonStatusFile(statusFile).load().equals(Position.START));
                    checkpointBeforeOutage = new JsonStatusFile(statusFile).load();

                    // The receiver takes two requests of the next transaction, then goes down: every further
                    // request is read and the connection dropped without an answer.
                    int acceptedBefore = receiver.exchanges().size();
                    receiver.answer((number, request, body) -> number <= acceptedBefore + 2
                            ? RecordingReceiver.ok()
                            : RecordingReceiver.ok().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST));
                    pg.execute(db, "BEGIN; INSERT INTO users SELECT g, 'user ' || g, NULL FROM generate_series(3, 12) g; "
                            + "INSERT INTO orders VALUES (100, 3, 5); COMMIT");
                    failure = running.awaitFailure(WebhookDeliveryException.class);
                }
            }
            assertThat(failure)
                    .hasMessageContaining("webhook POST " + receiver.url())
                    .hasMessageContaining("LSN ")
                    .hasMessageContaining("after 3 attempts")
                    .hasMessageContaining("checkpoint stays at " + failure.checkpoint());
            assertThat(failure.statusCode()).as("no HTTP answer: a network error").isEqualTo(-1);
            assertThat(failure.checkpoint()).as("inside the large transaction, after the two events taken")
                    .isGreaterThan(checkpointBeforeOutage).extracting(Position::ordinal).isEqualTo(1);
            assertThat(new JsonStatusFile(statusFile).load()).isEqualTo(failure.checkpoint());
            assertThat(receiver.delivered()).hasSize(4);

            // Restart: a new source and sink on the same status directory, the receiver up again.
            receiver.answer((number, request, body) -> RecordingReceiver.ok());
            try (PostgresChangeSource source = PostgresChangeSource.open(sourceConfig);
                    WebhookSink sink = new WebhookSink(config, new JsonStatusFile(statusFile))) {
                assertThat(sink.lastCheckpoint()).isEqualTo(failure.checkpoint());
                pg.execute(db, "UPDATE users SET name = 'after restart' WHERE id = 1");
                try (RunningPipeline running = new RunningPipeline(new Pipeline(source, sink,
                        new BatchPolicy(1000, Duration.ofMillis(20))))) {
                    running.awaitUntil(() -> deliveredEvents(receiver).stream()
                            .anyMatch(e -> e.get("type").asText().equals("UPDATE")));
                    running.stop();
                }
            }

            List<JsonNode> events = deliveredEvents(receiver);
            Set<String> arrived = new HashSet<>();
            events.forEach(e -> arrived.add(describe(e)));
            Set<String> expected = new HashSet<>(List.of("INSERT orders 100", "UPDATE users 1"));
            for (int id = 1; id <= 12; id++) {
                expected.add("INSERT users " + id);
            }
            assertThat(arrived).as("every event arrived, none missing").isEqualTo(expected);

            Map<String, List<Exchange>> byKey = new LinkedHashMap<>();
            receiver.delivered().forEach(e -> byKey.computeIfAbsent(e.idempotencyKey(), k -> new ArrayList<>()).add(e));
            List<List<Exchange>> duplicates = byKey.values().stream().filter(list -> list.size() > 1).toList();
            assertThat(duplicates).as("the two requests taken before the outage were not sent again").isEmpty();
            receiver.delivered().forEach(exchange -> {
                try {
                    assertThat(keyOf(MAPPER.readTree(exchange.body()))).isEqualTo(exchange.idempotencyKey());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(receiver.delivered()).hasSize(expected.size() + duplicates.size());
        } finally {
            pg.dropDatabase(db);
        }
    }

    @Test
    void aReceiverFailingForGoodMidBatchLeavesTheCheckpointAtTheFirstTransactionNotDeliveredInFullAndARestartResumesThere(
            TestPostgres pg, @TempDir Path statusDir) throws Exception {
        String db = createTables(pg, "webhook_prefix");
        Path statusFile = statusDir.resolve(WebhookSinkProvider.STATUS_FILE);
        WalSourceConfig sourceConfig = source(pg, db, db);
        int transactions = 8;
        // Three events per transaction; request 11 is transaction 3's second event, and every request from it fails.
        int failingFrom = 11;
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            receiver.answer((number, request, body) -> number >= failingFrom ? RecordingReceiver.status(503)
                    : RecordingReceiver.ok());
            WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).lanes(1).maxAttempts(2)
                    .initialBackoff(Duration.ofMillis(20)).maxBackoff(Duration.ofMillis(50)).build();
            WebhookDeliveryException failure;
            try (PostgresChangeSource source = PostgresChangeSource.open(sourceConfig);
                    WebhookSink sink = new WebhookSink(config, new JsonStatusFile(statusFile))) {
                for (int t = 0; t < transactions; t++) {
                    int id = 3 * t + 1;
                    pg.execute(db, "INSERT INTO users VALUES (" + id + ", 'a', NULL), (" + (id + 1) + ", 'b', NULL), ("
                            + (id + 2) + ", 'c', NULL)");
                }
                // Committed before the pipeline starts, they usually reach the sink as one batch; what is asserted
                // holds wherever the pipeline cuts, but only the delivered prefix makes it hold within one batch.
                try (RunningPipeline running = new RunningPipeline(new Pipeline(source, sink,
                        new BatchPolicy(1000, Duration.ofSeconds(2))))) {
                    failure = running.awaitFailure(WebhookDeliveryException.class);
                }
            }
            List<JsonNode> before = deliveredEvents(receiver);
            assertThat(before).hasSize(failingFrom - 1);
            Lsn commitOfTransaction2 = Lsn.parse(before.get(6).get("commit_lsn").asText());
            Lsn commitOfTransaction3 = Lsn.parse(before.get(9).get("commit_lsn").asText());
            Position saved = new JsonStatusFile(statusFile).load();
            assertThat(commitOfTransaction3).isGreaterThan(commitOfTransaction2);
            assertThat(saved).as("after the first event of transaction 3, the last one delivered")
                    .isEqualTo(Position.of(commitOfTransaction3, 0));
            assertThat(failure.checkpoint()).isEqualTo(saved);

            receiver.answer((number, request, body) -> RecordingReceiver.ok());
            int requestsBefore = receiver.exchanges().size();
            try (PostgresChangeSource source = PostgresChangeSource.open(sourceConfig);
                    WebhookSink sink = new WebhookSink(config, new JsonStatusFile(statusFile))) {
                assertThat(sink.lastCheckpoint()).isEqualTo(saved);
                try (RunningPipeline running = new RunningPipeline(new Pipeline(source, sink,
                        new BatchPolicy(1000, Duration.ofMillis(20))))) {
                    running.awaitUntil(() -> deliveredEvents(receiver).size() >= failingFrom - 1 + 3 * (transactions - 3) - 1);
                    running.stop();
                }
            }

            List<String> afterRestart = new ArrayList<>();
            for (Exchange exchange : receiver.exchanges().subList(requestsBefore, receiver.exchanges().size())) {
                afterRestart.add(describe(MAPPER.readTree(exchange.body())));
            }
            List<String> expected = new ArrayList<>();
            for (int id = 11; id <= 3 * transactions; id++) {
                expected.add("INSERT users " + id);
            }
            assertThat(afterRestart).as("from transaction 3's second event on, nothing before it")
                    .containsExactlyElementsOf(expected);
        } finally {
            pg.dropDatabase(db);
        }
    }

    private static List<JsonNode> deliveredEvents(RecordingReceiver receiver) {
        List<JsonNode> events = new ArrayList<>();
        for (Exchange exchange : receiver.delivered()) {
            try {
                JsonNode body = MAPPER.readTree(exchange.body());
                if (body.isArray()) {
                    body.forEach(events::add);
                } else {
                    events.add(body);
                }
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + exchange.body(), e);
            }
        }
        return events;
    }

    /** {@code INSERT users 1}: operation, table, and the row's id. */
    private static String describe(JsonNode event) {
        JsonNode row = event.has("data") ? event.get("data") : event.get("old_data");
        return event.get("type").asText() + " " + event.get("table").asText() + " " + row.get("id").asInt();
    }

    private static String keyOf(JsonNode event) {
        return event.get("commit_lsn").asText() + "-" + event.get("ordinal").asInt();
    }

    /** Each row's changes in the order they appear. */
    private static Map<String, List<String>> perRow(List<String> events) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String event : events) {
            String[] parts = event.split(" ");
            rows.computeIfAbsent(parts[1] + " " + parts[2], row -> new ArrayList<>()).add(parts[0]);
        }
        return rows;
    }

    /** A pipeline on its own thread, with what it threw. */
    private static final class RunningPipeline implements AutoCloseable {
        private final PipelineThread running;

        RunningPipeline(Pipeline pipeline) {
            this.running = PipelineThread.start(pipeline, "pipeline");
        }

        void awaitUntil(BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!condition.getAsBoolean()) {
                assertThat(running.failure()).as("pipeline failure").isNull();
                assertThat(System.nanoTime()).as("waited %s", PATIENCE).isLessThan(deadline);
                Thread.sleep(20);
            }
        }

        <T extends Throwable> T awaitFailure(Class<T> type) {
            assertThat(running.join(PATIENCE)).as("the pipeline stopped").isTrue();
            assertThat(running.failure()).isInstanceOf(type);
            return type.cast(running.failure());
        }

        void stop() {
            assertThat(running.stop(PATIENCE)).as("the pipeline stopped").isTrue();
            assertThat(running.failure()).as("pipeline failure").isNull();
        }

        @Override
        public void close() {
            running.stop(PATIENCE);
        }
    }
}
