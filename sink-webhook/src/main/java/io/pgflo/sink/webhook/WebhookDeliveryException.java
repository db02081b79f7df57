package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Lsn;

/**
 * The receiver did not take an event: it refused it for good (a 3xx or a 4xx other than 408 and 429, an untrusted
 * certificate), or every attempt failed. The message names the URL (without credentials or query), the answer or
 * network error, and the event's LSN. The checkpoint stays before the event's transaction (at the batch's delivered
 * prefix, see {@link WebhookSink}), so a restart delivers the event again.
 */
public final class WebhookDeliveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String url;
    private final int statusCode;
    private final Lsn lsn;
    private final int attempts;
    private final boolean retryable;
    private final Position checkpoint;

    WebhookDeliveryException(String url, DeliveryFailure failure, Position checkpoint) {
        super(message(url, failure, checkpoint), failure.getCause());
        ChangeEvent first = failure.events.get(0);
        this.url = url;
        this.statusCode = failure.outcome instanceof AttemptOutcome.Rejected rejected ? rejected.status() : -1;
        this.lsn = first.lsn();
        this.attempts = failure.attempts;
        this.retryable = failure.outcome.retryable();
        this.checkpoint = checkpoint;
    }

    /** The endpoint, without user, password, query or fragment. */
    public String url() {
        return url;
    }

    /** The last HTTP status, or -1 when the last attempt got no answer (a network error or timeout). */
    public int statusCode() {
        return statusCode;
    }

    /** The LSN of the (first) event of the request that failed. */
    public Lsn lsn() {
        return lsn;
    }

    /** How many attempts were made. */
    public int attempts() {
        return attempts;
    }

    /** False when the receiver refused for good and retrying could not help; true when the attempts ran out. */
    public boolean retriesExhausted() {
        return retryable;
    }

    /** The checkpoint saved when the batch failed (its delivered prefix, or the one before it): where a restart resumes. */
    public Position checkpoint() {
        return checkpoint;
    }

    /** {@code 12 attempts over 600 s (--webhook-retry-for 10m)}. */
    private static String giveUp(DeliveryFailure failure, String attempts) {
        String text = attempts + " over " + failure.retriedFor.toSeconds() + " s";
        return failure.limit == null ? text : text + " (" + failure.limit + ")";
    }

    private static String message(String url, DeliveryFailure failure, Position checkpoint) {
        AttemptOutcome outcome = failure.outcome;
        String what = WebhookPoster.describe(failure.events);
        String attempts = failure.attempts + (failure.attempts == 1 ? " attempt" : " attempts");
        StringBuilder text = new StringBuilder("webhook POST ").append(url);
        if (outcome instanceof AttemptOutcome.Rejected) {
            text.append(" answered ").append(outcome.describe()).append(" for ").append(what);
            if (outcome.retryable()) {
                text.append(", still after ").append(giveUp(failure, attempts));
            } else {
                text.append("; not retried: only 408, 429 and 5xx answers are, any other says the receiver refuses "
                        + "this request, so fix the receiver or the request (URL, --webhook-header, --webhook-secret) and restart");
                if (!((AttemptOutcome.Rejected) outcome).deadLetter()) {
                    text.append(" (never dead-lettered: it is about the endpoint or the credentials, not the event)");
                }
            }
        } else {
            text.append(" failed for ").append(what).append(": ").append(outcome.describe());
            if (outcome.retryable()) {
                text.append(", still after ").append(giveUp(failure, attempts));
            }
        }
        text.append("; the checkpoint stays at ").append(checkpoint).append(", so a restart delivers ")
                .append(failure.events.size() == 1 ? "this event" : "these events").append(" again");
        return text.toString();
    }
}
