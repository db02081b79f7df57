package io.pgflo.cli;

import io.pgflo.nats.StreamStatus;
import io.pgflo.sink.api.Lsn;
import io.pgflo.wal.GroupStatus;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code pg_flo status} shows: the group on its source, the checkpoints in {@code --status-dir}, and the group's
 * JetStream stream ({@code null} without {@code --nats-url}).
 */
record StatusReport(GroupStatus source, Path statusDir, List<CheckpointFiles.Checkpoint> checkpoints,
        StreamStatus stream) {
    StatusReport {
        checkpoints = List.copyOf(checkpoints);
    }

    /** Bytes of WAL between {@code position} and the server's current position; 0 for one at or past it. */
    long behindServer(Lsn position) {
        return Math.max(0, source.serverLsn().value() - position.value());
    }
}
