package io.pgflo.sink.postgres;

import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Whether changes to different rows of a target table commute: applied in any order they leave the same table. True
 * when the table has at most one unique index or exclusion constraint (the key's) and no trigger that fires for this
 * session (foreign keys are triggers too; under {@code session_replication_role = replica} only ENABLE REPLICA and
 * ENABLE ALWAYS triggers fire). Then a batch's changes to the table can be merged per key. Cached; forgotten after DDL.
 */
final class TargetTables {
    private static final String QUERY = """
            SELECT c.relkind = 'r'
               AND (SELECT count(*) FROM pg_catalog.pg_index i
                    WHERE i.indrelid = c.oid AND (i.indisunique OR i.indisexclusion)) <= 1
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger g
                    WHERE g.tgrelid = c.oid AND g.tgenabled = ANY (?::"char"[]))
               AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN')
            FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass(?)""";

    private static final String COLUMN_TYPES = """
            SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pg_catalog.to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""";

    private final Map<TableName, Boolean> commuting = new HashMap<>();
    private final Map<TableName, Map<String, String>> columnTypes = new HashMap<>();
    private boolean replicaRole;

    /** Whether the session runs with {@code session_replication_role = replica}, which decides which triggers fire. */
    void replicaRole(boolean replica) {
        if (replica != replicaRole) {
            replicaRole = replica;
            commuting.clear();
        }
    }

    boolean changesCommute(Connection connection, TableName table) throws SQLException {
        Boolean known = commuting.get(table);
        if (known == null) {
            try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
                statement.setString(1, replicaRole ? "{R,A}" : "{O,A}");
                statement.setString(2, table.quoted());
                try (ResultSet rows = statement.executeQuery()) {
                    known = rows.next() && rows.getBoolean(1);
                }
            }
            commuting.put(table, known);
        }
        return known;
    }

    /**
     * Whether the target table's columns have these types (cast names, as {@link CastTypes#castName} gives them for the
     * source's values): then reading a value with the column's input function gives what casting it does.
     */
    boolean hasColumnTypes(Connection connection, TableName table, List<String> columns, List<String> castTypes)
            throws SQLException {
        Map<String, String> types = columnTypes.get(table);
        if (types == null) {
            types = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(COLUMN_TYPES)) {
                statement.setString(1, table.quoted());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        types.put(rows.getString(1), CastTypes.castName(rows.getString(2)));
                    }
                }
            }
            columnTypes.put(table, types);
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!castTypes.get(i).equals(types.get(columns.get(i)))) {
                return false;
            }
        }
        return true;
    }

    void forget() {
        commuting.clear();
        columnTypes.clear();
    }
}
