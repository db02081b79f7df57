package io.pgflo.cli;

import io.pgflo.sink.api.TableName;
import io.pgflo.wal.GroupStatus;
import io.pgflo.wal.ReplicationNames;
import java.io.PrintStream;
import java.util.Map;
import java.util.stream.Collectors;

/** {@code pg_flo status} for people: a few lines per part, positions with how far they are behind the server. */
final class StatusText {
    private StatusText() {}

    static void print(StatusReport report, PrintStream out) {
        GroupStatus status = report.source();
        out.println("group " + status.group() + " on " + status.source() + "; server WAL at " + status.serverLsn());
        printSlot(report, out);
        String publication = ReplicationNames.forGroup(status.group()).publication();
        out.println(status.publication()
                .map(found -> "publication " + found.name() + ": " + (found.tables().isEmpty() ? "no tables"
                        : found.tables().stream().map(TableName::toString).collect(Collectors.joining(", "))))
                .orElse("publication " + publication + ": missing (the next pg_flo stream creates it)"));
        printBackfills(status, out);
        printCheckpoints(report, out);
    }

    private static void printSlot(StatusReport report, PrintStream out) {
        GroupStatus status = report.source();
        if (status.slot().isEmpty()) {
            out.println("slot " + ReplicationNames.forGroup(status.group()).slot() + ": missing (the next pg_flo "
                    + "stream creates it, starting at the server's position then)");
            return;
        }
        GroupStatus.Slot slot = status.slot().get();
        out.println("slot " + slot.name() + ": " + (slot.active() ? "active, streaming to pid " + slot.activePid()
                : "inactive (no pg_flo streams from it)") + (slot.walStatus() == null ? "" : "; wal_status "
                + slot.walStatus()));
        if (slot.confirmedFlush() != null) {
            out.println("  confirmed flush " + slot.confirmedFlush() + ", "
                    + behind(report.behindServer(slot.confirmedFlush())));
        }
        if (slot.restart() != null) {
            out.println("  restart " + slot.restart() + ", retained WAL " + bytes(slot.retainedBytes()));
        }
    }

    private static void printBackfills(GroupStatus status, PrintStream out) {
        if (status.backfills().isEmpty()) {
            out.println("backfills: none");
            return;
        }
        GroupStatus.Backfills backfills = status.backfills().get();
        out.println("backfills: " + backfills.pending().size() + " pending, " + backfills.completedCount() + " complete");
        for (GroupStatus.Backfill pending : backfills.pending()) {
            out.println("  #" + pending.id() + " " + describe(pending) + ": pending, " + pending.rowsDone()
                    + " rows so far, requested " + pending.requestedAt());
        }
        for (GroupStatus.Backfill done : backfills.recentlyCompleted()) {
            out.println("  #" + done.id() + " " + describe(done) + ": complete, " + done.rowsDone() + " rows, "
                    + done.completedAt());
        }
    }

    private static String describe(GroupStatus.Backfill backfill) {
        return backfill.table() + (backfill.predicate() == null ? "" : " where " + backfill.predicate());
    }

    private static void printCheckpoints(StatusReport report, PrintStream out) {
        String directory = report.statusDir().toAbsolutePath().normalize().toString();
        if (report.checkpoints().isEmpty()) {
            out.println("checkpoints in " + directory + ": none");
        } else {
            out.println("checkpoints in " + directory + ":");
        }
        for (CheckpointFiles.Checkpoint checkpoint : report.checkpoints()) {
            String head = "  " + checkpoint.sink() + " (" + checkpoint.file() + "): ";
            if (checkpoint.problem() != null) {
                out.println(head + "unreadable, " + checkpoint.problem());
                continue;
            }
            Map<String, String> fields = checkpoint.fields();
            StringBuilder line = new StringBuilder(head).append(checkpoint.lsn());
            if (fields.containsKey("ordinal")) {
                line.append(" (inside that transaction, after change ").append(fields.get("ordinal")).append(')');
            }
            if (fields.containsKey("state")) {
                line.append(", copy ").append(fields.get("state"));
            }
            if (fields.containsKey("updated_at")) {
                line.append(", written ").append(fields.get("updated_at"));
            }
            line.append(", ").append(behind(report.behindServer(checkpoint.lsn())));
            out.println(line);
        }
        out.println("  (the postgres sink keeps its checkpoint on its target, in internal_pg_flo.lsn_status)");
    }

    private static String behind(long bytes) {
        return bytes(bytes) + " behind the server";
    }

    private static String bytes(long bytes) {
        return bytes + " bytes (" + ByteSize.human(bytes) + ")";
    }
}
