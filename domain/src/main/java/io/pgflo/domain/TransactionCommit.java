package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Lsn;
import java.time.Instant;

/**
 * The end of a source transaction. Every change of the transaction came before it.
 *
 * @param commitLsn where the commit record starts (the {@code commit_lsn} of the transaction's events)
 * @param endLsn where the commit record ends: the position a checkpoint records, because the server resends
 *     nothing that ends at or before a confirmed position
 */
public record TransactionCommit(long xid, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements SourceMessage {
    public TransactionCommit {
        requireNonNull(commitLsn, "commitLsn is null");
        requireNonNull(endLsn, "endLsn is null");
        requireNonNull(commitTime, "commitTime is null");
    }
}
