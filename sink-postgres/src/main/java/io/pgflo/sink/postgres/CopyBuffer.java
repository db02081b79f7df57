package io.pgflo.sink.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

/**
 * COPY data on its way to the target, sent in chunks of at most {@value #CHUNK} bytes: the text format's escaping
 * ({@link CopyRows}, {@link TextCopyRows}) and the binary format's fields ({@link BinaryCopyRows}).
 */
final class CopyBuffer {
    private static final int CHUNK = 1 << 16;

    /** Where encoded COPY data goes, a chunk at a time. */
    @FunctionalInterface
    interface Output {
        void write(byte[] bytes, int offset, int length) throws SQLException;
    }

    private final Output output;
    private final byte[] buffer = new byte[CHUNK];
    private int size;

    CopyBuffer(Output output) {
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

    void putShort(int value) throws SQLException {
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    void putInt(int value) throws SQLException {
        ensure(4);
        buffer[size++] = (byte) (value >>> 24);
        buffer[size++] = (byte) (value >>> 16);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    void putLong(long value) throws SQLException {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }

    /** Bytes as they are, split across chunks when they do not fit. */
    void putBytes(byte[] bytes, int offset, int length) throws SQLException {
        while (length > 0) {
            if (size == buffer.length) {
                flush();
            }
            int n = Math.min(length, buffer.length - size);
            System.arraycopy(bytes, offset, buffer, size, n);
            size += n;
            offset += n;
            length -= n;
        }
    }

    private void ensure(int bytes) throws SQLException {
        if (buffer.length - size < bytes) {
            flush();
        }
    }
}
