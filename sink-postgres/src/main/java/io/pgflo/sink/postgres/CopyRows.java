package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.sink.postgres.RowChange.Shape;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes rows with {@code COPY ... FROM STDIN} in text format: the cheapest way into a table for the server, which
 * reads each value with the column's own input function and inserts rows in bulk. The values are the source's text
 * forms, as for every other statement; only COPY's escapes are added.
 */
final class CopyRows {
    private CopyRows() {}

    /** {@code COPY table (columns) FROM STDIN}. */
    static String statement(Shape shape) {
        StringJoiner columns = new StringJoiner(", ", " (", ")");
        for (String column : shape.columns()) {
            columns.add(quoteIdentifier(column));
        }
        return "COPY " + shape.table().quoted() + columns + " FROM STDIN";
    }

    /** The rows in COPY's text format: tab between values, newline after each row, {@code \N} for NULL. */
    static void encode(List<RowChange> rows, CopyBuffer.Output output) throws SQLException {
        CopyBuffer chunk = new CopyBuffer(output);
        for (RowChange row : rows) {
            List<String> values = row.values();
            ColumnTexts wire = values instanceof ColumnTexts texts ? texts : null;
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    chunk.put((byte) '\t');
                }
                byte[] utf8 = wire == null ? null : wire.value(i).utf8OrNull();
                if (utf8 != null) {
                    chunk.putEscapedUtf8(utf8);
                    continue;
                }
                String value = values.get(i);
                if (value == null) {
                    chunk.put((byte) '\\');
                    chunk.put((byte) 'N');
                } else {
                    chunk.putEscaped(value);
                }
            }
            chunk.put((byte) '\n');
        }
        chunk.flush();
    }
}
