package io.pgflo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A real {@code pg_flo stream stdout} process against a test database, and what it printed. */
final class StdoutStream implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final PgFloProcess process;

    private StdoutStream(PgFloProcess process) {
        this.process = process;
    }

    static StdoutStream start(TestPostgres pg, String database, String group, Path statusDir, String tables) {
        return new StdoutStream(PgFloProcess.start(pg, database, group, null, "stdout", "--tables", tables,
                "--status-dir", statusDir.toString()));
    }

    /** Waits until the slot is acknowledged past everything committed so far: all of it is on stdout. */
    void awaitCaughtUp() {
        process.awaitCaughtUp();
    }

    /** SIGTERM, and the exit status. */
    int stop() {
        return process.stop();
    }

    int kill() {
        return process.kill();
    }

    String stderr() {
        return process.stderr();
    }

    List<JsonNode> events() {
        List<JsonNode> events = new ArrayList<>();
        String out = process.stdout();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    events.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException("stdout line is not JSON: " + line, e);
                }
            }
        }
        return events;
    }

    String rawStdout() {
        return process.stdout();
    }

    @Override
    public void close() {
        process.close();
    }
}
