package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Start-up check on the source: every replicated table needs a replication key (a primary key, a replica identity
 * index, or REPLICA IDENTITY FULL), or its updates and deletes could not be applied to the target.
 */
final class ReplicationKeyCheck {
    private static final String QUERY = """
            SELECT c.relreplident,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisreplident)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ?""";

    private ReplicationKeyCheck() {}

    static void check(Connection source, String where, List<TableName> tables) throws SQLException {
        List<TableName> keyless = new ArrayList<>();
        try (PreparedStatement statement = source.prepareStatement(QUERY)) {
            for (TableName table : tables) {
                statement.setString(1, table.schema());
                statement.setString(2, table.table());
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        continue; // the source reports missing tables itself
                    }
                    String identity = rows.getString(1);
                    boolean ok = switch (identity) {
                        case "f" -> true;
                        case "d" -> rows.getBoolean(2);
                        case "i" -> rows.getBoolean(3);
                        default -> false; // 'n': REPLICA IDENTITY NOTHING
                    };
                    if (!ok) {
                        keyless.add(table);
                    }
                }
            }
        }
        if (keyless.isEmpty()) {
            return;
        }
        List<String> names = keyless.stream().map(TableName::toString).toList();
        throw new ConfigurationException((keyless.size() == 1 ? "table " : "tables ") + String.join(", ", names)
                + " on " + where + (keyless.size() == 1 ? " has" : " have")
                + " no primary key, no replica identity index and not REPLICA IDENTITY FULL, so updates and deletes "
                + "cannot be applied to the target; on the source, add a primary key, or run ALTER TABLE "
                + keyless.get(0).quoted() + " REPLICA IDENTITY FULL");
    }
}
