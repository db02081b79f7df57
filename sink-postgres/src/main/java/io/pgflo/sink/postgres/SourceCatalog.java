package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads what the schema sync needs from the source's catalog: the types a set of tables uses (and the types those
 * use), the extensions that own some of them, foreign keys, and, for the built-in copier, the DDL of types and tables
 * rebuilt from {@code pg_attribute}, {@code format_type}, {@code pg_get_expr}, {@code pg_get_constraintdef} and
 * {@code pg_get_indexdef}.
 *
 * <p>The connection's {@code search_path} is emptied, so every name the catalog functions print is schema-qualified,
 * as in pg_dump's output. Relations are found by querying {@code pg_class}, not with {@code to_regclass} (which looks
 * in the current catalog), so that a connection under an imported snapshot sees the tables that existed then.
 */
final class SourceCatalog {
    /** A user-defined type: enum 'e', domain 'd', composite 'c', range 'r', or base 'b'. */
    record UserType(long oid, String schema, String name, char kind) {
        String quoted() {
            return quoteIdentifier(schema) + "." + quoteIdentifier(name);
        }
    }

    /** An extension a table needs because it owns one of the table's types. */
    record Extension(String name, String schema) {}

    /** A foreign key of a synced table. */
    record ForeignKey(TableName table, String name, TableName references) {}

    private final Connection connection;
    private final String snapshot;

    /**
     * @param snapshot the snapshot the connection's transaction has imported, named in errors; or null when the
     *     connection reads the source as it is now
     */
    SourceCatalog(Connection connection, String snapshot) throws SQLException {
        this.connection = connection;
        this.snapshot = snapshot;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_catalog.set_config('search_path', '', false)");
        }
    }

    int serverMajorVersion() throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    long oidOf(TableName table) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT c.oid FROM pg_catalog.pg_class c "
                + "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?")) {
            statement.setString(1, table.schema());
            statement.setString(2, table.table());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new ConfigurationException("table " + table + " not found on the source"
                            + (snapshot == null ? "" : " as of the stream's start (snapshot " + snapshot + ")")
                            + "; cannot copy its schema");
                }
                return rows.getLong(1);
            }
        }
    }

    /**
     * The user-defined types the tables' columns use, dependencies first (a domain after its base type, a composite
     * after its attributes' types), and the extensions that own types in use.
     */
    void typesUsedBy(List<TableName> tables, List<UserType> types, Set<Extension> extensions) throws SQLException {
        Map<Long, UserType> ordered = new LinkedHashMap<>();
        Set<Long> visiting = new LinkedHashSet<>();
        for (TableName table : tables) {
            for (long type : columnTypes(oidOf(table), "pg_catalog.pg_attribute a WHERE a.attrelid = ?")) {
                visit(type, ordered, visiting, extensions);
            }
        }
        types.addAll(ordered.values());
    }

    private void visit(long oid, Map<Long, UserType> ordered, Set<Long> visiting, Set<Extension> extensions)
            throws SQLException {
        if (ordered.containsKey(oid) || !visiting.add(oid)) {
            return;
        }
        String sql = """
                SELECT n.nspname, t.typname, t.typtype, t.typelem, t.typcategory, t.typbasetype, t.typrelid,
                       (SELECT e.extname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                        WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid
                          AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'),
                       (SELECT en.nspname FROM pg_catalog.pg_depend d JOIN pg_catalog.pg_extension e ON e.oid = d.refobjid
                        JOIN pg_catalog.pg_namespace en ON en.oid = e.extnamespace
                        WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid
                          AND d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.deptype = 'e'),
                       (SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid),
                       (SELECT r.rngtypid FROM pg_catalog.pg_range r WHERE r.rngmultitypid = t.oid)
                FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE t.oid = ?""";
        List<Long> dependencies = new ArrayList<>();
        UserType type = null;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return;
                }
                String schema = rows.getString(1);
                char kind = rows.getString(3).charAt(0);
                long element = rows.getLong(4);
                boolean array = "A".equals(rows.getString(5)) && element != 0;
                String extension = rows.getString(8);
                if (extension != null) {
                    extensions.add(new Extension(extension, rows.getString(9)));
                } else if (array) {
                    dependencies.add(element);
                } else if (kind == 'm') {
                    dependencies.add(rows.getLong(11));
                } else if (!schema.equals("pg_catalog") && !schema.equals("information_schema") && kind != 'p') {
                    type = new UserType(oid, schema, rows.getString(2), kind);
                    switch (kind) {
                        case 'd' -> dependencies.add(rows.getLong(6));
                        case 'r' -> dependencies.add(rows.getLong(10));
                        case 'c' -> dependencies.addAll(columnTypes(rows.getLong(7),
                                "pg_catalog.pg_attribute a WHERE a.attrelid = ?"));
                        default -> { }
                    }
                }
            }
        }
        for (long dependency : dependencies) {
            visit(dependency, ordered, visiting, extensions);
        }
        if (type != null) {
            if (type.kind() == 'b') {
                throw new ConfigurationException("type " + type.quoted() + " is a base type written in C and not part "
                        + "of an extension; create it on the target before syncing the schema");
            }
            if (type.kind() == 'c' && !isFreeStandingComposite(type)) {
                throw new ConfigurationException("a replicated table has a column of type " + type.quoted()
                        + ", the row type of another table; create that table on the target before syncing the schema");
            }
            ordered.put(oid, type);
        }
    }

    private boolean isFreeStandingComposite(UserType type) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT c.relkind = 'c' FROM pg_catalog.pg_type t JOIN pg_catalog.pg_class c ON c.oid = t.typrelid WHERE t.oid = ?")) {
            statement.setLong(1, type.oid());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private List<Long> columnTypes(long relation, String from) throws SQLException {
        List<Long> types = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT a.atttypid FROM " + from
                + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
            statement.setLong(1, relation);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getLong(1));
                }
            }
        }
        return types;
    }

    List<ForeignKey> foreignKeys(TableName table) throws SQLException {
        List<ForeignKey> keys = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT c.conname, n.nspname, r.relname FROM pg_catalog.pg_constraint c
                JOIN pg_catalog.pg_class r ON r.oid = c.confrelid JOIN pg_catalog.pg_namespace n ON n.oid = r.relnamespace
                WHERE c.conrelid = ? AND c.contype = 'f'""")) {
            statement.setLong(1, oidOf(table));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    keys.add(new ForeignKey(table, rows.getString(1), new TableName(rows.getString(2), rows.getString(3))));
                }
            }
        }
        return keys;
    }

    /** CREATE TYPE / CREATE DOMAIN for a user type. */
    String typeDdl(UserType type) throws SQLException {
        return switch (type.kind()) {
            case 'e' -> enumDdl(type);
            case 'd' -> domainDdl(type);
            case 'c' -> compositeDdl(type);
            case 'r' -> rangeDdl(type);
            default -> throw new ConfigurationException("cannot copy type " + type.quoted() + " (kind " + type.kind() + ")");
        };
    }

    private String enumDdl(UserType type) throws SQLException {
        List<String> labels = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_catalog.quote_literal(enumlabel) FROM pg_catalog.pg_enum WHERE enumtypid = ? ORDER BY enumsortorder")) {
            statement.setLong(1, type.oid());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    labels.add(rows.getString(1));
                }
            }
        }
        return "CREATE TYPE " + type.quoted() + " AS ENUM (" + String.join(", ", labels) + ")";
    }

    private String domainDdl(UserType type) throws SQLException {
        StringBuilder ddl = new StringBuilder("CREATE DOMAIN ").append(type.quoted()).append(" AS ");
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_catalog.format_type(t.typbasetype, t.typtypmod), t.typnotnull, t.typdefault,
                       CASE WHEN t.typcollation <> 0 AND t.typcollation <> b.typcollation
                            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                FROM pg_catalog.pg_type t JOIN pg_catalog.pg_type b ON b.oid = t.typbasetype
                LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
                LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                WHERE t.oid = ?""")) {
            statement.setLong(1, type.oid());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                ddl.append(rows.getString(1));
                if (rows.getString(4) != null) {
                    ddl.append(" COLLATE ").append(rows.getString(4));
                }
                if (rows.getString(3) != null) {
                    ddl.append(" DEFAULT ").append(rows.getString(3));
                }
                if (rows.getBoolean(2)) {
                    ddl.append(" NOT NULL");
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT conname, pg_catalog.pg_get_constraintdef(oid) "
                + "FROM pg_catalog.pg_constraint WHERE contypid = ? AND contype = 'c' ORDER BY conname")) {
            statement.setLong(1, type.oid());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ddl.append(" CONSTRAINT ").append(quoteIdentifier(rows.getString(1))).append(' ').append(rows.getString(2));
                }
            }
        }
        return ddl.toString();
    }

    private String compositeDdl(UserType type) throws SQLException {
        List<String> attributes = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), %s
                FROM pg_catalog.pg_type t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.typrelid
                %s
                WHERE t.oid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""".formatted(
                        COLLATION_COLUMN, COLLATION_JOIN))) {
            statement.setLong(1, type.oid());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    attributes.add(quoteIdentifier(rows.getString(1)) + " " + rows.getString(2)
                            + (rows.getString(3) == null ? "" : " COLLATE " + rows.getString(3)));
                }
            }
        }
        return "CREATE TYPE " + type.quoted() + " AS (" + String.join(", ", attributes) + ")";
    }

    private String rangeDdl(UserType type) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_catalog.format_type(r.rngsubtype, NULL), pg_catalog.format_type(r.rngmultitypid, NULL),
                       NULLIF(r.rngsubdiff, 0)::regproc::text,
                       CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> s.typcollation
                            THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END
                FROM pg_catalog.pg_range r JOIN pg_catalog.pg_type s ON s.oid = r.rngsubtype
                LEFT JOIN pg_catalog.pg_collation co ON co.oid = r.rngcollation
                LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                WHERE r.rngtypid = ?""")) {
            statement.setLong(1, type.oid());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                StringBuilder ddl = new StringBuilder("CREATE TYPE ").append(type.quoted()).append(" AS RANGE (SUBTYPE = ")
                        .append(rows.getString(1)).append(", MULTIRANGE_TYPE_NAME = ").append(rows.getString(2));
                if (rows.getString(3) != null) {
                    ddl.append(", SUBTYPE_DIFF = ").append(rows.getString(3));
                }
                if (rows.getString(4) != null) {
                    ddl.append(", COLLATION = ").append(rows.getString(4));
                }
                return ddl.append(')').toString();
            }
        }
    }

    private static final String COLLATION_COLUMN = """
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> ty.typcollation
                 THEN pg_catalog.quote_ident(cn.nspname) || '.' || pg_catalog.quote_ident(co.collname) END""";
    private static final String COLLATION_JOIN = """
            JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
            LEFT JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace""";

    /**
     * The statements that create a table as the source has it: the sequences its defaults use, CREATE TABLE with
     * columns, defaults, identity and generated columns, NOT NULL and collations; then (in {@code after}) primary
     * key, unique, check and exclusion constraints, other indexes, replica identity and sequence ownership. Foreign
     * keys are left to the caller.
     */
    void tableDdl(TableName table, List<String> before, List<String> after) throws SQLException {
        long oid = oidOf(table);
        char kind;
        char persistence;
        char identity;
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT relkind, relpersistence, relreplident FROM pg_catalog.pg_class WHERE oid = ?")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                kind = rows.getString(1).charAt(0);
                persistence = rows.getString(2).charAt(0);
                identity = rows.getString(3).charAt(0);
            }
        }
        if (kind != 'r') {
            throw new ConfigurationException("table " + table + " is partitioned; the built-in schema copier copies plain "
                    + "tables only: install pg_dump (see --pg-dump-path) or create the table on the target first");
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT DISTINCT s.oid, pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname),
                       pg_catalog.format_type(q.seqtypid, NULL), q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle
                FROM pg_catalog.pg_attrdef ad
                JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_attrdef'::regclass AND d.objid = ad.oid
                JOIN pg_catalog.pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
                JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
                JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
                WHERE ad.adrelid = ?""")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    before.add("CREATE SEQUENCE IF NOT EXISTS " + rows.getString(2) + " AS " + rows.getString(3)
                            + sequenceOptions(rows, 4));
                }
            }
        }
        List<String> columns = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, %s,
                       q.seqstart, q.seqincrement, q.seqmin, q.seqmax, q.seqcache, q.seqcycle
                FROM pg_catalog.pg_attribute a
                %s
                LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                LEFT JOIN pg_catalog.pg_sequence q ON a.attidentity <> ''
                     AND q.seqrelid = pg_catalog.pg_get_serial_sequence(a.attrelid::regclass::text, a.attname)::regclass
                WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""".formatted(
                        COLLATION_COLUMN, COLLATION_JOIN))) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    StringBuilder column = new StringBuilder(quoteIdentifier(rows.getString(1))).append(' ')
                            .append(rows.getString(2));
                    if (rows.getString(7) != null) {
                        column.append(" COLLATE ").append(rows.getString(7));
                    }
                    String identityKind = rows.getString(5);
                    String generated = rows.getString(6);
                    String expression = rows.getString(4);
                    if ("s".equals(generated)) {
                        column.append(" GENERATED ALWAYS AS (").append(expression).append(") STORED");
                    } else if (!identityKind.isEmpty()) {
                        column.append(" GENERATED ").append("a".equals(identityKind) ? "ALWAYS" : "BY DEFAULT")
                                .append(" AS IDENTITY (").append(sequenceOptions(rows, 8).strip()).append(')');
                    } else if (expression != null) {
                        column.append(" DEFAULT ").append(expression);
                    }
                    if (rows.getBoolean(3)) {
                        column.append(" NOT NULL");
                    }
                    columns.add(column.toString());
                }
            }
        }
        before.add("CREATE " + (persistence == 'u' ? "UNLOGGED " : "") + "TABLE " + table.quoted() + " ("
                + String.join(", ", columns) + ")");
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT conname, pg_catalog.pg_get_constraintdef(oid) FROM pg_catalog.pg_constraint
                WHERE conrelid = ? AND contype IN ('p', 'u', 'c', 'x') AND conislocal
                ORDER BY contype = 'c', conname""")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    after.add("ALTER TABLE " + table.quoted() + " ADD CONSTRAINT " + quoteIdentifier(rows.getString(1))
                            + " " + rows.getString(2));
                }
            }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_catalog.pg_get_indexdef(i.indexrelid) FROM pg_catalog.pg_index i
                WHERE i.indrelid = ? AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))
                ORDER BY i.indexrelid""")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    after.add(rows.getString(1));
                }
            }
        }
        switch (identity) {
            case 'f' -> after.add("ALTER TABLE " + table.quoted() + " REPLICA IDENTITY FULL");
            case 'n' -> after.add("ALTER TABLE " + table.quoted() + " REPLICA IDENTITY NOTHING");
            case 'i' -> {
                try (PreparedStatement statement = connection.prepareStatement("SELECT c.relname FROM pg_catalog.pg_index i "
                        + "JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ? AND i.indisreplident")) {
                    statement.setLong(1, oid);
                    try (ResultSet rows = statement.executeQuery()) {
                        if (rows.next()) {
                            after.add("ALTER TABLE " + table.quoted() + " REPLICA IDENTITY USING INDEX "
                                    + quoteIdentifier(rows.getString(1)));
                        }
                    }
                }
            }
            default -> { }
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT pg_catalog.quote_ident(sn.nspname) || '.' || pg_catalog.quote_ident(s.relname), a.attname
                FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
                JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
                JOIN pg_catalog.pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.refobjid = ? AND d.deptype = 'a'""")) {
            statement.setLong(1, oid);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    after.add("ALTER SEQUENCE " + rows.getString(1) + " OWNED BY " + table.quoted() + "."
                            + quoteIdentifier(rows.getString(2)));
                }
            }
        }
    }

    /** The foreign key's ADD CONSTRAINT statement. */
    String foreignKeyDdl(ForeignKey key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_catalog.pg_get_constraintdef(oid) "
                + "FROM pg_catalog.pg_constraint WHERE conrelid = ? AND conname = ? AND contype = 'f'")) {
            statement.setLong(1, oidOf(key.table()));
            statement.setString(2, key.name());
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return "ALTER TABLE " + key.table().quoted() + " ADD CONSTRAINT " + quoteIdentifier(key.name()) + " "
                        + rows.getString(1);
            }
        }
    }

    /** START WITH ... from columns start, increment, min, max, cache, cycle at {@code first}. */
    private static String sequenceOptions(ResultSet rows, int first) throws SQLException {
        return " START WITH " + rows.getLong(first) + " INCREMENT BY " + rows.getLong(first + 1)
                + " MINVALUE " + rows.getLong(first + 2) + " MAXVALUE " + rows.getLong(first + 3)
                + " CACHE " + rows.getLong(first + 4) + (rows.getBoolean(first + 5) ? " CYCLE" : " NO CYCLE");
    }
}
