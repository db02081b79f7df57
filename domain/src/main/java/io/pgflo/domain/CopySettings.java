package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

/**
 * How an initial copy reads and writes.
 *
 * @param workers how many parts are read at once (each on a connection of its own)
 * @param chunkBytes about how much of a table one part holds
 * @param batches how the copied rows are batched for the sink
 */
public record CopySettings(int workers, long chunkBytes, BatchPolicy batches) {
    public CopySettings {
        requireNonNull(batches, "batches is null");
        if (workers < 1) {
            throw new IllegalArgumentException("copy workers must be at least 1, got " + workers);
        }
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("copy chunk size must be at least 1 byte, got " + chunkBytes);
        }
    }
}
