package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.wal.GroupStatusReader;
import java.io.PrintStream;
import io.pgflo.nats.NatsSettings;
import io.pgflo.nats.StreamStatus;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code pg_flo status}: a group's slot, publication, backfills and checkpoints, read from the source's catalog and
 * the status directory. Changes nothing, and needs no running pg_flo.
 */
@Parameters(commandDescription = "show a group's slot, publication, backfills and checkpoints (no running pg_flo "
        + "needed)")
final class StatusCommand {
    @ParametersDelegate
    final GroupSourceFlags source = new GroupSourceFlags();

    @Parameter(names = "--status-dir", description = "the group's checkpoint directory, as pg_flo stream was given it")
    Path statusDir = Path.of("pg_flo_status");

    @Parameter(names = "--json", description = "print one JSON object, for scripts (fields in the README)")
    boolean json;

    @Parameter(names = "--nats-url", description = "also show the group's JetStream stream, its replicator's progress "
            + "and each worker's pending count (pg_flo replicator); text output only")
    String natsUrl;

    @ParametersDelegate
    final LogFlags log = new LogFlags();

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    void run(PrintStream out) {
        StatusReport report = new StatusReport(GroupStatusReader.read(source.endpoint(), source.group), statusDir,
                CheckpointFiles.read(statusDir));
        if (json) {
            StatusJson.print(report, out);
        } else {
            StatusText.print(report, out);
            if (natsUrl != null) {
                StreamStatus.read(NatsSettings.plain(natsUrl), source.group).print(out, Instant.now());
            }
        }
    }
}
