package io.pgflo.sink.postgres;

import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secondary indexes a bulk load builds once at its end instead of row by row, as pg_restore does. Each is dropped
 * in the same transaction that records its definition in {@code internal_pg_flo.deferred_indexes}, and recreated in
 * the same transaction that deletes the record: whatever stops the copy (a failure, a stop, {@code kill -9}), the
 * record says what is missing, and the sink recreates it when it next starts ({@link #restoreAll}).
 *
 * <p>Deferred: plain indexes only (not unique, not a constraint's, not the replica identity, valid, not clustered,
 * without a comment, in the default tablespace, not part of a partitioned index), on a plain table. The primary key
 * and unique indexes stay: the sink finds its keys by them.
 */
final class DeferredIndexes {
    static final String TABLE = CheckpointTable.SCHEMA + ".deferred_indexes";
    private static final Logger log = LoggerFactory.getLogger(DeferredIndexes.class);
    private static final String PLAIN_INDEXES = """
            SELECT pg_catalog.quote_ident(n.nspname) || '.' || pg_catalog.quote_ident(ic.relname),
                   pg_catalog.pg_get_indexdef(i.indexrelid)
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
            WHERE i.indrelid = pg_catalog.to_regclass(?) AND c.relkind = 'r'
              AND NOT i.indisunique AND NOT i.indisprimary AND NOT i.indisexclusion AND NOT i.indisreplident
              AND i.indisvalid AND NOT i.indisclustered AND ic.reltablespace = 0
              AND pg_catalog.obj_description(i.indexrelid, 'pg_class') IS NULL
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k WHERE k.conindid = i.indexrelid)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits h WHERE h.inhrelid = i.indexrelid)
            ORDER BY ic.relname""";

    private final String group;

    DeferredIndexes(String group) {
        this.group = group;
    }

    /** Creates the record table when missing; the caller commits. */
    static void create(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (group_name text NOT NULL, table_name text NOT "
                    + "NULL, index_name text NOT NULL, definition text NOT NULL, PRIMARY KEY (group_name, index_name))");
        }
    }

    /** Drops the table's plain indexes and records them, in the connection's transaction; returns their names. */
    List<String> defer(Connection connection, TableName table) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(PLAIN_INDEXES)) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    indexes.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (String[] index : indexes) {
            try (PreparedStatement record = connection.prepareStatement("INSERT INTO " + TABLE
                    + " (group_name, table_name, index_name, definition) VALUES (?, ?, ?, ?)");
                    Statement drop = connection.createStatement()) {
                record.setString(1, group);
                record.setString(2, table.quoted());
                record.setString(3, index[0]);
                record.setString(4, index[1]);
                record.executeUpdate();
                drop.execute("DROP INDEX " + index[0]);
            }
            names.add(index[0]);
        }
        return names;
    }

    /** Recreates the table's deferred indexes, and commits; returns their names. */
    List<String> restore(Connection connection, TableName table) throws SQLException {
        return restore(connection, table.quoted());
    }

    /** Recreates every index of the group a load left deferred (a copy that crashed or could not restore them). */
    void restoreAll(Connection connection) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT DISTINCT table_name FROM " + TABLE + " WHERE group_name = ? ORDER BY 1")) {
            statement.setString(1, group);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
        }
        for (String table : tables) {
            try {
                List<String> restored = restore(connection, table);
                log.info("recreated the indexes {} of {}, which a copy had set aside and not rebuilt", restored, table);
            } catch (SQLException e) {
                // Not a reason to refuse to start: the table may be gone (then so are its records), or the index may
                // be recreated by hand; the record stays and the next start tries again.
                connection.rollback();
                if (gone(connection, table)) {
                    forget(connection, table);
                    log.warn("{} no longer exists: the indexes a copy had set aside for it are forgotten", table);
                } else {
                    log.warn("cannot recreate the indexes a copy had set aside on {} ({}); see {} for their "
                            + "definitions; the next start tries again", table, SqlStates.describe(e), TABLE);
                }
            }
        }
    }

    private static boolean gone(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.to_regclass(?) IS NULL")) {
            statement.setString(1, table);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                boolean gone = rows.getBoolean(1);
                connection.commit();
                return gone;
            }
        }
    }

    private void forget(Connection connection, String table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM " + TABLE + " WHERE group_name = ? AND table_name = ?")) {
            statement.setString(1, group);
            statement.setString(2, table);
            statement.executeUpdate();
        }
        connection.commit();
    }

    private List<String> restore(Connection connection, String table) throws SQLException {
        List<String[]> indexes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT index_name, definition FROM " + TABLE
                + " WHERE group_name = ? AND table_name = ? ORDER BY index_name")) {
            statement.setString(1, group);
            statement.setString(2, table);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    indexes.add(new String[] {rows.getString(1), rows.getString(2)});
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (String[] index : indexes) {
            try (Statement create = connection.createStatement();
                    PreparedStatement forget = connection.prepareStatement(
                            "DELETE FROM " + TABLE + " WHERE group_name = ? AND index_name = ?")) {
                // The definition is pg_get_indexdef's, read from this target's catalog: the sink's own text.
                create.execute(index[1]);
                forget.setString(1, group);
                forget.setString(2, index[0]);
                forget.executeUpdate();
            }
            names.add(index[0]);
        }
        connection.commit();
        return names;
    }
}
