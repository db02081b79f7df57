package io.pgflo.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionKind;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.json.JsonStatusFile;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code pg_flo stream webhook}: found through the SPI, options declared as data and parsed by the SPI's
 * {@link OptionValues}, each value refused while parsing when it is wrong, the rest checked at create time.
 */
class WebhookSinkProviderTest {
    private static final WebhookSinkProvider PROVIDER = new WebhookSinkProvider();

    private static SinkContext context(Path statusDir) {
        return new SinkContext("g", statusDir, List.of());
    }

    private static OptionValues parse(Map<String, List<String>> given) {
        return OptionValues.parse(PROVIDER.options(), given);
    }

    private static OptionValues url(String url) {
        return parse(Map.of("webhook-url", List.of(url)));
    }

    @Test
    void isRegisteredForServiceLoaderAsWebhook() {
        List<SinkProvider> providers = ServiceLoader.load(SinkProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();

        assertThat(providers).filteredOn(p -> p.name().equals("webhook")).singleElement()
                .isInstanceOf(WebhookSinkProvider.class)
                .satisfies(p -> assertThat(p.description()).isNotBlank());
    }

    @Test
    void declaresTheFlagsInHelpOrderWithTheirKindsAndDefaults() {
        List<Option<?>> options = StreamSupport.stream(PROVIDER.options().spliterator(), false).toList();

        assertThat(options).extracting(Option::flag).containsExactly("--webhook-url", "--webhook-header",
                "--webhook-secret", "--webhook-batch-size", "--webhook-max-attempts", "--webhook-retry-for",
                "--webhook-backoff-ms", "--webhook-max-backoff-ms", "--webhook-timeout-ms", "--webhook-lanes",
                "--webhook-dead-letter");
        assertThat(options).filteredOn(Option::required).extracting(Option::name).containsExactly("webhook-url");
        assertThat(options).filteredOn(Option::secret).extracting(Option::name).containsExactly("webhook-secret");
        assertThat(options).filteredOn(Option::repeatable).extracting(Option::name).containsExactly("webhook-header");
        assertThat(options).allSatisfy(option -> assertThat(option.description()).isNotBlank());
        assertThat(options).filteredOn(option -> option.defaultValue().isPresent())
                .extracting(Option::name, option -> option.defaultValue().get()).containsExactly(
                        tuple("webhook-batch-size", 1),
                        tuple("webhook-max-attempts", 0),
                        tuple("webhook-retry-for", Duration.ofMinutes(10)),
                        tuple("webhook-backoff-ms", 500L),
                        tuple("webhook-max-backoff-ms", 30_000L),
                        tuple("webhook-timeout-ms", 30_000L),
                        tuple("webhook-lanes", 4));
        assertThat(WebhookSinkOptions.LANES.kind()).isEqualTo(OptionKind.WHOLE_NUMBER);
        assertThat(WebhookSinkOptions.TIMEOUT_MS.kind()).isEqualTo(OptionKind.WHOLE_NUMBER);
        assertThat(WebhookSinkOptions.SECRET.environmentVariable()).isEqualTo("PGFLO_WEBHOOK_SECRET");
    }

    @Test
    void theDefaultsAreTheConfigDefaults() {
        OptionValues values = url("http://localhost:1/");

        assertThat(WebhookSinkOptions.toConfig(values)).isEqualTo(WebhookSinkConfig.builder("http://localhost:1/").build());
        assertThat(values.describe()).containsExactly(Map.entry("webhook-url", "http://localhost:1/"),
                Map.entry("webhook-batch-size", "1"), Map.entry("webhook-max-attempts", "0"),
                Map.entry("webhook-retry-for", "10m"), Map.entry("webhook-backoff-ms", "500"), Map.entry("webhook-max-backoff-ms", "30000"),
                Map.entry("webhook-timeout-ms", "30000"), Map.entry("webhook-lanes", "4"));
    }

    @Test
    void parsesEveryFlag() {
        OptionValues values = parse(Map.ofEntries(
                Map.entry("webhook-url", List.of("https://hooks.example.com/pg")),
                Map.entry("webhook-header", List.of("Authorization: Bearer abc")),
                Map.entry("webhook-secret", List.of("whsec_c2VjcmV0LWtleS1ieXRlcw==")),
                Map.entry("webhook-batch-size", List.of("50")),
                Map.entry("webhook-max-attempts", List.of("5")),
                Map.entry("webhook-backoff-ms", List.of("250")),
                Map.entry("webhook-max-backoff-ms", List.of("4000")),
                Map.entry("webhook-timeout-ms", List.of("1500")),
                Map.entry("webhook-lanes", List.of("8")),
                Map.entry("webhook-retry-for", List.of("2h")),
                Map.entry("webhook-dead-letter", List.of("/var/lib/pg_flo/dead"))));

        WebhookSinkConfig config = WebhookSinkOptions.toConfig(values);
        assertThat(config.url()).isEqualTo(URI.create("https://hooks.example.com/pg"));
        assertThat(config.headers()).containsExactly(new WebhookHeader("Authorization", "Bearer abc"));
        assertThat(config.secret()).isEqualTo("whsec_c2VjcmV0LWtleS1ieXRlcw==");
        assertThat(config.batchSize()).isEqualTo(50);
        assertThat(config.maxAttempts()).isEqualTo(5);
        assertThat(config.initialBackoff()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.maxBackoff()).isEqualTo(Duration.ofMillis(4000));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.lanes()).isEqualTo(8);
        assertThat(config.retryFor()).isEqualTo(Duration.ofHours(2));
        assertThat(config.deadLetter()).isEqualTo(Path.of("/var/lib/pg_flo/dead"));
    }

    @Test
    void zeroRetryForMeansNoTimeLimitAndZeroAttemptsNoCount() {
        WebhookSinkConfig config = WebhookSinkOptions.toConfig(parse(Map.of("webhook-url", List.of("http://localhost/"),
                "webhook-retry-for", List.of("0"), "webhook-max-attempts", List.of("3"))));

        assertThat(config.limitsRetryTime()).isFalse();
        assertThat(config.limitsAttempts()).isTrue();
        assertThat(WebhookSinkConfig.builder("http://localhost/").build().limitsAttempts()).isFalse();
        assertThat(WebhookSinkOptions.RETRY_FOR.print(Duration.ZERO)).isEqualTo("0");
    }

    @Test
    void theExtremesOfEveryRangeAreTaken() {
        WebhookSinkConfig low = WebhookSinkOptions.toConfig(parse(Map.of("webhook-url", List.of("http://localhost/"),
                "webhook-batch-size", List.of("1"), "webhook-max-attempts", List.of("1"),
                "webhook-backoff-ms", List.of("0"), "webhook-max-backoff-ms", List.of("0"),
                "webhook-timeout-ms", List.of("1"), "webhook-lanes", List.of("1"))));
        WebhookSinkConfig high = WebhookSinkOptions.toConfig(parse(Map.of("webhook-url", List.of("http://localhost/"),
                "webhook-batch-size", List.of("100000"), "webhook-max-attempts", List.of("100"),
                "webhook-backoff-ms", List.of("60000"), "webhook-max-backoff-ms", List.of("9223372036854775807"),
                "webhook-timeout-ms", List.of("2147483647"), "webhook-lanes", List.of("64"))));

        assertThat(low).extracting(WebhookSinkConfig::batchSize, WebhookSinkConfig::maxAttempts,
                WebhookSinkConfig::initialBackoff, WebhookSinkConfig::maxBackoff, WebhookSinkConfig::requestTimeout,
                WebhookSinkConfig::lanes)
                .containsExactly(1, 1, Duration.ZERO, Duration.ZERO, Duration.ofMillis(1), 1);
        assertThat(high).extracting(WebhookSinkConfig::batchSize, WebhookSinkConfig::maxAttempts,
                WebhookSinkConfig::initialBackoff, WebhookSinkConfig::maxBackoff, WebhookSinkConfig::requestTimeout,
                WebhookSinkConfig::lanes)
                .containsExactly(100_000, 100, Duration.ofMinutes(1), Duration.ofMillis(Long.MAX_VALUE),
                        Duration.ofMillis(Integer.MAX_VALUE), 64);
    }

    @Test
    void repeatedHeadersAreAllKeptInOrderWithTheirValuesWhole() {
        OptionValues values = parse(Map.of("webhook-url", List.of("http://localhost/"), "webhook-header",
                List.of("Authorization: Bearer abc", "Accept: application/json, text/plain", "X-Empty:")));

        assertThat(WebhookSinkOptions.toConfig(values).headers()).containsExactly(
                new WebhookHeader("Authorization", "Bearer abc"),
                new WebhookHeader("Accept", "application/json, text/plain"),
                new WebhookHeader("X-Empty", ""));
    }

    @Test
    void theUrlIsRequired() {
        assertThatThrownBy(() -> parse(Map.of("webhook-lanes", List.of("2"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("missing required flag --webhook-url (endpoint that receives a POST per event "
                        + "(http:// or https://))");
    }

    @Test
    void describeNeverShowsTheSecretAHeaderValueOrTheUrlsCredentials() {
        OptionValues values = parse(Map.of(
                "webhook-url", List.of("https://user:pa55word@hooks.example.com/pg?token=t0ken#frag"),
                "webhook-header", List.of("X-Api-Key: k3y"),
                "webhook-secret", List.of("whsec_c2VjcmV0LWtleS1ieXRlcw==")));

        assertThat(values.describe())
                .containsEntry("webhook-secret", "****")
                .containsEntry("webhook-url", "https://hooks.example.com/pg")
                .containsEntry("webhook-header", "X-Api-Key: ***");
        assertThat(values.describe().toString() + values)
                .doesNotContain("c2VjcmV0LWtleS1ieXRlcw", "pa55word", "t0ken", "frag", "k3y");
        // The values themselves are whole.
        assertThat(WebhookSinkOptions.toConfig(values).url().toString())
                .isEqualTo("https://user:pa55word@hooks.example.com/pg?token=t0ken#frag");
    }

    @Test
    void anEmptySecretMeansUnsignedRequests() {
        OptionValues values = parse(Map.of("webhook-url", List.of("http://localhost/"), "webhook-secret", List.of("")));

        assertThat(WebhookSinkOptions.toConfig(values).signs()).isFalse();
    }

    /** Each bad value alone: refused while the host parses, before the provider is asked for anything. */
    @ParameterizedTest(name = "--{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            webhook-url            | ftp://example.com/                 | --webhook-url must be an http:// or https:// URL, got scheme 'ftp'
            webhook-url            | hooks.example.com/pg               | --webhook-url must be an absolute http:// or https:// URL
            webhook-url            | "  "                               | --webhook-url is empty
            webhook-url            | http://user:pa55word@[::1/?t0ken   | --webhook-url is not a valid
            webhook-url            | https://:443/x                     | --webhook-url is not a valid
            webhook-header         | NoColon                            | --webhook-header must look like 'Name: value', got text without ':'
            webhook-header         | ": pa55word"                       | --webhook-header must look like 'Name: value', got nothing before ':'
            webhook-header         | "Bad Name: pa55word"               | --webhook-header name 'Bad Name' is not a valid HTTP header name
            webhook-header         | "Content-Type: text/plain"         | --webhook-header Content-Type is set by the webhook sink itself
            webhook-header         | "X-Key: pa55wörd"                  | --webhook-header X-Key has a value with a line break, control or non-ASCII character
            webhook-secret         | whsec_pa55word!!                   | --webhook-secret starts with whsec_ but the rest is not base64
            webhook-secret         | whsec_                             | --webhook-secret is whsec_ with no key after it
            webhook-batch-size     | 0                                  | --webhook-batch-size must be a whole number from 1 to 100000, got '0'
            webhook-batch-size     | 100001                             | --webhook-batch-size must be a whole number from 1 to 100000, got '100001'
            webhook-batch-size     | ten                                | --webhook-batch-size must be a whole number from 1 to 100000, got 'ten'
            webhook-max-attempts   | -1                                 | --webhook-max-attempts must be a whole number from 0 to 100, got '-1'
            webhook-max-attempts   | 101                                | --webhook-max-attempts must be a whole number from 0 to 100, got '101'
            webhook-retry-for      | soon                               | --webhook-retry-for
            webhook-retry-for      | -5m                                | --webhook-retry-for
            webhook-retry-for      | 400d                               | --webhook-retry-for must be at most 365d (0 for no time limit), got '400d'
            webhook-backoff-ms     | -1                                 | --webhook-backoff-ms must be a whole number of milliseconds from 0 to 9223372036854775807, got '-1'
            webhook-backoff-ms     | 1s                                 | --webhook-backoff-ms must be a whole number of milliseconds from 0 to 9223372036854775807, got '1s'
            webhook-max-backoff-ms | -1                                 | --webhook-max-backoff-ms must be a whole number of milliseconds from 0 to 9223372036854775807, got '-1'
            webhook-timeout-ms     | 0                                  | --webhook-timeout-ms must be a whole number of milliseconds from 1 to 2147483647, got '0'
            webhook-timeout-ms     | 2147483648                         | --webhook-timeout-ms must be a whole number of milliseconds from 1 to 2147483647, got '2147483648'
            webhook-lanes          | 0                                  | --webhook-lanes must be a whole number from 1 to 64, got '0'
            webhook-lanes          | 65                                 | --webhook-lanes must be a whole number from 1 to 64, got '65'
            """)
    void everyBadValueIsRefusedWhileParsingInOneLineNamingTheFlag(String name, String text, String message) {
        Map<String, List<String>> given = name.equals("webhook-url")
                ? Map.of(name, List.of(text))
                : Map.of("webhook-url", List.of("http://localhost/"), name, List.of(text));

        assertThatThrownBy(() -> parse(given))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "pa55word", "t0ken"));
    }

    @Test
    void valuesThatDoNotFitTogetherAreConfigurationErrorsAtCreateTime(@TempDir Path statusDir) {
        OptionValues backoffs = parse(Map.of("webhook-url", List.of("http://localhost/"),
                "webhook-backoff-ms", List.of("5000"), "webhook-max-backoff-ms", List.of("1000")));
        OptionValues credentialsTwice = parse(Map.of("webhook-url", List.of("http://user:pa55word@localhost/"),
                "webhook-header", List.of("Authorization: Bearer abc")));

        assertThatThrownBy(() -> PROVIDER.create(backoffs, context(statusDir)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--webhook-max-backoff-ms (1000) must not be less than --webhook-backoff-ms (5000)");
        assertThatThrownBy(() -> PROVIDER.create(credentialsTwice, context(statusDir)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("--webhook-url has a user and password")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pa55word"));
    }

    @Test
    void aHostThatDoesNotResolveIsAConfigurationErrorAtCreateTime(@TempDir Path statusDir) {
        OptionValues values = url("https://no-such-receiver.invalid/hook?key=s3cret");

        assertThatThrownBy(() -> PROVIDER.create(values, context(statusDir)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--webhook-url host no-such-receiver.invalid does not resolve; check the name and this machine's DNS");
    }

    @Test
    void keepsItsCheckpointInTheStatusDirectory(@TempDir Path statusDir) {
        try (RecordingReceiver receiver = new RecordingReceiver()) {
            Position checkpoint;
            try (Sink sink = PROVIDER.create(url(receiver.url()), context(statusDir))) {
                var events = TestEvents.inserts(2);
                TestEvents.write(sink, TestEvents.batch(events));
                checkpoint = Position.afterTransaction(events.get(1).commitLsn());
            }
            assertThat(new JsonStatusFile(statusDir.resolve("pg_flo_webhook_last_lsn.json")).load()).isEqualTo(checkpoint);
            try (Sink again = PROVIDER.create(url(receiver.url()), context(statusDir))) {
                assertThat(again.lastCheckpoint()).isEqualTo(checkpoint);
            }
            assertThat(receiver.exchanges()).hasSize(2);
        }
    }

    @Test
    void asksForNeitherDdlCaptureNorProvisionalChanges() {
        OptionValues values = url("http://localhost/");

        assertThat(PROVIDER.capturesDdl(values)).isFalse();
        assertThat(PROVIDER.acceptsProvisionalChanges(values)).isFalse();
    }
}
