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
 * Where each setting comes from: the command line, then {@code PGFLO_<FLAG>}, then the config file, then the default;
 * read back through {@code --print-config}, which connects nowhere.
 */
class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return new PgFloCommandLine(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("pg_flo.yaml"), yaml);
    }

    /** {@code pg_flo stream file --config FILE --print-config <more>}; the printed lines by key. */
    private Map<String, String> printed(Map<String, String> env, Path config, String... more) {
        List<String> args = new ArrayList<>(List.of("stream", "file", "--config", config.toString(), "--print-config"));
        args.addAll(List.of(more));
        return printedBy(env, args.toArray(String[]::new));
    }

    /** {@code pg_flo <args>}, which prints the configuration; the printed lines by key. */
    private Map<String, String> printedBy(Map<String, String> env, String... args) {
        assertThat(run(env, args)).as("stderr: %s", err).isEqualTo(0);
        return PrintedSettings.byKey(out.toString(StandardCharsets.UTF_8));
    }

    private static final String REQUIRED = "dbname: shop\nuser: replicator\ngroup: orders\n";

    @Test
    void theDefaultWhenNothingGivesAValue() throws IOException {
        Map<String, String> lines = printed(Map.of(), config(REQUIRED + "output-dir: /out\n"));
        assertThat(lines.get("host")).isEqualTo("\"localhost\"  # default");
        assertThat(lines.get("port")).isEqualTo("5432  # default");
        assertThat(lines.get("max-file-size")).startsWith("\"").endsWith("  # default");
        assertThat(lines.get("track-ddl")).isEqualTo("false  # default");
    }

    @Test
    void theFileOverTheDefault() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nhost: db.example.com\nport: 6432\ntables: [users, orders]\n"
                + "copy-and-stream: true\ntrack-ddl: true\nmax-file-size: 1MB\n");
        Map<String, String> lines = printed(Map.of(), config);
        assertThat(lines.get("host")).isEqualTo("\"db.example.com\"  # file " + config + ":5:7");
        assertThat(lines.get("port")).isEqualTo("6432  # file " + config + ":6:7");
        assertThat(lines.get("tables")).isEqualTo("[\"users\", \"orders\"]  # file " + config + ":7:9");
        assertThat(lines.get("copy-and-stream")).isEqualTo("true  # file " + config + ":8:18");
        assertThat(lines.get("track-ddl")).isEqualTo("true  # file " + config + ":9:12");
        assertThat(lines.get("output-dir")).isEqualTo("\"/out\"  # file " + config + ":4:13");
        assertThat(lines.get("max-file-size")).isEqualTo("\"1MB\"  # file " + config + ":10:16");
        assertThat(lines.get("dbname")).isEqualTo("\"shop\"  # file " + config + ":1:9");
    }

    @Test
    void theEnvironmentOverTheFile() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nhost: db.example.com\ntables: users,orders\n");
        Map<String, String> lines = printed(Map.of("PGFLO_HOST", "env-host", "PGFLO_OUTPUT_DIR", "/env-out",
                "PGFLO_TABLES", "items"), config);
        assertThat(lines.get("host")).isEqualTo("\"env-host\"  # env PGFLO_HOST");
        assertThat(lines.get("output-dir")).isEqualTo("\"/env-out\"  # env PGFLO_OUTPUT_DIR");
        assertThat(lines.get("tables")).isEqualTo("[\"items\"]  # env PGFLO_TABLES");
    }

    @Test
    void theFlagOverTheEnvironmentAndTheFile() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nhost: db.example.com\ntables: [users, orders]\n"
                + "batch-size: 10\n");
        Map<String, String> lines = printed(Map.of("PGFLO_HOST", "env-host", "PGFLO_OUTPUT_DIR", "/env-out"), config,
                "--host", "flag-host", "--output-dir", "/flag-out", "--tables", "items", "--batch-size", "20");
        assertThat(lines.get("host")).isEqualTo("\"flag-host\"  # flag");
        assertThat(lines.get("output-dir")).isEqualTo("\"/flag-out\"  # flag");
        assertThat(lines.get("tables")).isEqualTo("[\"items\"]  # flag");
        assertThat(lines.get("batch-size")).isEqualTo("20  # flag");
    }

    @Test
    void theConfigFileCanComeFromTheEnvironment() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nhost: db.example.com\n");
        assertThat(run(Map.of("PGFLO_CONFIG", config.toString()), "stream", "file", "--print-config")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("host: \"db.example.com\"  # file " + config + ":5:7");
    }

    @Test
    void printConfigHidesSecrets() throws IOException {
        Path config = config(REQUIRED + "password: hunter2\nwebhook-url: https://alice:s3cret@hooks.example.com/in\n"
                + "webhook-secret: whsec_c2VjcmV0c2VjcmV0c2VjcmV0\n"
                + "webhook-header: ['Authorization: Bearer tok3n', 'X-Team: data']\n");
        List<String> args = List.of("stream", "webhook", "--config", config.toString(), "--print-config");
        assertThat(run(Map.of(), args.toArray(String[]::new))).as("stderr: %s", err).isEqualTo(0);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).doesNotContain("hunter2", "s3cret", "alice", "c2VjcmV0", "tok3n")
                .contains("password: \"****\"  # file " + config + ":4:11")
                .contains("hooks.example.com/in\"  # file " + config + ":5:14")
                .contains("webhook-secret: \"****\"  # file " + config + ":6:17")
                .contains("webhook-header: [\"Authorization: ****\"");
    }

    @Test
    void urlUserInformationAndCredentialHeadersAreRedactedWhereverTheyAre() {
        assertThat(EffectiveSettings.redact("postgres://app:pw@db/shop")).isEqualTo("postgres://****@db/shop");
        assertThat(EffectiveSettings.redact("https://token@hooks.example.com/x?y=1"))
                .isEqualTo("https://****@hooks.example.com/x?y=1");
        assertThat(EffectiveSettings.redact("X-Api-Key: abc")).isEqualTo("X-Api-Key: ****");
        assertThat(EffectiveSettings.redact("Cookie: session=1")).isEqualTo("Cookie: ****");
        assertThat(EffectiveSettings.redact("X-Team: data")).isEqualTo("X-Team: data");
        assertThat(EffectiveSettings.redact("db.example.com")).isEqualTo("db.example.com");
    }

    @Test
    void printConfigHidesTheTargetPasswordFromTheEnvironment() throws IOException {
        Path config = config(REQUIRED + "target-host: target\ntarget-dbname: copy\ntarget-user: writer\n");
        List<String> args = List.of("stream", "postgres", "--config", config.toString(), "--print-config");
        assertThat(run(Map.of("PGFLO_TARGET_PASSWORD", "t0ps3cret"), args.toArray(String[]::new))).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("t0ps3cret")
                .contains("target-password: \"****\"  # env PGFLO_TARGET_PASSWORD")
                .contains("track-ddl: true  # default");
    }

    @Test
    void aBadValueFromTheFileNamesItsLine() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nport: 70000\n");
        assertThat(run(Map.of(), "stream", "file", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("pg_flo: " + config + ":5:7: ")
                .contains("--port").hasLineCount(1);
    }

    @Test
    void anUnknownKeyIsStatusTwoAndOneLine() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nbatch-sise: 10\n");
        assertThat(run(Map.of(), "stream", "file", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("pg_flo: " + config + ":5:1: unknown key "
                + "'batch-sise'; did you mean 'batch-size'?; keys are the long flag names without '--' (see pg_flo "
                + "stream <sink> --help)" + System.lineSeparator());
    }

    @Test
    void aYamlErrorIsStatusTwoAndOneLine() throws IOException {
        Path config = config("host: [db\n");
        assertThat(run(Map.of(), "stream", "file", "--config", config.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("pg_flo: " + config + ":2:1: YAML syntax error: ")
                .hasLineCount(1);
    }

    @Test
    void aPgFloYamlInTheHomeDirectoryIsReadWhenNoFileIsNamed() throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path dotFile = Files.writeString(home.resolve(".pg_flo.yaml"), REQUIRED + "output-dir: /out\nhost: from-home\n");
        Map<String, String> lines = printedBy(Map.of("HOME", home.toString()), "stream", "file", "--print-config");
        assertThat(lines.get("host")).isEqualTo("\"from-home\"  # file " + dotFile + ":5:7");
        Path named = config(REQUIRED + "output-dir: /out\nhost: named\n");
        out.reset();
        assertThat(run(Map.of("HOME", home.toString(), "PGFLO_CONFIG", named.toString()), "stream", "file",
                "--print-config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("host: \"named\"").doesNotContain("from-home");
    }

    @Test
    void inlineSectionsAreNamedWithWhereTheyStand() throws IOException {
        Path config = config(REQUIRED + "output-dir: /out\nrules:\n  tables:\n    users: []\n");
        assertThat(run(Map.of(), "stream", "file", "--config", config.toString(), "--print-config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("# rules: inline in the config file, at " + config
                + ":6:3").doesNotContain("# routing");
    }

    @Test
    void aBrokenFileStandsNotInTheWayOfHelpOrOtherCommands() throws IOException {
        Map<String, String> env = Map.of("PGFLO_CONFIG", config("host: [db\n").toString());
        assertThat(run(env, "sinks")).isZero();
        assertThat(run(env, "stream", "file", "--help")).isZero();
        assertThat(run(env, "stream", "file", "--print-config")).isEqualTo(2);
    }
}
