package io.pgflo.sink.postgres;

import static io.pgflo.domain.TableName.quoteIdentifier;

import io.pgflo.sink.postgres.RowChange.Shape;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

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

    /** Copies the rows (each the values of {@code sql}'s columns, null for NULL); returns how many the server took. */
    static long copy(Connection connection, String sql, List<RowChange> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            encode(rows, copy::writeToCopy);
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
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
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    chunk.put((byte) '\t');
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

        /** The value in UTF-8, with backslash, newline, carriage return and tab escaped as COPY's text format wants. */
        void putEscaped(String value) throws SQLException {
            int length = value.length();
            // At most 3 bytes per UTF-16 unit (a surrogate pair is 4 bytes for 2 units), escapes 2 bytes per unit.
            long worst = 3L * length;
            if (worst > buffer.length) {
                putEscapedSlowly(value);
                return;
            }
            if (size + worst > buffer.length) {
                flush();
            }
            byte[] out = buffer;
            int at = size;
            for (int i = 0; i < length; i++) {
                char c = value.charAt(i);
                if (c < 0x80) {
                    switch (c) {
                        case '\\' -> { out[at++] = '\\'; out[at++] = '\\'; }
                        case '\n' -> { out[at++] = '\\'; out[at++] = 'n'; }
                        case '\r' -> { out[at++] = '\\'; out[at++] = 'r'; }
                        case '\t' -> { out[at++] = '\\'; out[at++] = 't'; }
                        default -> out[at++] = (byte) c;
                    }
                } else if (c < 0x800) {
                    out[at++] = (byte) (0xC0 | (c >> 6));
                    out[at++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    int code = Character.toCodePoint(c, value.charAt(++i));
                    out[at++] = (byte) (0xF0 | (code >> 18));
                    out[at++] = (byte) (0x80 | ((code >> 12) & 0x3F));
                    out[at++] = (byte) (0x80 | ((code >> 6) & 0x3F));
                    out[at++] = (byte) (0x80 | (code & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    out[at++] = '?'; // a lone surrogate: what String.getBytes writes for it
                } else {
                    out[at++] = (byte) (0xE0 | (c >> 12));
                    out[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    out[at++] = (byte) (0x80 | (c & 0x3F));
                }
            }
            size = at;
        }

        /** A value larger than the buffer: encoded whole, then escaped byte by byte (UTF-8 continuation bytes are all above 0x7F). */
        private void putEscapedSlowly(String value) throws SQLException {
            for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
                switch (b) {
                    case '\\' -> escape((byte) '\\');
                    case '\n' -> escape((byte) 'n');
                    case '\r' -> escape((byte) 'r');
                    case '\t' -> escape((byte) 't');
                    default -> put(b);
                }
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
