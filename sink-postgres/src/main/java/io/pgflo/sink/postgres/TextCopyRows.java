package io.pgflo.sink.postgres;

import io.pgflo.sink.api.ColumnValue;
import java.sql.SQLException;
import java.util.List;

/** A row's values in COPY's text format: tab between values, newline after the row, {@code \N} for NULL. */
final class TextCopyRows {
    private TextCopyRows() {}

    static void row(CopyBuffer out, List<ColumnValue> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.put((byte) '\t');
            }
            ColumnValue value = values.get(i);
            byte[] utf8 = value.utf8OrNull();
            if (utf8 != null) {
                out.putEscapedUtf8(utf8);
                continue;
            }
            String text = value.text();
            if (text == null) {
                out.put((byte) '\\');
                out.put((byte) 'N');
            } else {
                out.putEscaped(text);
            }
        }
        out.put((byte) '\n');
    }
}
