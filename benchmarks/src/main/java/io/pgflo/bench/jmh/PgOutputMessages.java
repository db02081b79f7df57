package io.pgflo.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** pgoutput (protocol version 1) messages, byte for byte as the server sends them in XLogData. */
final class PgOutputMessages {
    private PgOutputMessages() {}

    /** {@code I}: relation OID, {@code N}, then the new tuple with every column as text. */
    static byte[] insert(int relationOid, String[] texts) {
        return message(out -> {
            out.writeByte('I');
            out.writeInt(relationOid);
            out.writeByte('N');
            tuple(out, texts);
        });
    }

    /** {@code U} without an old tuple: the key did not change and the table's replica identity is the default. */
    static byte[] update(int relationOid, String[] texts) {
        return message(out -> {
            out.writeByte('U');
            out.writeInt(relationOid);
            out.writeByte('N');
            tuple(out, texts);
        });
    }

    /** {@code B}: final LSN, commit time (microseconds since 2000-01-01), xid. */
    static byte[] begin(long finalLsn, long commitMicros, int xid) {
        return message(out -> {
            out.writeByte('B');
            out.writeLong(finalLsn);
            out.writeLong(commitMicros);
            out.writeInt(xid);
        });
    }

    private static void tuple(DataOutputStream out, String[] texts) throws IOException {
        out.writeShort(texts.length);
        for (String text : texts) {
            if (text == null) {
                out.writeByte('n');
            } else {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                out.writeByte('t');
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] message(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
