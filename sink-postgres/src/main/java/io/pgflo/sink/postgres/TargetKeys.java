package io.pgflo.sink.postgres;

import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The target tables' own keys (primary key, else replica identity index), for tables whose events do not name a
 * proper key: under REPLICA IDENTITY FULL every column is flagged as key. Cached; forgotten after every DDL.
 */
final class TargetKeys {
    private static final String QUERY = """
            WITH chosen AS (
              SELECT i.indexrelid, i.indrelid, i.indkey, i.indnkeyatts FROM pg_catalog.pg_index i
              WHERE i.indrelid = pg_catalog.to_regclass(?) AND (i.indisprimary OR i.indisreplident)
                AND i.indexprs IS NULL AND i.indpred IS NULL
              ORDER BY i.indisprimary DESC LIMIT 1)
            SELECT a.attname FROM chosen
            CROSS JOIN LATERAL unnest(chosen.indkey::int2[]) WITH ORDINALITY AS k(attnum, position)
            JOIN pg_catalog.pg_attribute a ON a.attrelid = chosen.indrelid AND a.attnum = k.attnum
            WHERE k.position <= chosen.indnkeyatts
            ORDER BY k.position""";

    private final Map<TableName, List<String>> keys = new HashMap<>();
    private long generation;

    /** The target table's key columns, or an empty list when it has none (or does not exist). */
    List<String> of(Connection connection, TableName table) throws SQLException {
        List<String> key = keys.get(table);
        if (key == null) {
            key = new ArrayList<>();
            try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
                statement.setString(1, table.quoted());
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        key.add(rows.getString(1));
                    }
                }
            }
            key = List.copyOf(key);
            keys.put(table, key);
        }
        return key;
    }

    void forget() {
        keys.clear();
        generation++;
    }

    /** Changes with every {@link #forget()}: what was derived from the keys before is stale. */
    long generation() {
        return generation;
    }
}
