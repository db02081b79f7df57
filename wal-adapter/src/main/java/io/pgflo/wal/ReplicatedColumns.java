package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The columns of the tables a group would replicate ({@code --tables}, or every table of {@code --schema}), read from
 * the source's catalog with one read-only connection and nothing created: for checking a routing or rules file before
 * the group's slot and publication exist. A table that does not exist is left out; the stream's own start reports it.
 */
public final class ReplicatedColumns {
    private ReplicatedColumns() {}

    /** Each table with its columns in the table's order (dropped columns left out). */
    public static Map<TableName, List<String>> read(DatabaseEndpoint endpoint, String schema, List<String> tables) {
        List<TableName> names = new ArrayList<>();
        for (String entry : tables) {
            names.add(TableReference.parse(entry, schema));
        }
        try (Connection connection = PgConnections.open(endpoint, "pg_flo-catalog-check")) {
            connection.setReadOnly(true);
            Map<TableName, List<String>> columns = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT n.nspname, c.relname, a.attname FROM pg_catalog.pg_class c "
                            + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                            + "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
                            + "WHERE c.relkind IN ('r', 'p') AND (n.nspname = ? AND cardinality(?::text[]) = 0 "
                            + "OR (n.nspname, c.relname) IN (SELECT * FROM unnest(?::text[], ?::text[]))) "
                            + "ORDER BY n.nspname, c.relname, a.attnum")) {
                statement.setString(1, schema);
                statement.setArray(2, connection.createArrayOf("text", names.stream().map(TableName::table).toArray()));
                statement.setArray(3, connection.createArrayOf("text", names.stream().map(TableName::schema).toArray()));
                statement.setArray(4, connection.createArrayOf("text", names.stream().map(TableName::table).toArray()));
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        columns.computeIfAbsent(new TableName(rows.getString(1), rows.getString(2)),
                                table -> new ArrayList<>()).add(rows.getString(3));
                    }
                }
            }
            if (names.isEmpty()) {
                return columns;
            }
            // In --tables' order, as the stream replicates them.
            Map<TableName, List<String>> ordered = new LinkedHashMap<>();
            for (TableName name : names) {
                if (columns.containsKey(name)) {
                    ordered.put(name, columns.get(name));
                }
            }
            return ordered;
        } catch (SQLException e) {
            throw new ConfigurationException("cannot read the columns of the replicated tables on "
                    + endpoint.describe() + ": " + e.getMessage(), e);
        }
    }
}
