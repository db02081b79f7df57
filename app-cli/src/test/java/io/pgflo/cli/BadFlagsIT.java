package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad value of every flag, against a real source: status 2, one line that names what to fix, and the source as
 * it was before (no slot, publication, event trigger or schema left behind, nor any that existed removed).
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadFlagsIT {
    private static final String STATE = "SELECT (SELECT count(*) FROM pg_replication_slots WHERE database = current_database()) "
            + "|| ' slots, ' || (SELECT count(*) FROM pg_publication) || ' publications, ' "
            + "|| (SELECT count(*) FROM pg_event_trigger) || ' event triggers, ' "
            + "|| (SELECT count(*) FROM pg_namespace WHERE nspname = 'internal_pg_flo') || ' capture schemas'";

    private TestPostgres pg;
    private String db;
    private String target;
    @TempDir
    Path dir;

    @BeforeAll
    void createSource(TestPostgres server) {
        pg = server;
        db = pg.createDatabase("badflags");
        target = pg.createDatabase("badflags_target");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text)");
    }

    Stream<Arguments> badFlags() {
        return Stream.of(
                row("stdout", "--batch-size must be a whole number from 1 to 2147483647, got '0'", "--batch-size", "0"),
                row("stdout", "--batch-size must be a whole number from 1", "--batch-size", "99999999999"),
                row("stdout", "--batch-size must be a whole number from 1", "--batch-size", "lots"),
                row("stdout", "--batch-delay-ms must be a whole number from 0 to 86400000, got '-100'", "--batch-delay-ms", "-100"),
                row("stdout", "--heartbeat-interval must be a whole number from 0", "--heartbeat-interval", "-1"),
                row("stdout", "--progress-interval must be a whole number from 0", "--progress-interval", "-5"),
                row("stdout", "--stop-timeout must be a whole number from 1", "--stop-timeout", "0"),
                row("stdout", "--reconnect-attempts must be a whole number from 0", "--reconnect-attempts", "-1"),
                row("stdout", "--reconnect-backoff-ms must be a whole number from 1", "--reconnect-backoff-ms", "0"),
                row("stdout", "--port must be a port number from 1 to 65535", "--port", "70000"),
                row("stdout", "--sslmode must be one of disable, allow", "--sslmode", "verify"),
                row("stdout", "--log-level must be one of", "--log-level", "loud"),
                row("stdout", "--tables entry 'a.b.c' has more than schema.table", "--tables", "a.b.c"),
                row("stdout", "table public.absent not found", "--tables", "absent"),
                row("stdout", "table nosuch.t not found", "--tables", "nosuch.t"),
                row("stdout", "schema 'nosuch' in database", "--schema", "nosuch", "--tables", ""),
                row("stdout", "unknown flag '--bogus'", "--bogus", "1"),
                row("file", "missing required flag --output-dir"),
                row("file", "--output-dir", "--output-dir", "@file"),
                row("file", "--file-mode", "--output-dir", "@dir", "--file-mode", "0400"),
                row("file", "--max-file-size", "--output-dir", "@dir", "--max-file-size", "0"),
                row("webhook", "--webhook-url", "--webhook-url", "not a url"),
                row("webhook", "--webhook-url", "--webhook-url", "ftp://example.com/hook"),
                row("webhook", "--webhook-lanes", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-lanes", "0"),
                row("webhook", "--webhook-batch-size", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-batch-size", "0"),
                row("webhook", "--webhook-max-attempts", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-max-attempts", "-1"),
                row("webhook", "--webhook-retry-for", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-retry-for", "soon"),
                row("webhook", "--webhook-dead-letter", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-dead-letter", "@file"),
                row("webhook", "--webhook-timeout-ms", "--webhook-url", "http://127.0.0.1:9/hook", "--webhook-timeout-ms", "-1"),
                row("postgres", "password authentication failed", "@target", "--target-password", "wrong"),
                row("postgres", "database does not exist; check --target-dbname", "@target", "--target-dbname", "nosuch"),
                row("postgres", "is the source database itself", "@target", "--target-dbname", "@source"),
                row("postgres", "--target-port", "@target", "--target-port", "0"),
                row("stdout", "--status-dir", "--status-dir", "@file"),
                row("stdout", "--spool-dir", "--spool-dir", "@file"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("badFlags")
    void isRefusedInOneLineAndChangesNothing(String sink, String expected, List<String> flags) throws Exception {
        String before = pg.queryString(db, STATE);
        Run run = stream(sink, flags);
        assertThat(run.status).as(run.err).isEqualTo(2);
        assertThat(run.err).hasLineCount(1).startsWith("pg_flo: ").contains(expected);
        assertThat(pg.queryString(db, STATE)).as("the source after the failed start").isEqualTo(before);
    }

    @Test
    void whatAnEarlierRunCreatedIsLeftAsItWas() throws Exception {
        pg.execute(db, "CREATE PUBLICATION pg_flo_kept_publication FOR TABLE t",
                "SELECT pg_create_logical_replication_slot('pg_flo_kept_slot', 'pgoutput')");
        try {
            String before = pg.queryString(db, STATE);
            Run run = stream("postgres", List.of("@target", "--target-password", "wrong", "--group", "kept"));
            assertThat(run.status).isEqualTo(2);
            assertThat(pg.queryString(db, STATE)).isEqualTo(before);
        } finally {
            pg.execute(db, "DROP PUBLICATION pg_flo_kept_publication", "SELECT pg_drop_replication_slot('pg_flo_kept_slot')");
        }
    }

    private record Run(int status, String err) {}

    private Run stream(String sink, List<String> flags) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.putAll(Map.of("--host", pg.host(), "--port", Integer.toString(pg.port()), "--dbname", db,
                "--user", TestPostgres.SUPERUSER, "--group", "bad", "--tables", "t",
                "--status-dir", dir.resolve("status").toString(), "--heartbeat-interval", "0", "--progress-interval", "0"));
        for (int i = 0; i < flags.size(); i++) {
            if (flags.get(i).equals("@target")) {
                values.putAll(Map.of("--target-host", pg.host(), "--target-port", Integer.toString(pg.port()),
                        "--target-dbname", target, "--target-user", TestPostgres.SUPERUSER));
                continue;
            }
            String value = flags.get(++i);
            switch (value) {
                case "@file" -> value = Files.writeString(dir.resolve("a-file"), "x").toString();
                case "@dir" -> value = dir.resolve("out").toString();
                case "@source" -> value = db;
                default -> { }
            }
            if (value.isEmpty()) {
                values.remove(flags.get(i - 1));
            } else {
                values.put(flags.get(i - 1), value);
            }
        }
        List<String> args = new ArrayList<>(List.of("stream", sink));
        values.forEach((flag, value) -> args.addAll(List.of(flag, value)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new PgFloCommandLine(Map.of("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD,
                "PGFLO_TARGET_PASSWORD", TestPostgres.SUPERUSER_PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args.toArray(String[]::new));
        return new Run(status, err.toString(StandardCharsets.UTF_8));
    }

    private static Arguments row(String sink, String expected, String... flags) {
        return Arguments.of(sink, expected, List.of(flags));
    }
}
