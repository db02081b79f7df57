package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.wal.PostgresBackfillSource;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pg_flo backfill}: asks the running stream of a group to read tables again, chunk by chunk, without stopping
 * it. The request is a row on the source that the stream picks up; this command checks it and returns.
 */
@Parameters(commandDescription = "ask a group's running stream to read tables again (all rows, or --where)")
final class BackfillCommand {
    @ParametersDelegate
    final GroupSourceFlags source = new GroupSourceFlags();

    @Parameter(names = "--tables", description = "comma-separated tables of the group to read again", required = true)
    List<String> tables = new ArrayList<>();

    @Parameter(names = "--schema", description = "schema of tables named without one")
    String schema = "public";

    @Parameter(names = "--where", description = "read only the rows matching this SQL expression over the table's "
            + "columns (one expression; it runs in a read-only transaction)")
    String where;

    @ParametersDelegate
    final LogFlags log = new LogFlags();

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    void run(PrintStream out) {
        List<Long> ids = PostgresBackfillSource.request(source.endpoint(), source.group, tables, schema, where);
        out.println("backfill requested for " + String.join(", ", tables) + " (request "
                + ids.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + "); the stream of group "
                + source.group + " reads them while it runs");
    }
}
