package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.DatabaseEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The flags every {@code pg_flo stream <sink>} takes: the source, the group, and how the pipeline batches. */
final class SourceOptions {
    @Parameter(names = "--host", description = "source PostgreSQL host")
    String host = "localhost";

    @Parameter(names = "--port", description = "source PostgreSQL port", validateWith = PortValidator.class)
    int port = 5432;

    @Parameter(names = "--dbname", description = "source database", required = true)
    String dbname;

    @Parameter(names = "--user", description = "source user, with the REPLICATION attribute", required = true)
    String user;

    @Parameter(names = "--password", description = "source password (prefer the PGFLO_PASSWORD environment variable)",
            password = false)
    String password;

    @Parameter(names = "--group", description = "replication group: names the slot pg_flo_<group>_slot, the "
            + "publication pg_flo_<group>_publication and the checkpoint", required = true)
    String group;

    @Parameter(names = "--tables", description = "comma-separated tables to replicate (default: every table of --schema)")
    List<String> tables = new ArrayList<>();

    @Parameter(names = "--schema", description = "schema of the replicated tables")
    String schema = "public";

    @Parameter(names = "--status-dir", description = "directory for checkpoint files")
    Path statusDir = Path.of("pg_flo_status");

    @Parameter(names = "--spool-dir", description = "directory for the temporary files of large transactions that "
            + "the server streams before their commit (default: the JVM's temporary directory)")
    Path spoolDir;

    @Parameter(names = "--sslmode", description = "source sslmode: disable, allow, prefer, require, verify-ca, verify-full",
            validateWith = SslModeValidator.class)
    String sslMode;

    @Parameter(names = "--sslrootcert", description = "source root certificate file for verify-ca/verify-full")
    String sslRootCert;

    @ParametersDelegate
    ShapingFlags shaping = new ShapingFlags();

    @ParametersDelegate
    BatchFlags batch = new BatchFlags();

    @Parameter(names = "--heartbeat-interval", description = "seconds between heartbeats that keep the slot moving "
            + "while the tables are idle; 0 turns them off", validateWith = WholeNumberRange.NonNegative.class)
    int heartbeatSeconds = 10;

    @Parameter(names = "--progress-interval", description = "seconds between progress lines in the log; 0 turns them off",
            validateWith = WholeNumberRange.NonNegative.class)
    int progressSeconds = 10;

    @Parameter(names = "--stop-timeout", description = "seconds a stop (SIGTERM, Ctrl-C) may take to flush before "
            + "the process gives up and exits with status 1", validateWith = WholeNumberRange.Positive.class)
    int stopTimeoutSeconds = 30;

    @Parameter(names = "--reconnect-attempts", description = "how many times in a row to reconnect after losing the "
            + "source (server restart, connection cut) before giving up with status 1",
            validateWith = WholeNumberRange.NonNegative.class)
    int reconnectAttempts = 10;

    @Parameter(names = "--reconnect-backoff-ms", description = "first wait before reconnecting; doubles up to 30 s",
            validateWith = WholeNumberRange.PositiveMillis.class)
    long reconnectBackoffMillis = 500;

    @Parameter(names = "--copy-and-stream", description = "copy the tables' existing rows first (as READ events), then "
            + "stream from exactly where the copy's snapshot ends; a restart resumes an unfinished copy")
    boolean copyAndStream;

    @Parameter(names = "--copy", description = "copy the tables' existing rows (as READ events) and exit; nothing is "
            + "left on the source")
    boolean copyOnly;

    @Parameter(names = "--max-copy-workers-per-table", description = "parts of the tables read at once during a copy, "
            + "each on a connection of its own", validateWith = WholeNumberRange.Positive.class)
    int copyWorkers = 4;

    @Parameter(names = "--copy-chunk-mb", description = "about how many MB of a table one part of a copy reads",
            validateWith = WholeNumberRange.Positive.class)
    int copyChunkMegabytes = 64;

    @Parameter(names = "--backfill-chunk-rows", description = "rows a backfill reads in one query, between two "
            + "watermarks (see pg_flo backfill)", validateWith = WholeNumberRange.Positive.class)
    int backfillChunkRows = 5_000;

    @ParametersDelegate
    MetricsFlags metrics = new MetricsFlags();

    @Parameter(names = "--log-level", description = "log level: error, warn, info, debug, trace")
    String logLevel = "info";

    /** Applied before parsing ({@link LogFormat#requested}), so that the first line has it; declared to be checked. */
    @Parameter(names = LogFormat.FLAG, description = "log lines on stderr: text, or json (one object per line, for "
            + "log collectors)", validateWith = LogFormatValidator.class)
    String logFormat = "text";

    @Parameter(names = "--track-ddl", description = "deliver schema changes of the replicated tables (ALTER TABLE, "
            + "CREATE/DROP INDEX) as DDL events in WAL order; installs event triggers on the source (needs a superuser "
            + "there)")
    boolean trackDdl;

    @Parameter(names = ConfigFlag.NAME, description = ConfigFlag.DESCRIPTION)
    String config;

    @Parameter(names = "--print-config", description = "print the effective settings (value and where each came "
            + "from; secrets hidden) and exit without connecting")
    boolean printConfig;

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    /**
     * The {@code --config} file as read, or null without one: its {@code rules:} and {@code routing:} sections
     * ({@link ConfigFile#section}) are for the stream's rules and routing.
     */
    ConfigFile configFile;

    DatabaseEndpoint endpoint() {
        return new DatabaseEndpoint(host, port, dbname, user, password, sslMode, sslRootCert);
    }

    BatchPolicy batchPolicy() {
        return batch.policy();
    }

    /** Whether this run copies the tables' existing rows before (or instead of) streaming. */
    boolean copies() {
        return copyAndStream || copyOnly;
    }

    Duration heartbeatInterval() {
        if (heartbeatSeconds < 0) {
            throw new IllegalArgumentException("--heartbeat-interval must not be negative, got " + heartbeatSeconds);
        }
        return Duration.ofSeconds(heartbeatSeconds);
    }
}
