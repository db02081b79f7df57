package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.inserts;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Requests signed with a secret verify with the Standard Webhooks recipe, implemented here independently from the
 * specification (spec/standard-webhooks.md, "Signature scheme" and "Verifying signatures"); forgeries and replays
 * do not.
 */
class StandardWebhooksSignatureTest {
    /** The tolerance the specification's reference libraries use. */
    private static final long TOLERANCE_SECONDS = 5 * 60;

    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void signedRequestsVerifyWithTheStandardWebhooksRecipe() {
        String secret = newSecret();
        List<Exchange> exchanges = deliverSigned(secret, 3, 1);

        assertThat(exchanges).hasSize(3).allSatisfy(exchange -> {
            assertThat(exchange.header("webhook-id")).isEqualTo(exchange.idempotencyKey());
            assertThat(Long.parseLong(exchange.header("webhook-timestamp")))
                    .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60L));
            assertThat(exchange.header("webhook-signature")).startsWith("v1,");
            assertThat(verify(secret, exchange.headers(), exchange.body(), Instant.now())).isTrue();
        });
    }

    @Test
    void aBatchOfEventsIsSignedOverTheWholeArray() {
        String secret = newSecret();
        List<Exchange> exchanges = deliverSigned(secret, 5, 5);

        assertThat(exchanges).hasSize(1);
        assertThat(exchanges.get(0).body()).startsWith("[");
        assertThat(verify(secret, exchanges.get(0).headers(), exchanges.get(0).body(), Instant.now())).isTrue();
    }

    @Test
    void aTamperedBodyDoesNotVerify() {
        String secret = newSecret();
        Exchange exchange = deliverSigned(secret, 1, 1).get(0);

        String tampered = exchange.body().replace("\"user 0\"", "\"mallory\"");
        assertThat(tampered).isNotEqualTo(exchange.body());
        assertThat(verify(secret, exchange.headers(), tampered, Instant.now())).isFalse();
    }

    @Test
    void aReplayedRequestWithAStaleTimestampDoesNotVerify() {
        String secret = newSecret();
        Exchange exchange = deliverSigned(secret, 1, 1).get(0);

        assertThat(verify(secret, exchange.headers(), exchange.body(), Instant.now().plus(Duration.ofMinutes(10)))).isFalse();
        Headers backdated = exchange.headers().newBuilder()
                .set("webhook-timestamp", Long.toString(Instant.now().getEpochSecond() - 600)).build();
        assertThat(verify(secret, backdated, exchange.body(), Instant.now())).as("the timestamp is signed too").isFalse();
    }

    @Test
    void anotherSecretDoesNotVerify() {
        Exchange exchange = deliverSigned(newSecret(), 1, 1).get(0);

        assertThat(verify(newSecret(), exchange.headers(), exchange.body(), Instant.now())).isFalse();
    }

    @Test
    void aSecretWithoutTheWhsecPrefixIsUsedAsItsUtf8Bytes() {
        String secret = "correct horse battery staple";
        Exchange exchange = deliverSigned(secret, 1, 1).get(0);

        assertThat(verify(secret, exchange.headers(), exchange.body(), Instant.now())).isTrue();
        String sameKeyInSpecForm = "whsec_" + Base64.getEncoder().encodeToString(secret.getBytes(UTF_8));
        assertThat(verify(sameKeyInSpecForm, exchange.headers(), exchange.body(), Instant.now())).isTrue();
    }

    @Test
    void everyRetryIsSignedAgainWithTheSameIdAndAFreshTimestamp() throws Exception {
        String secret = newSecret();
        receiver.answer((number, request, body) -> number == 1 ? RecordingReceiver.status(503) : RecordingReceiver.ok());
        Instant[] now = {Instant.parse("2026-11-24T12:00:00Z")};
        java.time.Clock clock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                Instant current = now[0];
                now[0] = current.plusSeconds(7);
                return current;
            }
        };
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).secret(secret).lanes(1)
                .initialBackoff(Duration.ofMillis(5)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints(),
                new okhttp3.OkHttpClient(), clock)) {
            TestEvents.write(sink, batch(inserts(1)));
        }

        List<Exchange> exchanges = receiver.exchanges();
        assertThat(exchanges).hasSize(2);
        assertThat(exchanges.get(1).header("webhook-id")).isEqualTo(exchanges.get(0).header("webhook-id"));
        assertThat(exchanges.get(0).header("webhook-timestamp")).isEqualTo("1795521600");
        assertThat(exchanges.get(1).header("webhook-timestamp")).isEqualTo("1795521607");
        for (Exchange exchange : exchanges) {
            Instant sentAt = Instant.ofEpochSecond(Long.parseLong(exchange.header("webhook-timestamp")));
            assertThat(verify(secret, exchange.headers(), exchange.body(), sentAt)).isTrue();
        }
    }

    @Test
    void reproducesTheStandardWebhooksReferenceTestVector() {
        // The vector the specification's reference libraries test against: a receiver's library accepts what we send.
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(UTF_8);
        String signature = new StandardWebhooksSigner(secret).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, body.length);

        assertThat(signature).isEqualTo("v1," + hmac(Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}"));
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    private List<Exchange> deliverSigned(String secret, int events, int batchSize) {
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).secret(secret).batchSize(batchSize)
                .lanes(1).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            TestEvents.write(sink, batch(inserts(events)));
        }
        return receiver.exchanges();
    }

    private static String newSecret() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** Standard Webhooks verification, from the specification. */
    static boolean verify(String secret, Headers headers, String body, Instant now) {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        String signatures = headers.get("webhook-signature");
        if (id == null || timestamp == null || signatures == null) {
            return false;
        }
        long sentAt = Long.parseLong(timestamp);
        if (Math.abs(now.getEpochSecond() - sentAt) > TOLERANCE_SECONDS) {
            return false;
        }
        byte[] key = secret.startsWith("whsec_")
                ? Base64.getDecoder().decode(secret.substring("whsec_".length()))
                : secret.getBytes(UTF_8);
        byte[] expected = Base64.getDecoder().decode(hmac(key, id + "." + timestamp + "." + body));
        for (String versioned : signatures.split(" ")) {
            String[] parts = versioned.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(Base64.getDecoder().decode(parts[1]), expected)) {
                return true;
            }
        }
        return false;
    }

    private static String hmac(byte[] key, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
