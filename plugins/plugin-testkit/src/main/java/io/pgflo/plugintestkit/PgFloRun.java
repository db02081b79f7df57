package io.pgflo.plugintestkit;

import static java.util.Objects.requireNonNull;

import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to run: {@code pg_flo stream <sink>} from the real {@code pg_flo.jar}, in a child JVM, with one plugin jar in
 * its plugins directory, against a {@link TestPostgres} database.
 *
 * <pre>{@code
 * PgFloRun run = PgFloRun.with(pluginJar).source(pg, db).tables("t").sink("table-counts", "--counts-file", counts);
 * try (PgFloProcess pgFlo = run.start()) {
 *     pgFlo.awaitStreaming();
 *     pg.execute(db, "INSERT INTO t VALUES (1)");
 *     pgFlo.awaitCaughtUp();
 *     assertThat(pgFlo.stop()).isZero();
 * }
 * }</pre>
 *
 * <p>A run may be started again: every start shares the plugins and status directories, so the next process resumes
 * from the checkpoint the last one left, as after a restart in production. {@code pg_flo.jar} is the system property
 * {@code pgflo.jar}, else the environment variable {@code PGFLO_JAR}, else {@code app-cli/target/pg_flo.jar} of the pg_flo
 * checkout the test runs in, else {@code io.pgflo:app-cli:<this kit's version>:jar:all} in the local Maven repository.
 */
public final class PgFloRun {
    /** How long each wait of a {@link PgFloProcess} may take, unless {@link #timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Flags a test wants and production does not: a change reaches the sink within 50 ms rather than a second, and a
     * heartbeat every second moves the slot past WAL that holds no change of the tables (other databases, the server's
     * own records), without which {@link PgFloProcess#awaitCaughtUp()} could wait for ever. Before the caller's flags,
     * so that those win.
     */
    private static final List<String> TEST_FLAGS = List.of("--batch-delay-ms", "50", "--heartbeat-interval", "1");

    private final Path pluginJar;
    private Source source;
    private String group;
    private final List<String> tables = new ArrayList<>();
    private String sink;
    private final List<String> sinkFlags = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private Path workDirectory;
    private RunDirectory directory;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Path pgFloJar;

    private PgFloRun(Path pluginJar) {
        this.pluginJar = pluginJar;
    }

    /** A run of pg_flo with {@code pluginJar} (the jar {@code mvn package} makes) as its only plugin. */
    public static PgFloRun with(Path pluginJar) {
        requireNonNull(pluginJar, "pluginJar is null");
        if (!Files.isRegularFile(pluginJar)) {
            throw new IllegalArgumentException("plugin jar " + pluginJar.toAbsolutePath() + " does not exist; "
                    + "run the tests after 'package' (the failsafe plugin does), so the jar is built");
        }
        return new PgFloRun(pluginJar.toAbsolutePath().normalize());
    }

    /** The database to stream from, as its superuser (the password goes in the environment, as users pass it). */
    public PgFloRun source(TestPostgres server, String database) {
        this.source = Source.of(requireNonNull(server, "server is null"), requireNonNull(database, "database is null"));
        return this;
    }

    /** {@code --group}: names the slot and the checkpoint. Default: the database's name, so no two tests share a slot. */
    public PgFloRun group(String group) {
        this.group = requireNonNull(group, "group is null");
        return this;
    }

    /** {@code --tables}; by default pg_flo replicates every table of the schema. */
    public PgFloRun tables(String... tables) {
        this.tables.addAll(List.of(tables));
        return this;
    }

    /**
     * The sink to stream to, and flags after it: the sink's own and any other of {@code pg_flo stream}'s (they win over
     * the kit's). Each flag is turned into a string, so a {@link Path} or a number may be given as it is.
     */
    public PgFloRun sink(String name, Object... flags) {
        this.sink = requireNonNull(name, "name is null");
        this.sinkFlags.clear();
        for (Object flag : flags) {
            sinkFlags.add(String.valueOf(requireNonNull(flag, "a flag is null")));
        }
        return this;
    }

    /**
     * An environment variable of the pg_flo process, such as a secret option ({@code PGFLO_API_TOKEN}). pg_flo reads
     * every flag from a {@code PGFLO_} variable too, so none is inherited from the test's environment: a developer's
     * {@code PGFLO_BATCH_SIZE} must not change what a test sees.
     */
    public PgFloRun env(String name, String value) {
        environment.put(requireNonNull(name, "name is null"), requireNonNull(value, "value is null"));
        return this;
    }

    /** Options for the child JVM, such as {@code -Xmx256m} or {@code -Dkey=value}. */
    public PgFloRun jvmOptions(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Where the plugins and status directories and the processes' output go; by default a new directory under
     * {@code target/pg_flo-runs/}. Set it before the first start.
     */
    public PgFloRun workDirectory(Path directory) {
        if (this.directory != null) {
            throw new IllegalStateException("the run has started in " + this.directory.root() + " already");
        }
        this.workDirectory = requireNonNull(directory, "directory is null");
        return this;
    }

    /** How long each wait, {@code stop()} included, may take; default {@link #DEFAULT_TIMEOUT}. */
    public PgFloRun timeout(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        return this;
    }

    /** The jar to run instead of the one {@link PgFloJar} finds: for the kit's own tests. */
    PgFloRun pgFloJar(Path jar) {
        this.pgFloJar = jar;
        return this;
    }

    /** Starts {@code pg_flo stream <sink>} and returns at once: {@link PgFloProcess#awaitStreaming()} waits for it. */
    public PgFloProcess start() {
        if (source == null) {
            throw new IllegalStateException("no source: call source(server, database) before start()");
        }
        if (sink == null) {
            throw new IllegalStateException("no sink: call sink(name, flags...) before start()");
        }
        RunDirectory run = directory();
        Slot slot = new Slot(source.server(), source.database(), group());
        return launch(run, streamArguments(run.plugins(), run.status()), slot, "pg_flo stream " + sink);
    }

    /**
     * Starts any other pg_flo command with the plugin, such as {@code command("sinks")} or
     * {@code command("stream", "my-sink", "--help")}; {@link PgFloProcess#awaitExit()} waits for it to finish.
     */
    public PgFloProcess command(String... args) {
        RunDirectory run = directory();
        List<String> arguments = new ArrayList<>(List.of("--plugins-dir", run.plugins().toString()));
        arguments.addAll(List.of(args));
        return launch(run, arguments, null, "pg_flo " + String.join(" ", args));
    }

    /** The command line after {@code pg_flo}: the plugins directory, the source, the kit's flags, then the caller's. */
    List<String> streamArguments(Path plugins, Path status) {
        List<String> arguments = new ArrayList<>(List.of("--plugins-dir", plugins.toString(), "stream", sink,
                "--host", source.host(), "--port", Integer.toString(source.port()), "--dbname", source.database(),
                "--user", TestPostgres.SUPERUSER, "--group", group(), "--status-dir", status.toString()));
        if (!tables.isEmpty()) {
            arguments.add("--tables");
            arguments.add(String.join(",", tables));
        }
        arguments.addAll(TEST_FLAGS);
        arguments.addAll(sinkFlags);
        return arguments;
    }

    /** Package-private for the kit's own tests, which give the source without a server. */
    PgFloRun source(Source source) {
        this.source = source;
        return this;
    }

    private String group() {
        return group != null ? group : source.defaultGroup();
    }

    private RunDirectory directory() {
        if (directory == null) {
            directory = workDirectory != null ? RunDirectory.at(workDirectory)
                    : RunDirectory.create(source != null ? group() : "command");
        }
        // At every start: the jar may have been rebuilt, and the directory may hold an earlier run's plugin.
        directory.installPlugin(pluginJar);
        return directory;
    }

    private PgFloProcess launch(RunDirectory run, List<String> arguments, Slot slot, String description) {
        Path jar = pgFloJar != null ? pgFloJar : PgFloJar.locate();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toString());
        command.addAll(arguments);
        Path stdout = run.nextStdout();
        Path stderr = RunDirectory.stderrBeside(stdout);
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("PGFLO_"));
        if (source != null) {
            builder.environment().put("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD);
        }
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            // No stdin: a pg_flo that reads it sees its end rather than waiting.
            process.getOutputStream().close();
            return new PgFloProcess(process, description, stdout, stderr, slot, timeout);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }
}
