package io.pgflo.sink.api;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One column's value, kept in PostgreSQL's own text form so that every type round-trips exactly.
 *
 * <p>Three states: a text value, SQL {@code NULL} ({@code text() == null}), or an unchanged TOAST value that
 * the server did not send ({@link #unchangedToast()}): the column kept its old value, which nobody here knows.
 *
 * <p>A value read from the wire keeps the wire's UTF-8 bytes ({@link #utf8(Column, byte[])}) and makes a
 * {@code String} only when asked: a sink that writes bytes (the PostgreSQL sink's COPY) never needs one, and the
 * thread reading the stream does not pay for the decoding of every value. The String is not kept: a JSON sink encodes
 * each value once, and keeping it next to the bytes made the batches in flight half as large again, and the young
 * collections that copy them as much slower. Immutable and safe to share between threads; equal when column, text and
 * TOAST state are.
 */
public final class ColumnValue {
    private final Column column;
    private final String givenText;
    private final byte[] utf8;
    private final boolean unchangedToast;

    public ColumnValue(Column column, String text, boolean unchangedToast) {
        this(column, text, null, unchangedToast);
    }

    private ColumnValue(Column column, String text, byte[] utf8, boolean unchangedToast) {
        this.column = requireNonNull(column, "column is null");
        if (unchangedToast && (text != null || utf8 != null)) {
            throw new IllegalArgumentException("an unchanged TOAST value carries no text: column " + column.name());
        }
        this.givenText = text;
        this.utf8 = utf8;
        this.unchangedToast = unchangedToast;
    }

    public static ColumnValue text(Column column, String text) {
        return new ColumnValue(column, requireNonNull(text, "text is null"), null, false);
    }

    /**
     * A text value given as its UTF-8 bytes, which must be valid UTF-8 and are not copied: the caller hands them over
     * and does not change them afterwards.
     */
    public static ColumnValue utf8(Column column, byte[] utf8) {
        return new ColumnValue(column, null, requireNonNull(utf8, "utf8 is null"), false);
    }

    public static ColumnValue sqlNull(Column column) {
        return new ColumnValue(column, null, null, false);
    }

    public static ColumnValue unchangedToastOf(Column column) {
        return new ColumnValue(column, null, null, true);
    }

    public Column column() {
        return column;
    }

    /**
     * The value's text, or null for SQL NULL and for an unchanged TOAST value. For a value from the wire, each call
     * decodes its bytes anew: a caller that needs the text more than once keeps it.
     */
    public String text() {
        if (givenText != null || utf8 == null) {
            return givenText;
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /**
     * The value's UTF-8 bytes when it was made from them ({@link #utf8(Column, byte[])}), else null. Not a copy:
     * callers must not change them.
     */
    public byte[] utf8OrNull() {
        return utf8;
    }

    public boolean unchangedToast() {
        return unchangedToast;
    }

    /** The value's length in UTF-8 bytes, as the wire carried it; 0 for NULL and for an unchanged TOAST value. */
    public int valueBytes() {
        return utf8 != null ? utf8.length : givenText != null ? utf8Length(givenText) : 0;
    }

    private static int utf8Length(String text) {
        int bytes = text.length();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                // 2 bytes up to U+07FF, 3 for the rest of the BMP, 4 for a surrogate pair (2 chars, 2 bytes more each)
                bytes += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return bytes;
    }

    /**
     * Whether both values have the same text (both null included). Two values from the wire compare their bytes, which
     * valid UTF-8 makes the same as comparing their texts, without decoding either.
     */
    public boolean sameText(ColumnValue other) {
        if (utf8 != null && other.utf8 != null) {
            return Arrays.equals(utf8, other.utf8);
        }
        return Objects.equals(text(), other.text());
    }

    /** The value as a whole number (int2, int4, int8, oid, and any text that is one). */
    public long asLong() {
        String text = present("a whole number");
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("column " + column.name() + " (" + column.type().name()
                    + ") is not a whole number: " + abbreviate(text), e);
        }
    }

    /** The value as an exact decimal (numeric and every integer type; not NaN or infinity). */
    public BigDecimal asBigDecimal() {
        String text = present("a decimal");
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("column " + column.name() + " (" + column.type().name()
                    + ") is not a decimal: " + abbreviate(text), e);
        }
    }

    /** The value as a double (float4, float8; PostgreSQL's NaN, Infinity and -Infinity included). */
    public double asDouble() {
        String text = present("a floating-point number");
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("column " + column.name() + " (" + column.type().name()
                    + ") is not a floating-point number: " + abbreviate(text), e);
        }
    }

    /** The value as a boolean: PostgreSQL's {@code t} and {@code f}. */
    public boolean asBoolean() {
        String text = present("a boolean");
        return switch (text) {
            case "t", "true" -> true;
            case "f", "false" -> false;
            default -> throw new IllegalStateException("column " + column.name() + " (" + column.type().name()
                    + ") is not a boolean: " + abbreviate(text));
        };
    }

    private String present(String what) {
        String text = text();
        if (text == null) {
            throw new IllegalStateException("column " + column.name() + " has no value to read as " + what + ": it is "
                    + (unchangedToast ? "an unchanged TOAST value" : "NULL"));
        }
        return text;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? "'" + text + "'" : "'" + text.substring(0, 40) + "...'";
    }

    public String name() {
        return column.name();
    }

    public ColumnType type() {
        return column.type();
    }

    public boolean isNull() {
        return utf8 == null && givenText == null && !unchangedToast;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ColumnValue that && unchangedToast == that.unchangedToast && column.equals(that.column)
                && sameText(that);
    }

    @Override
    public int hashCode() {
        return Objects.hash(column, text(), unchangedToast);
    }

    @Override
    public String toString() {
        return "ColumnValue[column=" + column + ", text=" + text() + ", unchangedToast=" + unchangedToast + "]";
    }
}
