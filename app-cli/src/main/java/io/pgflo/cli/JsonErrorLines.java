package io.pgflo.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The lines pg_flo prints on stderr itself (the one line about a bad flag or a failed run) in {@code --log-format json}:
 * each becomes a JSON log line of its own, level ERROR, logger {@code pg_flo}, so that a collector that reads stderr as
 * JSON lines reads these too. The {@code "pg_flo: "} before each is left out: the logger names it.
 */
final class JsonErrorLines extends OutputStream {
    private static final String PREFIX = "pg_flo: ";
    private final PrintStream target;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private JsonErrorLines(PrintStream target) {
        this.target = target;
    }

    /** A stream that writes each line printed to it to {@code target} as a JSON log line. */
    static PrintStream around(PrintStream target) {
        return new PrintStream(new JsonErrorLines(target), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
    }

    @Override
    public synchronized void flush() {
        target.flush();
    }

    @Override
    public synchronized void close() {
        if (pending.size() > 0) {
            emit();
        }
        target.flush();
    }

    private void emit() {
        String text = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.startsWith(PREFIX)) {
            text = text.substring(PREFIX.length());
        }
        target.print(JsonLogLayout.line(new JsonLogLayout.Line(Instant.now(), "ERROR", "pg_flo", text,
                Thread.currentThread().getName(), LogConfigurator.group(), Map.of(), null, null)));
        target.flush();
    }
}
