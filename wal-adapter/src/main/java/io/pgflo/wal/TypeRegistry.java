package io.pgflo.wal;

import io.pgflo.sink.api.ColumnType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Names the column types the stream refers to by OID: built-in and user types (enums, domains, composites, arrays
 * of them). Loaded from {@code pg_type} once, and again only when a type created later shows up.
 */
final class TypeRegistry {
    private static final String QUERY = "SELECT t.oid, format_type(t.oid, NULL), t.typtype, t.typbasetype, t.typelem, "
            + "t.typcategory FROM pg_catalog.pg_type t";

    private record CatalogType(int oid, String name, char kind, int baseType, int element, char category) {}

    private final Connection connection;
    private final Map<Integer, ColumnType> types = new HashMap<>();

    TypeRegistry(Connection connection) {
        this.connection = connection;
    }

    /**
     * Every type as {@code connection}'s transaction sees them, loaded now and never again: under one snapshot no
     * type appears later, so the copy's threads share the answer without a connection of their own.
     */
    static IntFunction<ColumnType> loadedOnce(Connection connection) {
        TypeRegistry registry = new TypeRegistry(connection);
        registry.reload();
        Map<Integer, ColumnType> types = Map.copyOf(registry.types);
        return oid -> {
            ColumnType type = types.get(oid);
            return type != null ? type : ColumnType.ofOid(oid, "oid:" + Integer.toUnsignedString(oid));
        };
    }

    ColumnType resolve(int oid) {
        ColumnType type = types.get(oid);
        if (type == null) {
            reload();
            type = types.computeIfAbsent(oid, o -> ColumnType.ofOid(o, "oid:" + Integer.toUnsignedString(o)));
        }
        return type;
    }

    private void reload() {
        Map<Integer, CatalogType> catalog = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
            while (rows.next()) {
                CatalogType type = new CatalogType(rows.getInt(1), rows.getString(2), rows.getString(3).charAt(0),
                        rows.getInt(4), rows.getInt(5), rows.getString(6).charAt(0));
                catalog.put(type.oid(), type);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read type names from pg_type: " + e.getMessage(), e);
        }
        types.clear();
        for (CatalogType type : catalog.values()) {
            int base = baseOf(type.oid(), catalog);
            CatalogType baseType = catalog.get(base);
            // int2vector and oidvector are category 'A' too, but print as "1 2", not as array literals.
            int element = baseType != null && baseType.category() == 'A' && baseType.element() != 0
                    && baseType.name().endsWith("[]")
                    ? baseOf(baseType.element(), catalog)
                    : 0;
            types.put(type.oid(), new ColumnType(type.oid(), type.name(), base, element));
        }
    }

    /** Follows domains down to the type they are built on. */
    private static int baseOf(int oid, Map<Integer, CatalogType> catalog) {
        int current = oid;
        for (int depth = 0; depth < 32; depth++) {
            CatalogType type = catalog.get(current);
            if (type == null || type.kind() != 'd' || type.baseType() == 0) {
                return current;
            }
            current = type.baseType();
        }
        return current;
    }
}
