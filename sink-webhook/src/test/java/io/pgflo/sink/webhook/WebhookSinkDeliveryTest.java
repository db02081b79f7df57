package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.inserts;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.SourceChange;
import io.pgflo.json.EventJsonEncoder;
import io.pgflo.json.JsonStatusFile;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a request looks like, one event or a batch, and when the checkpoint moves. */
class WebhookSinkDeliveryTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void postsEachEventAsItsJsonWithContentTypeUserAgentAndIdempotencyKey(@TempDir Path statusDir) throws Exception {
        List<ChangeEvent> events = inserts(3);
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(receiver.url()).lanes(1).build(),
                new JsonStatusFile(statusDir.resolve("status.json")))) {
            TestEvents.write(sink, batch(events));
        }

        List<Exchange> exchanges = receiver.exchanges();
        assertThat(exchanges).hasSize(3);
        EventJsonEncoder encoder = new EventJsonEncoder();
        for (int i = 0; i < 3; i++) {
            Exchange exchange = exchanges.get(i);
            assertThat(exchange.body()).isEqualTo(new String(encoder.encode(events.get(i)), StandardCharsets.UTF_8));
            assertThat(exchange.header("Content-Type")).isEqualTo("application/json");
            assertThat(exchange.header("User-Agent")).matches("pg_flo/[0-9A-Za-z.\\-]+");
            assertThat(exchange.idempotencyKey()).isEqualTo(events.get(i).commitLsn() + "-0");
            assertThat(exchange.header("webhook-signature")).as("unsigned without a secret").isNull();
        }
        assertThat(exchanges.get(0).idempotencyKey()).isEqualTo("0/16B0100-0");
    }

    @Test
    void aUserAndPasswordInTheUrlAreSentAsBasicAuthenticationAndNeverShown() throws Exception {
        String url = receiver.url().replace("http://", "http://pg%20user:s%3Acr%40t@");
        WebhookSinkConfig config = WebhookSinkConfig.builder(url).lanes(1).build();
        assertThat(config.redactedUrl()).doesNotContain("user").doesNotContain("s:cr");
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }
        assertThat(receiver.exchanges()).singleElement().satisfies(exchange -> assertThat(exchange.header("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(
                        "pg user:s:cr@t".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aPasswordWithoutAUserIsSentAsBasicAuthenticationToo() throws Exception {
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url().replace("http://", "http://:t%40ken@"))
                .lanes(1).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }
        assertThat(receiver.exchanges()).singleElement().satisfies(exchange -> assertThat(exchange.header("Authorization"))
                .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString(":t@ken".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void credentialsInTheUrlAndAnAuthorizationHeaderTogetherAreRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> WebhookSinkConfig.builder("https://u:p@example.com/hook")
                        .header("Authorization: Bearer t").build())
                .isInstanceOf(io.pgflo.sink.api.ConfigurationException.class)
                .hasMessageContaining("give the credentials one way")
                .hasMessageNotContaining("u:p");
    }

    @Test
    void idempotencyKeyNamesTheChangeByCommitLsnAndOrdinal() {
        ChangeEvent third = TestEvents.insert(0xABCDEF, 2, 1, "x");

        assertThat(IdempotencyKeys.of(third)).isEqualTo(third.commitLsn() + "-2").doesNotContain(".");
        assertThat(IdempotencyKeys.of(new SourceChange(third.operation(), "s", "t", Lsn.of(-1L), Lsn.of(-1L), 1,
                third.commitTime(), 7, List.of(), third.newRow(), null, null))).isEqualTo("FFFFFFFF/FFFFFFFF-7");
        assertThat(IdempotencyKeys.ofArray(inserts(5))).isEqualTo("0/16B0100-0_5");
    }

    @Test
    void batchModePostsJsonArraysOfUpToBatchSizeEventsInCommitOrder() throws Exception {
        List<ChangeEvent> events = inserts(7);
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(receiver.url()).batchSize(3).lanes(1).build(),
                new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        List<Exchange> exchanges = receiver.exchanges();
        assertThat(exchanges).extracting(e -> MAPPER.readTree(e.body()).size()).containsExactly(3, 3, 1);
        assertThat(exchanges).extracting(Exchange::idempotencyKey)
                .containsExactly("0/16B0100-0_3", "0/16B0400-0_3", "0/16B0700-0_1");
        List<Integer> ids = exchanges.stream()
                .flatMap(e -> stream(e.body()))
                .map(node -> node.get("data").get("id").asInt())
                .toList();
        assertThat(ids).containsExactly(0, 1, 2, 3, 4, 5, 6);
        assertThat(exchanges.get(0).body()).isEqualTo(new String(new EventJsonEncoder().encodeArray(events.subList(0, 3)),
                StandardCharsets.UTF_8));
        assertThat(exchanges).allSatisfy(e -> assertThat(e.header("Content-Type")).isEqualTo("application/json"));
    }

    @Test
    void sendsTheExtraHeadersWithEveryRequestKeepingCommasInValues() {
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url())
                .header("Authorization: Bearer t0ken")
                .header("X-Tags", "a, b, c")
                .build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(2)));
        }

        assertThat(receiver.exchanges()).hasSize(2).allSatisfy(e -> {
            assertThat(e.header("Authorization")).isEqualTo("Bearer t0ken");
            assertThat(e.header("X-Tags")).isEqualTo("a, b, c");
        });
    }

    @Test
    void aUserAgentHeaderReplacesTheDefaultOne() {
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).header("User-Agent", "my-relay/2").build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(1)));
        }

        assertThat(receiver.exchanges().get(0).headers().values("User-Agent")).containsExactly("my-relay/2");
    }

    @Test
    void savesTheBatchCheckpointDurablyOnceEveryEventGotA2xx(@TempDir Path statusDir) {
        JsonStatusFile status = new JsonStatusFile(statusDir.resolve("status.json"));
        receiver.answer((number, request, body) -> number == 2 ? RecordingReceiver.status(204)
                : number == 3 ? RecordingReceiver.status(202) : RecordingReceiver.ok());
        List<ChangeEvent> events = inserts(3);
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(receiver.url()).build(), status)) {
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.START);
            TestEvents.write(sink, batch(events));

            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(events.get(2).commitLsn()));
        }
        assertThat(new JsonStatusFile(statusDir.resolve("status.json")).load()).isEqualTo(Position.afterTransaction(events.get(2).commitLsn()));
        try (WebhookSink restarted = new WebhookSink(WebhookSinkConfig.builder(receiver.url()).build(), status)) {
            assertThat(restarted.lastCheckpoint()).as("a new sink starts from the saved checkpoint")
                    .isEqualTo(Position.afterTransaction(events.get(2).commitLsn()));
        }
    }

    @Test
    void keepsTheCallersSocketFactoryAndTurnsNaglesAlgorithmOff() {
        List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
        javax.net.SocketFactory recording = new javax.net.SocketFactory() {
            @Override
            public java.net.Socket createSocket() {
                java.net.Socket socket = new java.net.Socket();
                sockets.add(socket);
                return socket;
            }

            @Override
            public java.net.Socket createSocket(String host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port) {
                throw new UnsupportedOperationException();
            }

            @Override
            public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local, int localPort) {
                throw new UnsupportedOperationException();
            }
        };
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder().socketFactory(recording).build();
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(receiver.url()).batchSize(50).lanes(1).build(),
                new RecordingReceiver.MemoryCheckpoints(), client)) {
            TestEvents.write(sink, batch(inserts(200)));

            assertThat(sockets).isNotEmpty().allSatisfy(socket -> assertThat(socket.getTcpNoDelay()).isTrue());
        }
        assertThat(receiver.delivered()).hasSize(4);
    }

    @Test
    void anEmptyBatchMovesTheCheckpointWithoutARequest() {
        RecordingReceiver.MemoryCheckpoints checkpoints = new RecordingReceiver.MemoryCheckpoints();
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(receiver.url()).build(), checkpoints)) {
            TestEvents.write(sink, Batch.of(List.of(), Lsn.parse("0/5000")));
            TestEvents.write(sink, Batch.of(List.of(), Lsn.parse("0/4000")));

            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(Lsn.parse("0/5000")));
        }
        assertThat(receiver.exchanges()).isEmpty();
        assertThat(checkpoints.saves()).as("an older checkpoint is not saved").isEqualTo(1);
    }

    private static java.util.stream.Stream<JsonNode> stream(String array) {
        try {
            JsonNode node = MAPPER.readTree(array);
            return java.util.stream.StreamSupport.stream(node.spliterator(), false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
