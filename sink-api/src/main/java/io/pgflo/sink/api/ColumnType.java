package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

/**
 * A column's PostgreSQL type.
 *
 * @param oid the type's OID as the server sent it
 * @param name the SQL name of the type ({@code format_type}), usable in a cast: {@code integer[]},
 *     {@code public.mood}
 * @param baseOid for a domain, the OID of the type underneath it; otherwise {@code oid}
 * @param elementOid for an array, the base OID of its elements; otherwise 0
 */
public record ColumnType(int oid, String name, int baseOid, int elementOid) {
    public ColumnType {
        requireNonNull(name, "name is null");
    }

    /** A type known only by its OID (the server sent a type the catalog could not name). */
    public static ColumnType ofOid(int oid, String name) {
        return new ColumnType(oid, name, oid, 0);
    }

    public boolean isArray() {
        return elementOid != 0;
    }
}
