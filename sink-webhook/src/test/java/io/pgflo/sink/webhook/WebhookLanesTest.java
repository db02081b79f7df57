package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several requests in flight, and still every change to a row after the changes before it. */
class WebhookLanesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final int ROWS = 20;

    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** Transaction t changes row t % ROWS: first an insert, then updates; name = the row's version. */
    private static List<ChangeEvent> interleavedChanges(int versions) {
        List<ChangeEvent> events = new ArrayList<>();
        for (int t = 0; t < ROWS * versions; t++) {
            int id = t % ROWS;
            int version = t / ROWS;
            events.add(version == 0 ? TestEvents.insert(t, 0, id, "0") : TestEvents.update(t, 0, id, Integer.toString(version)));
        }
        return events;
    }

    private WebhookSinkConfig.Builder lanes(int lanes) {
        return WebhookSinkConfig.builder(receiver.url()).lanes(lanes).maxAttempts(3).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(50));
    }

    @Test
    void lanesKeepEveryRowsChangesInCommitOrderWhileRequestsOverlap() {
        receiver.delay(Duration.ofMillis(1));
        List<ChangeEvent> events = interleavedChanges(10);
        try (WebhookSink sink = new WebhookSink(lanes(4).build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        List<JsonNode> delivered = deliveredEvents();
        assertThat(delivered).hasSize(events.size());
        assertThat(delivered.stream().map(e -> e.get("commit_lsn").asText()).distinct()).hasSize(events.size());
        Map<Integer, List<Integer>> versionsByRow = new LinkedHashMap<>();
        for (JsonNode event : delivered) {
            versionsByRow.computeIfAbsent(event.get("data").get("id").asInt(), id -> new ArrayList<>())
                    .add(Integer.parseInt(event.get("data").get("name").asText()));
        }
        assertThat(versionsByRow).hasSize(ROWS);
        versionsByRow.values().forEach(versions -> assertThat(versions).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
        assertThat(receiver.maxInFlight()).as("requests were in flight together").isGreaterThan(1);
    }

    @Test
    void oneLaneDeliversInCommitOrderOneRequestAtATime() {
        receiver.delay(Duration.ofMillis(1));
        List<ChangeEvent> events = interleavedChanges(3);
        try (WebhookSink sink = new WebhookSink(lanes(1).build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        assertThat(receiver.delivered()).extracting(Exchange::idempotencyKey)
                .containsExactlyElementsOf(events.stream().map(IdempotencyKeys::of).toList());
        assertThat(receiver.maxInFlight()).isEqualTo(1);
    }

    @Test
    void aTruncateWaitsForEveryLaneAndEverythingAfterItWaitsForTheTruncate() {
        receiver.delay(Duration.ofMillis(1));
        List<ChangeEvent> events = new ArrayList<>();
        for (int t = 0; t < 40; t++) {
            events.add(TestEvents.insert(t, 0, t, "before"));
        }
        events.add(TestEvents.truncate(40, 0));
        for (int t = 41; t < 80; t++) {
            events.add(TestEvents.insert(t, 0, t, "after"));
        }
        try (WebhookSink sink = new WebhookSink(lanes(4).build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        List<String> types = deliveredEvents().stream()
                .map(e -> e.get("type").asText().equals("TRUNCATE") ? "TRUNCATE" : e.get("data").get("name").asText())
                .toList();
        assertThat(types).hasSize(80);
        assertThat(types.subList(0, 40)).containsOnly("before");
        assertThat(types.get(40)).isEqualTo("TRUNCATE");
        assertThat(types.subList(41, 80)).containsOnly("after");
    }

    @Test
    void aKeyChangeFollowsTheOldKeysChangesAndPrecedesTheNewKeys() {
        receiver.delay(Duration.ofMillis(1));
        List<ChangeEvent> events = new ArrayList<>();
        int t = 0;
        for (int round = 0; round < 5; round++) {
            for (int id = 100; id < 120; id++) {
                events.add(round == 0 ? TestEvents.insert(t++, 0, id, "x") : TestEvents.update(t++, 0, id, "x" + round));
            }
            switch (round) {
                case 0 -> events.add(TestEvents.insert(t++, 0, 1, "one"));
                case 1 -> events.add(TestEvents.update(t++, 0, 1, "one again"));
                case 2 -> events.add(TestEvents.updateKey(t++, 0, 1, 2, "now two"));
                case 3 -> events.add(TestEvents.update(t++, 0, 2, "two again"));
                default -> events.add(TestEvents.delete(t++, 0, 2));
            }
        }
        assertThat(LaneRouter.isBarrier(events.get(62))).isTrue();
        try (WebhookSink sink = new WebhookSink(lanes(4).build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        List<String> rowOneAndTwo = deliveredEvents().stream()
                .filter(e -> {
                    JsonNode row = e.has("data") ? e.get("data") : e.get("old_data");
                    int id = row.get("id").asInt();
                    return id == 1 || id == 2;
                })
                .map(e -> e.get("type").asText() + (e.has("data") ? " " + e.get("data").get("name").asText() : ""))
                .toList();
        assertThat(rowOneAndTwo).containsExactly("INSERT one", "UPDATE one again", "UPDATE now two", "UPDATE two again", "DELETE");
    }

    @Test
    void batchModeWithLanesSendsEachRowsChangesInOrderInArraysOfOneLane() {
        receiver.delay(Duration.ofMillis(1));
        List<ChangeEvent> events = interleavedChanges(10);
        try (WebhookSink sink = new WebhookSink(lanes(4).batchSize(7).build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        List<JsonNode> delivered = deliveredEvents();
        assertThat(delivered).hasSize(events.size());
        Map<Integer, List<Integer>> versionsByRow = new LinkedHashMap<>();
        for (JsonNode event : delivered) {
            versionsByRow.computeIfAbsent(event.get("data").get("id").asInt(), id -> new ArrayList<>())
                    .add(Integer.parseInt(event.get("data").get("name").asText()));
        }
        versionsByRow.values().forEach(versions -> assertThat(versions).isSorted().hasSize(10));
        for (Exchange exchange : receiver.delivered()) {
            Set<Integer> lanesInRequest = new HashSet<>();
            for (JsonNode event : read(exchange.body())) {
                int id = event.get("data").get("id").asInt();
                lanesInRequest.add(LaneRouter.laneOf(TestEvents.insert(0, 0, id, "x"), 4));
            }
            assertThat(lanesInRequest).hasSize(1);
        }
    }

    @Test
    void aRefusalInOneLaneStopsTheOtherLanesAndLeavesTheCheckpointBeforeTheFirstUndeliveredEvent() throws Exception {
        receiver.delay(Duration.ofMillis(1));
        receiver.answer((number, request, body) -> body.contains("\"id\":7,")
                ? RecordingReceiver.status(422)
                : body.contains("\"id\":3,")
                        // Another lane stuck in a long Retry-After wait: the refusal must cut it short.
                        ? new MockResponse().setResponseCode(503).setHeader("Retry-After", "30")
                        : RecordingReceiver.ok());
        RecordingReceiver.MemoryCheckpoints checkpoints = new RecordingReceiver.MemoryCheckpoints(Position.parse("0/1000"));
        List<ChangeEvent> events = interleavedChanges(10);
        WebhookSinkConfig config = lanes(4).maxBackoff(Duration.ofSeconds(30)).build();
        assertThat(LaneRouter.laneOf(events.get(3), 4)).as("rows 3 and 7 travel in different lanes")
                .isNotEqualTo(LaneRouter.laneOf(events.get(7), 4));
        try (WebhookSink sink = new WebhookSink(config, checkpoints)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("HTTP 422")
                    .hasMessageContaining("LSN " + events.get(7).lsn());
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                    .as("the other lane's 30 s wait was cut short").isLessThan(20);
            Thread.sleep(200); // a request already on the wire when the lanes stopped may still land
            int requestsAfterFailure = receiver.exchanges().size();
            Thread.sleep(300);
            assertThat(receiver.exchanges()).as("the lanes stopped sending").hasSize(requestsAfterFailure);
            assertThat(requestsAfterFailure).as("most events were never sent").isLessThan(events.size());
            // Row 3 never got a 2xx: the checkpoint may cover the changes before it, none after it.
            assertThat(sink.lastCheckpoint()).isLessThanOrEqualTo(events.get(2).position());
            assertThat(checkpoints.load()).isEqualTo(sink.lastCheckpoint());
            assertThat(checkpoints.saves()).isLessThanOrEqualTo(1);
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .as("a failed sink delivers nothing more: a later checkpoint would skip the failed batch")
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("earlier failure");
        }
        receiver.answer((number, request, body) -> RecordingReceiver.ok());
        Position saved = checkpoints.load();
        try (WebhookSink restarted = new WebhookSink(config, checkpoints)) {
            assertThat(restarted.lastCheckpoint()).isEqualTo(saved);
            TestEvents.write(restarted, batch(events));
            assertThat(restarted.lastCheckpoint()).as("a new sink delivers the batch again")
                    .isEqualTo(Position.afterTransaction(events.get(events.size() - 1).commitLsn()));
        }
    }

    @Test
    void changesToOneRowShareALaneAndRowsSpreadOverAllLanes() {
        ChangeEvent insert = TestEvents.insert(0, 0, 42, "a");
        ChangeEvent update = TestEvents.update(1, 0, 42, "b");
        ChangeEvent delete = TestEvents.delete(2, 0, 42);
        int lane = LaneRouter.laneOf(insert, 8);
        assertThat(LaneRouter.laneOf(update, 8)).isEqualTo(lane);
        assertThat(LaneRouter.laneOf(delete, 8)).isEqualTo(lane);

        Set<Integer> used = new HashSet<>();
        for (int id = 0; id < 100; id++) {
            used.add(LaneRouter.laneOf(TestEvents.insert(id, 0, id, "x"), 8));
        }
        assertThat(used).hasSize(8);
        assertThat(LaneRouter.laneOf(insert, 1)).isZero();
    }

    @Test
    void truncateDdlAndKeyChangesAreBarriersPlainChangesAreNot() {
        assertThat(LaneRouter.isBarrier(TestEvents.truncate(0, 0))).isTrue();
        assertThat(LaneRouter.isBarrier(new SourceChange(Operation.DDL, "public", "users", Lsn.of(1), Lsn.of(2), 1,
                TestEvents.COMMIT_TIME, 0, List.of(), null, null, "ALTER TABLE users ADD COLUMN x int"))).isTrue();
        assertThat(LaneRouter.isBarrier(TestEvents.updateKey(0, 0, 1, 2, "x"))).isTrue();
        assertThat(LaneRouter.isBarrier(new SourceChange(Operation.COPY_DONE, "public", "users", Lsn.of(1), Lsn.of(2), 0,
                TestEvents.COMMIT_TIME, 0, List.of("id"), null, null, null))).as("after all of the table's rows").isTrue();
        assertThat(LaneRouter.isBarrier(TestEvents.insert(0, 0, 1, "x"))).isFalse();
        assertThat(LaneRouter.isBarrier(TestEvents.update(0, 0, 1, "x"))).isFalse();
        assertThat(LaneRouter.isBarrier(TestEvents.delete(0, 0, 1))).isFalse();
        // REPLICA IDENTITY FULL sends the whole old row: the same key values are not a key change.
        ChangeEvent fullIdentity = TestEvents.event(Operation.UPDATE, "users", 0, 0, TestEvents.row(1, "new"),
                TestEvents.row(1, "old"));
        assertThat(LaneRouter.isBarrier(fullIdentity)).isFalse();
    }

    private List<JsonNode> deliveredEvents() {
        List<JsonNode> events = new ArrayList<>();
        for (Exchange exchange : receiver.delivered()) {
            JsonNode node = read(exchange.body());
            if (node.isArray()) {
                node.forEach(events::add);
            } else {
                events.add(node);
            }
        }
        return events;
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
