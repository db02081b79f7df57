package io.pgflo.sink.postgres;

import static java.util.Objects.requireNonNull;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.TableRoutes;
import io.pgflo.sink.api.TableName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything a {@link PostgresSink} needs. Immutable; start from {@link #of} and refine with the {@code with...}
 * methods.
 *
 * @param target the database to write into
 * @param group the replication group: names the checkpoint row in {@code internal_pg_flo.lsn_status}
 * @param source the source database, or null; needed for {@code syncSchema} and for the start-up check that every
 *     replicated table has a replication key
 * @param tables the replicated tables (checked, schema-synced, and the tables whose DDL is replayed); empty means
 *     "not known": no start-up check, and every DDL event is replayed
 * @param syncSchema copy the replicated tables' schema (and the types they use) from source to target before
 *     streaming; tables that already exist on the target are left as they are
 * @param schemaCopier how {@code syncSchema} copies: pg_dump, the built-in catalog reader, or pg_dump when a suitable
 *     one is found and the built-in reader otherwise
 * @param pgDumpPath the pg_dump executable (or the directory holding it) to use, or null to look for one
 * @param sourceSnapshot the snapshot the stream starts from, exported by the source (e.g. {@code 00000003-0000001B-1}),
 *     or null; {@code syncSchema} then reads the source's schema under it, as it was at the stream's first position
 * @param trackDdl replay DDL events (schema changes captured on the source) in WAL order; when false they are ignored
 * @param maxRetries how often a batch is retried after a transient error (connection loss, serialization failure,
 *     deadlock) before the sink gives up
 * @param retryBackoff the wait before the first retry; doubled for each further one, at most 30 seconds
 * @param copyExisting what an initial copy does with a target table holding rows no copy loaded; with
 *     {@link CopyExisting#UPSERT} the sink offers no bulk loader
 * @param routes where routing sends the replicated tables: the events arrive under the routed names, schema sync
 *     creates the tables under them, and DDL replay translates the source's definitions to them
 */
public record PostgresSinkConfig(
        DatabaseEndpoint target,
        String group,
        DatabaseEndpoint source,
        List<TableName> tables,
        boolean syncSchema,
        SchemaSync.Copier schemaCopier,
        Path pgDumpPath,
        String sourceSnapshot,
        boolean trackDdl,
        int maxRetries,
        Duration retryBackoff,
        CopyExisting copyExisting,
        TableRoutes routes) {

    public static final int DEFAULT_MAX_RETRIES = 5;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);

    public PostgresSinkConfig {
        requireNonNull(target, "target is null");
        requireNonNull(group, "group is null");
        if (group.isBlank()) {
            throw new IllegalArgumentException("group is blank");
        }
        tables = List.copyOf(tables);
        requireNonNull(schemaCopier, "schemaCopier is null");
        if (sourceSnapshot != null) {
            SchemaSync.checkSnapshotId(sourceSnapshot);
        }
        requireNonNull(retryBackoff, "retryBackoff is null");
        requireNonNull(copyExisting, "copyExisting is null");
        requireNonNull(routes, "routes is null");
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative, got " + maxRetries);
        }
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retryBackoff must not be negative, got " + retryBackoff);
        }
        if (syncSchema && source == null) {
            throw new IllegalArgumentException("syncSchema needs the source endpoint");
        }
        if (syncSchema && tables.isEmpty()) {
            throw new IllegalArgumentException("syncSchema needs the list of replicated tables");
        }
    }

    /** A sink for {@code group} into {@code target}: DDL replayed, no schema sync, no source checks, 5 retries. */
    public static PostgresSinkConfig of(DatabaseEndpoint target, String group) {
        return new PostgresSinkConfig(target, group, null, List.of(), false, SchemaSync.Copier.AUTO, null, null, true,
                DEFAULT_MAX_RETRIES, DEFAULT_RETRY_BACKOFF, CopyExisting.REFUSE, TableRoutes.NONE);
    }

    /** The source and its replicated tables: enables the start-up key check, and DDL filtering by table. */
    public PostgresSinkConfig withSource(DatabaseEndpoint source, List<TableName> tables) {
        return new PostgresSinkConfig(target, group, requireNonNull(source, "source is null"), tables, syncSchema,
                schemaCopier, pgDumpPath, sourceSnapshot, trackDdl, maxRetries, retryBackoff, copyExisting, routes);
    }

    public PostgresSinkConfig withSyncSchema(boolean sync) {
        return new PostgresSinkConfig(target, group, source, tables, sync, schemaCopier, pgDumpPath, sourceSnapshot,
                trackDdl, maxRetries, retryBackoff, copyExisting, routes);
    }

    public PostgresSinkConfig withSchemaCopier(SchemaSync.Copier copier, Path pgDump) {
        return new PostgresSinkConfig(target, group, source, tables, syncSchema, copier, pgDump, sourceSnapshot,
                trackDdl, maxRetries, retryBackoff, copyExisting, routes);
    }

    /** The snapshot the stream starts from: the schema sync reads the source under it (see {@link SchemaSync}). */
    public PostgresSinkConfig withSourceSnapshot(String snapshotId) {
        return new PostgresSinkConfig(target, group, source, tables, syncSchema, schemaCopier, pgDumpPath,
                requireNonNull(snapshotId, "snapshotId is null"), trackDdl, maxRetries, retryBackoff, copyExisting, routes);
    }

    public PostgresSinkConfig withTrackDdl(boolean track) {
        return new PostgresSinkConfig(target, group, source, tables, syncSchema, schemaCopier, pgDumpPath,
                sourceSnapshot, track, maxRetries, retryBackoff, copyExisting, routes);
    }

    public PostgresSinkConfig withRetries(int retries, Duration backoff) {
        return new PostgresSinkConfig(target, group, source, tables, syncSchema, schemaCopier, pgDumpPath,
                sourceSnapshot, trackDdl, retries, backoff, copyExisting, routes);
    }

    /** What an initial copy does with a target table that holds rows no copy loaded. */
    public PostgresSinkConfig withCopyExisting(CopyExisting existing) {
        return new PostgresSinkConfig(target, group, source, tables, syncSchema, schemaCopier, pgDumpPath,
                sourceSnapshot, trackDdl, maxRetries, retryBackoff, existing, routes);
    }

    /** Where routing sends the replicated tables (see {@link TableRoutes}). */
    public PostgresSinkConfig withRoutes(TableRoutes routes) {
        return new PostgresSinkConfig(target, group, source, tables, syncSchema, schemaCopier, pgDumpPath,
                sourceSnapshot, trackDdl, maxRetries, retryBackoff, copyExisting, routes);
    }

    /** The replicated tables under the names the events carry and the target holds. */
    public List<TableName> targetTables() {
        return tables.stream().map(routes::destination).toList();
    }
}
