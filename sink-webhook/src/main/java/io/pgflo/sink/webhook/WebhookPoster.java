package io.pgflo.sink.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.pgflo.domain.DeliveryMonitor;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.json.EventJsonEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    /** Every 2xx is as good as another: one outcome for all, not one per request. */
    private static final AttemptOutcome DELIVERED = new AttemptOutcome.Delivered(200);

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
    private final DeliveryMonitor monitor;
    private final RetryEpisodes episodes;
    /** Null without {@code --webhook-dead-letter}: a 4xx then stops the stream. */
    private final DeadLetterDirectory deadLetters;

    WebhookPoster(WebhookSinkConfig config, OkHttpClient client, Clock clock) {
        this(config, client, clock, DeliveryMonitor.NONE);
    }

    WebhookPoster(WebhookSinkConfig config, OkHttpClient client, Clock clock, DeliveryMonitor monitor) {
        this.config = config;
        this.client = client;
        this.clock = clock;
        this.monitor = monitor;
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
        this.episodes = new RetryEpisodes(monitor, redactedUrl);
        this.deadLetters = config.deadLetter() == null ? null : new DeadLetterDirectory(config.deadLetter());
        RetryConfig retryConfig = RetryConfig.<Tried>custom()
                // Both bounds apply, whichever comes first; without a limit on attempts, --webhook-retry-for alone.
                .maxAttempts(config.limitsAttempts() ? config.maxAttempts() : Integer.MAX_VALUE)
                .retryOnResult(Tried::again)
                // An attempt reports failures as outcomes; anything thrown is an interrupt or a bug: never retried.
                .retryOnException(e -> false)
                .intervalBiFunction((attempt, last) -> waitBeforeRetry(attempt, last.get()))
                .failAfterMaxAttempts(false)
                .build();
        this.retry = Retry.of("webhook", retryConfig);
    }

    String redactedUrl() {
        return redactedUrl;
    }

    /** Nothing waits to retry any more: the sink is closing. */
    void close() {
        episodes.close();
    }

    /**
     * One attempt's outcome and whether to try again: retryable, and within {@code --webhook-retry-for} of the first
     * attempt (the attempt count is Resilience4j's to bound).
     */
    private record Tried(AttemptOutcome outcome, boolean again, long deadlineNanos, List<ChangeEvent> events) {}

    /**
     * Sends the events as one request. Returns when the receiver answered 2xx, or when it refused the request with a
     * 4xx and the dead-letter directory took it; throws {@link DeliveryFailure} when it refused for good or the
     * retries ran out, and {@link DeliveryAbort.Aborted} when another lane's failure stopped it.
     *
     * @param abort the segment's abort signal, or null when this is the only request in flight
     */
    void post(List<ChangeEvent> events, DeliveryAbort abort) {
        boolean array = config.batchMode();
        String key = array ? IdempotencyKeys.ofArray(events) : IdempotencyKeys.of(events.get(0));
        RequestBodyBuffer body = RequestBodyBuffer.forThisThread();
        try {
            encode(events, array, body);
            send(events, abort, key, body);
        } finally {
            body.release();
        }
    }

    private void encode(List<ChangeEvent> events, boolean array, RequestBodyBuffer body) {
        try {
            if (array) {
                encoder.writeArray(events, body);
            } else {
                encoder.write(events.get(0), body);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + describe(events), e);
        }
    }

    /** Sends the encoded body, retried as configured; what {@link #post} returns or throws. */
    private void send(List<ChangeEvent> events, DeliveryAbort abort, String key, RequestBodyBuffer body) {
        long startNanos = System.nanoTime();
        long deadlineNanos = startNanos + config.retryFor().toNanos();
        int[] attempts = {0};
        Callable<Tried> attempt = () -> {
            attempts[0]++;
            AttemptOutcome outcome = attemptOnce(key, body, abort);
            boolean again = outcome.retryable()
                    && (!config.limitsRetryTime() || System.nanoTime() - deadlineNanos < 0);
            return new Tried(outcome, again, deadlineNanos, events);
        };
        AttemptOutcome outcome = null;
        try {
            outcome = retry.executeCallable(attempt).outcome();
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
        } finally {
            if (attempts[0] > 1) {
                episodes.requestSettled(outcome instanceof AttemptOutcome.Delivered);
            }
        }
        if (outcome instanceof AttemptOutcome.Delivered) {
            return;
        }
        if (outcome instanceof AttemptOutcome.Aborted) {
            throw new DeliveryAbort.Aborted();
        }
        if (deadLetters != null && outcome instanceof AttemptOutcome.Rejected refused && refused.deadLetter()) {
            java.nio.file.Path file = deadLetters.write(redactedUrl, key, body.toByteArray(), config.batchMode(),
                    refused);
            log.warn("POST {} answered {} for {}; not retried, written to the dead-letter file {} and the stream goes on",
                    redactedUrl, refused.describe(), describe(events), file);
            return;
        }
        String limit = !outcome.retryable() ? null
                : config.limitsAttempts() && attempts[0] >= config.maxAttempts()
                        ? "--webhook-max-attempts " + config.maxAttempts()
                        : "--webhook-retry-for " + WebhookSinkOptions.RETRY_FOR.print(config.retryFor());
        throw new DeliveryFailure(events, outcome, attempts[0], Duration.ofNanos(System.nanoTime() - startNanos), limit);
    }

    /** The wait before retry {@code attempt} (the attempt that just failed), logged once per back-off step. */
    private long waitBeforeRetry(int attempt, Tried last) {
        Duration retryAfter = last.outcome().retryAfter();
        long wait = retryAfter != null ? backoff.millisForRetryAfter(retryAfter) : backoff.millisBeforeRetry(attempt);
        String bound = "";
        if (config.limitsRetryTime()) {
            long left = Math.max(0, (last.deadlineNanos() - System.nanoTime()) / 1_000_000);
            // The last attempt lands at the deadline rather than a whole back-off past it.
            wait = Math.min(wait, left);
            bound = "retrying for up to " + Duration.ofMillis(left).toSeconds() + " s more (--webhook-retry-for)";
        }
        if (config.limitsAttempts()) {
            bound += (bound.isEmpty() ? "" : " or ") + "attempt " + (attempt + 1) + " of " + config.maxAttempts()
                    + " (--webhook-max-attempts)";
        }
        if (bound.isEmpty()) {
            bound = "retrying until it works (no --webhook-retry-for or --webhook-max-attempts limit)";
        }
        episodes.backingOff(attempt, describe(last.events()), last.outcome().describe(), wait, bound);
        return wait;
    }

    private AttemptOutcome attemptOnce(String key, RequestBodyBuffer body, DeliveryAbort abort) {
        if (abort != null && abort.triggered()) {
            return new AttemptOutcome.Aborted();
        }
        Request.Builder request = new Request.Builder()
                .url(url)
                .headers(baseHeaders)
                .header("Idempotency-Key", key)
                .post(body.requestBody(JSON));
        if (signer != null) {
            long timestamp = clock.instant().getEpochSecond();
            request.header("webhook-id", key)
                    .header("webhook-timestamp", Long.toString(timestamp))
                    .header("webhook-signature", signer.sign(key, timestamp, body.array(), body.size()));
        }
        Call call = client.newCall(request.build());
        if (abort != null && !abort.register(call)) {
            return new AttemptOutcome.Aborted();
        }
        try (Response response = call.execute()) {
            int status = response.code();
            monitor.requestEnded(StatusCodes.label(status));
            if (status >= 200 && status <= 299) {
                return DELIVERED;
            }
            return rejected(response);
        } catch (IOException e) {
            if (abort != null && abort.triggered()) {
                return new AttemptOutcome.Aborted();
            }
            monitor.requestEnded(TransportErrors.label(e));
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
