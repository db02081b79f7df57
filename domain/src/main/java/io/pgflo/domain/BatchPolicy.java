package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * When the {@link Batcher} cuts a batch.
 *
 * @param maxEvents the most events a batch holds; a transaction larger than this is split (bounded memory)
 * @param maxDelay the longest a committed change waits before its batch is cut
 * @param maxBytes the most value bytes ({@link ChangeEvent#valueBytes()}) a batch holds, whatever its number of
 *     events, so that wide rows (large text or jsonb values) do not multiply a batch's memory by their width; a batch
 *     has at least one event, however large
 */
public record BatchPolicy(int maxEvents, Duration maxDelay, long maxBytes) {
    /** The value bytes of a batch when not given: 2,000 times a 32 kB row, or 8 times a 8 MB one. */
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    public static final BatchPolicy DEFAULT = new BatchPolicy(5_000, Duration.ofMillis(500));

    public BatchPolicy {
        requireNonNull(maxDelay, "maxDelay is null");
        if (maxEvents < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + maxEvents);
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("batch delay must not be negative, got " + maxDelay);
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("batch bytes must be at least 1, got " + maxBytes);
        }
    }

    /** At most {@link #DEFAULT_MAX_BYTES} of values a batch. */
    public BatchPolicy(int maxEvents, Duration maxDelay) {
        this(maxEvents, maxDelay, DEFAULT_MAX_BYTES);
    }
}
