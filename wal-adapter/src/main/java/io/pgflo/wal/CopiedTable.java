package io.pgflo.wal;

import io.pgflo.domain.CopyChunk;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import io.pgflo.wal.PgOutputMessage.Relation;
import io.pgflo.wal.PgOutputMessage.RelationColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What the initial copy knows of a table, read from the catalog under the copy's snapshot: the columns and key the
 * stream's Relation message would give it, its partitions if it is partitioned, and whether the copy's role may read
 * it. Builds the statements that read a part of it.
 *
 * @param oid the table's OID
 * @param relation the table as a Relation message describes it: the columns pgoutput sends (not dropped, not
 *     generated) in their order, the replica identity's marked as the key
 * @param readable whether the role may SELECT from it
 * @param role the role the copy reads as
 * @param leaves for a partitioned table, its leaf partitions (by schema and name); empty otherwise
 * @param reltuples the server's estimate of the rows, -1 when it has none
 */
record CopiedTable(TableName name, long oid, boolean partitioned, RelationInfo relation, boolean readable, String role,
        List<Leaf> leaves, double reltuples) {

    /**
     * A partition without partitions of its own.
     *
     * @param plain whether it is a table with rows of its own (not a foreign table, say)
     */
    record Leaf(TableName name, boolean plain, boolean readable, double reltuples) {}

    static CopiedTable load(Connection connection, TableName name, IntFunction<ColumnType> types, String where)
            throws SQLException {
        long oid;
        char kind;
        char replicaIdentity;
        boolean readable;
        String role;
        double reltuples;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.oid, c.relkind, c.relreplident, pg_catalog.has_table_privilege(c.oid, 'SELECT'), "
                        + "current_user, c.reltuples::float8 "
                        + "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, name.schema());
            statement.setString(2, name.table());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new ConfigurationException("cannot copy " + name + ": no such table in the copy's snapshot of "
                            + where);
                }
                oid = rows.getLong(1);
                kind = rows.getString(2).charAt(0);
                replicaIdentity = rows.getString(3).charAt(0);
                readable = rows.getBoolean(4);
                role = rows.getString(5);
                reltuples = rows.getDouble(6);
            }
        }
        if (kind != 'r' && kind != 'p') {
            throw new ConfigurationException("cannot copy " + name + ": it is not a table");
        }
        Relation relation = new Relation((int) oid, name.schema(), name.table(), replicaIdentity,
                columns(connection, oid));
        return new CopiedTable(name, oid, kind == 'p', RelationInfo.describe(relation, types), readable, role,
                kind == 'p' ? leaves(connection, oid) : List.of(), reltuples);
    }

    /**
     * The columns pgoutput sends, as its Relation message does (logicalrep_write_attrs): neither dropped nor generated,
     * in attribute order; under REPLICA IDENTITY FULL every column is key, else those of the index that the identity
     * names (the primary key by default) when that index is valid, unique, immediate and not partial, else none.
     */
    private static List<RelationColumn> columns(Connection connection, long oid) throws SQLException {
        // Generated columns came with PostgreSQL 12; pgoutput sends none of them.
        String notGenerated = connection.getMetaData().getDatabaseMajorVersion() >= 12 ? " AND a.attgenerated = ''" : "";
        List<RelationColumn> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT a.attname, a.atttypid, a.atttypmod, "
                        + "c.relreplident = 'f' OR COALESCE(a.attnum = ANY (k.indkey::int2[]), false) "
                        + "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                        + "LEFT JOIN LATERAL (SELECT i.indkey FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid "
                        + "AND i.indisvalid AND i.indisunique AND i.indimmediate AND i.indpred IS NULL "
                        + "AND CASE c.relreplident WHEN 'd' THEN i.indisprimary WHEN 'i' THEN i.indisreplident "
                        + "ELSE false END LIMIT 1) k ON true "
                        + "WHERE a.attrelid = ?::oid AND a.attnum > 0 AND NOT a.attisdropped" + notGenerated
                        + " ORDER BY a.attnum")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    columns.add(new RelationColumn(rows.getBoolean(4), rows.getString(1), (int) rows.getLong(2),
                            rows.getInt(3)));
                }
            }
        }
        return columns;
    }

    /** The partitions at the bottom of the tree, as the snapshot has them (pg_inherits read under it, not the cache). */
    private static List<Leaf> leaves(Connection connection, long oid) throws SQLException {
        List<Leaf> leaves = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "WITH RECURSIVE tree(relid) AS (SELECT inhrelid FROM pg_catalog.pg_inherits WHERE inhparent = ?::oid "
                        + "UNION ALL SELECT i.inhrelid FROM pg_catalog.pg_inherits i JOIN tree t ON i.inhparent = t.relid) "
                        + "SELECT n.nspname, c.relname, c.relkind = 'r', "
                        + "pg_catalog.has_table_privilege(c.oid, 'SELECT'), c.reltuples::float8 "
                        + "FROM tree JOIN pg_catalog.pg_class c ON c.oid = tree.relid "
                        + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                        + "WHERE c.relkind <> 'p' ORDER BY n.nspname, c.relname")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    leaves.add(new Leaf(new TableName(rows.getString(1), rows.getString(2)), rows.getBoolean(3),
                            rows.getBoolean(4), rows.getDouble(5)));
                }
            }
        }
        return List.copyOf(leaves);
    }

    /**
     * Whether the parts of this partitioned table are its leaf partitions, one each, read directly: when it has more
     * than one and the role may read every one, each a plain table. Otherwise it is one part read through the table
     * itself, as PostgreSQL's own initial sync reads it, which needs the privilege on the table alone.
     */
    boolean partsArePartitions() {
        return partitioned && leaves.size() > 1 && leaves.stream().allMatch(leaf -> leaf.plain() && leaf.readable());
    }

    /** The server's estimate of the rows; 0 when it has none. */
    long estimatedRows() {
        if (partitioned && !leaves.isEmpty()) {
            return leaves.stream().mapToLong(leaf -> estimate(leaf.reltuples())).sum();
        }
        return estimate(reltuples);
    }

    private static long estimate(double reltuples) {
        return reltuples < 0 ? 0 : (long) reltuples;
    }

    /** The relation a part reads: the table, or for a partitioned one read by partitions, the part's partition. */
    TableName source(CopyChunk chunk) {
        if (!partitioned || chunk.count() == 1) {
            return name;
        }
        if (!partsArePartitions() || leaves.size() != chunk.count()) {
            throw new IllegalStateException("it was planned as one of " + chunk.count() + " partitions, but the "
                    + "snapshot has " + leaves.size() + (partsArePartitions() ? "" : ", not all of them plain tables the "
                    + "role may read") + "; plan the table again on this snapshot");
        }
        return leaves.get(chunk.index()).name();
    }

    /**
     * The COPY of one part: the columns pgoutput sends, of the rows of the part's relation alone (ONLY: an inheritance
     * child's rows come under its own name in the stream), for a plain table within the part's pages.
     */
    String copyStatement(CopyChunk chunk) {
        String columns = relation.columns().stream().map(column -> TableName.quoteIdentifier(column.name()))
                .collect(Collectors.joining(", "));
        TableName source = source(chunk);
        StringBuilder sql = new StringBuilder("COPY (SELECT ").append(columns).append(" FROM ");
        if (partitioned && chunk.count() == 1) {
            sql.append(source.quoted());
        } else {
            sql.append("ONLY ").append(source.quoted());
        }
        if (!partitioned) {
            List<String> bounds = new ArrayList<>(2);
            if (chunk.start() > 0) {
                bounds.add("ctid >= " + tid(chunk.start()));
            }
            if (chunk.end() != CopyChunk.OPEN) {
                bounds.add("ctid < " + tid(chunk.end()));
            }
            if (!bounds.isEmpty()) {
                sql.append(" WHERE ").append(String.join(" AND ", bounds));
            }
        }
        return sql.append(") TO STDOUT").toString();
    }

    /** The first tuple of a heap page; block numbers are unsigned 32-bit. */
    private static String tid(long page) {
        if (page > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("page " + page + " is past the largest block number");
        }
        return "'(" + page + ",0)'::tid";
    }
}
