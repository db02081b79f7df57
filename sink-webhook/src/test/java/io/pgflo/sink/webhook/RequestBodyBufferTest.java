package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.insert;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.json.EventJsonEncoder;
import io.pgflo.sink.api.ChangeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A thread's reusable body: the bytes written, sent whole and alike on every attempt, and not kept when huge. */
class RequestBodyBufferTest {
    private static final MediaType JSON = MediaType.get("application/json");
    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void sendsEveryByteAcrossSegmentsAndTheSameBytesOnEveryWrite() throws Exception {
        byte[] bytes = new byte[20_000];
        Arrays.fill(bytes, (byte) 'x');
        bytes[0] = 'a';
        bytes[8191] = 'b';
        bytes[8192] = 'c';
        bytes[19_999] = 'z';
        RequestBodyBuffer buffer = RequestBodyBuffer.forThisThread();
        buffer.write(bytes);

        RequestBody body = buffer.requestBody(JSON);
        Buffer first = new Buffer();
        body.writeTo(first);
        Buffer second = new Buffer();
        body.writeTo(second);

        assertThat(body.contentLength()).isEqualTo(20_000);
        assertThat(body.contentType()).isEqualTo(JSON);
        assertThat(first.readByteArray()).isEqualTo(bytes);
        assertThat(second.readByteArray()).isEqualTo(bytes);
    }

    @Test
    void aThreadGetsItsOwnBufferBackEmptyUnlessItGrewPastTheKeptSize() {
        RequestBodyBuffer buffer = RequestBodyBuffer.forThisThread();
        buffer.write('x');
        buffer.release();

        RequestBodyBuffer again = RequestBodyBuffer.forThisThread();
        assertThat(again).isSameAs(buffer);
        assertThat(again.size()).isZero();

        again.write(new byte[RequestBodyBuffer.MAX_KEPT_BYTES + 1], 0, RequestBodyBuffer.MAX_KEPT_BYTES + 1);
        again.release();
        assertThat(RequestBodyBuffer.forThisThread()).isNotSameAs(buffer);
    }

    @Test
    void aRetriedBatchOfManySegmentsGoesAgainByteForByte() {
        receiver.answer((number, request, body) -> number == 1 ? RecordingReceiver.status(503) : RecordingReceiver.ok());
        List<ChangeEvent> events = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            events.add(insert(1, i, i, "n".repeat(900) + i));
        }
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url())
                .lanes(1)
                .batchSize(100)
                .initialBackoff(Duration.ofMillis(5))
                .build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(events));
        }

        String expected = new String(new EventJsonEncoder().encodeArray(events), UTF_8);
        assertThat(expected.length()).isGreaterThan(10 * 8192);
        assertThat(receiver.exchanges()).extracting(RecordingReceiver.Exchange::status).containsExactly(503, 200);
        assertThat(receiver.exchanges()).allSatisfy(exchange -> assertThat(exchange.body()).isEqualTo(expected));
    }
}
