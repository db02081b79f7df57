package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import io.pgflo.domain.DatabaseEndpoint;
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
    @Parameter(names = "--host", description = "source PostgreSQL host")
    String host = "localhost";

    @Parameter(names = "--port", description = "source PostgreSQL port", validateWith = PortValidator.class)
    int port = 5432;

    @Parameter(names = "--dbname", description = "source database", required = true)
    String dbname;

    @Parameter(names = "--user", description = "source user: the stream's", required = true)
    String user;

    @Parameter(names = "--password", description = "source password (prefer the PGFLO_PASSWORD environment variable)")
    String password;

    @Parameter(names = "--sslmode", description = "source sslmode", validateWith = SslModeValidator.class)
    String sslMode;

    @Parameter(names = "--sslrootcert", description = "source root certificate file for verify-ca/verify-full")
    String sslRootCert;

    @Parameter(names = "--group", description = "the replication group whose stream reads the tables", required = true)
    String group;

    @Parameter(names = "--tables", description = "comma-separated tables of the group to read again", required = true)
    List<String> tables = new ArrayList<>();

    @Parameter(names = "--schema", description = "schema of tables named without one")
    String schema = "public";

    @Parameter(names = "--where", description = "read only the rows matching this SQL expression over the table's "
            + "columns (one expression; it runs in a read-only transaction)")
    String where;

    @Parameter(names = "--log-level", description = "log level: error, warn, info, debug, trace")
    String logLevel = "info";

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    void run(PrintStream out) {
        DatabaseEndpoint endpoint = new DatabaseEndpoint(host, port, dbname, user, password, sslMode, sslRootCert);
        List<Long> ids = PostgresBackfillSource.request(endpoint, group, tables, schema, where);
        out.println("backfill requested for " + String.join(", ", tables) + " (request "
                + ids.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElse("") + "); the stream of group "
                + group + " reads them while it runs");
    }
}
