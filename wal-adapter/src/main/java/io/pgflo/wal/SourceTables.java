package io.pgflo.wal;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Describes source tables from the catalog, reading only: the columns pgoutput sends for each (neither dropped nor
 * generated), their types (a domain with its base type), and which make up the replication key (the primary key, the
 * replica identity index, or every column under REPLICA IDENTITY FULL), as the stream's Relation messages will. For
 * checking a rules or routing file against the source before anything is created there.
 */
public final class SourceTables {
    private static final String COLUMNS = "SELECT a.attname, a.atttypid, "
            + "CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END, "
            + "pg_catalog.format_type(a.atttypid, a.atttypmod), "
            + "CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE 0 END, "
            + "c.relreplident = 'f' OR COALESCE(a.attnum = ANY (k.indkey::int2[]), false) "
            + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            + "JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid "
            + "JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
            + "LEFT JOIN LATERAL (SELECT i.indkey FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid "
            + "AND i.indisvalid AND i.indisunique AND i.indimmediate AND i.indpred IS NULL "
            + "AND CASE c.relreplident WHEN 'd' THEN i.indisprimary WHEN 'i' THEN i.indisreplident "
            + "ELSE false END LIMIT 1) k ON true "
            + "WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p') "
            + "AND a.attnum > 0 AND NOT a.attisdropped";

    private SourceTables() {}

    /** The tables of {@code tables} that exist, each with its columns in order; a table that does not is left out. */
    public static Map<TableName, List<Column>> describe(DatabaseEndpoint endpoint, Collection<TableName> tables) {
        Map<TableName, List<Column>> found = new LinkedHashMap<>();
        if (tables.isEmpty()) {
            return found;
        }
        try (Connection connection = PgConnections.open(endpoint, "pg_flo-catalog")) {
            String notGenerated = connection.getMetaData().getDatabaseMajorVersion() >= 12
                    ? " AND a.attgenerated = ''" : "";
            try (PreparedStatement statement = connection.prepareStatement(COLUMNS + notGenerated
                    + " ORDER BY a.attnum")) {
                for (TableName table : tables) {
                    statement.setString(1, table.schema());
                    statement.setString(2, table.table());
                    List<Column> columns = new ArrayList<>();
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            columns.add(new Column(rows.getString(1), new ColumnType((int) rows.getLong(2),
                                    rows.getString(4), (int) rows.getLong(3), (int) rows.getLong(5)),
                                    rows.getBoolean(6)));
                        }
                    }
                    if (!columns.isEmpty()) {
                        found.put(table, List.copyOf(columns));
                    }
                }
            }
        } catch (SQLException e) {
            throw new ConfigurationException("cannot read the catalog of " + endpoint.describe() + ": "
                    + e.getMessage(), e);
        }
        return found;
    }
}
