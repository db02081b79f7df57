package io.pgflo.cli;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.ChangeSource;
import io.pgflo.domain.PipelineListener;
import io.pgflo.domain.CopySettings;
import io.pgflo.domain.CopyStats;
import io.pgflo.domain.CopyState;
import io.pgflo.domain.InitialCopy;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.json.JsonCopyProgress;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TableName;
import io.pgflo.wal.PostgresSnapshotReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initial copy of {@code --copy-and-stream} and {@code --copy}: decides whether there is one to run (a new slot
 * with its snapshot, or a copy an earlier run left unfinished), reads the tables and hands their rows to the sink.
 */
final class CopyPhase {
    private static final Logger log = LoggerFactory.getLogger(CopyPhase.class);

    private final SourceOptions options;
    private final ChangeSource source;
    private final Sink sink;
    private final List<TableName> tables;
    private final JsonCopyProgress progress;
    private final ChangeShaper shaper;
    private final PipelineListener listener;
    private volatile InitialCopy copy;
    private volatile boolean stopRequested;

    CopyPhase(SourceOptions options, ChangeSource source, Sink sink, List<TableName> tables, Path statusDirectory,
            ChangeShaper shaper, PipelineListener listener) {
        this.shaper = shaper;
        this.listener = listener;
        this.options = options;
        this.source = source;
        this.sink = sink;
        this.tables = tables;
        this.progress = new JsonCopyProgress(statusDirectory);
    }

    /** Copies what there is to copy; returns false when stopped before the copy completed. */
    boolean run() throws InterruptedException {
        Optional<StreamSnapshot> snapshot = source.startSnapshot();
        Optional<CopyState> unfinished = progress.load();
        Lsn consistentPoint;
        if (snapshot.isPresent()) {
            consistentPoint = snapshot.get().consistentPoint();
            // Recorded before anything is read: a crash from here on finds the copy to finish.
            progress.save(new CopyState(consistentPoint, Set.of()));
        } else if (unfinished.isPresent()) {
            consistentPoint = unfinished.get().consistentPoint();
            log.info("resuming the copy an earlier run left unfinished (stream from {}): tables it finished are not "
                    + "copied again, the others are, under a new snapshot; the stream then replays every change since {}, "
                    + "so the sink ends in the source's state", consistentPoint, consistentPoint);
        } else {
            log.info("group {} has its slot and no unfinished copy: nothing to copy (rows of tables added later are not "
                    + "copied by --copy-and-stream)", options.group);
            return true;
        }
        CopySettings settings = new CopySettings(options.copyWorkers, (long) options.copyChunkMegabytes << 20,
                options.batchPolicy());
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(options.endpoint(), "pg_flo_" + options.group
                + "-copy", snapshot.map(StreamSnapshot::id), options.copyWorkers)) {
            source.releaseSnapshot(); // every reader has the snapshot now
            InitialCopy current = new InitialCopy(reader, sink, progress, settings, shaper, listener);
            copy = current;
            if (stopRequested) {
                return false;
            }
            log.info("copying {} tables with {} workers; the source keeps the copy's snapshot until it ends, which holds "
                    + "back vacuum there", tables.size(), settings.workers());
            try (CopyProgressReporter ignored = new CopyProgressReporter(current.stats(),
                    Duration.ofSeconds(options.progressSeconds))) {
                boolean complete = current.run(tables, consistentPoint);
                if (complete) {
                    log.info("copy complete: {} rows; the stream starts at {}", current.stats().rows(), consistentPoint);
                }
                return complete;
            }
        } finally {
            source.releaseSnapshot();
        }
    }

    /** The running copy's figures, or null before it runs. */
    CopyStats stats() {
        InitialCopy current = copy;
        return current == null ? null : current.stats();
    }

    /** Asks the copy to make durable what it has and return; from any thread. */
    void stop() {
        stopRequested = true;
        InitialCopy current = copy;
        if (current != null) {
            current.stop();
        }
    }
}
