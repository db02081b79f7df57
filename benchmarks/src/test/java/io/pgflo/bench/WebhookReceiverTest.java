package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookReceiverTest {
    private static final String EVENT = "{\"type\":\"INSERT\",\"schema\":\"public\",\"data\":{\"id\":1}}";

    @Test
    void answers200AndCountsSingleEventsAndArrays() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 3; i++) {
                assertThat(post(client, receiver, HttpRequest.BodyPublishers.ofString(EVENT))).isEqualTo(200);
            }
            assertThat(post(client, receiver, HttpRequest.BodyPublishers.ofString("[" + EVENT + "," + EVENT + "]"))).isEqualTo(200);

            assertThat(receiver.requests()).isEqualTo(4);
            assertThat(receiver.events()).isEqualTo(5);
        }
    }

    @Test
    void countsDebeziumHeartbeatsApartFromEvents() throws Exception {
        String envelope = "{\"before\":null,\"after\":{\"id\":1},\"op\":\"c\",\"ts_ms\":1796106476575}";
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            post(client, receiver, HttpRequest.BodyPublishers.ofString(envelope));
            post(client, receiver, HttpRequest.BodyPublishers.ofString("{\"ts_ms\":1796106476575}"));
            post(client, receiver, HttpRequest.BodyPublishers.ofString(envelope));

            assertThat(receiver.requests()).isEqualTo(3);
            assertThat(receiver.events()).isEqualTo(2);
            assertThat(receiver.heartbeats()).isEqualTo(1);
        }
    }

    @Test
    void tellsRedeliveredDebeziumEventsApartByTheirWalPosition() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.trackPositions(2);
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            post(client, receiver, HttpRequest.BodyPublishers.ofString(envelope(22004856)));
            post(client, receiver, HttpRequest.BodyPublishers.ofString(envelope(22005072)));
            post(client, receiver, HttpRequest.BodyPublishers.ofString(envelope(22005072)));
            post(client, receiver, HttpRequest.BodyPublishers.ofString("{\"ts_ms\":1796106476575}"));

            Delivery delivery = Delivery.receivedAtLeastOnce(receiver, 2);
            assertThat(receiver.events()).isEqualTo(3);
            assertThat(delivery.ok()).isTrue();
            assertThat(delivery.events()).isEqualTo(2);
            assertThat(delivery.note()).isEqualTo("1 delivered again, 4 requests (1 heartbeats)");
            assertThat(Delivery.receivedAtLeastOnce(receiver, 3).ok()).isFalse();
        }
    }

    @Test
    void readsTheLastLsnOfABody() {
        byte[] body = envelope(376263728).getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookReceiver.lastLsn(body, body.length)).isEqualTo(376263728);
        byte[] none = EVENT.getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookReceiver.lastLsn(none, none.length)).isEqualTo(-1);
    }

    private static String envelope(long lsn) {
        return "{\"before\":null,\"after\":{\"id\":1,\"payload\":\"{\\\"lsn\\\": 1}\"},\"source\":{\"version\":\"3.6.1.Final\","
                + "\"txId\":730,\"lsn\":" + lsn + ",\"xmin\":null},\"transaction\":null,\"op\":\"c\",\"ts_ms\":1796106476575}";
    }

    @Test
    void readsChunkedBodies() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] body = ("[" + EVENT + "," + EVENT + "," + EVENT + "]").getBytes(StandardCharsets.UTF_8);
            // An input stream of unknown length makes the client send Transfer-Encoding: chunked.
            int status = post(client, receiver, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)));

            assertThat(status).isEqualTo(200);
            assertThat(receiver.events()).isEqualTo(3);
        }
    }

    private static int post(HttpClient client, WebhookReceiver receiver, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(receiver.url()))
                .header("Content-Type", "application/json").POST(body).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
