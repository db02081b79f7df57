package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.inserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Lsn;
import io.pgflo.json.JsonStatusFile;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which failures are retried, how often, how long apart, and what is left when the attempts run out. */
class WebhookSinkRetryTest {
    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private WebhookSinkConfig.Builder fastRetries() {
        return WebhookSinkConfig.builder(receiver.url())
                .lanes(1)
                .maxAttempts(3)
                .initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(50))
                .requestTimeout(Duration.ofSeconds(5));
    }

    @Test
    void retriesWhenEveryThirdRequestGetsA500AndDeliversEveryEventOnceInOrder() {
        receiver.answer((number, request, body) -> number % 3 == 0 ? RecordingReceiver.status(500) : RecordingReceiver.ok());
        List<ChangeEvent> events = inserts(20);
        try (WebhookSink sink = new WebhookSink(fastRetries().build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        List<Exchange> exchanges = receiver.exchanges();
        // Requests 3, 6, 9, ... fail and are each followed by a successful retry: 20 successes take 29 requests.
        assertThat(exchanges).hasSize(29);
        assertThat(exchanges.stream().filter(e -> e.status() == 500)).hasSize(9);
        assertThat(receiver.delivered()).extracting(Exchange::idempotencyKey)
                .containsExactlyElementsOf(events.stream().map(IdempotencyKeys::of).toList());
        for (Exchange failed : exchanges.stream().filter(e -> e.status() == 500).toList()) {
            Exchange retry = exchanges.get(failed.number()); // the next request
            assertThat(retry.idempotencyKey()).as("a retry repeats the key").isEqualTo(failed.idempotencyKey());
            assertThat(retry.body()).as("and the body").isEqualTo(failed.body());
            assertThat(retry.delivered()).isTrue();
        }
    }

    @Test
    void attemptsEachRequestExactlyMaxAttemptsTimesBeforeGivingUp(@TempDir Path statusDir) {
        receiver.answer((number, request, body) -> RecordingReceiver.status(503));
        JsonStatusFile status = new JsonStatusFile(statusDir.resolve("status.json"));
        status.save(Position.parse("0/1000"));
        List<ChangeEvent> events = inserts(2);

        try (WebhookSink sink = new WebhookSink(fastRetries().maxAttempts(4).build(), status)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .satisfies(e -> assertThat(((WebhookDeliveryException) e).attempts()).isEqualTo(4));
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(Lsn.parse("0/1000")));
        }
        assertThat(receiver.exchanges()).hasSize(4)
                .extracting(Exchange::idempotencyKey).containsOnly(IdempotencyKeys.of(events.get(0)));
        assertThat(status.load()).as("the checkpoint did not move").isEqualTo(Position.parse("0/1000"));
    }

    @Test
    void exhaustedRetriesNameTheUrlWithoutCredentialsTheStatusAndTheLsn(@TempDir Path statusDir) {
        receiver.answer((number, request, body) -> new MockResponse().setResponseCode(500).setBody("database is down\n"));
        String url = receiver.url().replace("http://", "http://user:pa55word@") + "?token=s3cret";
        JsonStatusFile status = new JsonStatusFile(statusDir.resolve("status.json"));
        status.save(Position.parse("0/1000"));
        List<ChangeEvent> events = inserts(1);

        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(url).lanes(1).maxAttempts(3)
                .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build(), status)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("webhook POST " + receiver.url())
                    .hasMessageContaining("HTTP 500")
                    .hasMessageContaining("\"database is down\"")
                    .hasMessageContaining("LSN " + events.get(0).lsn())
                    .hasMessageContaining("public.users")
                    .hasMessageContaining("after 3 attempts")
                    .hasMessageContaining("checkpoint stays at 0/1000")
                    .hasMessageNotContaining("pa55word")
                    .hasMessageNotContaining("s3cret")
                    .satisfies(e -> {
                        WebhookDeliveryException failure = (WebhookDeliveryException) e;
                        assertThat(failure.statusCode()).isEqualTo(500);
                        assertThat(failure.lsn()).isEqualTo(events.get(0).lsn());
                        assertThat(failure.url()).isEqualTo(receiver.url());
                        assertThat(failure.retriesExhausted()).isTrue();
                        assertThat(failure.checkpoint()).isEqualTo(Position.parse("0/1000"));
                    });
        }
        assertThat(receiver.exchanges()).hasSize(3).allSatisfy(e -> assertThat(e.status()).isEqualTo(500));
        assertThat(status.load()).isEqualTo(Position.parse("0/1000"));
    }

    @Test
    void aRejectingBadRequestFailsAtOnceWithoutRetries() {
        receiver.answer((number, request, body) -> new MockResponse().setResponseCode(400).setBody("{\"error\":\"bad schema\"}"));
        RecordingReceiver.MemoryCheckpoints checkpoints = new RecordingReceiver.MemoryCheckpoints(Position.parse("0/1000"));
        List<ChangeEvent> events = inserts(3);

        try (WebhookSink sink = new WebhookSink(fastRetries().maxAttempts(5).build(), checkpoints)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("bad schema")
                    .hasMessageContaining("not retried")
                    .hasMessageContaining("LSN " + events.get(0).lsn())
                    .satisfies(e -> assertThat(((WebhookDeliveryException) e).retriesExhausted()).isFalse());
        }
        assertThat(receiver.exchanges()).hasSize(1);
        assertThat(checkpoints.saves()).isZero();
    }

    @Test
    void retriesRequestTimeoutAndTooManyRequestsButNotOther4xx() {
        assertThat(AttemptOutcome.Rejected.retryableStatus(408)).isTrue();
        assertThat(AttemptOutcome.Rejected.retryableStatus(429)).isTrue();
        assertThat(AttemptOutcome.Rejected.retryableStatus(500)).isTrue();
        assertThat(AttemptOutcome.Rejected.retryableStatus(503)).isTrue();
        assertThat(AttemptOutcome.Rejected.retryableStatus(599)).isTrue();
        assertThat(AttemptOutcome.Rejected.retryableStatus(301)).isFalse();
        assertThat(AttemptOutcome.Rejected.retryableStatus(400)).isFalse();
        assertThat(AttemptOutcome.Rejected.retryableStatus(401)).isFalse();
        assertThat(AttemptOutcome.Rejected.retryableStatus(404)).isFalse();
        assertThat(AttemptOutcome.Rejected.retryableStatus(410)).isFalse();
        assertThat(AttemptOutcome.Rejected.retryableStatus(422)).isFalse();

        receiver.answer((number, request, body) -> number == 1 ? RecordingReceiver.status(408) : RecordingReceiver.ok());
        try (WebhookSink sink = new WebhookSink(fastRetries().build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }
        assertThat(receiver.exchanges()).extracting(Exchange::status).containsExactly(408, 200);
    }

    @Test
    void doesNotFollowARedirectAndSaysWhereItPointed() {
        receiver.answer((number, request, body) -> new MockResponse().setResponseCode(308)
                .setHeader("Location", "https://elsewhere.example/new?key=hidden"));

        try (WebhookSink sink = new WebhookSink(fastRetries().build(), new RecordingReceiver.MemoryCheckpoints())) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(inserts(1))))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("HTTP 308")
                    .hasMessageContaining("https://elsewhere.example/new")
                    .hasMessageContaining("update --webhook-url")
                    .hasMessageNotContaining("hidden");
        }
        assertThat(receiver.exchanges()).hasSize(1);
    }

    @Test
    void honoursRetryAfterSecondsOnTooManyRequests() {
        receiver.answer((number, request, body) -> number == 1
                ? new MockResponse().setResponseCode(429).setHeader("Retry-After", "1")
                : RecordingReceiver.ok());
        // The backoff alone would wait 5 to 15 ms; only Retry-After explains a pause of a second.
        WebhookSinkConfig config = fastRetries().maxBackoff(Duration.ofSeconds(10)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }

        List<Exchange> exchanges = receiver.exchanges();
        assertThat(exchanges).extracting(Exchange::status).containsExactly(429, 200);
        assertThat(gapMillis(exchanges.get(0), exchanges.get(1))).isGreaterThanOrEqualTo(950);
    }

    @Test
    void honoursRetryAfterAsAnHttpDateOnServiceUnavailable() {
        receiver.answer((number, request, body) -> number == 1
                ? new MockResponse().setResponseCode(503).setHeader("Retry-After",
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(2)))
                : RecordingReceiver.ok());
        WebhookSinkConfig config = fastRetries().maxBackoff(Duration.ofSeconds(10)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }

        List<Exchange> exchanges = receiver.exchanges();
        assertThat(exchanges).extracting(Exchange::status).containsExactly(503, 200);
        // An HTTP date has whole seconds: two seconds ahead is more than one second ahead.
        assertThat(gapMillis(exchanges.get(0), exchanges.get(1))).isGreaterThanOrEqualTo(900);
    }

    @Test
    void capsRetryAfterAtTheMaximumBackoff() {
        receiver.answer((number, request, body) -> number == 1
                ? new MockResponse().setResponseCode(429).setHeader("Retry-After", "3600")
                : RecordingReceiver.ok());
        long start = System.nanoTime();
        try (WebhookSink sink = new WebhookSink(fastRetries().maxBackoff(Duration.ofMillis(200)).build(),
                new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }

        assertThat(receiver.exchanges()).extracting(Exchange::status).containsExactly(429, 200);
        assertThat(gapMillis(receiver.exchanges().get(0), receiver.exchanges().get(1))).isGreaterThanOrEqualTo(190);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).as("not an hour").isLessThan(60);
    }

    @Test
    void retriesATimedOutRequestWithTheSameKey() {
        receiver.answer((number, request, body) -> number == 1
                ? RecordingReceiver.ok().setHeadersDelay(2, TimeUnit.SECONDS)
                : RecordingReceiver.ok());
        WebhookSinkConfig config = fastRetries().requestTimeout(Duration.ofMillis(300)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }

        List<Exchange> exchanges = receiver.exchanges();
        assertThat(exchanges).hasSizeGreaterThanOrEqualTo(2);
        assertThat(exchanges).extracting(Exchange::idempotencyKey).containsOnly(exchanges.get(0).idempotencyKey());
    }

    @Test
    void aTimeoutOnEveryAttemptIsReportedAsSuch() {
        receiver.answer((number, request, body) -> RecordingReceiver.ok().setHeadersDelay(2, TimeUnit.SECONDS));
        WebhookSinkConfig config = fastRetries().maxAttempts(2).requestTimeout(Duration.ofMillis(200)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(inserts(1))))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("no answer within the request timeout of 200 ms")
                    .hasMessageContaining("after 2 attempts")
                    .satisfies(e -> assertThat(((WebhookDeliveryException) e).statusCode()).isEqualTo(-1));
        }
    }

    @Test
    void retriesWhenTheReceiverDropsTheConnection() {
        receiver.answer((number, request, body) -> number <= 2
                ? RecordingReceiver.ok().setSocketPolicy(SocketPolicy.DISCONNECT_AFTER_REQUEST)
                : RecordingReceiver.ok());
        try (WebhookSink sink = new WebhookSink(fastRetries().maxAttempts(5).build(),
                new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(2)));
        }

        assertThat(receiver.delivered()).hasSize(2);
    }

    @Test
    void aReceiverThatIsDownFailsWithTheNetworkErrorAfterEveryAttempt() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort + "/hook";
        List<ChangeEvent> events = inserts(1);
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(url).lanes(1).maxAttempts(3)
                .initialBackoff(Duration.ofMillis(5)).maxBackoff(Duration.ofMillis(20)).build(), new RecordingReceiver.MemoryCheckpoints())) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("webhook POST " + url)
                    .hasMessageContaining("cannot connect")
                    .hasMessageContaining("LSN " + events.get(0).lsn())
                    .hasMessageContaining("after 3 attempts")
                    .hasMessageContaining("restart delivers this event again");
        }
    }

    @Test
    void batchModeRetriesTheWholeArrayUnderOneKey() {
        receiver.answer((number, request, body) -> number == 2 ? RecordingReceiver.status(502) : RecordingReceiver.ok());
        try (WebhookSink sink = new WebhookSink(fastRetries().batchSize(4).build(), new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(8)));
        }

        Map<String, List<Integer>> statusesByKey = receiver.exchanges().stream().collect(
                Collectors.groupingBy(Exchange::idempotencyKey, java.util.LinkedHashMap::new,
                        Collectors.mapping(Exchange::status, Collectors.toList())));
        assertThat(statusesByKey).containsExactly(
                Map.entry("0/16B0100-0_4", List.of(200)),
                Map.entry("0/16B0500-0_4", List.of(502, 200)));
    }

    private static long gapMillis(Exchange first, Exchange second) {
        return TimeUnit.NANOSECONDS.toMillis(second.receivedAtNanos() - first.receivedAtNanos());
    }

    @Test
    void closeCancelsARequestInFlightEvenWithOneLane() throws Exception {
        receiver.answer((number, request, body) -> RecordingReceiver.ok().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        WebhookSinkConfig config = fastRetries().requestTimeout(Duration.ofSeconds(60)).build();
        WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints());
        sink.writeBatch(batch(inserts(1)));
        while (receiver.exchanges().isEmpty()) {
            Thread.sleep(10);
        }
        long start = System.nanoTime();
        sink.close();
        assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start))
                .as("the request waiting for an answer was cancelled, not left to its 60 s deadline").isLessThan(5);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.isAlive()
                && thread.getName().startsWith("pg_flo-webhook-") && thread.getName().endsWith("-delivery"));
    }
}
