package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.nats.NatsOptions;
import io.pgflo.nats.StreamStatus;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.wal.GroupStatus;
import io.pgflo.wal.GroupStatusReader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code pg_flo status}: a group's slot, publication, backfills and checkpoints, read from the source's catalog and
 * the status directory, and with {@code --nats-url} the group's JetStream stream. Changes nothing, and needs no running
 * pg_flo.
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
            + "and each worker's consumer (pg_flo replicator); logs in with --nats-creds, --nats-user and "
            + "--nats-password, --nats-token, --nats-tls-ca/-cert/-key as a worker does")
    String natsUrl;

    /** The NATS login flags ({@link NatsOptions#login()}), taken out of the command line before it is parsed. */
    OptionValues natsLogin = OptionValues.parse(NatsOptions.login(), Map.of());

    @ParametersDelegate
    final LogFlags log = new LogFlags();

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    void run(PrintStream out) {
        // Checkpoints first: a running sink moves its checkpoint on with every heartbeat, and one read after the
        // server's position could lie ahead of it, a lag below zero.
        List<CheckpointFiles.Checkpoint> checkpoints = CheckpointFiles.read(statusDir);
        GroupStatus group = GroupStatusReader.read(source.endpoint(), source.group);
        StreamStatus stream = natsUrl == null ? null
                : StreamStatus.read(NatsOptions.natsSettings(natsUrl, natsLogin), source.group);
        StatusReport report = new StatusReport(group, statusDir, checkpoints, stream);
        if (json) {
            StatusJson.print(report, out);
        } else {
            StatusText.print(report, out);
            if (stream != null) {
                stream.print(out, Instant.now(), group.serverLsn());
            }
        }
    }
}
