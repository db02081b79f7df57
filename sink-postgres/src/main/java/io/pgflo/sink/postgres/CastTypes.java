package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ColumnType;

/**
 * The type a text value is cast to on its way into the target. It is the column's type name as the source printed it
 * ({@code format_type} without a type modifier), except where that name means something narrower in a cast:
 * {@code character} and {@code bit} alone mean {@code char(1)} and {@code bit(1)} and would cut longer values, so they
 * become {@code bpchar} and {@code "bit"} (no length); the column's own length then applies on assignment.
 */
final class CastTypes {
    private CastTypes() {}

    static String castName(ColumnType type) {
        String name = type.name();
        if (name.startsWith("oid:")) {
            throw new IllegalArgumentException("the source sent a value of type OID " + name.substring(4)
                    + ", which its catalog could not name; it cannot be written with a cast");
        }
        return castName(name);
    }

    /** The cast name for a type named as {@code format_type(oid, NULL)} names it. */
    static String castName(String name) {
        return switch (name) {
            case "character" -> "bpchar";
            case "character[]" -> "bpchar[]";
            case "bit" -> "\"bit\"";
            case "bit[]" -> "\"bit\"[]";
            default -> name;
        };
    }

    /**
     * Whether {@code =} on this type holds exactly when the text forms are equal, so a match can use it (and an index).
     * Other types are matched on their text form: some have no equality operator (json, point, xml), some call
     * different values equal (numeric 1.0 and 1.00).
     */
    static boolean equalityIsExact(ColumnType type) {
        return switch (type.baseOid()) {
            case 16, 18, 19, 20, 21, 23, 25, 26, 1042, 1043, 1082, 1114, 1184, 2950 -> !type.isArray();
            default -> false;
        };
    }
}
