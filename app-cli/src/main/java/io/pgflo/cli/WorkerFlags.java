package io.pgflo.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParametersDelegate;
import io.pgflo.domain.DatabaseEndpoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pg_flo worker <sink>}'s own flags (the NATS ones and the sink's are declared as data elsewhere). The
 * {@code --source-*} flags name the database the changes come from: for a PostgreSQL sink that reads its schema, and
 * for the catalog that {@code --rules-config} and {@code --routing-config} are checked against.
 */
final class WorkerFlags {
    @Parameter(names = "--group", description = "the replicator's group: the stream pgflo_<group>_stream", required = true)
    String group;

    @Parameter(names = "--status-dir", description = "directory for checkpoint files")
    Path statusDir = Path.of("pg_flo_status");

    @Parameter(names = "--schema", description = "schema of the replicated tables")
    String schema = "public";

    @Parameter(names = "--tables", description = "comma-separated tables the sink prepares (schema sync); default none")
    List<String> tables = new ArrayList<>();

    @ParametersDelegate
    BatchFlags batch = new BatchFlags();

    @Parameter(names = {"--source-host", "--host"}, description = "source PostgreSQL host (for a sink that reads the "
            + "source's schema)")
    String sourceHost = "localhost";

    @Parameter(names = {"--source-port", "--port"}, description = "source PostgreSQL port", validateWith = PortValidator.class)
    int sourcePort = 5432;

    @Parameter(names = {"--source-dbname", "--dbname"}, description = "source database")
    String sourceDbname;

    @Parameter(names = {"--source-user", "--user"}, description = "source user")
    String sourceUser;

    @Parameter(names = {"--source-password", "--password"}, description = "source password (prefer PGFLO_SOURCE_PASSWORD)")
    String sourcePassword;

    @Parameter(names = "--reconnect-attempts", description = "how many times in a row to start again after losing the "
            + "destination before giving up with status 1", validateWith = WholeNumberRange.NonNegative.class)
    int reconnectAttempts = 10;

    @ParametersDelegate
    MetricsFlags metrics = new MetricsFlags();

    @ParametersDelegate
    LogFlags log = new LogFlags();

    @ParametersDelegate
    ShapingFlags shaping = new ShapingFlags();

    @Parameter(names = ConfigFlag.NAME, description = ConfigFlag.DESCRIPTION)
    String config;

    @Parameter(names = "--print-config", description = "print the effective settings (value and where each came "
            + "from; secrets hidden) and exit without connecting")
    boolean printConfig;

    @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
    boolean help;

    /** The {@code --config} file as read, or null without one: its {@code rules:} and {@code routing:} sections. */
    ConfigFile configFile;

    /** What the rules and routes are read from and checked against: the source's catalog when it is named. */
    ShapingSettings shapingSettings() {
        return new ShapingSettings(shaping.rulesConfig, shaping.routingConfig, configFile, schema, tables,
                sourceEndpoint());
    }

    /** The source database, when one is named. */
    DatabaseEndpoint sourceEndpoint() {
        return sourceDbname == null || sourceUser == null ? null
                : new DatabaseEndpoint(sourceHost, sourcePort, sourceDbname, sourceUser, sourcePassword, null, null);
    }
}
