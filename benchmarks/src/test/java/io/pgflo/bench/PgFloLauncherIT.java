package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code pg_flo} launcher as the benchmark (and a user) runs it: the first command makes the class-data archive,
 * later ones map pg_flo's classes from it, and without it they come from the jar.
 */
class PgFloLauncherIT {
    private static final Path REPOSITORY = repository();
    private static final Path JAR = REPOSITORY.resolve("app-cli/target/pg_flo.jar");

    @Test
    void theFirstCommandMakesTheArchiveAndTheNextOneLoadsFromIt(@TempDir Path directory) throws Exception {
        PgFloJar pgFlo = snapshot(directory, true);

        assertThat(pgFlo.sinks()).containsExactlyInAnyOrder("stdout", "file", "postgres", "webhook", "jetstream");
        List<Path> archives = archives(directory.resolve("cds"));
        assertThat(archives).hasSize(1);

        Result second = run(pgFlo, "sinks");
        assertThat(second.exit()).isZero();
        assertThat(second.stdout()).contains("io.pgflo.cli.Main source: shared objects file (top)")
                .contains("webhook").doesNotContain("preparing the class-data archive");
        assertThat(archives(directory.resolve("cds"))).isEqualTo(archives);
    }

    @Test
    void withoutTheArchiveClassesComeFromTheJar(@TempDir Path directory) throws Exception {
        PgFloJar pgFlo = snapshot(directory, false);

        Result result = run(pgFlo, "sinks");

        assertThat(result.exit()).isZero();
        assertThat(result.stdout()).contains("io.pgflo.cli.Main source: file:").contains("postgres");
        assertThat(directory.resolve("cds")).doesNotExist();
    }

    @Test
    void aJvmThatCannotMakeAnArchiveIsAskedOnceAndPgFloStartsWithoutOne(@TempDir Path directory) throws Exception {
        // A JDK without a base archive refuses -XX:ArchiveClassesAtExit; this one says so and runs everything else.
        Path fakeHome = directory.resolve("jdk");
        Files.createDirectories(fakeHome.resolve("bin"));
        Path fakeJava = fakeHome.resolve("bin/java");
        Files.writeString(fakeJava, "#!/bin/bash\n"
                + "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*) echo 'no base archive' >&2; exit 1;; esac; done\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        assertThat(fakeJava.toFile().setExecutable(true)).isTrue();
        PgFloJar pgFlo = snapshot(directory.resolve("run"), true);

        Result first = run(pgFlo, Map.of("JAVA_HOME", fakeHome.toString()), "sinks");
        Result second = run(pgFlo, Map.of("JAVA_HOME", fakeHome.toString()), "sinks");

        assertThat(first.exit()).isZero();
        assertThat(first.stdout()).contains("this JVM could not make a class-data archive").contains("webhook");
        assertThat(second.exit()).isZero();
        assertThat(second.stdout()).doesNotContain("class-data archive").contains("webhook");
        try (Stream<Path> files = Files.list(directory.resolve("run/cds"))) {
            List<Path> left = files.toList();
            assertThat(left).hasSize(1);
            assertThat(left.get(0).getFileName().toString()).endsWith(".jsa.failed");
            assertThat(Files.readString(left.get(0))).contains("no base archive");
        }
    }

    @Test
    void streamsRunOnTheParallelCollectorWithHalfTheHeapYoungAndBuiltInSinksOnC1UnlessTheOptionsChooseOthers(
            @TempDir Path directory) throws Exception {
        PgFloJar pgFlo = snapshot(directory, false);
        List<String> postgres = List.of("stream", "postgres", "--help");

        assertThat(flags(pgFlo, List.of(), postgres)).containsExactly("1", "true", "1");
        assertThat(flags(pgFlo, List.of("-Xmx256m"), postgres)).containsExactly("1", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("stream", "stdout", "--help"))).containsExactly("1", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("stream", "file", "--help"))).containsExactly("1", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("worker", "file", "--help"))).containsExactly("1", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("sinks"))).containsExactly("4", "false", "2");
        assertThat(flags(pgFlo, List.of("-XX:TieredStopAtLevel=4"), postgres)).containsExactly("4", "true", "1");
        assertThat(flags(pgFlo, List.of("-XX:-TieredCompilation"), postgres)).containsExactly("4", "true", "1");
        assertThat(flags(pgFlo, List.of("-XX:+UseG1GC"), postgres)).containsExactly("1", "false", "2");
        assertThat(flags(pgFlo, List.of("-XX:+UseSerialGC"), postgres)).containsExactly("1", "false", "2");
        assertThat(flags(pgFlo, List.of("-XX:NewRatio=3"), postgres)).containsExactly("1", "true", "3");
        assertThat(flags(pgFlo, List.of("-Xmn64m"), postgres)).containsExactly("1", "true", "2");
        assertThat(flags(pgFlo, List.of("-XX:MaxNewSize=64m"), postgres)).containsExactly("1", "true", "2");
        assertThat(flags(pgFlo, List.of("-XX:+UseNUMA", "-XX:+DisableExplicitGC"), postgres)) // neither a collector
                .containsExactly("1", "true", "1");
    }

    @Test
    void theWebhookSinkRunsOnC1OnlyWhenItsArgumentsOrEnvironmentAskForBatches(@TempDir Path directory)
            throws Exception {
        PgFloJar pgFlo = snapshot(directory, false);
        List<String> webhook = List.of("stream", "webhook", "--help");

        assertThat(flags(pgFlo, List.of(), webhook)).containsExactly("4", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("stream", "webhook", "--webhook-batch-size", "1", "--help")))
                .containsExactly("4", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("stream", "webhook", "--webhook-batch-size", "500", "--help")))
                .containsExactly("1", "true", "1");
        assertThat(flags(pgFlo, List.of(), List.of("worker", "webhook", "--webhook-batch-size=100", "--help")))
                .containsExactly("1", "true", "1");
        assertThat(flags(flagsFinal(pgFlo, List.of(), webhook, Map.of("PGFLO_WEBHOOK_BATCH_SIZE", "50"))))
                .containsExactly("1", "true", "1");
        assertThat(flags(flagsFinal(pgFlo, List.of(), webhook, Map.of("PGFLO_WEBHOOK_BATCH_SIZE", "many"))))
                .containsExactly("4", "true", "1");
    }

    @Test
    void everyCommandRunsInA512MbHeapUnlessTheOptionsOrTheJvmVariablesSizeIt(@TempDir Path directory) throws Exception {
        PgFloJar pgFlo = snapshot(directory, false);
        List<String> stdout = List.of("stream", "stdout", "--help");
        List<String> postgres = List.of("stream", "postgres", "--help");
        String mb512 = Long.toString(512L << 20);

        assertThat(flag(pgFlo, List.of(), List.of("sinks"), "MaxHeapSize")).isEqualTo(mb512);
        assertThat(flag(pgFlo, List.of(), stdout, "MaxHeapSize")).isEqualTo(mb512);
        assertThat(flag(pgFlo, List.of(), postgres, "MaxHeapSize")).isEqualTo(mb512);
        assertThat(flag(pgFlo, List.of("-Xmx1g"), stdout, "MaxHeapSize")).isEqualTo(Long.toString(1L << 30));
        assertThat(flag(pgFlo, List.of("-XX:MaxHeapSize=300m"), stdout, "MaxHeapSize")).isEqualTo(Long.toString(300L << 20));
        assertThat(flag(pgFlo, List.of("-XX:MaxRAMPercentage=10"), List.of("sinks"), "MaxHeapSize"))
                .isEqualTo(jvmFlag(List.of("-XX:MaxRAMPercentage=10"), "MaxHeapSize")).isNotEqualTo(mb512);
        // An initial heap above 512 MB with a 512 MB limit would not start: -Xms sizes the heap too.
        assertThat(flag(pgFlo, List.of("-Xms1g"), stdout, "InitialHeapSize")).isEqualTo(Long.toString(1L << 30));
        // The JVM reads these itself, before the command line, which would otherwise override them.
        assertThat(flag(flagsFinal(pgFlo, List.of(), stdout, Map.of("JAVA_TOOL_OPTIONS", "-Xmx1g")), "MaxHeapSize"))
                .isEqualTo(Long.toString(1L << 30));
        assertThat(flag(flagsFinal(pgFlo, List.of(), stdout, Map.of("JDK_JAVA_OPTIONS", "-XX:MaxRAMPercentage=10")),
                "MaxHeapSize")).isNotEqualTo(mb512);
    }

    @Test
    void outOfHeapPgFloPrintsItsOwnLineInsteadOfTheJvmExitingUnlessTheOptionsSayOtherwise(@TempDir Path directory)
            throws Exception {
        PgFloJar pgFlo = snapshot(directory, false);
        List<String> stdout = List.of("stream", "stdout", "--help");

        assertThat(flag(pgFlo, List.of(), List.of("sinks"), "ExitOnOutOfMemoryError")).isEqualTo("false");
        assertThat(flag(pgFlo, List.of(), stdout, "ExitOnOutOfMemoryError")).isEqualTo("false");
        assertThat(flag(pgFlo, List.of(), List.of("stream", "postgres", "--help"), "ExitOnOutOfMemoryError"))
                .isEqualTo("false");
        assertThat(flag(pgFlo, List.of("-XX:+ExitOnOutOfMemoryError"), stdout, "ExitOnOutOfMemoryError"))
                .isEqualTo("true");
    }

    /** A flag of a plain {@code java -version} with these options, to compare with what the launcher's JVM got. */
    private static String jvmFlag(List<String> options, String name) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(options);
        command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return flag(output, name);
    }

    private static String flag(PgFloJar pgFlo, List<String> options, List<String> args, String name)
            throws IOException, InterruptedException {
        return flag(flagsFinal(pgFlo, options, args), name);
    }

    /**
     * The JIT's {@code TieredStopAtLevel}, whether {@code UseParallelGC} is on, and {@code NewRatio}, in the JVM that
     * {@code pg_flo args} started with these options.
     */
    private static List<String> flags(PgFloJar pgFlo, List<String> options, List<String> args)
            throws IOException, InterruptedException {
        return flags(flagsFinal(pgFlo, options, args));
    }

    private static List<String> flags(String printFlagsFinal) {
        return List.of(flag(printFlagsFinal, "TieredStopAtLevel"), flag(printFlagsFinal, "UseParallelGC"),
                flag(printFlagsFinal, "NewRatio"));
    }

    /** What {@code -XX:+PrintFlagsFinal} prints in the JVM that {@code pg_flo args} started with these options. */
    private static String flagsFinal(PgFloJar pgFlo, List<String> options, List<String> args)
            throws IOException, InterruptedException {
        return flagsFinal(pgFlo, options, args, Map.of());
    }

    /** As above, with {@code environment} added to the launcher's. */
    private static String flagsFinal(PgFloJar pgFlo, List<String> options, List<String> args, Map<String, String> environment)
            throws IOException, InterruptedException {
        List<String> jvmOptions = new ArrayList<>(options);
        jvmOptions.add("-XX:+PrintFlagsFinal");
        ProcessBuilder builder = pgFlo.processBuilder(args, jvmOptions);
        builder.environment().keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static String flag(String printFlagsFinal, String name) {
        return printFlagsFinal.lines().filter(line -> line.contains(" " + name + " "))
                .map(line -> line.trim().split("\\s+")[3]).findFirst().orElseThrow();
    }

    @Test
    void aMissingJarIsOneLineAndStatusTwo(@TempDir Path directory) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(REPOSITORY.resolve("pg_flo").toString(), "sinks").redirectErrorStream(true);
        builder.environment().put("PGFLO_JAR", directory.resolve("missing.jar").toString());
        Process missing = builder.start();
        String output = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(missing.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(missing.exitValue()).isEqualTo(2);
        assertThat(output).isEqualTo("pg_flo: pg_flo.jar not found at " + directory.resolve("missing.jar")
                + "; build it with ./mvnw -q install -DskipTests, or set PGFLO_JAR\n");
    }

    private static PgFloJar snapshot(Path directory, boolean cds) throws IOException, InterruptedException {
        assertThat(JAR).as("the shaded jar (built by app-cli's package phase, before this module's tests)").isRegularFile();
        return PgFloJar.snapshot(JAR, REPOSITORY.resolve("pg_flo"), directory, cds);
    }

    private record Result(int exit, String stdout) {}

    /** {@code pg_flo args} with class loading logged to stdout. */
    private static Result run(PgFloJar pgFlo, String... args) throws IOException, InterruptedException {
        return run(pgFlo, Map.of(), args);
    }

    /** As above, with {@code overrides} on top of the launcher's settings; stderr goes to the result too. */
    private static Result run(PgFloJar pgFlo, Map<String, String> overrides, String... args)
            throws IOException, InterruptedException {
        ProcessBuilder builder = pgFlo.processBuilder(List.of(args), List.of("-Xlog:class+load=info:stdout"));
        builder.environment().putAll(overrides);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static List<Path> archives(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).sorted().toList();
        }
    }

    private static Path repository() {
        Path module = Path.of("").toAbsolutePath();
        return module.getFileName().toString().equals("benchmarks") ? module.getParent() : module;
    }
}
