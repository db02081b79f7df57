package io.pgflo.sink.postgres;

import static io.pgflo.sink.api.TableName.quoteIdentifier;

import io.pgflo.sink.postgres.RowChange.Shape;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * Writes rows with {@code COPY ... FROM STDIN} in text format: the cheapest way into a table for the server, which
 * reads each value with the column's own input function and inserts rows in bulk. The values are the source's text
 * forms, as for every other statement; only COPY's escapes are added.
 */
final class CopyRows {
    private static final int CHUNK = 1 << 16;

    private CopyRows() {}

    /** {@code COPY table (columns) FROM STDIN}. */
    static String statement(Shape shape) {
        StringJoiner columns = new StringJoiner(", ", " (", ")");
        for (String column : shape.columns()) {
            columns.add(quoteIdentifier(column));
        }
        return "COPY " + shape.table().quoted() + columns + " FROM STDIN";
    }

    /** Where encoded COPY data goes, a chunk at a time. */
    @FunctionalInterface
    interface Output {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    /** The rows in COPY's text format: tab between values, newline after each row, {@code \N} for NULL. */
    static void encode(List<RowChange> rows, Output output) throws SQLException {
        Chunk chunk = new Chunk(output);
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

    /** A buffer of COPY data, sent in chunks of at most {@value #CHUNK} bytes. */
    private static final class Chunk {
        private final Output output;
        private final byte[] buffer = new byte[CHUNK];
        private int size;

        Chunk(Output output) {
            this.output = output;
        }

        void put(byte b) throws SQLException {
            if (size == buffer.length) {
                flush();
            }
            buffer[size++] = b;
        }

        /**
         * The value in UTF-8, with backslash, newline, carriage return and tab escaped as COPY's text format wants.
         *
         * <p>Most values are ASCII with nothing to escape, so a first pass copies characters straight into the buffer
         * until one is not; only the rest of such a value is encoded and escaped. That is one pass instead of
         * {@link String#getBytes}' two and a scan for escapes, without an array per value: this runs for every value
         * of every copied row.
         */
        void putEscaped(String value) throws SQLException {
            int length = value.length();
            int done = 0;
            if (length <= buffer.length - size) {
                int start = size;
                while (done < length) {
                    char c = value.charAt(done);
                    if (c < 0x20 ? c == '\n' || c == '\r' || c == '\t' : c >= 0x80 || c == '\\') {
                        break;
                    }
                    buffer[start + done] = (byte) c;
                    done++;
                }
                size = start + done;
                if (done == length) {
                    return;
                }
            }
            // Cut before a character outside ASCII, never inside a surrogate pair.
            putEscapedUtf8((done == 0 ? value : value.substring(done)).getBytes(StandardCharsets.UTF_8));
        }

        /**
         * UTF-8 bytes, escaped. Every byte of a multi-byte UTF-8 sequence is above 0x7F, so escaping byte by byte is
         * exact.
         */
        void putEscapedUtf8(byte[] bytes) throws SQLException {
            int specials = 0;
            for (byte b : bytes) {
                if (b == '\\' || b == '\n' || b == '\r' || b == '\t') {
                    specials++;
                }
            }
            int needed = bytes.length + specials;
            if (needed > buffer.length - size) {
                flush();
            }
            if (needed > buffer.length) {
                // Larger than a chunk: byte by byte, flushing as the buffer fills.
                for (byte b : bytes) {
                    putEscapedByte(b);
                }
                return;
            }
            if (specials == 0) {
                System.arraycopy(bytes, 0, buffer, size, bytes.length);
                size += bytes.length;
                return;
            }
            for (byte b : bytes) {
                putEscapedByte(b);
            }
        }

        private void putEscapedByte(byte b) throws SQLException {
            switch (b) {
                case '\\' -> escape((byte) '\\');
                case '\n' -> escape((byte) 'n');
                case '\r' -> escape((byte) 'r');
                case '\t' -> escape((byte) 't');
                default -> put(b);
            }
        }

        private void escape(byte b) throws SQLException {
            put((byte) '\\');
            put(b);
        }

        void flush() throws SQLException {
            if (size > 0) {
                output.write(buffer, 0, size);
                size = 0;
            }
        }
    }
}
