package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pg_flo worker <sink>} reads its settings as {@code pg_flo stream} does: the flag, then {@code PGFLO_<FLAG>},
 * then the config file (pg_flo's keys too), then the default; read back through {@code --print-config}, which connects
 * nowhere. A bad file, rules or routing is one line and status 2 before anything is consumed.
 */
class WorkerConfigTest {
    /** A port nothing listens on: a worker that got as far as connecting would say so. */
    private static final String NO_NATS = "nats://127.0.0.1:1";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new PgFloCommandLine(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, String yaml) throws IOException {
        return Files.writeString(dir.resolve(name), yaml);
    }

    /** {@code pg_flo worker file --config FILE --print-config <more>}; the printed lines by key. */
    private Map<String, String> printed(Map<String, String> env, Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("worker", "file", "--config", config.toString(), "--print-config"));
        args.addAll(List.of(more));
        assertThat(run(env, args.toArray(String[]::new))).as("stderr: %s", err).isEqualTo(0);
        return PrintedSettings.byKey(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pgFlosWorkerKeysAreRead() throws IOException {
        Path config = file("worker.yaml", """
                group: orders
                nats-url: nats://nats.example.com:4222
                file-output-dir: /out
                source-host: db.example.com
                source-port: 6432
                worker-name: archive
                batch-size: 50
                """);
        Map<String, String> lines = printed(Map.of(), config);
        assertThat(lines.get("group")).isEqualTo("\"orders\"  # file " + config + ":1:8");
        assertThat(lines.get("nats-url")).isEqualTo("\"nats://nats.example.com:4222\"  # file " + config + ":2:11");
        assertThat(lines.get("output-dir")).isEqualTo("\"/out\"  # file " + config + ":3:18");
        assertThat(lines.get("source-host")).isEqualTo("\"db.example.com\"  # file " + config + ":4:14");
        assertThat(lines.get("source-port")).isEqualTo("6432  # file " + config + ":5:14");
        assertThat(lines.get("worker-name")).isEqualTo("\"archive\"  # file " + config + ":6:14");
        assertThat(lines.get("batch-size")).isEqualTo("50  # file " + config + ":7:13");
        assertThat(lines.get("batch-delay-ms")).endsWith("# default");
    }

    @Test
    void theFlagOverTheEnvironmentOverTheFileOverTheDefault() throws IOException {
        Path config = file("worker.yaml", "group: orders\nnats-url: nats://file:4222\noutput-dir: /file-out\n"
                + "batch-size: 10\nbatch-delay-ms: 70\ntables: [a, b]\n");
        Map<String, String> lines = printed(Map.of("PGFLO_NATS_URL", "nats://env:4222", "PGFLO_OUTPUT_DIR", "/env-out",
                "PGFLO_BATCH_SIZE", "20", "PGFLO_TABLES", "c"), config,
                "--output-dir", "/flag-out", "--batch-size", "30");
        assertThat(lines.get("output-dir")).isEqualTo("\"/flag-out\"  # flag");
        assertThat(lines.get("batch-size")).isEqualTo("30  # flag");
        assertThat(lines.get("nats-url")).isEqualTo("\"nats://env:4222\"  # env PGFLO_NATS_URL");
        assertThat(lines.get("tables")).isEqualTo("[\"c\"]  # env PGFLO_TABLES");
        assertThat(lines.get("batch-delay-ms")).isEqualTo("70  # file " + config + ":5:17");
        assertThat(lines.get("schema")).isEqualTo("\"public\"  # default");
    }

    @Test
    void theFileComesFromPgfloConfigOrTheHomeDirectory() throws IOException {
        Path config = file("worker.yaml", "group: orders\nnats-url: nats://file:4222\noutput-dir: /out\n");
        assertThat(run(Map.of("PGFLO_CONFIG", config.toString()), "worker", "file", "--print-config")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("group: \"orders\"  # file " + config + ":1:8");
        out.reset();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path homeFile = Files.writeString(home.resolve(".pg_flo.yaml"), "group: fromhome\nnats-url: nats://h:4222\n"
                + "output-dir: /out\n");
        assertThat(run(Map.of("HOME", home.toString()), "worker", "file", "--print-config")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("group: \"fromhome\"  # file " + homeFile + ":1:8");
    }

    @Test
    void printConfigHidesTheNatsAndSourcePasswords() throws IOException {
        Path config = file("worker.yaml", "group: orders\nnats-url: nats://alice:pw1@nats:4222\noutput-dir: /out\n"
                + "nats-password: hunter2\nsource-password: hunter3\n");
        Map<String, String> lines = printed(Map.of(), config);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("hunter2", "hunter3", "pw1");
        assertThat(lines.get("nats-password")).startsWith("\"****\"");
        assertThat(lines.get("source-password")).startsWith("\"****\"");
    }

    @Test
    void anUnknownKeyIsOneLineWithItsPlaceAndStatus2() throws IOException {
        Path config = file("worker.yaml", "group: orders\nnats-url: " + NO_NATS + "\nworkre-name: x\n");
        assertThat(run(Map.of(), "worker", "file", "--config", config.toString(), "--output-dir",
                dir.resolve("out").toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("pg_flo: " + config + ":3:1: unknown key 'workre-name'")
                .contains("did you mean 'worker-name'?").hasLineCount(1);
    }

    @Test
    void aFileValueThatDoesNotParseNamesItsLine() throws IOException {
        Path config = file("worker.yaml", "group: orders\nnats-url: " + NO_NATS + "\nbatch-size: 0\n");
        assertThat(run(Map.of(), "worker", "file", "--config", config.toString(), "--output-dir",
                dir.resolve("out").toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("pg_flo: " + config + ":3:13: ").contains("--batch-size").hasLineCount(1);
    }

    @Test
    void aBadRulesFileIsOneLineBeforeNatsIsContacted() throws IOException {
        Path rules = file("rules.yml", "tables:\n  users:\n    - type: filter\n      column: id\n"
                + "      parameters: {operator: between, value: 1}\n");
        assertThat(run(Map.of(), "worker", "file", "--group", "g", "--nats-url", NO_NATS, "--output-dir",
                dir.resolve("out").toString(), "--status-dir", dir.resolve("st").toString(), "--rules-config",
                rules.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("pg_flo: " + rules + ":5:").contains("between").doesNotContain("NATS")
                .hasLineCount(1);
    }

    @Test
    void inlineRulesOfTheConfigFileAreCheckedToo() throws IOException {
        Path config = file("worker.yaml", "group: g\nnats-url: " + NO_NATS + "\nrules:\n  tables:\n    users:\n"
                + "      - type: transform\n        column: email\n        parameters: {type: rot13}\n");
        assertThat(run(Map.of(), "worker", "file", "--config", config.toString(), "--output-dir",
                dir.resolve("out").toString(), "--status-dir", dir.resolve("st").toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("pg_flo: " + config).contains("rot13").doesNotContain("NATS").hasLineCount(1);
    }

    @Test
    void routingWithoutTheSourceFlagsSaysWhichToGive() throws IOException {
        Path routing = file("routing.yml", "users:\n  destination_table: customers\n");
        assertThat(run(Map.of(), "worker", "file", "--group", "g", "--nats-url", NO_NATS, "--output-dir",
                dir.resolve("out").toString(), "--status-dir", dir.resolve("st").toString(), "--routing-config",
                routing.toString())).isEqualTo(ExitCode.USAGE);
        assertThat(err()).startsWith("pg_flo: routing needs the source's catalog").contains("--source-dbname")
                .hasLineCount(1);
    }
}
