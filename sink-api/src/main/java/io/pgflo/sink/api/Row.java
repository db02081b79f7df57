package io.pgflo.sink.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A row's column values in the table's column order. Immutable. */
public record Row(List<ColumnValue> values) {
    public Row {
        values = List.copyOf(values);
    }

    public Optional<ColumnValue> get(String columnName) {
        for (ColumnValue value : values) {
            if (value.name().equals(columnName)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** The text of a column, or null when it is NULL, unchanged TOAST, or absent. */
    public String text(String columnName) {
        return get(columnName).map(ColumnValue::text).orElse(null);
    }

    public List<String> unchangedToastColumns() {
        List<String> names = null;
        for (ColumnValue value : values) {
            if (value.unchangedToast()) {
                if (names == null) {
                    names = new ArrayList<>(2);
                }
                names.add(value.name());
            }
        }
        return names == null ? List.of() : List.copyOf(names);
    }

    /** The values' bytes: {@link ColumnValue#valueBytes()} summed. */
    public long valueBytes() {
        long bytes = 0;
        for (int i = 0; i < values.size(); i++) {
            bytes += values.get(i).valueBytes();
        }
        return bytes;
    }

    public int size() {
        return values.size();
    }
}
