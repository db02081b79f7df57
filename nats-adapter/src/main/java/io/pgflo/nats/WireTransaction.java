package io.pgflo.nats;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Lsn;
import java.time.Instant;
import java.util.List;

/**
 * The part of one source transaction a message carries: some of its changes, in order, and, when the transaction ends
 * in this message, where it ends.
 *
 * @param endLsn the position the transaction's end is recorded at by workers (see the README), or null when more of the
 *     transaction follows in later messages
 */
record WireTransaction(long xid, Lsn commitLsn, Instant commitTime, Lsn endLsn, List<SourceChange> events) {
    WireTransaction {
        requireNonNull(commitLsn, "commitLsn is null");
        requireNonNull(commitTime, "commitTime is null");
        events = List.copyOf(events);
    }

    boolean ends() {
        return endLsn != null;
    }
}
