package io.pgflo.sink.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.json.EventJsonEncoder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one request (one event, or a JSON array of events) until it gets a 2xx, with Resilience4j's {@link Retry}
 * deciding whether and when to try again. Thread-safe: lanes share one poster.
 *
 * <p>Every attempt is a fresh request with the same body and {@code Idempotency-Key}; a signed request gets a new
 * {@code webhook-timestamp} and signature per attempt, so a retry after a long wait is not rejected as a replay.
 */
final class WebhookPoster {
    private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int BODY_SNIPPET_BYTES = 200;

    private final WebhookSinkConfig config;
    private final OkHttpClient client;
    private final HttpUrl url;
    private final String redactedUrl;
    private final Headers baseHeaders;
    private final StandardWebhooksSigner signer;
    private final EventJsonEncoder encoder = new EventJsonEncoder();
    private final Backoff backoff;
    private final Retry retry;
    private final Clock clock;

    WebhookPoster(WebhookSinkConfig config, OkHttpClient client, Clock clock) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.url = HttpUrl.get(config.url().toString()).newBuilder().username("").password("").build();
        this.redactedUrl = config.redactedUrl();
        Headers.Builder headers = new Headers.Builder();
        String urlAuthorization = WebhookSinkConfig.urlAuthorization(config.url());
        if (urlAuthorization != null) {
            headers.add("Authorization", urlAuthorization);
        }
        if (config.headers().stream().noneMatch(header -> header.name().equalsIgnoreCase("User-Agent"))) {
            headers.add("User-Agent", UserAgent.VALUE);
        }
        for (WebhookHeader header : config.headers()) {
            headers.add(header.name(), header.value());
        }
        this.baseHeaders = headers.build();
        this.signer = config.secret() == null ? null : new StandardWebhooksSigner(config.secret());
        this.backoff = new Backoff(config.initialBackoff(), config.maxBackoff());
        RetryConfig retryConfig = RetryConfig.<AttemptOutcome>custom()
                .maxAttempts(config.maxAttempts())
                .retryOnResult(AttemptOutcome::retryable)
                // An attempt reports failures as outcomes; anything thrown is an interrupt or a bug: never retried.
                .retryOnException(e -> false)
                .intervalBiFunction((retryNumber, last) -> last.isRight() && last.get().retryAfter() != null
                        ? backoff.millisForRetryAfter(last.get().retryAfter())
                        : backoff.millisBeforeRetry(retryNumber))
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of("webhook", retryConfig);
    }

    String redactedUrl() {
        return redactedUrl;
    }

    /**
     * Sends the events as one request. Returns when the receiver answered 2xx; throws {@link DeliveryFailure} when it
     * refused for good or the attempts ran out, and {@link DeliveryAbort.Aborted} when another lane's failure stopped it.
     *
     * @param abort the segment's abort signal, or null when this is the only request in flight
     */
    void post(List<ChangeEvent> events, DeliveryAbort abort) {
        boolean array = config.batchMode();
        String key = array ? IdempotencyKeys.ofArray(events) : IdempotencyKeys.of(events.get(0));
        byte[] body = array ? encoder.encodeArray(events) : encoder.encode(events.get(0));
        RequestBody requestBody = RequestBody.create(body, JSON);
        int[] attempts = {0};
        Callable<AttemptOutcome> attempt = () -> {
            int number = ++attempts[0];
            AttemptOutcome outcome = attemptOnce(key, body, requestBody, abort);
            if (outcome.retryable() && number < config.maxAttempts()) {
                log.warn("POST {} for {}: {} (attempt {} of {}); retrying", redactedUrl, describe(events),
                        outcome.describe(), number, config.maxAttempts());
            }
            return outcome;
        };
        AttemptOutcome outcome;
        try {
            outcome = retry.executeCallable(attempt);
        } catch (Exception e) {
            // Resilience4j's wait between attempts was interrupted: it sets the flag again and throws what it has.
            if (abort != null && abort.triggered()) {
                throw new DeliveryAbort.Aborted();
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("interrupted while waiting to retry POST " + redactedUrl + " for "
                        + describe(events), e);
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("POST " + redactedUrl + " for " + describe(events) + " failed", e);
        }
        if (outcome instanceof AttemptOutcome.Delivered) {
            return;
        }
        if (outcome instanceof AttemptOutcome.Aborted) {
            throw new DeliveryAbort.Aborted();
        }
        throw new DeliveryFailure(events, outcome, attempts[0]);
    }

    private AttemptOutcome attemptOnce(String key, byte[] body, RequestBody requestBody, DeliveryAbort abort) {
        if (abort != null && abort.triggered()) {
            return new AttemptOutcome.Aborted();
        }
        Request.Builder request = new Request.Builder()
                .url(url)
                .headers(baseHeaders)
                .header("Idempotency-Key", key)
                .post(requestBody);
        if (signer != null) {
            long timestamp = clock.instant().getEpochSecond();
            request.header("webhook-id", key)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signer.sign(key, timestamp, body));
        }
        Call call = client.newCall(request.build());
        if (abort != null && !abort.register(call)) {
            return new AttemptOutcome.Aborted();
        }
        try (Response response = call.execute()) {
            int status = response.code();
            if (status >= 200 && status <= 299) {
                return new AttemptOutcome.Delivered(status);
            }
            return rejected(response);
        } catch (IOException e) {
            if (abort != null && abort.triggered()) {
                return new AttemptOutcome.Aborted();
            }
            return TransportErrors.classify(e, url.host(), config.requestTimeout());
        } finally {
            if (abort != null) {
                abort.unregister(call);
            }
        }
    }

    private AttemptOutcome.Rejected rejected(Response response) throws IOException {
        int status = response.code();
        String retryAfterHeader = status == 429 || status == 503 ? response.header("Retry-After") : null;
        Duration retryAfter = retryAfterHeader == null ? null : RetryAfter.parse(retryAfterHeader, clock.instant());
        String location = null;
        if (status >= 300 && status <= 399 && response.header("Location") != null) {
            HttpUrl target = url.resolve(response.header("Location"));
            location = target == null ? "an invalid URL" : RedactedUrl.of(target);
        }
        return new AttemptOutcome.Rejected(status, response.message(), bodySnippet(response), location, retryAfter);
    }

    /** The start of an error answer's body, on one line, printable: receivers often say there what is wrong. */
    private static String bodySnippet(Response response) throws IOException {
        ResponseBody peeked = response.peekBody(BODY_SNIPPET_BYTES + 1L);
        byte[] bytes = peeked.bytes();
        boolean truncated = bytes.length > BODY_SNIPPET_BYTES;
        String text = new String(bytes, 0, Math.min(bytes.length, BODY_SNIPPET_BYTES), UTF_8);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? ' ' : c);
        }
        String line = out.toString().replaceAll(" {2,}", " ").strip();
        return truncated && !line.isEmpty() ? line + "..." : line;
    }

    /** {@code the event at LSN 0/16B3748 (public.users, commit 0/16B3800, ordinal 3)}, or the same for an array. */
    static String describe(List<ChangeEvent> events) {
        ChangeEvent first = events.get(0);
        String where = first.qualifiedTable() + ", commit " + first.commitLsn() + ", ordinal " + first.ordinal();
        if (events.size() == 1) {
            return "the event at LSN " + first.lsn() + " (" + where + ")";
        }
        ChangeEvent last = events.get(events.size() - 1);
        return events.size() + " events at LSN " + first.lsn() + " to " + last.lsn() + " (first: " + where + ")";
    }
}
