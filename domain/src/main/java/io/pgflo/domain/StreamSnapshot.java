package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Lsn;

/**
 * The snapshot a stream starts from, kept by the source that made it: what every transaction committed before
 * {@code consistentPoint} left, and nothing of those after it, which the stream delivers.
 *
 * @param id the snapshot's name, for other sessions to import ({@code SET TRANSACTION SNAPSHOT} in PostgreSQL)
 * @param consistentPoint where the stream starts
 */
public record StreamSnapshot(String id, Lsn consistentPoint) {
    public StreamSnapshot {
        requireNonNull(id, "id is null");
        requireNonNull(consistentPoint, "consistentPoint is null");
    }
}
