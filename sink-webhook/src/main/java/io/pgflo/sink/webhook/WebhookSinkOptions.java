package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The options of {@code pg_flo stream webhook}, declared as data. The host renders them as flags, environment variables
 * ({@code --webhook-secret} from {@code PGFLO_WEBHOOK_SECRET}, which keeps it out of {@code ps}) and help, and refuses a
 * bad value while parsing, naming the flag, before anything is created. What only the values together can say (a
 * maximum backoff below the first, credentials in the URL and an {@code Authorization} header) is checked by
 * {@link #toConfig}.
 *
 * <p>Nothing here shows a credential: the URL prints without user, password, query or fragment, a header as its name
 * only, and the secret is a secret option ({@code ****}).
 */
public final class WebhookSinkOptions {

    public static final Option<URI> URL = Option.of("webhook-url", rejectedAsArgument(WebhookSinkConfig::checkedUrl),
                    RedactedUrl::of)
            .required()
            .description("endpoint that receives a POST per event (http:// or https://)")
            .build();

    public static final Option<WebhookHeader> HEADER = Option.of("webhook-header",
                    rejectedAsArgument(WebhookHeader::parse), WebhookHeader::toString)
            .repeatable()
            .description("extra request header 'Name: value', e.g. 'Authorization: Bearer ...'; repeat for more")
            .build();

    /** Empty means none (an empty {@code PGFLO_WEBHOOK_SECRET}); anything else must be a usable signing key. */
    public static final Option<String> SECRET = Option.of("webhook-secret", rejectedAsArgument(text -> {
                if (!text.isEmpty()) {
                    StandardWebhooksSigner.keyOf(text);
                }
                return text;
            }), Function.identity())
            .secret()
            .description("sign requests (Standard Webhooks): whsec_<base64 key>, or any text used as the key's UTF-8 "
                    + "bytes; prefer the PGFLO_WEBHOOK_SECRET environment variable")
            .build();

    public static final Option<Integer> BATCH_SIZE = Option.wholeNumber("webhook-batch-size", 1,
                    WebhookSinkConfig.MAX_BATCH_SIZE)
            .defaultValue(WebhookSinkConfig.DEFAULT_BATCH_SIZE)
            .description("events per request: 1 posts each event as a JSON object, more posts a JSON array of up to this many")
            .build();

    public static final Option<Integer> MAX_ATTEMPTS = Option.wholeNumber("webhook-max-attempts", 0,
                    WebhookSinkConfig.MAX_ATTEMPTS_LIMIT)
            .defaultValue(WebhookSinkConfig.DEFAULT_MAX_ATTEMPTS)
            .description("attempts per request, the first included (3 is pg_flo's); 0: no limit but --webhook-retry-for. "
                    + "Network errors, timeouts, 408, 429 and 5xx are retried until either bound is reached")
            .build();

    /** A duration as every duration flag takes it, or {@code 0} for no time limit. */
    private static final Option<Duration> POSITIVE_RETRY_FOR = Option.duration("webhook-retry-for").build();

    public static final Option<Duration> RETRY_FOR = Option.of("webhook-retry-for",
                    WebhookSinkOptions::parseRetryFor,
                    value -> value.isZero() ? "0" : POSITIVE_RETRY_FOR.print(value))
            .defaultValue(WebhookSinkConfig.DEFAULT_RETRY_FOR)
            .description("how long a request is retried from its first attempt before the stream stops (e.g. 10m, "
                    + "2h); 0: no limit but --webhook-max-attempts")
            .build();

    public static final Option<Path> DEAD_LETTER = Option.path("webhook-dead-letter")
            .description("directory for events the receiver refuses with a 4xx (other than 408 and 429): each is "
                    + "written there, fsync'd, and the stream goes on; without it such a refusal stops the stream")
            .build();

    public static final Option<Long> BACKOFF_MS = Option.milliseconds("webhook-backoff-ms", 0, Long.MAX_VALUE)
            .defaultValue(WebhookSinkConfig.DEFAULT_INITIAL_BACKOFF.toMillis())
            .description("wait before the first retry; doubles for each further retry, with jitter")
            .build();

    public static final Option<Long> MAX_BACKOFF_MS = Option.milliseconds("webhook-max-backoff-ms", 0, Long.MAX_VALUE)
            .defaultValue(WebhookSinkConfig.DEFAULT_MAX_BACKOFF.toMillis())
            .description("longest wait between attempts, also the cap on a receiver's Retry-After")
            .build();

    public static final Option<Long> TIMEOUT_MS = Option.milliseconds("webhook-timeout-ms", 1,
                    WebhookSinkConfig.MAX_REQUEST_TIMEOUT.toMillis())
            .defaultValue(WebhookSinkConfig.DEFAULT_REQUEST_TIMEOUT.toMillis())
            .description("longest one attempt may take: connect, send, and read the answer")
            .build();

    public static final Option<Integer> LANES = Option.wholeNumber("webhook-lanes", 1, WebhookSinkConfig.MAX_LANES)
            .defaultValue(WebhookSinkConfig.DEFAULT_LANES)
            .description("requests in flight at once; changes to one row always share a lane and keep commit order, "
                    + "1 delivers everything in commit order")
            .build();

    private static Duration parseRetryFor(String text) {
        if (text.strip().equals("0")) {
            return Duration.ZERO;
        }
        Duration retryFor = POSITIVE_RETRY_FOR.parse(text);
        if (retryFor.compareTo(WebhookSinkConfig.MAX_RETRY_FOR) > 0) {
            throw new IllegalArgumentException("--webhook-retry-for must be at most "
                    + WebhookSinkConfig.MAX_RETRY_FOR.toDays() + "d (0 for no time limit), got '" + text + "'");
        }
        return retryFor;
    }

    /** Every option, in the order the help lists them. */
    public static final OptionSet ALL = OptionSet.of(URL, HEADER, SECRET, BATCH_SIZE, MAX_ATTEMPTS, RETRY_FOR,
            BACKOFF_MS, MAX_BACKOFF_MS, TIMEOUT_MS, LANES, DEAD_LETTER);

    private WebhookSinkOptions() {}

    /**
     * The configuration these values describe.
     *
     * @throws ConfigurationException with one line naming the flags, when values that parsed alone do not fit together
     */
    public static WebhookSinkConfig toConfig(OptionValues values) {
        String secret = values.get(SECRET);
        WebhookSinkConfig.Builder builder = WebhookSinkConfig.builder(values.get(URL).toString())
                .secret(secret == null || secret.isEmpty() ? null : secret)
                .batchSize(values.get(BATCH_SIZE))
                .maxAttempts(values.get(MAX_ATTEMPTS))
                .initialBackoff(Duration.ofMillis(values.get(BACKOFF_MS)))
                .maxBackoff(Duration.ofMillis(values.get(MAX_BACKOFF_MS)))
                .requestTimeout(Duration.ofMillis(values.get(TIMEOUT_MS)))
                .lanes(values.get(LANES))
                .retryFor(values.get(RETRY_FOR))
                .deadLetter(values.get(DEAD_LETTER));
        for (WebhookHeader header : values.all(HEADER)) {
            builder.header(header.name(), header.value());
        }
        return builder.build();
    }

    /**
     * The module's checks say what is wrong as a {@link ConfigurationException} naming the flag; a parser says it as the
     * {@link IllegalArgumentException} the host expects, with the same one line.
     */
    private static <T> Function<String, T> rejectedAsArgument(Function<String, T> parser) {
        return text -> {
            try {
                return parser.apply(text);
            } catch (ConfigurationException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        };
    }
}
