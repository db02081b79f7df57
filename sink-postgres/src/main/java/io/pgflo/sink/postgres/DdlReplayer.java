package io.pgflo.sink.postgres;

import static io.pgflo.domain.TableName.quoteIdentifier;

import io.pgflo.domain.ChangeEvent;
import io.pgflo.domain.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays DDL events on the target: in the batch transaction, or, for {@code CREATE/DROP INDEX CONCURRENTLY}, on
 * its own outside any transaction.
 *
 * <p>The statement is the text the source's client sent. It runs with {@code search_path} set to the table's schema
 * first (then the session's usual path), so unqualified names resolve as they did on the source; transaction control
 * in a multi-statement text ({@code BEGIN; ALTER ...; COMMIT}) is left out, so it cannot end the batch transaction.
 *
 * <p>Only DDL on this sink's tables is replayed (the capture on the source serves every group). The sink knows its
 * tables by name and follows renames: it notes the target table's OID before the statement and reads its name after.
 */
final class DdlReplayer {
    private static final Logger log = LoggerFactory.getLogger(DdlReplayer.class);
    private static final Pattern CONCURRENT = Pattern.compile(
            "^(?:create\\s+(?:unique\\s+)?index\\s+concurrently|drop\\s+index\\s+concurrently|reindex\\b.*\\bconcurrently)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final boolean enabled;
    private final boolean filtered;
    private Set<TableName> tables;
    private Set<TableName> committedTables;
    /** The tables as the commit under way makes them (null when it changes none): see {@link #inDoubtCommit}. */
    private Set<TableName> committing;
    private boolean changed;
    private String baseSearchPath = "\"$user\", public";
    private long ignored;

    /**
     * @param tables the sink's tables; empty means not known, and then every DDL event is replayed
     */
    DdlReplayer(boolean enabled, List<TableName> tables) {
        this.enabled = enabled;
        this.filtered = !tables.isEmpty();
        this.tables = new HashSet<>(tables);
        this.committedTables = Set.copyOf(tables);
    }

    /** The target transaction is about to commit: kept in case the answer to its COMMIT never arrives. */
    void committing() {
        committing = changed ? Set.copyOf(tables) : null;
    }

    /** The target transaction committed: renames seen in it are facts now. */
    void committed() {
        committing = null;
        if (changed) {
            committedTables = Set.copyOf(tables);
            changed = false;
        }
    }

    /**
     * The connection broke at a COMMIT, which was rolled back here ({@link #rolledBack}); the target's checkpoint has
     * told whether it took effect. If it did, the renames seen in it are facts after all: the retry skips the changes
     * it covered, so they are not seen again.
     */
    void inDoubtCommit(boolean tookEffect) {
        if (tookEffect && committing != null) {
            tables = new HashSet<>(committing);
            changed = true;
            committed();
        }
        committing = null;
    }

    /** The target transaction rolled back: forget the renames seen in it. */
    void rolledBack() {
        if (changed) {
            tables = new HashSet<>(committedTables);
            changed = false;
        }
    }

    /** The target session's search_path, which DDL gets after the table's schema. */
    void baseSearchPath(String searchPath) {
        this.baseSearchPath = searchPath;
    }

    /** A table this sink receives changes for (so its DDL is replayed too). */
    void noteTable(ChangeEvent event) {
        if (filtered && tables.add(new TableName(event.schema(), event.table()))) {
            changed = true;
        }
    }

    boolean accepts(ChangeEvent event) {
        if (!enabled) {
            if (ignored++ == 0) {
                log.info("ignoring DDL events (DDL tracking is off for this sink): {} at {}", event.qualifiedTable(), event.lsn());
            }
            return false;
        }
        if (!filtered) {
            return true;
        }
        if (event.table().isEmpty()) {
            return tables.stream().anyMatch(table -> table.schema().equals(event.schema()));
        }
        boolean ours = tables.contains(new TableName(event.schema(), event.table()));
        if (!ours) {
            log.debug("DDL at {} is for {}, not one of this sink's tables; not replayed", event.lsn(), event.qualifiedTable());
        }
        return ours;
    }

    /** Whether the statement must run outside a transaction block. */
    static boolean needsOwnTransaction(ChangeEvent event) {
        List<String> statements = SqlScript.split(event.ddl());
        return statements.size() == 1 && CONCURRENT.matcher(SqlScript.stripLeadingComments(statements.get(0))).find();
    }

    /**
     * Runs the event's statements on the connection: in its current transaction when autocommit is off, else each on
     * its own.
     */
    void apply(Connection connection, ChangeEvent event) throws SQLException {
        TableName table = event.table().isEmpty() ? null : new TableName(event.schema(), event.table());
        Long oid = table == null ? null : oidOf(connection, table);
        boolean inTransaction = !connection.getAutoCommit();
        String path = quoteIdentifier(event.schema()) + ", " + baseSearchPath;
        try (Statement statement = connection.createStatement()) {
            statement.setEscapeProcessing(false);
            setSearchPath(connection, path, inTransaction);
            try {
                for (String sql : SqlScript.split(event.ddl())) {
                    if (SqlScript.isTransactionControl(sql)) {
                        log.debug("leaving out transaction control in DDL at {}: {}", event.lsn(), sql);
                        continue;
                    }
                    statement.execute(sql);
                }
            } finally {
                if (!inTransaction) {
                    setSearchPath(connection, baseSearchPath, false);
                }
            }
            if (inTransaction) {
                setSearchPath(connection, baseSearchPath, true);
            }
        }
        log.info("replayed DDL at {} on {}: {}", event.lsn(),
                table == null ? "schema " + event.schema() : table,
                SqlStates.statement(event.ddl().strip().replaceAll("\\s+", " "), 200));
        TableName now = oid == null ? table : followRename(connection, table, oid);
        if (now != null) {
            // A column the statement added or altered may be GENERATED ALWAYS AS IDENTITY now.
            IdentityColumns.relax(connection, now);
        }
    }

    /** The table's name after the statement, or null when it dropped the table. */
    private TableName followRename(Connection connection, TableName before, long oid) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT n.nspname, c.relname FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = ?")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                TableName after = rows.next() ? new TableName(rows.getString(1), rows.getString(2)) : null;
                if (!before.equals(after)) {
                    changed = true;
                    tables.remove(before);
                    if (after != null) {
                        tables.add(after);
                        log.info("table {} is now {}", before, after);
                    }
                }
                return after;
            }
        }
    }

    private static Long oidOf(Connection connection, TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.to_regclass(?)::oid")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                if (rows.next()) {
                    long oid = rows.getLong(1);
                    return rows.wasNull() ? null : oid;
                }
                return null;
            }
        }
    }

    private static void setSearchPath(Connection connection, String path, boolean local) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.set_config('search_path', ?, ?)")) {
            statement.setString(1, path);
            statement.setBoolean(2, local);
            statement.execute();
        }
    }
}
