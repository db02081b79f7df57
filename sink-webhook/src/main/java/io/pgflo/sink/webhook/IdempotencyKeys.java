package io.pgflo.sink.webhook;

import io.pgflo.domain.ChangeEvent;
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
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IdempotencyKeys() {}

    static String of(ChangeEvent event) {
        StringBuilder key = new StringBuilder(28);
        long lsn = event.commitLsn().value();
        appendHex(key, lsn >>> 32);
        key.append('/');
        appendHex(key, lsn & 0xFFFFFFFFL);
        return key.append('-').append(event.ordinal()).toString();
    }

    static String ofArray(List<ChangeEvent> events) {
        return of(events.get(0)) + "_" + events.size();
    }

    /** Upper-case hex without leading zeros, as {@link io.pgflo.domain.Lsn#toString()} writes each half. */
    private static void appendHex(StringBuilder out, long value) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 3) / 4);
        for (int i = digits - 1; i >= 0; i--) {
            out.append(HEX[(int) ((value >>> (4 * i)) & 0xF)]);
        }
    }
}
