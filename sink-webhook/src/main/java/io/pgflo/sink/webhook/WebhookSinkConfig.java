package io.pgflo.sink.webhook;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * How the webhook sink delivers: where, with which extra headers and signing secret, how many events per request,
 * how it retries, and how many requests may be in flight.
 *
 * <p>Validated on construction: anything wrong is a {@link ConfigurationException} with one line that names the flag.
 * {@link #toString()} never shows the secret, header values or the URL's credentials and query.
 *
 * @param url the endpoint; {@code http} or {@code https}
 * @param headers extra headers sent with every request, in order
 * @param secret the Standard Webhooks signing secret ({@code whsec_<base64>}, or any other text used as its UTF-8
 *     bytes), or null to send unsigned requests
 * @param batchSize events per request: 1 sends each event as a JSON object, more sends a JSON array of up to this many
 * @param maxAttempts attempts per request, the first included (1 = no retries); 0 for no limit but {@code retryFor}
 * @param initialBackoff the wait before the first retry; it doubles with every further retry, with jitter
 * @param maxBackoff the longest wait between attempts, also the cap for a receiver's {@code Retry-After}
 * @param requestTimeout the longest one attempt may take: connect, send, and read the answer
 * @param lanes how many requests may be in flight at once; changes to one row always share a lane, in order
 * @param retryFor how long a request is retried, from its first attempt; {@link Duration#ZERO} for no limit but
 *     {@code maxAttempts}. Whichever bound is reached first ends the retries
 * @param deadLetter where requests a receiver refuses for good with a 4xx are written, so that the stream goes on;
 *     null to stop the stream on such a refusal
 */
public record WebhookSinkConfig(
        URI url,
        List<WebhookHeader> headers,
        String secret,
        int batchSize,
        int maxAttempts,
        Duration initialBackoff,
        Duration maxBackoff,
        Duration requestTimeout,
        int lanes,
        Duration retryFor,
        Path deadLetter) {

    public static final int DEFAULT_BATCH_SIZE = 1;
    /** No limit on attempts: {@link #DEFAULT_RETRY_FOR} bounds the retries, so a receiver's redeploy passes unnoticed. */
    public static final int DEFAULT_MAX_ATTEMPTS = 0;
    public static final Duration DEFAULT_RETRY_FOR = Duration.ofMinutes(10);
    /** A year: longer is "no time limit" ({@code 0}), and would overflow the nanosecond clock arithmetic. */
    public static final Duration MAX_RETRY_FOR = Duration.ofDays(365);
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Four requests in flight: enough to hide the round trip of a local or same-region receiver (one lane is bound to
     * one round trip per event), few enough not to flood a small receiver. See the module README.
     */
    public static final int DEFAULT_LANES = 4;
    public static final int MAX_LANES = 64;
    public static final int MAX_BATCH_SIZE = 100_000;
    public static final int MAX_ATTEMPTS_LIMIT = 100;
    public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    public WebhookSinkConfig {
        requireNonNull(url, "url is null");
        checkUrl(url);
        headers = List.copyOf(requireNonNull(headers, "headers is null"));
        // The credentials as the request will carry them: java.net.URI sees no user in a host with an underscore
        // (my_service), OkHttp does, and would send its basic authentication beside the header's.
        if (urlAuthorization(url) != null
                && headers.stream().anyMatch(header -> header.name().equalsIgnoreCase("Authorization"))) {
            throw new ConfigurationException("--webhook-url has a user and password (sent as basic authentication) and "
                    + "--webhook-header sets Authorization too; give the credentials one way");
        }
        if (secret != null) {
            StandardWebhooksSigner.keyOf(secret);
        }
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new ConfigurationException("--webhook-batch-size must be between 1 and " + MAX_BATCH_SIZE + ", got " + batchSize);
        }
        if (maxAttempts < 0 || maxAttempts > MAX_ATTEMPTS_LIMIT) {
            throw new ConfigurationException("--webhook-max-attempts must be between 0 and " + MAX_ATTEMPTS_LIMIT
                    + " (1 means no retries, 0 no limit but --webhook-retry-for), got " + maxAttempts);
        }
        requireNonNull(retryFor, "retryFor is null");
        if (retryFor.isNegative() || retryFor.compareTo(MAX_RETRY_FOR) > 0) {
            throw new ConfigurationException("--webhook-retry-for must be between 0 (no time limit) and "
                    + MAX_RETRY_FOR.toDays() + "d, got " + retryFor);
        }
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(requestTimeout, "requestTimeout is null");
        if (initialBackoff.isNegative()) {
            throw new ConfigurationException("--webhook-backoff-ms must not be negative, got " + initialBackoff.toMillis());
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new ConfigurationException("--webhook-max-backoff-ms (" + maxBackoff.toMillis()
                    + ") must not be less than --webhook-backoff-ms (" + initialBackoff.toMillis() + ")");
        }
        if (requestTimeout.compareTo(Duration.ofMillis(1)) < 0 || requestTimeout.compareTo(MAX_REQUEST_TIMEOUT) > 0) {
            // OkHttp takes timeouts up to Integer.MAX_VALUE milliseconds.
            throw new ConfigurationException("--webhook-timeout-ms must be between 1 and " + MAX_REQUEST_TIMEOUT.toMillis()
                    + ", got " + requestTimeout.toMillis());
        }
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new ConfigurationException("--webhook-lanes must be between 1 and " + MAX_LANES + ", got " + lanes);
        }
    }

    /** A builder with the defaults, for this URL (parsed and checked when {@link Builder#build()} runs). */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** A builder starting from this configuration. */
    public Builder toBuilder() {
        Builder builder = new Builder(url.toString());
        builder.headers.addAll(headers);
        return builder.secret(secret).batchSize(batchSize).maxAttempts(maxAttempts).initialBackoff(initialBackoff)
                .maxBackoff(maxBackoff).requestTimeout(requestTimeout).lanes(lanes).retryFor(retryFor)
                .deadLetter(deadLetter);
    }

    /** Whether requests are signed. */
    public boolean signs() {
        return secret != null;
    }

    /** Whether requests carry a JSON array of events rather than one event. */
    public boolean batchMode() {
        return batchSize > 1;
    }

    /** Whether the attempts of a request are bounded by number ({@code --webhook-max-attempts} above 0). */
    public boolean limitsAttempts() {
        return maxAttempts > 0;
    }

    /** Whether the retries of a request are bounded by time ({@code --webhook-retry-for} above 0). */
    public boolean limitsRetryTime() {
        return !retryFor.isZero();
    }

    /**
     * The {@code Authorization} header for a user or password in the URL (basic authentication, as curl sends it:
     * OkHttp itself sends nothing for them), or null when the URL has neither.
     */
    static String urlAuthorization(URI url) {
        HttpUrl parsed = HttpUrl.get(url.toString());
        if (parsed.username().isEmpty() && parsed.password().isEmpty()) {
            return null;
        }
        return Credentials.basic(parsed.username(), parsed.password(), StandardCharsets.UTF_8);
    }

    /** The URL for messages and logs: no user, password, query or fragment, which may hold credentials. */
    public String redactedUrl() {
        return RedactedUrl.of(url);
    }

    @Override
    public String toString() {
        return "WebhookSinkConfig[url=" + redactedUrl() + ", headers=" + headers + ", signed=" + signs()
                + ", batchSize=" + batchSize + ", maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff
                + ", maxBackoff=" + maxBackoff + ", requestTimeout=" + requestTimeout + ", lanes=" + lanes
                + ", retryFor=" + retryFor + ", deadLetter=" + deadLetter + "]";
    }

    private static void checkUrl(URI url) {
        String scheme = url.getScheme();
        if (scheme == null) {
            throw new ConfigurationException("--webhook-url must be an absolute http:// or https:// URL");
        }
        String lower = scheme.toLowerCase(Locale.ROOT);
        if (!lower.equals("http") && !lower.equals("https")) {
            throw new ConfigurationException("--webhook-url must be an http:// or https:// URL, got scheme '" + scheme + "'");
        }
        HttpUrl parsed = HttpUrl.parse(url.toString());
        if (parsed == null || parsed.host().isEmpty()) {
            // The input is not echoed: a URL may carry credentials.
            throw new ConfigurationException("--webhook-url is not a valid http(s) URL (expected http(s)://host[:port]/path)");
        }
    }

    /**
     * The URL {@code --webhook-url} gives, parsed and checked as the constructor checks it: absolute, http or https,
     * with a host. Messages never echo the text, which may hold credentials.
     */
    static URI checkedUrl(String text) {
        URI url = parseUrl(text);
        checkUrl(url);
        return url;
    }

    static URI parseUrl(String text) {
        requireNonNull(text, "url is null");
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new ConfigurationException("--webhook-url is empty");
        }
        try {
            return new URI(trimmed);
        } catch (URISyntaxException e) {
            // OkHttp's parser is as lenient as a browser (it encodes a stray space, say); the JDK's is strict.
            HttpUrl lenient = HttpUrl.parse(trimmed);
            if (lenient != null) {
                return lenient.uri();
            }
            // The input is not echoed: a URL may carry credentials. The reason and position are enough to find it.
            throw new ConfigurationException("--webhook-url is not a valid URL (" + e.getReason() + " at index "
                    + e.getIndex() + ")", e);
        }
    }

    /** Builds a {@link WebhookSinkConfig}; every setter is optional except the URL given to {@link #builder}. */
    public static final class Builder {
        private final String url;
        private final List<WebhookHeader> headers = new ArrayList<>();
        private String secret;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialBackoff = DEFAULT_INITIAL_BACKOFF;
        private Duration maxBackoff = DEFAULT_MAX_BACKOFF;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int lanes = DEFAULT_LANES;
        private Duration retryFor = DEFAULT_RETRY_FOR;
        private Path deadLetter;

        private Builder(String url) {
            this.url = url;
        }

        public Builder header(String name, String value) {
            headers.add(new WebhookHeader(name, value));
            return this;
        }

        /** A header written as {@code Name: value}, as {@code --webhook-header} takes it. */
        public Builder header(String line) {
            headers.add(WebhookHeader.parse(line));
            return this;
        }

        /** The signing secret, or null for none. */
        public Builder secret(String secret) {
            this.secret = secret;
            return this;
        }

        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialBackoff(Duration initialBackoff) {
            this.initialBackoff = initialBackoff;
            return this;
        }

        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Builder lanes(int lanes) {
            this.lanes = lanes;
            return this;
        }

        /** How long a request is retried from its first attempt; {@link Duration#ZERO} for no time limit. */
        public Builder retryFor(Duration retryFor) {
            this.retryFor = retryFor;
            return this;
        }

        /** The dead-letter directory for requests refused with a 4xx, or null to stop on them. */
        public Builder deadLetter(Path deadLetter) {
            this.deadLetter = deadLetter;
            return this;
        }

        public WebhookSinkConfig build() {
            return new WebhookSinkConfig(parseUrl(url), headers, secret, batchSize, maxAttempts, initialBackoff,
                    maxBackoff, requestTimeout, lanes, retryFor, deadLetter);
        }
    }
}
