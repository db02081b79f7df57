package io.pgflo.wal;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a group has on its source, as {@link GroupStatusReader} found it: for {@code pg_flo status}.
 *
 * @param group the group's name as the slot and publication carry it
 * @param source the source, for messages ({@code host:port/db as user}; never a password)
 * @param serverLsn the server's current WAL position (its replay position on a standby)
 * @param slot the group's slot in this database, if there is one
 * @param publication the group's publication, if there is one
 * @param backfills the group's backfill requests, if the request table exists and the user may read it
 */
public record GroupStatus(String group, String source, Lsn serverLsn, Optional<Slot> slot,
        Optional<Publication> publication, Optional<Backfills> backfills) {
    public GroupStatus {
        requireNonNull(group, "group is null");
        requireNonNull(source, "source is null");
        requireNonNull(serverLsn, "serverLsn is null");
        requireNonNull(slot, "slot is null");
        requireNonNull(publication, "publication is null");
        requireNonNull(backfills, "backfills is null");
    }

    /**
     * The replication slot.
     *
     * @param activePid the walsender streaming from it, or null when it is free
     * @param confirmedFlush the position the consumer confirmed, or null before the first
     * @param restart the oldest WAL the slot keeps, or null
     * @param walStatus the server's {@code wal_status} (reserved, extended, unreserved, lost), or null before
     *     PostgreSQL 13
     * @param retainedBytes WAL the slot keeps on the server: the server's position minus {@code restart}; 0 when unknown
     */
    public record Slot(String name, boolean active, Integer activePid, Lsn confirmedFlush, Lsn restart,
            String walStatus, long retainedBytes) {
        public Slot {
            requireNonNull(name, "name is null");
        }
    }

    /** The publication and the tables it publishes, the DDL capture's table included when it is. */
    public record Publication(String name, List<TableName> tables) {
        public Publication {
            requireNonNull(name, "name is null");
            tables = List.copyOf(tables);
        }
    }

    /**
     * The group's backfill requests.
     *
     * @param pending those not complete, oldest first
     * @param recentlyCompleted the latest complete ones, newest first, at most {@link GroupStatusReader#COMPLETED_SHOWN}
     * @param completedCount how many are complete in all
     */
    public record Backfills(List<Backfill> pending, List<Backfill> recentlyCompleted, long completedCount) {
        public Backfills {
            pending = List.copyOf(pending);
            recentlyCompleted = List.copyOf(recentlyCompleted);
        }
    }

    /**
     * One backfill request.
     *
     * @param predicate the {@code --where} expression, or null for every row
     * @param updatedAt when it last made progress, or null
     * @param completedAt when it completed, or null while pending
     */
    public record Backfill(long id, TableName table, String predicate, long rowsDone, Instant requestedAt,
            Instant updatedAt, Instant completedAt) {
        public Backfill {
            requireNonNull(table, "table is null");
            requireNonNull(requestedAt, "requestedAt is null");
        }
    }
}
