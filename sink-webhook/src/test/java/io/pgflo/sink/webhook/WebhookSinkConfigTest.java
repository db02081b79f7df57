package io.pgflo.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad input is one clear line naming the flag, and never repeats a secret. */
class WebhookSinkConfigTest {

    @Test
    void defaultsAreOneEventPerRequestRetriesForTenMinutesAndFourLanes() {
        WebhookSinkConfig config = WebhookSinkConfig.builder("https://hooks.example.com/pg").build();

        assertThat(config.batchSize()).isEqualTo(1);
        assertThat(config.batchMode()).isFalse();
        assertThat(config.maxAttempts()).isZero();
        assertThat(config.retryFor()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.deadLetter()).isNull();
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.lanes()).isEqualTo(4);
        assertThat(config.signs()).isFalse();
        assertThat(config.headers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "mailto:a@example.com", "ws://example.com/"})
    void refusesUrlsThatAreNotHttp(String url) {
        assertThatThrownBy(() -> WebhookSinkConfig.builder(url).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("--webhook-url must be an http:// or https:// URL, got scheme");
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com/hook", "http//example.com", "/hook", "", "  "})
    void refusesUrlsThatAreNotAbsolute(String url) {
        assertThatThrownBy(() -> WebhookSinkConfig.builder(url).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("--webhook-url ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://", "http://exa mple.com/", "http://[::1/", "https://:443/x", "http://host:99999/"})
    void refusesMalformedUrls(String url) {
        assertThatThrownBy(() -> WebhookSinkConfig.builder(url).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("--webhook-url ");
    }

    @Test
    void acceptsWhatABrowserWouldAndKeepsCredentialsOutOfToString() {
        WebhookSinkConfig config = WebhookSinkConfig.builder("HTTPS://my_service:8443/in?token=abc").secret("s3cret")
                .header("Authorization", "Bearer xyz").build();
        WebhookSinkConfig withUser = WebhookSinkConfig.builder("HTTPS://user:pw@my_service:8443/in?token=abc").build();

        assertThat(config.redactedUrl()).isEqualTo("https://my_service:8443/in");
        assertThat(config.toString()).contains("https://my_service:8443/in", "Authorization: ***", "signed=true")
                .doesNotContain("abc", "s3cret", "xyz");
        assertThat(withUser.redactedUrl()).isEqualTo("https://my_service:8443/in");
        assertThat(withUser.toString()).doesNotContain("user", "pw", "abc");
    }

    @Test
    void credentialsInTheUrlOfAHostWithAnUnderscoreAndAnAuthorizationHeaderAreRefusedToo() {
        // java.net.URI reads no user in such a URL; OkHttp does, and the request would carry both credentials.
        assertThatThrownBy(() -> WebhookSinkConfig.builder("https://user:pw@my_service:8443/in")
                        .header("Authorization", "Bearer xyz").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("give the credentials one way")
                .hasMessageNotContaining("pw");
    }

    @Test
    void parsesHeadersWrittenAsNameColonValue() {
        WebhookSinkConfig config = WebhookSinkConfig.builder("http://localhost/")
                .header("Authorization: Bearer a:b:c")
                .header("X-Empty:")
                .header("  X-Spaced  :   v  ")
                .build();

        assertThat(config.headers()).containsExactly(new WebhookHeader("Authorization", "Bearer a:b:c"),
                new WebhookHeader("X-Empty", ""), new WebhookHeader("X-Spaced", "v"));
    }

    @Test
    void refusesAHeaderWithoutAColonWithoutRepeatingIt() {
        assertThatThrownBy(() -> WebhookSinkConfig.builder("http://localhost/").header("Authorization Bearer t0ken").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--webhook-header must look like 'Name: value', got text without ':'");
        assertThatThrownBy(() -> WebhookHeader.parse(": value"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("nothing before ':'");
    }

    @Test
    void refusesHeaderNamesAndValuesHttpCannotCarry() {
        assertThatThrownBy(() -> WebhookHeader.parse("Bad Name: x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'Bad Name' is not a valid HTTP header name");
        assertThatThrownBy(() -> new WebhookHeader("X-Token", "abc\r\nInjected: yes"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("X-Token")
                .hasMessageNotContaining("abc");
        assertThatThrownBy(() -> new WebhookHeader("X-Name", "Zoë"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("non-ASCII");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "idempotency-key", "Webhook-Signature", "webhook-id", "Host", "Content-Length"})
    void refusesHeadersTheSinkSetsItself(String name) {
        assertThatThrownBy(() -> WebhookHeader.parse(name + ": x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("set by the webhook sink itself");
    }

    @Test
    void refusesMalformedSecretsWithoutRepeatingThem() {
        assertThatThrownBy(() -> WebhookSinkConfig.builder("http://localhost/").secret("whsec_not*base64!").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("not*base64!");
        assertThatThrownBy(() -> WebhookSinkConfig.builder("http://localhost/").secret("whsec_").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> WebhookSinkConfig.builder("http://localhost/").secret("").build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--webhook-secret is empty");
    }

    @Test
    void refusesNumbersOutOfRangeNamingTheFlag() {
        record Case(WebhookSinkConfig.Builder builder, String flag) {}
        for (Case bad : List.of(
                new Case(WebhookSinkConfig.builder("http://localhost/").batchSize(0), "--webhook-batch-size"),
                new Case(WebhookSinkConfig.builder("http://localhost/").maxAttempts(-1), "--webhook-max-attempts"),
                new Case(WebhookSinkConfig.builder("http://localhost/").retryFor(Duration.ofSeconds(-1)), "--webhook-retry-for"),
                new Case(WebhookSinkConfig.builder("http://localhost/").retryFor(Duration.ofDays(366)), "--webhook-retry-for"),
                new Case(WebhookSinkConfig.builder("http://localhost/").lanes(0), "--webhook-lanes"),
                new Case(WebhookSinkConfig.builder("http://localhost/").lanes(65), "--webhook-lanes"),
                new Case(WebhookSinkConfig.builder("http://localhost/").initialBackoff(Duration.ofMillis(-1)), "--webhook-backoff-ms"),
                new Case(WebhookSinkConfig.builder("http://localhost/").initialBackoff(Duration.ofSeconds(5))
                        .maxBackoff(Duration.ofSeconds(1)), "--webhook-max-backoff-ms"),
                new Case(WebhookSinkConfig.builder("http://localhost/").requestTimeout(Duration.ZERO), "--webhook-timeout-ms"),
                new Case(WebhookSinkConfig.builder("http://localhost/").requestTimeout(Duration.ofDays(30)), "--webhook-timeout-ms"))) {
            assertThatThrownBy(bad.builder()::build)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageStartingWith(bad.flag())
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void readsRetryAfterAsSecondsOrAnHttpDate() {
        java.time.Instant now = java.time.Instant.parse("2015-10-21T07:28:00Z");

        assertThat(RetryAfter.parse("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", now)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:30 GMT", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:00:00 GMT", now)).as("in the past").isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", now)).isNull();
        assertThat(RetryAfter.parse("-5", now)).isNull();
        assertThat(RetryAfter.parse(null, now)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999999", now)).isGreaterThan(Duration.ofDays(365));
    }

    @Test
    void backoffDoublesWithJitterAndNeverExceedsTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.millisBeforeRetry(1)).isBetween(50L, 150L);
            assertThat(backoff.millisBeforeRetry(2)).isBetween(100L, 300L);
            assertThat(backoff.millisBeforeRetry(3)).isBetween(200L, 600L);
            assertThat(backoff.millisBeforeRetry(5)).isBetween(500L, 1000L);
            assertThat(backoff.millisBeforeRetry(90)).isBetween(500L, 1000L);
        }
        assertThat(backoff.millisForRetryAfter(Duration.ofSeconds(5))).isEqualTo(1000);
        assertThat(backoff.millisForRetryAfter(Duration.ofMillis(300))).isEqualTo(300);
        assertThat(new Backoff(Duration.ZERO, Duration.ZERO).millisBeforeRetry(3)).isZero();
        assertThat(new Backoff(Duration.ofMillis(1), Duration.ofMillis(Long.MAX_VALUE / 4)).millisBeforeRetry(100))
                .isPositive();
    }
}
