package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import java.util.Set;

/**
 * A copy under way: where its stream starts, and the tables whose rows are all durable in the sink.
 *
 * @param consistentPoint the stream's start, which the copy's rows are consistent with
 * @param finished tables copied in full, not to be copied again
 */
public record CopyState(Lsn consistentPoint, Set<TableName> finished) {
    public CopyState {
        requireNonNull(consistentPoint, "consistentPoint is null");
        finished = Set.copyOf(finished);
    }
}
