package io.pgflo.sink.postgres;

import io.pgflo.sink.api.BulkLoader;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL sink's {@link BulkLoader}: each part is one {@code COPY} on a connection of a small pool, committed
 * with its row in {@code internal_pg_flo.copy_parts} ({@link CopyPartLoad}).
 *
 * <p>A table is loaded only when it holds nothing but parts of this copy: rows an earlier copy of the group loaded
 * (another snapshot, or another plan) are truncated away, and rows no copy loaded are refused, or truncated with
 * {@link CopyExisting#TRUNCATE}. Its plain secondary indexes are dropped for the load and rebuilt at its end
 * ({@link DeferredIndexes}).
 */
final class PostgresBulkLoader implements BulkLoader {
    private static final Logger log = LoggerFactory.getLogger(PostgresBulkLoader.class);
    private static final String COLUMN_TYPES = """
            SELECT a.attname, pg_catalog.format_type(a.atttypid, NULL) FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = pg_catalog.to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped""";

    private final LoaderConnections connections;
    private final CopyPartsTable parts;
    private final DeferredIndexes indexes;
    private final CopyExisting existing;
    private final String target;
    private final Map<TableName, PreparedTable> prepared = new ConcurrentHashMap<>();
    private final Set<TableName> unfinished = ConcurrentHashMap.newKeySet();

    /**
     * @param parallelism parts loaded at once; the pool has one more connection, for the coordinating thread
     * @param target the target, as messages name it
     */
    PostgresBulkLoader(LoaderConnections.Opener opener, int parallelism, String group, CopyExisting existing,
            String target) {
        this.connections = new LoaderConnections(opener, parallelism + 1);
        this.parts = new CopyPartsTable(group);
        this.indexes = new DeferredIndexes(group);
        this.existing = existing;
        this.target = target;
    }

    /** A table ready for its parts: its name and the target's column types, and the formats made for it. */
    static final class PreparedTable {
        private final TableName name;
        private final Map<String, String> targetTypes;
        private final Map<List<Column>, LoadFormat> formats = new ConcurrentHashMap<>();

        PreparedTable(TableName name, Map<String, String> targetTypes) {
            this.name = name;
            this.targetTypes = Map.copyOf(targetTypes);
        }

        TableName name() {
            return name;
        }

        LoadFormat format(List<Column> columns) {
            return formats.computeIfAbsent(List.copyOf(columns), key -> {
                LoadFormat format = LoadFormat.of(name, key, targetTypes);
                log.info("{}: loading with {}", name, format.stageSql() != null ? "text COPY into a staging table of "
                        + "the source's column types (the target's differ), then INSERT" : format.binary()
                        ? "binary COPY" : "text COPY (a column type has no binary form here)");
                return format;
            });
        }
    }

    @Override
    public Set<String> prepare(String copyId, TableName table, List<String> partIds) {
        Connection connection = borrow(table);
        boolean healthy = false;
        try {
            Map<String, Set<String>> held = parts.held(connection, table);
            Set<String> kept = new HashSet<>(held.getOrDefault(copyId, Set.of()));
            kept.retainAll(partIds);
            int heldCount = held.values().stream().mapToInt(Set::size).sum();
            if (heldCount > kept.size()) {
                // Parts of another snapshot's copy (or another plan): their ranges mean nothing now.
                log.info("{} holds {} parts an earlier copy loaded under another snapshot; emptying it to load it again "
                        + "in full", table, heldCount - kept.size());
                truncate(connection, table);
                parts.forget(connection, table);
                kept.clear();
            } else if (kept.isEmpty() && !isEmpty(connection, table)) {
                if (existing == CopyExisting.REFUSE) {
                    throw new ConfigurationException("the target table " + table + " in " + target + " already holds "
                            + "rows, and the copy would add the source's to them; empty it, or choose --copy-existing "
                            + "truncate (empty it first) or --copy-existing upsert (upsert the copied rows)");
                }
                log.info("--copy-existing truncate: emptying the target table {} before the copy", table);
                truncate(connection, table);
            }
            List<String> deferred = indexes.defer(connection, table);
            Map<String, String> types = columnTypes(connection, table);
            connection.commit();
            healthy = true;
            prepared.put(table, new PreparedTable(table, types));
            unfinished.add(table);
            if (!deferred.isEmpty()) {
                log.info("{}: indexes {} are built once its rows are in", table, deferred);
            }
            return kept;
        } catch (SQLException e) {
            throw new PostgresSinkException("cannot prepare " + table + " in " + target + " for the copy: "
                    + SqlStates.describe(e), e);
        } finally {
            if (!healthy) {
                rollbackQuietly(connection);
            }
            connections.giveBack(connection, healthy);
        }
    }

    @Override
    public PartLoad open(String copyId, TableName table, String partId) {
        PreparedTable ready = prepared.get(table);
        if (ready == null) {
            throw new IllegalStateException(table + " was not prepared for the copy");
        }
        return new CopyPartLoad(connections, ready, parts, copyId, partId, target);
    }

    @Override
    public void finish(TableName table) {
        Connection connection = borrow(table);
        boolean healthy = false;
        try {
            long started = System.nanoTime();
            List<String> rebuilt = indexes.restore(connection, table);
            healthy = true;
            unfinished.remove(table);
            if (!rebuilt.isEmpty()) {
                log.info("{}: built indexes {} in {} ms", table, rebuilt, (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SQLException e) {
            throw new PostgresSinkException("cannot rebuild the indexes of " + table + " in " + target + " after its "
                    + "copy (the sink rebuilds them when it next starts): " + SqlStates.describe(e), e);
        } finally {
            if (!healthy) {
                rollbackQuietly(connection);
            }
            connections.giveBack(connection, healthy);
        }
    }

    @Override
    public void complete() {
        Connection connection = borrow(null);
        boolean healthy = false;
        try {
            parts.forget(connection, null);
            connection.commit();
            healthy = true;
        } catch (SQLException e) {
            throw new PostgresSinkException("cannot forget the copy's parts in " + target + ": " + SqlStates.describe(e),
                    e);
        } finally {
            connections.giveBack(connection, healthy);
        }
    }

    /** Rebuilds the indexes of tables whose load did not finish, then closes the connections. */
    @Override
    public void close() {
        try {
            for (TableName table : Set.copyOf(unfinished)) {
                try {
                    finish(table);
                } catch (RuntimeException e) {
                    log.warn("{}; they are rebuilt when the sink next starts", e.getMessage());
                }
            }
        } finally {
            connections.close();
        }
    }

    private Connection borrow(TableName table) {
        try {
            return connections.borrow();
        } catch (SQLException e) {
            throw new PostgresSinkException("cannot connect to the target " + target + " for the copy"
                    + (table == null ? "" : " of " + table) + ": " + SqlStates.describe(e), e);
        }
    }

    private static boolean isEmpty(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT 1 FROM " + table.quoted() + " LIMIT 1")) {
            return !rows.next();
        }
    }

    private static void truncate(Connection connection, TableName table) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("TRUNCATE " + table.quoted());
        }
    }

    private static Map<String, String> columnTypes(Connection connection, TableName table) throws SQLException {
        Map<String, String> types = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(COLUMN_TYPES)) {
            statement.setString(1, table.quoted());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.put(rows.getString(1), CastTypes.castName(rows.getString(2)));
                }
            }
        }
        return types;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is not reused.
        }
    }
}
