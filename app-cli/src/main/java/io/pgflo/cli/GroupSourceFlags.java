package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import io.pgflo.domain.DatabaseEndpoint;

/**
 * The source and the group that {@code pg_flo backfill}, {@code status} and {@code drop} act on: the same flags, with
 * the same environment variables, as {@code pg_flo stream} takes for them.
 */
final class GroupSourceFlags {
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

    @Parameter(names = "--group", description = "the replication group", required = true)
    String group;

    @Parameter(names = ConfigFlag.NAME, description = ConfigFlag.DESCRIPTION + "; this command takes its source, "
            + "group and log settings")
    String config;

    DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint(host, port, dbname, user, password, sslMode, sslRootCert);
    }
}
