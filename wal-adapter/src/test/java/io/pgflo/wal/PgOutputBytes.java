package io.pgflo.wal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Writes pgoutput messages byte by byte, as the server does, for decoder tests. */
final class PgOutputBytes {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final DataOutputStream out = new DataOutputStream(bytes);

    static PgOutputBytes message(char tag) {
        return new PgOutputBytes().i8(tag);
    }

    PgOutputBytes i8(int value) {
        return write(() -> out.writeByte(value));
    }

    PgOutputBytes i16(int value) {
        return write(() -> out.writeShort(value));
    }

    PgOutputBytes i32(int value) {
        return write(() -> out.writeInt(value));
    }

    PgOutputBytes i64(long value) {
        return write(() -> out.writeLong(value));
    }

    PgOutputBytes string(String value) {
        return write(() -> {
            out.write(value.getBytes(StandardCharsets.UTF_8));
            out.writeByte(0);
        });
    }

    PgOutputBytes text(String value) {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        return write(() -> {
            out.writeByte('t');
            out.writeInt(data.length);
            out.write(data);
        });
    }

    PgOutputBytes bytes(byte[] data) {
        return write(() -> out.write(data));
    }

    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private PgOutputBytes write(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
