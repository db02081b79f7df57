package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.wal.GroupDrop;
import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code pg_flo drop}: removes what a group left on its source (slot, publication, its part of the DDL capture and
 * of the backfill requests), printing one line per thing removed. Sinks' checkpoints are not touched.
 */
@Parameters(commandDescription = "remove a group from its source: slot, publication, DDL capture, backfill requests")
final class DropCommand {
    /** How long --force waits for the server to free the slot of the stream it ended. */
    static final Duration RELEASE_PATIENCE = Duration.ofSeconds(30);

    @ParametersDelegate
    final GroupSourceFlags source = new GroupSourceFlags();

    @Parameter(names = "--force", description = "drop even while a pg_flo streams from the slot: end its stream "
            + "(pg_terminate_backend) first; that pg_flo then stops, as its slot is gone")
    boolean force;

    @ParametersDelegate
    final LogFlags log = new LogFlags();

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    void run(PrintStream out) {
        GroupDrop.drop(source.endpoint(), source.group, force, RELEASE_PATIENCE, out::println);
        out.println("checkpoints in --status-dir and on targets are left as they are");
    }
}
