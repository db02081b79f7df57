package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;
import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.TableRoutes;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.PgDumpScript.Section;
import io.pgflo.sink.postgres.SourceCatalog.Extension;
import io.pgflo.sink.postgres.SourceCatalog.ForeignKey;
import io.pgflo.sink.postgres.SourceCatalog.UserType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the schema of the replicated tables from source to target: the tables with their sequences, defaults,
 * constraints, indexes and replica identity, plus the schemas, extensions and user-defined types (enums, domains,
 * composites, ranges) they use; not the rest of the database. Tables that exist on the target already are left as
 * they are, so running it again changes nothing. Everything is created in one target transaction.
 *
 * <p>Two copiers, chosen by {@link Copier}:
 * <ul>
 *   <li>pg_dump (the primary path): {@code pg_dump --schema-only -t <table>...} for the tables, and
 *       {@code pg_dump --schema-only -n <schema>} for the types, keeping only the sections of the types needed. From
 *       the table dump, triggers, rules, row security policies and publications are left out (their functions and
 *       roles are not copied, and replicated changes must not fire triggers twice), as are foreign keys to tables that
 *       are neither copied nor present on the target.</li>
 *   <li>the catalog copier (built in, for machines without PostgreSQL's client tools): the same objects rebuilt from
 *       the source's catalog with {@code format_type}, {@code pg_get_expr}, {@code pg_get_constraintdef} and
 *       {@code pg_get_indexdef}. It does not copy partitioned tables, comments, or storage parameters.</li>
 * </ul>
 * Extensions that own a used type (hstore, citext, ...) are created with {@code CREATE EXTENSION IF NOT EXISTS} by
 * both.
 *
 * <p>{@link #withSnapshot} reads the source as of the snapshot the stream starts from (the one its new slot exported),
 * so that the tables are created as they were at the stream's first position: a schema change committed after it
 * reaches the target once, replayed from the stream, not also in the copy. Read under it: both pg_dump runs
 * ({@code --snapshot}), and everything the source connection reads ({@link SourceCatalog}, in a {@code REPEATABLE READ}
 * transaction that imports it): which tables exist, their columns, constraints, indexes and foreign keys, the types and
 * extensions they use, and the catalog copier's DDL. Not under it: the target, read as it is now (what it lacks is what
 * is created); and the server's deparsing functions ({@code pg_get_constraintdef}, {@code pg_get_indexdef}, the
 * names {@code format_type} and {@code regclass} print), which look objects up in the current catalog, as in
 * pg_dump: an object changed in place in between (an index renamed) can be printed in its later form, and one dropped
 * in between fails the sync ("cache lookup failed"). Which columns, constraints and indexes there are, and the
 * columns' types and defaults, come from the snapshot's rows.
 */
public final class SchemaSync {
    private static final Logger log = LoggerFactory.getLogger(SchemaSync.class);
    private static final long LOCK_KEY = 0x70675f666c6f5373L; // "pg_floSs": one schema sync per target at a time
    /** The characters PostgreSQL's snapshot names have ({@code %08X-%08X-%d}), and all it accepts to import. */
    private static final Pattern SNAPSHOT_ID = Pattern.compile("[0-9A-F]{1,16}(?:-[0-9A-F]{1,16}){1,3}");
    private static final String INVALID_PARAMETER_VALUE = "22023"; // what importing an unknown snapshot raises
    private static final Set<String> TABLE_SECTIONS = Set.of("TABLE", "SEQUENCE", "SEQUENCE OWNED BY", "DEFAULT",
            "CONSTRAINT", "CHECK CONSTRAINT", "FK CONSTRAINT", "INDEX", "COMMENT", "STATISTICS");

    /** How the schema is copied. */
    public enum Copier {
        /** pg_dump when a suitable one is found, the catalog copier otherwise (with a warning that says why). */
        AUTO,
        /** pg_dump only; a missing or too old pg_dump is an error that says which version is needed. */
        PG_DUMP,
        /** The built-in catalog copier only. */
        CATALOG
    }

    /**
     * What a sync did.
     *
     * @param copier {@code pg_dump <version>}, {@code catalog}, or {@code none} when every table existed
     */
    public record Result(String copier, List<TableName> created, List<TableName> existing) {
        public Result {
            created = List.copyOf(created);
            existing = List.copyOf(existing);
        }
    }

    private final DatabaseEndpoint source;
    private final DatabaseEndpoint target;
    private final Copier copier;
    private final Path pgDumpPath;
    private final String snapshot;

    /**
     * @param pgDumpPath the pg_dump executable, or a directory holding it, or null to look for one
     */
    public SchemaSync(DatabaseEndpoint source, DatabaseEndpoint target, Copier copier, Path pgDumpPath) {
        this(source, target, copier, pgDumpPath, null);
    }

    private SchemaSync(DatabaseEndpoint source, DatabaseEndpoint target, Copier copier, Path pgDumpPath,
            String snapshot) {
        this.source = requireNonNull(source, "source is null");
        this.target = requireNonNull(target, "target is null");
        this.copier = requireNonNull(copier, "copier is null");
        this.pgDumpPath = pgDumpPath;
        this.snapshot = snapshot;
    }

    /**
     * The same sync, reading the source under the snapshot {@code snapshotId} (exported on the source, e.g. by the
     * stream's new slot) rather than as it is now; see the class comment for what that covers. The snapshot must still
     * be held by its exporter when {@link #sync} reads the source.
     *
     * @throws IllegalArgumentException when {@code snapshotId} is not a PostgreSQL snapshot name
     */
    public SchemaSync withSnapshot(String snapshotId) {
        return new SchemaSync(source, target, copier, pgDumpPath, checkSnapshotId(snapshotId));
    }

    /** {@code id}, when it is a snapshot name: it goes into SQL and onto pg_dump's command line. */
    static String checkSnapshotId(String id) {
        requireNonNull(id, "snapshot id is null");
        if (!SNAPSHOT_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("the source's snapshot id must be a PostgreSQL snapshot name such as "
                    + "00000003-0000001B-1, got '" + SqlStates.abbreviate(id, 80) + "'");
        }
        return id;
    }

    /** The one-line error for a snapshot its exporter no longer holds; {@code detail} says how it showed. */
    static ConfigurationException snapshotReleased(DatabaseEndpoint source, String snapshot, String detail,
            Throwable cause) {
        return new ConfigurationException("schema sync cannot read the source " + source.describe() + " as of the "
                + "stream's start: its snapshot " + snapshot + " can no longer be imported (the source has released "
                + "it, or the session that exported it ended): " + detail, cause);
    }

    /**
     * Creates on the target whichever of {@code tables} it lacks.
     *
     * @throws ConfigurationException when the schema cannot be read or created; the message says what failed
     */
    public Result sync(List<TableName> tables) {
        return sync(tables, TableRoutes.NONE);
    }

    /**
     * Creates on the target whichever of {@code tables} it lacks under their routed names: each is created as the
     * source has it (by pg_dump or the catalog copier, whose text names the source's table and columns) and then, in
     * the same transaction, moved and renamed to its route's names with {@code ALTER TABLE}, which carries the
     * constraints, indexes, defaults and foreign keys along. The result names the routed tables.
     *
     * @throws ConfigurationException when the schema cannot be read or created, or when the target holds a table under
     *     a routed table's source name (it would be in the way); the message says what failed
     */
    public Result sync(List<TableName> tables, TableRoutes routes) {
        requireNonNull(routes, "routes is null");
        try (Connection sourceConnection = PgConnections.open(source, "pg_flo-schema-sync", PgConnections.SOURCE);
                Connection targetConnection = PgConnections.open(target, "pg_flo-schema-sync", PgConnections.TARGET)) {
            // The transaction waits, idle, while pg_dump reads the source: a target-wide timeout must not end it.
            PgConnections.turnOffTimeouts(targetConnection);
            targetConnection.setAutoCommit(false);
            try (Statement statement = targetConnection.createStatement()) {
                statement.execute("SELECT pg_catalog.pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            List<TableName> missing = new ArrayList<>();
            List<TableName> existing = new ArrayList<>();
            for (TableName table : tables) {
                (relationExists(targetConnection, routes.destination(table)) ? existing : missing).add(table);
            }
            if (missing.isEmpty()) {
                targetConnection.rollback();
                return new Result("none", List.of(), routed(existing, routes));
            }
            RoutedTables.checkNothingInTheWay(targetConnection, missing, routes, target);
            SourceCatalog catalog = openCatalog(sourceConnection);
            String used = copy(catalog, targetConnection, missing);
            RoutedTables.rename(targetConnection, missing, routes);
            targetConnection.commit();
            log.info("schema sync with {}: created {} on {}{}", used, routed(missing, routes), target.describe(),
                    existing.isEmpty() ? "" : "; left " + routed(existing, routes) + " as they were");
            return new Result(used, routed(missing, routes), routed(existing, routes));
        } catch (SQLException e) {
            throw new ConfigurationException("schema sync from " + source.describe() + " to " + target.describe()
                    + " failed: " + SqlStates.describe(e), e);
        }
    }

    private static List<TableName> routed(List<TableName> tables, TableRoutes routes) {
        return tables.stream().map(routes::destination).toList();
    }

    /** The source's catalog, read under {@link #snapshot} when there is one. */
    private SourceCatalog openCatalog(Connection connection) throws SQLException {
        if (snapshot != null) {
            // The transaction stays open, idle, while pg_dump runs and the target is written: no timeout may end it.
            PgConnections.turnOffTimeouts(connection);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                // The transaction's first statement, as PostgreSQL requires; the id's characters are checked.
                statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            } catch (SQLException e) {
                if (INVALID_PARAMETER_VALUE.equals(e.getSQLState())) {
                    throw snapshotReleased(source, snapshot, SqlStates.describe(e), e);
                }
                throw e;
            }
        }
        return new SourceCatalog(connection, snapshot);
    }

    private String copy(SourceCatalog catalog, Connection targetConnection, List<TableName> missing) throws SQLException {
        List<UserType> types = new ArrayList<>();
        Set<Extension> extensions = new LinkedHashSet<>();
        catalog.typesUsedBy(missing, types, extensions);
        List<UserType> missingTypes = new ArrayList<>();
        for (UserType type : types) {
            if (!typeExists(targetConnection, type)) {
                missingTypes.add(type);
            }
        }
        List<ForeignKey> droppedKeys = new ArrayList<>();
        Set<String> keptKeys = new HashSet<>();
        Set<TableName> available = new HashSet<>(missing);
        for (TableName table : missing) {
            for (ForeignKey key : catalog.foreignKeys(table)) {
                if (available.contains(key.references()) || relationExists(targetConnection, key.references())) {
                    keptKeys.add(key.table().schema() + "\u0000" + key.table().table() + " " + key.name());
                } else {
                    droppedKeys.add(key);
                }
            }
        }
        for (ForeignKey key : droppedKeys) {
            log.warn("schema sync leaves out foreign key {} of {}: it references {}, which is neither replicated nor on "
                    + "the target", key.name(), key.table(), key.references());
        }

        Set<String> schemas = new LinkedHashSet<>();
        missing.forEach(table -> schemas.add(table.schema()));
        missingTypes.forEach(type -> schemas.add(type.schema()));
        try (Statement statement = targetConnection.createStatement()) {
            for (String schema : schemas) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(schema));
            }
            for (Extension extension : extensions) {
                statement.execute("CREATE SCHEMA IF NOT EXISTS " + quoteIdentifier(extension.schema()));
                statement.execute("CREATE EXTENSION IF NOT EXISTS " + quoteIdentifier(extension.name()) + " WITH SCHEMA "
                        + quoteIdentifier(extension.schema()));
            }
        }

        PgDump.Found pgDump = choosePgDump(catalog.serverMajorVersion());
        if (pgDump == null) {
            List<String> statements = new ArrayList<>();
            for (UserType type : missingTypes) {
                statements.add(catalog.typeDdl(type));
            }
            List<String> after = new ArrayList<>();
            for (TableName table : missing) {
                catalog.tableDdl(table, statements, after);
            }
            statements.addAll(after);
            for (TableName table : missing) {
                for (ForeignKey key : catalog.foreignKeys(table)) {
                    if (!droppedKeys.contains(key)) {
                        statements.add(catalog.foreignKeyDdl(key));
                    }
                }
            }
            execute(targetConnection, List.of(), statements, "catalog copier");
            return "catalog";
        }
        if (!missingTypes.isEmpty()) {
            Set<String> wanted = new HashSet<>();
            Set<String> typeSchemas = new LinkedHashSet<>();
            for (UserType type : missingTypes) {
                wanted.add(type.schema() + "\u0000" + type.name());
                typeSchemas.add(type.schema());
            }
            List<String> arguments = new ArrayList<>();
            typeSchemas.forEach(schema -> arguments.addAll(List.of("-n", PgDump.pattern(schema))));
            PgDumpScript script = PgDumpScript.parse(PgDump.dumpSchema(pgDump, source, snapshot, arguments));
            List<String> statements = new ArrayList<>();
            Set<String> found = new HashSet<>();
            for (Section section : script.sections()) {
                String key = section.schema() + "\u0000" + section.name();
                if ((section.type().equals("TYPE") || section.type().equals("DOMAIN")) && wanted.contains(key)) {
                    statements.addAll(section.statements());
                    found.add(key);
                }
            }
            for (UserType type : missingTypes) {
                if (!found.contains(type.schema() + "\u0000" + type.name())) {
                    throw new ConfigurationException("pg_dump's output for schema " + type.schema() + " has no type "
                            + type.name() + "; cannot copy it");
                }
            }
            execute(targetConnection, script.preamble(), statements, "pg_dump (types)");
        }
        List<String> arguments = new ArrayList<>();
        missing.forEach(table -> arguments.addAll(List.of("-t", PgDump.pattern(table.schema(), table.table()))));
        PgDumpScript script = PgDumpScript.parse(PgDump.dumpSchema(pgDump, source, snapshot, arguments));
        List<String> statements = new ArrayList<>();
        for (Section section : script.sections()) {
            if (!TABLE_SECTIONS.contains(section.type())) {
                log.debug("schema sync leaves out {} {}.{}", section.type(), section.schema(), section.name());
                continue;
            }
            if (section.type().equals("FK CONSTRAINT")
                    && !keptKeys.contains(section.schema() + "\u0000" + section.name())) {
                continue;
            }
            statements.addAll(section.statements());
        }
        execute(targetConnection, script.preamble(), statements, "pg_dump");
        return "pg_dump " + pgDump.version();
    }

    /** The pg_dump to use, or null for the catalog copier. */
    private PgDump.Found choosePgDump(int sourceMajor) {
        if (copier == Copier.CATALOG) {
            return null;
        }
        PgDump.Lookup lookup = PgDump.find(pgDumpPath, sourceMajor);
        if (lookup.found().isPresent()) {
            return lookup.found().get();
        }
        if (copier == Copier.PG_DUMP || pgDumpPath != null) {
            throw new ConfigurationException("--sync-schema cannot use pg_dump: " + lookup.problem());
        }
        log.warn("{}; copying the schema with the built-in catalog copier instead", lookup.problem());
        return null;
    }

    /**
     * Runs the preamble's settings (each may fail: a newer pg_dump sets parameters an older target does not know),
     * then the statements, in the target transaction.
     */
    private void execute(Connection connection, List<String> preamble, List<String> statements, String what)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            for (String setting : preamble) {
                Savepoint savepoint = connection.setSavepoint();
                try {
                    statement.execute(setting);
                    connection.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    connection.rollback(savepoint);
                    log.debug("schema sync: target does not take '{}': {}", setting, e.getMessage());
                }
            }
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new ConfigurationException("schema sync (" + what + ") failed on the target " + target.describe()
                            + ": " + SqlStates.describe(e) + "; statement: " + SqlStates.statement(sql, 300), e);
                }
            }
        }
    }

    /** Whether the connection's database has a table (or other relation) of that name. */
    static boolean relationExists(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NOT NULL")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static boolean typeExists(Connection connection, UserType type) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM pg_catalog.pg_type t "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = ? AND t.typname = ?")) {
            statement.setString(1, type.schema());
            statement.setString(2, type.name());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
