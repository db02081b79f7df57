package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.inserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.DeliveryMonitor;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retries bounded by time ({@code --webhook-retry-for}) rather than attempts, what the sink reports to its
 * {@link DeliveryMonitor} (requests by code, retrying and delivering again), and the dead-letter directory.
 */
class WebhookRetryForTest {
    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /** Every call the sink made, in order, and the request codes counted. */
    static final class RecordingMonitor implements DeliveryMonitor {
        final Map<String, AtomicInteger> codes = new ConcurrentHashMap<>();
        final List<String> states = new CopyOnWriteArrayList<>();

        @Override
        public void requestEnded(String code) {
            codes.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
        }

        @Override
        public void retrying(String reason) {
            states.add("retrying: " + reason);
        }

        @Override
        public void delivering() {
            states.add("delivering");
        }

        int count(String code) {
            AtomicInteger count = codes.get(code);
            return count == null ? 0 : count.get();
        }
    }

    private WebhookSinkConfig.Builder defaults() {
        // Default flags but shorter waits: no attempt limit, retried for a while.
        return WebhookSinkConfig.builder(receiver.url()).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(40));
    }

    private WebhookSink sink(WebhookSinkConfig config, DeliveryMonitor monitor) {
        return new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints(), monitor);
    }

    @Test
    void byDefaultARequestIsRetriedPastThreeAttemptsUntilTheReceiverTakesIt() {
        List<ChangeEvent> events = inserts(5);
        String stubborn = IdempotencyKeys.of(events.get(2));
        AtomicInteger refusals = new AtomicInteger();
        receiver.answer((number, request, body) -> stubborn.equals(request.getHeader("Idempotency-Key"))
                && refusals.incrementAndGet() <= 6 ? RecordingReceiver.status(503) : RecordingReceiver.ok());
        RecordingMonitor monitor = new RecordingMonitor();

        try (WebhookSink sink = sink(defaults().lanes(1).build(), monitor)) {
            TestEvents.write(sink, batch(events));
        }

        assertThat(receiver.delivered()).extracting(Exchange::idempotencyKey)
                .containsExactlyElementsOf(events.stream().map(IdempotencyKeys::of).toList());
        assertThat(monitor.count("503")).isEqualTo(6);
        assertThat(monitor.count("200")).isEqualTo(5);
        assertThat(monitor.states).first().asString().startsWith("retrying: POST " + receiver.url())
                .contains("HTTP 503", "LSN " + events.get(2).lsn());
        assertThat(monitor.states).last().isEqualTo("delivering");
        assertThat(monitor.states).filteredOn("delivering"::equals).hasSize(1);
    }

    @Test
    void retryForExhaustedStopsWithTheClearErrorNamingTheBound() {
        receiver.answer((number, request, body) -> new MockResponse().setResponseCode(503).setBody("deploying"));
        List<ChangeEvent> events = inserts(2);
        RecordingMonitor monitor = new RecordingMonitor();
        long started = System.nanoTime();

        try (WebhookSink sink = sink(defaults().lanes(1).retryFor(Duration.ofMillis(400)).build(), monitor)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("webhook POST " + receiver.url())
                    .hasMessageContaining("HTTP 503")
                    .hasMessageContaining("LSN " + events.get(0).lsn())
                    .hasMessageContaining("(--webhook-retry-for 400ms)")
                    .satisfies(e -> {
                        WebhookDeliveryException failure = (WebhookDeliveryException) e;
                        assertThat(failure.retriesExhausted()).isTrue();
                        assertThat(failure.attempts()).as("more than pg_flo's 3: bounded by time").isGreaterThan(3);
                    });
        }
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).as("stopped at the deadline, not a back-off past it").isBetween(400L, 3_000L);
        assertThat(monitor.states).last().isEqualTo("delivering");
    }

    @Test
    void withBothBoundsTheAttemptsEndTheRetriesFirstWhenTheyRunOutFirst() {
        receiver.answer((number, request, body) -> RecordingReceiver.status(500));
        try (WebhookSink sink = sink(defaults().lanes(1).maxAttempts(3).build(), DeliveryMonitor.NONE)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(inserts(1))))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("still after 3 attempts over")
                    .hasMessageContaining("(--webhook-max-attempts 3)");
        }
        assertThat(receiver.exchanges()).hasSize(3);
    }

    @Test
    void countsRequestsByCodeIncludingNetworkErrors() throws Exception {
        List<ChangeEvent> events = inserts(9);
        receiver.answer((number, request, body) -> number % 3 == 0 ? RecordingReceiver.status(500) : RecordingReceiver.ok());
        RecordingMonitor monitor = new RecordingMonitor();
        try (WebhookSink sink = sink(defaults().lanes(4).build(), monitor)) {
            TestEvents.write(sink, batch(events));
        }
        assertThat(monitor.count("200")).isEqualTo(9);
        assertThat(monitor.count("500")).isEqualTo(receiver.exchanges().size() - 9).isPositive();

        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        RecordingMonitor down = new RecordingMonitor();
        WebhookSinkConfig nowhere = WebhookSinkConfig.builder("http://127.0.0.1:" + port + "/hook").lanes(1)
                .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(10)).maxAttempts(2).build();
        try (WebhookSink sink = sink(nowhere, down)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(inserts(1)))).isInstanceOf(WebhookDeliveryException.class);
        }
        assertThat(down.codes).containsOnlyKeys("io_error");
        assertThat(down.count("io_error")).isEqualTo(2);
    }

    @Test
    void aRefusedEventGoesToTheDeadLetterDirectoryAndTheRestAreDelivered(@TempDir Path dir) throws Exception {
        List<ChangeEvent> events = inserts(6);
        String poison = IdempotencyKeys.of(events.get(3));
        receiver.answer((number, request, body) -> poison.equals(request.getHeader("Idempotency-Key"))
                ? new MockResponse().setResponseCode(422).setBody("{\"error\":\"name too long\"}")
                : RecordingReceiver.ok());
        Path deadLetters = dir.resolve("dead");
        RecordingReceiver.MemoryCheckpoints checkpoints = new RecordingReceiver.MemoryCheckpoints();

        try (WebhookSink sink = new WebhookSink(defaults().lanes(4).deadLetter(deadLetters).build(), checkpoints)) {
            TestEvents.write(sink, batch(events));
            assertThat(sink.lastCheckpoint()).as("the checkpoint moved past the dead-lettered event")
                    .isEqualTo(batch(events).checkpoint());
        }

        assertThat(receiver.delivered()).extracting(Exchange::idempotencyKey).hasSize(5).doesNotContain(poison);
        List<Path> files;
        try (Stream<Path> listed = Files.list(deadLetters)) {
            files = listed.toList();
        }
        assertThat(files).extracting(file -> file.getFileName().toString()).containsExactly(poison.replace('/', '_') + ".json");
        JsonNode letter = new ObjectMapper().readTree(files.get(0).toFile());
        assertThat(letter.get("status").asInt()).isEqualTo(422);
        assertThat(letter.get("url").asText()).isEqualTo(receiver.url());
        assertThat(letter.get("response").asText()).isEqualTo("{\"error\":\"name too long\"}");
        assertThat(letter.get("idempotency_key").asText()).isEqualTo(poison);
        assertThat(letter.get("event").get("lsn").asText()).isEqualTo(events.get(3).lsn().toString());
        assertThat(letter.get("event").get("type").asText()).isEqualTo("INSERT");
        if (Files.getFileStore(files.get(0)).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(files.get(0))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void withoutADeadLetterDirectoryARefusedEventStopsTheStream() {
        List<ChangeEvent> events = inserts(6);
        String poison = IdempotencyKeys.of(events.get(3));
        receiver.answer((number, request, body) -> poison.equals(request.getHeader("Idempotency-Key"))
                ? RecordingReceiver.status(400) : RecordingReceiver.ok());

        try (WebhookSink sink = sink(defaults().lanes(1).build(), DeliveryMonitor.NONE)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("not retried");
            assertThat(sink.lastCheckpoint()).isEqualTo(events.get(2).position());
        }
    }

    @Test
    void aRefusalOfTheEndpointOrCredentialsStopsTheStreamEvenWithADeadLetterDirectory(@TempDir Path dir) {
        // A 401 after a token rotation would refuse every event: dead-lettering would empty the stream into the directory.
        List<ChangeEvent> events = inserts(3);
        receiver.answer((number, request, body) -> number == 2
                ? RecordingReceiver.status(401) : RecordingReceiver.ok());
        Path deadLetters = dir.resolve("dead");

        try (WebhookSink sink = new WebhookSink(defaults().lanes(1).deadLetter(deadLetters).build(),
                new RecordingReceiver.MemoryCheckpoints())) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("HTTP 401")
                    .hasMessageContaining("never dead-lettered");
            assertThat(sink.lastCheckpoint()).isEqualTo(events.get(0).position());
        }
        assertThat(deadLetters.toFile().list()).isEmpty();
    }

    @Test
    void aDeadLetterDirectoryThatCannotBeMadeIsRefusedAtOnce(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        assertThatThrownBy(() -> new WebhookSink(defaults().deadLetter(file.resolve("dead")).build(),
                new RecordingReceiver.MemoryCheckpoints()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("--webhook-dead-letter " + file.resolve("dead"));
    }
}
