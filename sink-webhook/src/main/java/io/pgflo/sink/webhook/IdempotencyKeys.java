package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import java.util.List;

/**
 * The {@code Idempotency-Key} (and {@code webhook-id}) of a request.
 *
 * <ul>
 *   <li>One event: {@code <commit_lsn>-<ordinal>}, e.g. {@code 0/16B3800-3}: the transaction's commit position (as
 *       PostgreSQL prints it) and the change's place in it. The same for every retry and every restart, and unique per
 *       change.</li>
 *   <li>A JSON array (batch mode): the first event's key, {@code _}, and the number of events, e.g.
 *       {@code 0/16B3800-3_50}: the same events in one request always get the same key.</li>
 * </ul>
 * No {@code .}: the Standard Webhooks signature joins id, timestamp and body with dots.
 */
final class IdempotencyKeys {
    private IdempotencyKeys() {}

    static String of(ChangeEvent event) {
        return event.commitLsn() + "-" + event.ordinal();
    }

    static String ofArray(List<ChangeEvent> events) {
        return of(events.get(0)) + "_" + events.size();
    }
}
