package io.pgflo.sink.postgres;

import io.pgflo.domain.TableRoutes;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies schema changes of the source's tables to the target, in the batch transaction, between the changes around
 * them.
 *
 * <p>A DDL event carries the table's definitions before and after the change, read from the source's catalog by the
 * capture; {@link SchemaChangePlanner} turns them into statements against the target's catalog as it is. No text a
 * source client wrote runs here. Index and constraint statements that fail (say, a foreign key to a table the target
 * lacks) are rolled back to a savepoint and logged: the rows still fit the table, so the stream goes on. A column
 * statement that fails stops the stream, since the rows that follow need the column.
 *
 * <p>Only DDL on this sink's tables is applied (the capture on the source serves every group). The sink knows its
 * tables by name and follows renames.
 */
final class DdlReplayer {
    private static final Logger log = LoggerFactory.getLogger(DdlReplayer.class);
    /** Definitions and statements name everything schema-qualified, as the capture read them. */
    private static final String CATALOG_PATH = "pg_catalog, pg_temp";

    private final boolean enabled;
    private final boolean filtered;
    private final TableRoutes routes;
    private Set<TableName> tables;
    private Set<TableName> committedTables;
    /** The tables as the commit under way makes them (null when it changes none): see {@link #inDoubtCommit}. */
    private Set<TableName> committing;
    private boolean changed;
    private String baseSearchPath = "\"$user\", public";
    private long ignored;
    private int savepoints;

    /**
     * @param tables the sink's tables; empty means not known, and then every DDL event is applied
     */
    DdlReplayer(boolean enabled, List<TableName> tables) {
        this(enabled, tables, TableRoutes.NONE);
    }

    /**
     * @param tables the sink's tables under their routed names; empty means not known, and then every DDL event is
     *     applied
     * @param routes where routing sends the source's tables: their definitions are translated to the routed names
     */
    DdlReplayer(boolean enabled, List<TableName> tables, TableRoutes routes) {
        this.routes = routes;
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

    /** The target session's search_path, restored after a schema change. */
    void baseSearchPath(String searchPath) {
        this.baseSearchPath = searchPath;
    }

    /** A table this sink receives changes for (so its DDL is applied too). */
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
        boolean ours = !filtered || tables.contains(new TableName(event.schema(), event.table()));
        if (!ours) {
            log.debug("DDL at {} is for {}, not one of this sink's tables; not applied", event.lsn(), event.qualifiedTable());
        }
        return ours;
    }

    /** Applies the event's schema change in the connection's current transaction. */
    void apply(Connection connection, ChangeEvent event) throws SQLException {
        SchemaChange change;
        try {
            change = RoutedDdl.translate(SchemaChange.parse(event.ddl()), routes);
        } catch (IllegalArgumentException e) {
            log.warn("ignoring the DDL event at {} on {}: {}", event.lsn(), event.qualifiedTable(), e.getMessage());
            return;
        }
        TableName known = new TableName(event.schema(), event.table());
        setSearchPath(connection, CATALOG_PATH);
        try {
            TableName current = SchemaSync.relationExists(connection, known) ? known
                    : SchemaSync.relationExists(connection, change.definition().name()) ? change.definition().name() : null;
            if (current == null) {
                log.warn("schema change at {} on {} not applied: the target has no table {} (nor {})", event.lsn(),
                        known, known, change.definition().name());
                return;
            }
            SchemaChangePlanner.Plan plan = SchemaChangePlanner.plan(current, change, TargetShape.read(connection, current));
            try (Statement statement = connection.createStatement()) {
                statement.setEscapeProcessing(false);
                for (SchemaChangePlanner.Step step : plan.steps()) {
                    run(connection, statement, step, event);
                }
            }
            for (String warning : plan.warnings()) {
                log.warn("schema change at {} on {}: {}", event.lsn(), plan.table(), warning);
            }
            if (!plan.table().equals(known) && filtered) {
                tables.remove(known);
                tables.add(plan.table());
                changed = true;
                log.info("table {} is now {}", known, plan.table());
            }
            if (!plan.steps().isEmpty()) {
                log.info("applied the schema change at {} on {}: {} statement(s)", event.lsn(), plan.table(),
                        plan.steps().size());
            }
            // A column the change added or altered may be GENERATED ALWAYS AS IDENTITY now.
            IdentityColumns.relax(connection, plan.table());
        } finally {
            setSearchPath(connection, baseSearchPath);
        }
    }

    private void run(Connection connection, Statement statement, SchemaChangePlanner.Step step, ChangeEvent event)
            throws SQLException {
        log.debug("schema change at {}: {}", event.lsn(), step.sql());
        if (SqlScript.split(step.sql()).size() != 1) {
            // Built from quoted names and the server's deparsed text, a step is one statement; if a definition ever
            // held more, it did not come from the catalog, and it is not run.
            throw new SQLException("schema change at " + event.lsn() + " on " + event.qualifiedTable()
                    + " would run more than one statement, so its definition did not come from the source's catalog; "
                    + "not applied: " + SqlStates.statement(step.sql(), 300));
        }
        if (!step.optional()) {
            try {
                statement.execute(step.sql());
            } catch (SQLException e) {
                throw new SQLException(SqlStates.firstLine(e.getMessage()) + "; statement: "
                        + SqlStates.statement(step.sql(), 300), e.getSQLState(), e);
            }
            return;
        }
        Savepoint savepoint = connection.setSavepoint("pg_flo_ddl_" + savepoints++);
        try {
            statement.execute(step.sql());
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            connection.rollback(savepoint);
            log.warn("schema change at {} on {}: left out '{}' ({}); the rows still fit the table, so the stream goes on",
                    event.lsn(), event.qualifiedTable(), SqlStates.statement(step.sql(), 300), SqlStates.describe(e));
        }
    }

    private static void setSearchPath(Connection connection, String path) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.set_config('search_path', ?, true)")) {
            statement.setString(1, path);
            statement.execute();
        }
    }
}
