package io.pgflo.domain;

import static java.util.Objects.requireNonNull;

/**
 * One column's value, kept in PostgreSQL's own text form so that every type round-trips exactly.
 *
 * <p>Three states: a text value, SQL {@code NULL} ({@code text == null}), or an unchanged TOAST value that
 * the server did not send ({@link #unchangedToast()}): the column kept its old value, which nobody here knows.
 */
public record ColumnValue(Column column, String text, boolean unchangedToast) {
    public ColumnValue {
        requireNonNull(column, "column is null");
        if (unchangedToast && text != null) {
            throw new IllegalArgumentException("an unchanged TOAST value carries no text: column " + column.name());
        }
    }

    public static ColumnValue text(Column column, String text) {
        return new ColumnValue(column, requireNonNull(text, "text is null"), false);
    }

    public static ColumnValue sqlNull(Column column) {
        return new ColumnValue(column, null, false);
    }

    public static ColumnValue unchangedToastOf(Column column) {
        return new ColumnValue(column, null, true);
    }

    public String name() {
        return column.name();
    }

    public ColumnType type() {
        return column.type();
    }

    public boolean isNull() {
        return text == null && !unchangedToast;
    }
}
