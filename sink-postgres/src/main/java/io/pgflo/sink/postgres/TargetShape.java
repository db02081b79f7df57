package io.pgflo.sink.postgres;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A target table as its catalog has it now: what a schema change is checked against, so that applying one twice, or
 * one the target already has, is no error. Read with search_path = pg_catalog, as the source's capture reads its
 * definitions, so that type names and expressions compare as text.
 */
record TargetShape(Map<String, Column> columns, Set<String> constraints, Set<String> indexes) {

    record Column(String type, boolean notNull, String defaultExpression, String identity, boolean generated) {}

    static TargetShape read(Connection connection, TableName table) throws SQLException {
        Map<String, Column> columns = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_catalog.pg_get_expr(d.adbin, d.adrelid), NULLIF(a.attidentity::text, ''), a.attgenerated <> ''

                FROM pg_catalog.pg_attribute a
                LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = pg_catalog.to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""")) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    boolean generated = rows.getBoolean(6);
                    columns.put(rows.getString(1), new Column(rows.getString(2), rows.getBoolean(3),
                            generated ? null : rows.getString(4), rows.getString(5), generated));
                }
            }
        }
        return new TargetShape(columns, names(connection, table,
                "SELECT conname FROM pg_catalog.pg_constraint WHERE conrelid = pg_catalog.to_regclass(?)"),
                names(connection, table, "SELECT c.relname FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c "
                        + "ON c.oid = i.indexrelid WHERE i.indrelid = pg_catalog.to_regclass(?)"));
    }

    private static Set<String> names(Connection connection, TableName table, String sql) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }
}
