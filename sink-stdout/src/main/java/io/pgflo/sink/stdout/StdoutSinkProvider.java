package io.pgflo.sink.stdout;

import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.json.JsonStatusFile;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;

/** {@code pg_flo stream stdout}: JSON lines on standard output, checkpoint in {@code pg_flo_stdout_last_lsn.json}. */
public final class StdoutSinkProvider implements SinkProvider {
    public static final String STATUS_FILE = "pg_flo_stdout_last_lsn.json";

    @Override
    public String name() {
        return "stdout";
    }

    @Override
    public String description() {
        return "one JSON event per line on standard output";
    }

    @Override
    public Sink create(OptionValues options, SinkContext context) {
        // Straight to file descriptor 1: System.out's PrintStream locks and flushes on every line.
        return new StdoutSink(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                new JsonStatusFile(context.statusDir().resolve(STATUS_FILE)));
    }
}
