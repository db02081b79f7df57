package io.pgflo.sink.postgres;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.SinkContext;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The flags of {@code pg_flo stream postgres}, declared as data: the host renders them as flags, environment variables
 * ({@code PGFLO_TARGET_PASSWORD}, {@code PGFLO_SYNC_SCHEMA}, ...) and help, and checks the values before
 * {@link PostgresSinkProvider#create} turns them into a {@link PostgresSinkConfig} with {@link #toConfig}.
 */
public final class PostgresSinkOptions {
    public static final Option<String> TARGET_HOST = Option.of("target-host", nonBlank("target-host"), host -> host)
            .description("target PostgreSQL host")
            .defaultValue("localhost")
            .build();

    public static final Option<Integer> TARGET_PORT = Option.wholeNumber("target-port", 1, 65535)
            .description("target PostgreSQL port")
            .defaultValue(5432)
            .build();

    public static final Option<String> TARGET_DBNAME = Option.of("target-dbname", nonBlank("target-dbname"), name -> name)
            .description("target database")
            .required()
            .build();

    public static final Option<String> TARGET_USER = Option.of("target-user", nonBlank("target-user"), user -> user)
            .description("target user: needs CREATE on the database (for schema internal_pg_flo) and write access to "
                    + "the replicated tables")
            .required()
            .build();

    /** Absent: the password libpq would use ({@code PGPASSWORD}, the password file), see {@link PgConnections}. */
    public static final Option<String> TARGET_PASSWORD = Option.text("target-password")
            .description("target password (prefer the PGFLO_TARGET_PASSWORD environment variable)")
            .secret()
            .build();

    public static final Option<String> TARGET_SSLMODE = Option.choice("target-sslmode",
                    "disable", "allow", "prefer", "require", "verify-ca", "verify-full")
            .description("target sslmode: disable, allow, prefer, require, verify-ca, verify-full")
            .build();

    public static final Option<Path> TARGET_SSLROOTCERT = Option.path("target-sslrootcert")
            .description("target root certificate file for verify-ca/verify-full")
            .build();

    public static final Option<Boolean> SYNC_SCHEMA = Option.bool("sync-schema")
            .description("before streaming, create the replicated tables (and the types, sequences and indexes they "
                    + "need) on the target from the source's schema; existing tables are left as they are")
            .build();

    public static final Option<String> SCHEMA_COPIER = Option.choice("schema-copier", "auto", "pg_dump", "catalog")
            .description("how --sync-schema copies: pg_dump, catalog (built in, needs no client tools), or auto "
                    + "(pg_dump when a new enough one is found, else catalog)")
            .defaultValue("auto")
            .build();

    public static final Option<Path> PG_DUMP_PATH = Option.path("pg-dump-path")
            .description("the pg_dump to use for --sync-schema (the file, or its directory); default: PATH, then "
                    + "/usr/lib/postgresql/*/bin")
            .build();

    public static final Option<Boolean> TRACK_DDL = Option.bool("track-ddl")
            .description("replay schema changes (ALTER TABLE, CREATE/DROP INDEX) on the replicated tables; installs an "
                    + "event trigger on the source (needs a superuser there)")
            .defaultValue(true)
            .build();

    public static final Option<Boolean> STREAM_LARGE_TRANSACTIONS = Option.bool("stream-large-transactions")
            .description("have a PostgreSQL 14+ source send large transactions while it decodes them, and apply them "
                    + "as they come (committed with the source's commit); false holds each back until its commit, "
                    + "spilled to disk on the source")
            .defaultValue(true)
            .build();

    public static final Option<Integer> TARGET_RETRIES = Option.wholeNumber("target-retries", 0, Integer.MAX_VALUE)
            .description("retries of a batch after a transient target error (connection loss, serialization failure, "
                    + "deadlock) before the stream stops")
            .defaultValue(PostgresSinkConfig.DEFAULT_MAX_RETRIES)
            .build();

    public static final Option<String> COPY_EXISTING = Option.choice("copy-existing", "refuse", "upsert", "truncate")
            .description("what --copy and --copy-and-stream do with a target table that already holds rows: refuse "
                    + "(stop at the copy's start), upsert (upsert the copied rows into them, one batch at a time), "
                    + "truncate (empty it, then load it with COPY)")
            .defaultValue("refuse")
            .build();

    /** Every option, in the order the help lists them. */
    public static final OptionSet ALL = OptionSet.of(TARGET_HOST, TARGET_PORT, TARGET_DBNAME, TARGET_USER,
            TARGET_PASSWORD, TARGET_SSLMODE, TARGET_SSLROOTCERT, SYNC_SCHEMA, SCHEMA_COPIER, PG_DUMP_PATH, TRACK_DDL,
            STREAM_LARGE_TRANSACTIONS, TARGET_RETRIES, COPY_EXISTING);

    private PostgresSinkOptions() {
    }

    /**
     * The sink's configuration from checked values of {@link #ALL} and the engine's context (group, replicated
     * tables, the source granted as a {@link DatabaseEndpoint} capability, the {@link StreamSnapshot} the stream
     * starts from when the source keeps one: the schema sync reads the source under it, and the {@link TableRoutes}
     * when routing renames tables).
     *
     * @throws IllegalStateException when the host did not grant the source
     */
    public static PostgresSinkConfig toConfig(OptionValues values, SinkContext context) {
        DatabaseEndpoint target = new DatabaseEndpoint(values.get(TARGET_HOST), values.get(TARGET_PORT),
                values.get(TARGET_DBNAME), values.get(TARGET_USER), values.get(TARGET_PASSWORD),
                values.get(TARGET_SSLMODE), values.find(TARGET_SSLROOTCERT).map(Path::toString).orElse(null));
        DatabaseEndpoint source = context.capability(DatabaseEndpoint.class).orElseThrow(() -> new IllegalStateException(
                "the postgres sink reads the source's catalog, and the host did not grant it the source"));
        PostgresSinkConfig config = PostgresSinkConfig.of(target, context.group())
                .withSource(source, context.tables())
                .withSyncSchema(values.get(SYNC_SCHEMA))
                .withSchemaCopier(copier(values.get(SCHEMA_COPIER)), values.get(PG_DUMP_PATH))
                .withTrackDdl(values.get(TRACK_DDL))
                .withRetries(values.get(TARGET_RETRIES), PostgresSinkConfig.DEFAULT_RETRY_BACKOFF)
                .withCopyExisting(CopyExisting.valueOf(values.get(COPY_EXISTING).toUpperCase(java.util.Locale.ROOT)))
                .withRoutes(context.capability(TableRoutes.class).orElse(TableRoutes.NONE));
        return context.capability(StreamSnapshot.class).map(snapshot -> config.withSourceSnapshot(snapshot.id()))
                .orElse(config);
    }

    private static SchemaSync.Copier copier(String name) {
        return switch (name) {
            case "auto" -> SchemaSync.Copier.AUTO;
            case "pg_dump" -> SchemaSync.Copier.PG_DUMP;
            case "catalog" -> SchemaSync.Copier.CATALOG;
            default -> throw new IllegalArgumentException("--schema-copier must be one of auto, pg_dump, catalog, got '"
                    + name + "'");
        };
    }

    private static Function<String, String> nonBlank(String name) {
        return text -> {
            if (text.isBlank()) {
                throw new IllegalArgumentException("--" + name + " must not be empty");
            }
            return text;
        };
    }
}
