package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugin's options, declared as data, are config-file keys like the built-in sinks' options. */
class PluginConfigFileTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void dropTheExamplePluginIn() throws IOException {
        Files.createDirectories(dir.resolve("plugins"));
        Files.copy(PluginJars.EXAMPLE, dir.resolve("plugins/example.jar"));
    }

    private int run(Map<String, String> env, String... args) {
        return new PgFloCommandLine(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private Path config(String yaml) throws IOException {
        return Files.writeString(dir.resolve("pg_flo.yaml"), "dbname: d\nuser: u\ngroup: g\nplugins-dir: "
                + dir.resolve("plugins") + "\n" + yaml);
    }

    @Test
    void aPluginOptionComesFromTheFileUnderTheEnvironmentAndTheFlag() throws IOException {
        Path config = config("counts-file: /from/file.json\n");
        assertThat(run(Map.of(), "stream", "table-counts", "--config", config.toString(), "--print-config"))
                .as("stderr: %s", err).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("counts-file: \"/from/file.json\"  # file " + config + ":5:14");
        out.reset();
        assertThat(run(Map.of("PGFLO_COUNTS_FILE", "/from/env.json"), "stream", "table-counts", "--config",
                config.toString(), "--print-config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("counts-file: \"/from/env.json\"  # env PGFLO_COUNTS_FILE");
        out.reset();
        assertThat(run(Map.of("PGFLO_COUNTS_FILE", "/from/env.json"), "stream", "table-counts", "--config",
                config.toString(), "--counts-file", "/from/flag.json", "--print-config")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("counts-file: \"/from/flag.json\"  # flag");
    }

    @Test
    void aPluginOptionsKeyIsUnknownWithoutThePlugin() throws IOException {
        Files.delete(dir.resolve("plugins/example.jar"));
        Path config = config("counts-file: /from/file.json\n");
        assertThat(run(Map.of(), "stream", "stdout", "--config", config.toString(), "--print-config")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(config + ":5:1: unknown key 'counts-file'");
    }
}
