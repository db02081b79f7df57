package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;

/**
 * The binary COPY form of a value, made from the text form the source printed (with the stream's settings: ISO dates
 * in UTC, {@code extra_float_digits = 3}, hex bytea), for the types where that is cheap and exact: the integers, oid,
 * bool, float4/8, numeric, the text types, json and jsonb, bytea, uuid, date, timestamp and timestamptz (and domains
 * over them). Any other type (arrays, enums, ranges, geometry, money, ...) keeps the whole COPY in text format.
 */
final class BinaryValues {
    private static final long POSTGRES_EPOCH_DAY = LocalDate.of(2000, 1, 1).toEpochDay();
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    private BinaryValues() {}

    static boolean supports(ColumnType type) {
        return !type.isArray() && switch (type.baseOid()) {
            case 16, 17, 19, 20, 21, 23, 25, 26, 114, 700, 701, 1042, 1043, 1082, 1114, 1184, 1700, 2950, 3802 -> true;
            default -> false;
        };
    }

    /** The field: its length, then its bytes; -1 for NULL. */
    static void put(CopyBuffer out, ColumnValue value) throws SQLException {
        if (value.isNull()) {
            out.putInt(-1);
            return;
        }
        int oid = value.type().baseOid();
        switch (oid) {
            case 25, 19, 114, 1042, 1043 -> text(out, value, false);
            case 3802 -> text(out, value, true);
            case 16 -> {
                out.putInt(1);
                out.put((byte) (value.text().equals("t") ? 1 : 0));
            }
            case 21 -> {
                out.putInt(2);
                out.putShort(Short.parseShort(value.text()));
            }
            case 23 -> {
                out.putInt(4);
                out.putInt(Integer.parseInt(value.text()));
            }
            case 26 -> {
                out.putInt(4);
                out.putInt((int) Long.parseLong(value.text()));
            }
            case 20 -> {
                out.putInt(8);
                out.putLong(Long.parseLong(value.text()));
            }
            case 700 -> {
                out.putInt(4);
                out.putInt(Float.floatToRawIntBits(Float.parseFloat(value.text())));
            }
            case 701 -> {
                out.putInt(8);
                out.putLong(Double.doubleToRawLongBits(Double.parseDouble(value.text())));
            }
            case 1700 -> numeric(out, value.text());
            case 1082 -> {
                out.putInt(4);
                out.putInt(date(value.text()));
            }
            case 1114 -> {
                out.putInt(8);
                out.putLong(timestamp(value.text(), false));
            }
            case 1184 -> {
                out.putInt(8);
                out.putLong(timestamp(value.text(), true));
            }
            case 2950 -> uuid(out, value.text());
            case 17 -> bytea(out, value.text());
            default -> throw new IllegalArgumentException("no binary form for type " + value.type().name());
        }
    }

    private static void text(CopyBuffer out, ColumnValue value, boolean jsonb) throws SQLException {
        byte[] utf8 = value.utf8OrNull();
        if (utf8 == null) {
            utf8 = value.text().getBytes(StandardCharsets.UTF_8);
        }
        if (jsonb) {
            out.putInt(utf8.length + 1);
            out.put((byte) 1); // jsonb's binary form: version 1, then the text
        } else {
            out.putInt(utf8.length);
        }
        out.putBytes(utf8, 0, utf8.length);
    }

    /**
     * numeric's binary form: the digits in base 10,000, the weight of the first, sign and display scale. The text is
     * what numeric_out prints: an optional minus, digits, optionally a point and more digits; or NaN, Infinity,
     * -Infinity.
     */
    static void numeric(CopyBuffer out, String text) throws SQLException {
        int special = switch (text) {
            case "NaN" -> 0xC000;
            case "Infinity" -> 0xD000;
            case "-Infinity" -> 0xF000;
            default -> -1;
        };
        if (special >= 0) {
            out.putInt(8);
            out.putShort(0);
            out.putShort(0);
            out.putShort(special);
            out.putShort(0);
            return;
        }
        boolean negative = text.charAt(0) == '-';
        int from = negative || text.charAt(0) == '+' ? 1 : 0;
        int point = text.indexOf('.', from);
        int intEnd = point < 0 ? text.length() : point;
        while (from < intEnd && text.charAt(from) == '0') {
            from++;
        }
        int intDigits = intEnd - from;
        int scale = point < 0 ? 0 : text.length() - point - 1;
        int intGroups = (intDigits + 3) / 4;
        int fracGroups = (scale + 3) / 4;
        short[] groups = new short[intGroups + fracGroups];
        // Integer digits right-aligned in their groups, fraction digits left-aligned.
        int lead = intGroups * 4 - intDigits;
        for (int i = 0; i < intDigits; i++) {
            int at = lead + i;
            groups[at / 4] = (short) (groups[at / 4] * 10 + digit(text, from + i));
        }
        for (int i = 0; i < fracGroups * 4; i++) {
            int d = i < scale ? digit(text, point + 1 + i) : 0;
            int group = intGroups + i / 4;
            groups[group] = (short) (groups[group] * 10 + d);
        }
        int first = 0;
        int weight = intGroups - 1;
        while (first < groups.length && groups[first] == 0) {
            first++;
            weight--;
        }
        int last = groups.length;
        while (last > first && groups[last - 1] == 0) {
            last--;
        }
        int count = last - first;
        out.putInt(8 + 2 * count);
        out.putShort(count);
        out.putShort(count == 0 ? 0 : weight);
        out.putShort(negative && count > 0 ? 0x4000 : 0);
        out.putShort(scale);
        for (int i = first; i < last; i++) {
            out.putShort(groups[i]);
        }
    }

    private static int digit(String text, int at) {
        char c = text.charAt(at);
        if (c < '0' || c > '9') {
            throw new IllegalArgumentException("not a numeric value: '" + SqlStates.abbreviate(text, 60) + "'");
        }
        return c - '0';
    }

    /** Days since 2000-01-01, or infinity as PostgreSQL stores it. */
    static int date(String text) {
        switch (text) {
            case "infinity":
                return Integer.MAX_VALUE;
            case "-infinity":
                return Integer.MIN_VALUE;
            default:
                break;
        }
        boolean bc = text.endsWith(" BC");
        int dash = text.indexOf('-');
        return (int) days(text, dash, bc);
    }

    /**
     * Microseconds since 2000-01-01 00:00 (UTC for timestamptz), from {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, with an
     * offset {@code ±HH[:MM[:SS]]} for timestamptz and {@code  BC} after it for years before 1.
     */
    static long timestamp(String text, boolean withZone) {
        switch (text) {
            case "infinity":
                return Long.MAX_VALUE;
            case "-infinity":
                return Long.MIN_VALUE;
            default:
                break;
        }
        boolean bc = text.endsWith(" BC");
        int end = bc ? text.length() - 3 : text.length();
        int dash = text.indexOf('-');
        long days = days(text, dash, bc);
        int at = dash + 7; // after "-MM-DD "
        long seconds = number(text, at, 2) * 3600L + number(text, at + 3, 2) * 60L + number(text, at + 6, 2);
        at += 8;
        long micros = 0;
        if (at < end && text.charAt(at) == '.') {
            int digits = 0;
            at++;
            while (at < end && Character.isDigit(text.charAt(at))) {
                micros = micros * 10 + (text.charAt(at) - '0');
                digits++;
                at++;
            }
            for (; digits < 6; digits++) {
                micros *= 10;
            }
        }
        if (withZone) {
            char sign = text.charAt(at);
            if (sign != '+' && sign != '-') {
                throw new IllegalArgumentException("no offset in timestamptz '" + text + "'");
            }
            long offset = number(text, at + 1, 2) * 3600L;
            if (at + 3 < end && text.charAt(at + 3) == ':') {
                offset += number(text, at + 4, 2) * 60L;
                if (at + 6 < end && text.charAt(at + 6) == ':') {
                    offset += number(text, at + 7, 2);
                }
            }
            seconds -= sign == '+' ? offset : -offset;
        }
        return days * MICROS_PER_DAY + seconds * 1_000_000L + micros;
    }

    private static long days(String text, int dash, boolean bc) {
        int year = (int) number(text, 0, dash);
        LocalDate date = LocalDate.of(bc ? 1 - year : year, (int) number(text, dash + 1, 2),
                (int) number(text, dash + 4, 2));
        return date.toEpochDay() - POSTGRES_EPOCH_DAY;
    }

    private static long number(String text, int from, int length) {
        long value = 0;
        for (int i = from; i < from + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("not a date or time PostgreSQL prints: '" + text + "'");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static void uuid(CopyBuffer out, String text) throws SQLException {
        byte[] bytes = new byte[16];
        int n = 0;
        for (int i = 0; i < text.length() && n < 32; i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d >= 0) {
                bytes[n / 2] = (byte) (bytes[n / 2] << 4 | d);
                n++;
            }
        }
        if (n != 32) {
            throw new IllegalArgumentException("not a uuid: '" + text + "'");
        }
        out.putInt(16);
        out.putBytes(bytes, 0, 16);
    }

    private static void bytea(CopyBuffer out, String text) throws SQLException {
        if (!text.startsWith("\\x")) {
            throw new IllegalArgumentException("bytea not in hex form (bytea_output = hex on the source's session)");
        }
        byte[] bytes = java.util.HexFormat.of().parseHex(text, 2, text.length());
        out.putInt(bytes.length);
        out.putBytes(bytes, 0, bytes.length);
    }
}
