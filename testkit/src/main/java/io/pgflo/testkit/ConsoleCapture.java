package io.pgflo.testkit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What reaches the console while it is open: {@code System.err}, and every {@code java.util.logging} record that gets
 * past its logger's level (pgjdbc logs that way). The records are caught with a handler of their own because the
 * default console handler keeps the {@code System.err} it found when it was made, so replacing {@code System.err}
 * alone would miss them.
 *
 * <pre>{@code
 * try (ConsoleCapture console = ConsoleCapture.start()) {
 *     connect();
 *     assertThat(console.stderr()).isEmpty();
 *     assertThat(console.logRecords()).isEmpty();
 * }
 * }</pre>
 */
public final class ConsoleCapture implements AutoCloseable {
    private final PrintStream originalErr = System.err;
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record.getLevel() + " " + record.getLoggerName() + ": " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private ConsoleCapture() {
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        root.addHandler(handler);
    }

    public static ConsoleCapture start() {
        return new ConsoleCapture();
    }

    /** What was written to {@code System.err} so far. */
    public String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The {@code java.util.logging} records published so far, as {@code LEVEL logger: message}. */
    public List<String> logRecords() {
        return List.copyOf(records);
    }

    @Override
    public void close() {
        root.removeHandler(handler);
        System.setErr(originalErr);
    }
}
