package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A short {@code pg_flo} command ({@code status}, {@code drop}, ...) against a test database, run to its end. */
final class PgFloCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a command ended, and what it printed. */
    record Ran(int exitCode, String stdout, String stderr) {
        JsonNode json() {
            assertThat(stdout.lines().toList()).as("one JSON line on stdout; stderr: %s", stderr).hasSize(1);
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + stdout, e);
            }
        }
    }

    private PgFloCommand() {}

    /** {@code pg_flo <command> --host .. --port .. --dbname <database> --user <superuser> --group <group> <more>}. */
    static Ran run(TestPostgres pg, String database, Path logs, String command, String group, String... more) {
        return runAs(pg, database, logs, TestPostgres.SUPERUSER, TestPostgres.SUPERUSER_PASSWORD, command, group, more);
    }

    /** The same as {@code user}, with {@code password} in {@code PGFLO_PASSWORD}. */
    static Ran runAs(TestPostgres pg, String database, Path logs, String user, String password, String command,
            String group, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--host", pg.host(), "--port", Integer.toString(pg.port()),
                "--dbname", database, "--user", user, "--group", group));
        args.addAll(List.of(more));
        try (JavaProcess process = JavaProcess.builder(Main.class).args(args)
                .env("PGFLO_PASSWORD", password).jvmArgs("-Xmx64m")
                .logDirectory(logs.resolve(command + "-" + System.nanoTime())).start()) {
            assertThat(process.waitFor(Duration.ofSeconds(90))).as("pg_flo %s returned", command).isTrue();
            return new Ran(process.exitCode(), process.stdout(), process.stderr());
        }
    }
}
