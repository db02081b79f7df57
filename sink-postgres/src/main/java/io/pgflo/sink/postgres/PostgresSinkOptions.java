package io.pgflo.sink.postgres;

import com.beust.jcommander.Parameter;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.SinkContext;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The flags of {@code pg_flo stream postgres}, filled by the command line. Each can also come from the environment
 * ({@code PGFLO_TARGET_PASSWORD}, {@code PGFLO_SYNC_SCHEMA}, ...).
 */
public final class PostgresSinkOptions {
    @Parameter(names = "--target-host", description = "target PostgreSQL host")
    String targetHost = "localhost";

    @Parameter(names = "--target-port", description = "target PostgreSQL port")
    int targetPort = 5432;

    @Parameter(names = "--target-dbname", description = "target database", required = true)
    String targetDbname;

    @Parameter(names = "--target-user", description = "target user: needs CREATE on the database (for schema "
            + "internal_pg_flo) and write access to the replicated tables", required = true)
    String targetUser;

    @Parameter(names = "--target-password", description = "target password (prefer the PGFLO_TARGET_PASSWORD "
            + "environment variable)")
    String targetPassword;

    @Parameter(names = "--target-sslmode", description = "target sslmode: disable, allow, prefer, require, verify-ca, "
            + "verify-full")
    String targetSslMode;

    @Parameter(names = "--target-sslrootcert", description = "target root certificate file for verify-ca/verify-full")
    String targetSslRootCert;

    @Parameter(names = "--sync-schema", description = "before streaming, create the replicated tables (and the types, "
            + "sequences and indexes they need) on the target from the source's schema; existing tables are left as "
            + "they are")
    boolean syncSchema;

    @Parameter(names = "--schema-copier", description = "how --sync-schema copies: pg_dump, catalog (built in, needs "
            + "no client tools), or auto (pg_dump when a new enough one is found, else catalog)")
    String schemaCopier = "auto";

    @Parameter(names = "--pg-dump-path", description = "the pg_dump to use for --sync-schema (the file, or its "
            + "directory); default: PATH, then /usr/lib/postgresql/*/bin")
    Path pgDumpPath;

    @Parameter(names = "--track-ddl", arity = 1, description = "replay schema changes (ALTER TABLE, CREATE/DROP INDEX) "
            + "on the replicated tables; installs an event trigger on the source (needs a superuser there)")
    boolean trackDdl = true;

    @Parameter(names = "--stream-large-transactions", arity = 1, description = "have a PostgreSQL 14+ source send "
            + "large transactions while it decodes them, and apply them as they come (committed with the source's commit); "
            + "false holds each back until its commit, spilled to disk on the source")
    boolean streamLargeTransactions = true;

    @Parameter(names = "--target-retries", description = "retries of a batch after a transient target error "
            + "(connection loss, serialization failure, deadlock) before the stream stops")
    int targetRetries = PostgresSinkConfig.DEFAULT_MAX_RETRIES;

    /** Whether the source may stream large transactions to this sink before their commit. */
    public boolean streamLargeTransactions() {
        return streamLargeTransactions;
    }

    /** Whether DDL capture is wanted on the source. */
    public boolean trackDdl() {
        return trackDdl;
    }

    /**
     * The sink's configuration from these flags and the engine's context (group, source, replicated tables).
     *
     * @throws IllegalArgumentException naming the flag when a value is missing or malformed
     */
    public PostgresSinkConfig toConfig(SinkContext context) {
        if (targetDbname == null || targetDbname.isBlank()) {
            throw new IllegalArgumentException("--target-dbname is required: the database to replicate into");
        }
        if (targetUser == null || targetUser.isBlank()) {
            throw new IllegalArgumentException("--target-user is required: the user to connect to the target as");
        }
        if (targetHost == null || targetHost.isBlank()) {
            throw new IllegalArgumentException("--target-host must not be empty");
        }
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("--target-port must be a port number from 1 to 65535, got " + targetPort);
        }
        if (targetRetries < 0) {
            throw new IllegalArgumentException("--target-retries must not be negative, got " + targetRetries);
        }
        SchemaSync.Copier copier = switch (schemaCopier.toLowerCase(Locale.ROOT).replace('-', '_')) {
            case "auto" -> SchemaSync.Copier.AUTO;
            case "pg_dump" -> SchemaSync.Copier.PG_DUMP;
            case "catalog" -> SchemaSync.Copier.CATALOG;
            default -> throw new IllegalArgumentException("--schema-copier must be auto, pg_dump or catalog, got '"
                    + schemaCopier + "'");
        };
        DatabaseEndpoint target = new DatabaseEndpoint(targetHost, targetPort, targetDbname, targetUser, targetPassword,
                targetSslMode, targetSslRootCert);
        return PostgresSinkConfig.of(target, context.group())
                .withSource(context.capability(DatabaseEndpoint.class).orElseThrow(() -> new IllegalStateException(
                        "the postgres sink reads the source's catalog, and the host did not grant it the source")),
                        context.tables())
                .withSyncSchema(syncSchema)
                .withSchemaCopier(copier, pgDumpPath)
                .withTrackDdl(trackDdl)
                .withRetries(targetRetries, PostgresSinkConfig.DEFAULT_RETRY_BACKOFF);
    }

    @Override
    public String toString() {
        return "--target-host " + targetHost + " --target-port " + targetPort + " --target-dbname " + targetDbname
                + " --target-user " + targetUser + (targetPassword == null ? "" : " --target-password ***")
                + (syncSchema ? " --sync-schema --schema-copier " + schemaCopier : "") + " --track-ddl " + trackDdl
                + " --stream-large-transactions " + streamLargeTransactions;
    }
}
