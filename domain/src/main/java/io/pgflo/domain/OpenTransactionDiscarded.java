package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

/**
 * The provisional changes delivered so far of the transaction that is still open are void: it rolled back (or rolled
 * back a subtransaction whose changes were among them), or the source will deliver it again, whole, at its commit
 * (another transaction committed in between, which must reach the sink first). Only a source streaming in-progress
 * transactions sends it, and only to a pipeline whose sink accepts provisional changes.
 *
 * @param xid the source transaction whose changes are void
 * @param reason why, for the log ("rolled back", "another transaction committed first")
 */
public record OpenTransactionDiscarded(long xid, String reason) implements SourceMessage {
    public OpenTransactionDiscarded {
        requireNonNull(reason, "reason is null");
    }
}
