package io.pgflo.sink.webhook;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: before retry {@code n} (1 = the first), {@code initial * 2^(n-1)} capped at
 * {@code max}, then a random factor in [0.5, 1.5), capped at {@code max} again. The jitter spreads the retries of
 * several lanes (and several pg_flo processes) hitting one recovering receiver.
 */
final class Backoff {
    private final long initialMillis;
    private final long maxMillis;

    Backoff(Duration initial, Duration max) {
        this.initialMillis = initial.toMillis();
        this.maxMillis = max.toMillis();
    }

    long millisBeforeRetry(int retry) {
        long base = initialMillis;
        for (int i = 1; i < retry && base < maxMillis; i++) {
            base = base <= maxMillis / 2 ? base * 2 : maxMillis;
        }
        base = Math.min(base, maxMillis);
        long jittered = base / 2 + (base == 0 ? 0 : ThreadLocalRandom.current().nextLong(base));
        return Math.min(jittered, maxMillis);
    }

    /** A receiver's {@code Retry-After}, honoured up to the cap. */
    long millisForRetryAfter(Duration retryAfter) {
        return Math.min(Math.max(0, retryAfter.toMillis()), maxMillis);
    }
}
