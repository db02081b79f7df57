package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ColumnValue;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A row's values as the text list a {@link RowChange} holds, made from the row's {@link ColumnValue}s without making
 * a String of each: a value's text is made when {@link #get} asks for it, and {@link CopyRows} writes the wire's UTF-8
 * bytes straight into the COPY data instead. Unmodifiable; no value may be an unchanged TOAST value.
 */
final class ColumnTexts extends AbstractList<String> implements RandomAccess {
    private final List<ColumnValue> values;

    ColumnTexts(List<ColumnValue> values) {
        this.values = values;
    }

    /** The column's value itself. */
    ColumnValue value(int index) {
        return values.get(index);
    }

    @Override
    public String get(int index) {
        return values.get(index).text();
    }

    @Override
    public int size() {
        return values.size();
    }
}
