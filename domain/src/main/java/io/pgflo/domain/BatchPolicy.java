package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When the {@link Batcher} cuts a batch.
 *
 * @param maxEvents the most events a batch holds; a transaction larger than this is split (bounded memory)
 * @param maxDelay the longest a committed change waits before its batch is cut
 */
public record BatchPolicy(int maxEvents, Duration maxDelay) {
    public static final BatchPolicy DEFAULT = new BatchPolicy(5_000, Duration.ofMillis(500));

    public BatchPolicy {
        requireNonNull(maxDelay, "maxDelay is null");
        if (maxEvents < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + maxEvents);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("batch delay must not be negative, got " + maxDelay);
        }
    }
}
