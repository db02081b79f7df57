package io.pgflo.rules;

import io.pgflo.sink.api.ColumnType;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * How a column's values compare, from its PostgreSQL type (a domain's from its base type). Values arrive as
 * PostgreSQL's text output; each kind parses that text, and a rule's value written in the file, into something
 * comparable.
 */
enum ValueKind {
    INTEGER,
    /** numeric, real, double precision: compared exactly, as decimals. */
    DECIMAL,
    TEXT,
    BOOLEAN,
    DATE,
    TIMESTAMP,
    TIMESTAMPTZ,
    /** Anything else (uuid, json, arrays, ...): equal or not by its text, never ordered. */
    OTHER;

    static ValueKind of(ColumnType type) {
        if (type.isArray()) {
            return OTHER;
        }
        int oid = type.baseOid() != 0 ? type.baseOid() : type.oid();
        return switch (oid) {
            case 20, 21, 23, 26 -> INTEGER;
            case 700, 701, 1700 -> DECIMAL;
            case 25, 1043, 1042, 19 -> TEXT;
            case 16 -> BOOLEAN;
            case 1082 -> DATE;
            case 1114 -> TIMESTAMP;
            case 1184 -> TIMESTAMPTZ;
            default -> type.name().equals("citext") || type.name().endsWith(".citext") ? TEXT : OTHER;
        };
    }

    /** Whether a rule may order values of this kind (gt, lt, gte, lte). */
    boolean ordered() {
        return this != OTHER;
    }

    /** {@code text} as a comparable value of this kind, or null when it is not one (NaN, infinity, a typo). */
    Comparable<?> parse(String text) {
        String trimmed = text.trim();
        try {
            return switch (this) {
                case INTEGER -> Long.parseLong(trimmed);
                case DECIMAL -> new BigDecimal(trimmed);
                case TEXT, OTHER -> text;
                case BOOLEAN -> parseBoolean(trimmed);
                case DATE -> LocalDate.parse(trimmed);
                case TIMESTAMP -> LocalDateTime.parse(isoDateTime(trimmed));
                case TIMESTAMPTZ -> parseInstant(trimmed);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    private static Boolean parseBoolean(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "t", "true", "yes", "on", "1" -> Boolean.TRUE;
            case "f", "false", "no", "off", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** PostgreSQL writes {@code 2024-05-01 10:00:00+02}; ISO wants a T and {@code +02:00}. */
    private static String isoDateTime(String text) {
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + 'T' + text.substring(11)
                : text;
        int sign = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
        if (sign > 10 && iso.length() - sign == 3) {
            iso = iso + ":00";
        }
        return iso;
    }

    private static java.time.Instant parseInstant(String text) {
        String iso = isoDateTime(text);
        if (iso.endsWith("Z") || iso.lastIndexOf('+') > 10 || iso.lastIndexOf('-') > 10) {
            return OffsetDateTime.parse(iso).toInstant();
        }
        if (iso.length() == 10) {
            return LocalDate.parse(iso).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC); // a value without an offset is read as UTC
    }
}
