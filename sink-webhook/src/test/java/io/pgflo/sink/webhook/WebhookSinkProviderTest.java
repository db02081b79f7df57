package io.pgflo.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.json.JsonStatusFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pg_flo stream webhook}: found through the SPI, flags parsed by JCommander, checked at create time. */
class WebhookSinkProviderTest {

    private static SinkContext context(Path statusDir) {
        return new SinkContext("g", statusDir, List.of());
    }

    private static WebhookSinkOptions parse(String... args) {
        WebhookSinkOptions options = new WebhookSinkProvider().newOptions();
        JCommander.newBuilder().addObject(options).build().parse(args);
        return options;
    }

    @Test
    void isRegisteredForServiceLoaderAsWebhook() {
        List<SinkProvider<?>> providers = ServiceLoader.load(SinkProvider.class).stream()
                .<SinkProvider<?>>map(ServiceLoader.Provider::get).toList();

        assertThat(providers).filteredOn(p -> p.name().equals("webhook")).singleElement()
                .isInstanceOf(WebhookSinkProvider.class)
                .satisfies(p -> assertThat(p.description()).isNotBlank());
    }

    @Test
    void parsesEveryFlagKeepingHeaderValuesWhole() {
        WebhookSinkOptions options = parse("--webhook-url", "https://hooks.example.com/pg",
                "--webhook-header", "Authorization: Bearer abc",
                "--webhook-header", "Accept: application/json, text/plain",
                "--webhook-secret", "whsec_c2VjcmV0LWtleS1ieXRlcw==",
                "--webhook-batch-size", "50",
                "--webhook-max-attempts", "5",
                "--webhook-backoff-ms", "250",
                "--webhook-max-backoff-ms", "4000",
                "--webhook-timeout-ms", "1500",
                "--webhook-lanes", "8");

        WebhookSinkConfig config = options.toConfig();
        assertThat(config.url().toString()).isEqualTo("https://hooks.example.com/pg");
        assertThat(config.headers()).containsExactly(new WebhookHeader("Authorization", "Bearer abc"),
                new WebhookHeader("Accept", "application/json, text/plain"));
        assertThat(config.secret()).isEqualTo("whsec_c2VjcmV0LWtleS1ieXRlcw==");
        assertThat(config.batchSize()).isEqualTo(50);
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofMillis(4000));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.lanes()).isEqualTo(8);
    }

    @Test
    void theFlagDefaultsAreTheConfigDefaults() {
        WebhookSinkConfig fromFlags = parse("--webhook-url", "http://localhost:1/").toConfig();

        assertThat(fromFlags).isEqualTo(WebhookSinkConfig.builder("http://localhost:1/").build());
    }

    @Test
    void theUrlIsRequired() {
        assertThatThrownBy(() -> parse("--webhook-lanes", "2"))
                .isInstanceOf(ParameterException.class)
                .hasMessageContaining("--webhook-url");
    }

    @Test
    void badFlagsAreConfigurationErrorsAtCreateTime(@TempDir Path statusDir) {
        WebhookSinkProvider provider = new WebhookSinkProvider();

        assertThatThrownBy(() -> provider.create(parse("--webhook-url", "ftp://example.com/"), context(statusDir)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> provider.create(parse("--webhook-url", "http://localhost/", "--webhook-header", "NoColon"),
                context(statusDir)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'Name: value'");
        assertThatThrownBy(() -> provider.create(parse("--webhook-url", "http://localhost/", "--webhook-batch-size", "0"),
                context(statusDir)))
                .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("--webhook-batch-size");
    }

    @Test
    void aHostThatDoesNotResolveIsAConfigurationErrorAtCreateTime(@TempDir Path statusDir) {
        WebhookSinkOptions options = parse("--webhook-url", "https://no-such-receiver.invalid/hook?key=s3cret");

        assertThatThrownBy(() -> new WebhookSinkProvider().create(options, context(statusDir)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--webhook-url host no-such-receiver.invalid does not resolve; check the name and this machine's DNS");
    }

    @Test
    void keepsItsCheckpointInTheStatusDirectory(@TempDir Path statusDir) {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            Lsn checkpoint;
            try (Sink sink = new WebhookSinkProvider().create(parse("--webhook-url", receiver.url()), context(statusDir))) {
                var events = TestEvents.inserts(2);
                TestEvents.write(sink, TestEvents.batch(events));
                checkpoint = events.get(1).commitLsn();
            }
            assertThat(new JsonStatusFile(statusDir.resolve("pg_flo_webhook_last_lsn.json")).load()).isEqualTo(checkpoint);
            try (Sink again = new WebhookSinkProvider().create(parse("--webhook-url", receiver.url()), context(statusDir))) {
                assertThat(again.lastCheckpoint()).isEqualTo(checkpoint);
            }
            assertThat(receiver.exchanges()).hasSize(2);
        }
    }

    @Test
    void doesNotAskForDdlCapture() {
        assertThat(new WebhookSinkProvider().capturesDdl(parse("--webhook-url", "http://localhost/"))).isFalse();
    }
}
