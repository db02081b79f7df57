package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import java.time.Duration;
import java.util.List;

/** One request that did not get a 2xx: the events it carried, the last outcome, and how many attempts were made. */
final class DeliveryFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final transient List<ChangeEvent> events;
    final transient AttemptOutcome outcome;
    final int attempts;
    /** From the first attempt to the last one's end. */
    final Duration retriedFor;
    /** The flag whose bound ended the retries ({@code --webhook-retry-for 10m}), or null when none did. */
    final String limit;

    DeliveryFailure(List<ChangeEvent> events, AttemptOutcome outcome, int attempts, Duration retriedFor, String limit) {
        super(outcome.describe(), outcome instanceof AttemptOutcome.NetworkFailure network ? network.error() : null);
        this.events = List.copyOf(events);
        this.outcome = outcome;
        this.attempts = attempts;
        this.retriedFor = retriedFor;
        this.limit = limit;
    }
}
