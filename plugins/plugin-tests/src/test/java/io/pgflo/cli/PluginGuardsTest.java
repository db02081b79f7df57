package io.pgflo.cli;

import static io.pgflo.cli.PluginJars.classBytes;
import static io.pgflo.cli.PluginJars.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.SinkProvider;
import io.pgflo.plugintest.HostFlagProvider;
import io.pgflo.plugintest.ImpostorStdoutProvider;
import io.pgflo.plugintest.NullOptionsProvider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plugins directory with bad jars in it: each problem is one clear line, and every other sink keeps working. */
class PluginGuardsTest {
    private static final String SERVICES = "META-INF/services/" + SinkProvider.class.getName();
    private static final Map<String, String> CURRENT_SPI = Map.of(PluginLoader.SPI_VERSION_ATTRIBUTE,
            Integer.toString(SinkProvider.SPI_VERSION));

    @TempDir
    Path plugins;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int sinks() {
        return new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(new String[] {"--plugins-dir", plugins.toString(), "sinks"});
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFileThatIsNotAJarIsReportedAndSkipped() throws Exception {
        Files.writeString(plugins.resolve("notes.jar"), "this is not a zip file");
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("example.jar"));
        assertThat(sinks()).isZero();
        assertThat(err()).contains("plugin notes.jar skipped: not a readable jar").hasLineCount(1);
        assertThat(out()).contains("stdout").contains("table-counts");
    }

    @Test
    void aProviderClassThatFailsToLoadIsReported() throws Exception {
        PluginJars.write(plugins.resolve("broken.jar"), CURRENT_SPI, Map.of(SERVICES, utf8("com.example.MissingProvider\n")));
        assertThat(sinks()).isZero();
        assertThat(err()).contains("plugin broken.jar: a sink provider failed to load").contains("com.example.MissingProvider")
                .hasLineCount(1);
        assertThat(out()).contains("stdout");
    }

    @Test
    void aPluginCannotTakeABuiltInSinksName() throws Exception {
        String classFile = ImpostorStdoutProvider.class.getName().replace('.', '/') + ".class";
        PluginJars.write(plugins.resolve("impostor.jar"), CURRENT_SPI, Map.of(
                SERVICES, utf8(ImpostorStdoutProvider.class.getName() + "\n"),
                classFile, classBytes(ImpostorStdoutProvider.class)));
        assertThat(sinks()).isZero();
        assertThat(err()).contains("sink 'stdout' from plugin impostor.jar ignored: the name is taken by the built-in sink")
                .hasLineCount(1);
        assertThat(out()).contains("one JSON event per line").doesNotContain("an impostor");
    }

    @Test
    void aPluginFlagThatReusesACommonFlagIsReportedAndEveryCommandStillWorks() throws Exception {
        plugin("host-flag.jar", HostFlagProvider.class);
        assertThat(sinks()).isZero();
        assertThat(err()).contains("sink 'host-flag' from plugin host-flag.jar ignored: its option --host is one of "
                + "pg_flo's own flags").hasLineCount(1);
        assertThat(out()).contains("stdout").doesNotContain("host-flag");
        err.reset();
        assertThat(new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(new String[] {"--plugins-dir", plugins.toString(), "--version"})).isZero();
    }

    @Test
    void aProviderWhoseOptionsAreNullIsReportedAgainstItsJar() throws Exception {
        plugin("null-options.jar", NullOptionsProvider.class);
        assertThat(sinks()).isZero();
        assertThat(err()).contains("sink 'null-options' from plugin null-options.jar ignored: its options() returned null")
                .hasLineCount(1);
    }

    @Test
    void sinksAreListedInAlignedColumnsWhateverTheNamesLength() throws Exception {
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("example.jar"));
        assertThat(sinks()).isZero();
        java.util.List<String> lines = out().lines().toList();
        assertThat(lines).anyMatch(line -> line.contains("table-counts"));
        java.util.Set<Integer> descriptionColumns = new java.util.HashSet<>();
        for (String line : lines) {
            java.util.regex.Matcher name = java.util.regex.Pattern.compile("^  (\\S+)( +)\\S").matcher(line);
            assertThat(name.find()).as(line).isTrue();
            descriptionColumns.add(name.end() - 1);
        }
        assertThat(descriptionColumns).as("where each description starts").hasSize(1);
    }

    @Test
    void sinksTakesThePluginsDirectoryAndHelpAfterTheCommand() throws Exception {
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("example.jar"));
        assertThat(new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(new String[] {"sinks", "--plugins-dir", plugins.toString()})).isZero();
        assertThat(out()).contains("table-counts");
        out.reset();
        assertThat(new PgFloCommandLine(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(new String[] {"sinks", "--help"})).isZero();
        assertThat(out()).contains("--plugins-dir");
        assertThat(err()).isEmpty();
    }

    @Test
    void thePluginsDirectoryMayComeFromTheEnvironment() throws Exception {
        // Here, in process, because PluginStreamIT's runs go through the plugin test kit, which passes --plugins-dir.
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("example-sink.jar"));
        assertThat(new PgFloCommandLine(Map.of("PGFLO_PLUGINS_DIR", plugins.toString()),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(new String[] {"sinks"})).isZero();
        assertThat(out()).contains("table-counts").contains("plugin example-sink.jar 0.1.0-SNAPSHOT").contains("stdout");
        assertThat(err()).isEmpty();
    }

    private void plugin(String jar, Class<?>... classes) throws Exception {
        Map<String, byte[]> entries = new java.util.HashMap<>();
        entries.put(SERVICES, utf8(classes[0].getName() + "\n"));
        for (Class<?> type : classes) {
            entries.put(type.getName().replace('.', '/') + ".class", classBytes(type));
        }
        PluginJars.write(plugins.resolve(jar), CURRENT_SPI, entries);
    }

    @Test
    void twoPluginsWithOneNameAreReportedAndTheFirstJarWins() throws Exception {
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("a-counts.jar"));
        Files.copy(PluginJars.EXAMPLE, plugins.resolve("b-counts.jar"));
        assertThat(sinks()).isZero();
        assertThat(err()).contains("sink 'table-counts' from plugin b-counts.jar").contains("taken by plugin a-counts.jar")
                .hasLineCount(1);
        assertThat(out()).contains("plugin a-counts.jar");
    }

    @Test
    void aPluginBuiltForAnotherSpiVersionIsRefused() throws Exception {
        PluginJars.exampleWithSpiVersion(plugins.resolve("future.jar"), "99");
        assertThat(sinks()).isZero();
        assertThat(err()).contains("plugin future.jar skipped: built for SPI version 99, this pg_flo has SPI version 2")
                .hasLineCount(1);
        assertThat(out()).doesNotContain("table-counts");
    }

    @Test
    void aPluginBuiltAgainstSpiVersionOneIsToldHowToRebuild() throws Exception {
        PluginJars.exampleWithSpiVersion(plugins.resolve("v1.jar"), "1");
        assertThat(sinks()).isZero();
        assertThat(err()).isEqualTo("pg_flo: plugin v1.jar skipped: built for SPI version 1, this pg_flo has SPI version 2; "
                + "rebuild it against io.pgflo:sink-api (plugins/README.md says how)" + System.lineSeparator());
    }

    @Test
    void aPluginThatDeclaresNoSpiVersionIsRefused() throws Exception {
        PluginJars.exampleWithSpiVersion(plugins.resolve("old.jar"), null);
        assertThat(sinks()).isZero();
        assertThat(err()).contains("plugin old.jar skipped: its manifest declares no PgFlo-Spi-Version").hasLineCount(1);
    }

    @Test
    void aJarWithoutSinksIsReported() throws Exception {
        PluginJars.write(plugins.resolve("empty.jar"), CURRENT_SPI, Map.of("readme.txt", utf8("nothing here")));
        assertThat(sinks()).isZero();
        assertThat(err()).contains("plugin empty.jar has no sink").hasLineCount(1);
    }
}
