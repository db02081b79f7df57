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
