package io.pgflo.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * pg_flo with one of its sinks: {@code pg_flo stream <sink>} (the launcher, with {@code --heap}'s heap, 512m unless
 * asked otherwise) on the contender's group, with a fresh status directory, so it starts from the slot's position.
 * Subclasses add the sink's flags.
 */
abstract class PgFloContender implements Contender {
    private String heap = BenchOptions.DEFAULT_HEAP;
    private boolean oneOfSeveralHeaps;
    private boolean baseline;

    /** The id without a heap: stdout, file, webhook, webhook-batch, postgres. */
    abstract String baseId();

    /** The name in the results table without a heap. */
    abstract String baseName();

    /** The sink's name in {@code pg_flo sinks}. */
    abstract String sink();

    /**
     * Runs with this heap ({@link BenchOptions#heapOptions}); one of several in the run is named after it, so that
     * each has a slot, a target and a row of its own.
     */
    void heap(String heap, boolean oneOfSeveral) {
        this.heap = heap;
        this.oneOfSeveralHeaps = oneOfSeveral;
    }

    /** Runs the baseline jar ({@code --baseline-jar}) instead of the one under test, as {@code <id>@baseline}. */
    void useBaselineJar() {
        this.baseline = true;
    }

    @Override
    public final String id() {
        return (oneOfSeveralHeaps ? baseId() + "@" + heap : baseId()) + (baseline ? "@baseline" : "");
    }

    @Override
    public final String displayName() {
        return (oneOfSeveralHeaps ? baseName() + ", " + BenchOptions.describeHeap(heap) : baseName())
                + (baseline ? " (baseline)" : "");
    }

    /** The heap this contender runs with ({@link BenchOptions#heapOptions}). */
    final String heap() {
        return heap;
    }

    /** The jar this contender runs. */
    final PgFloJar jar(BenchContext context) {
        return baseline ? context.baselinePgFlo() : context.pgFlo();
    }

    /** What tells this heap variant's names apart ({@code _launcher}), or nothing when the run has one heap. */
    String variantSuffix() {
        return oneOfSeveralHeaps ? "_" + heap.toLowerCase(Locale.ROOT) : "";
    }

    /** The sink's own flags. */
    List<String> sinkArguments(BenchContext context, RunSpec run) throws Exception {
        return List.of();
    }

    /** Environment variables for the sink's flags (passwords). */
    Map<String, String> sinkEnvironment(BenchContext context, RunSpec run) {
        return Map.of();
    }

    /** Where pg_flo's standard output goes. */
    File standardOutput(BenchContext context, RunSpec run) {
        return new File("/dev/null");
    }

    @Override
    public String unavailableReason(BenchContext context) {
        if (!jar(context).exists()) {
            return "pg_flo.jar not built (" + jar(context).source() + ")";
        }
        if (!jar(context).sinks().contains(sink())) {
            return "sink '" + sink() + "' is not registered in pg_flo.jar yet";
        }
        return null;
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) throws Exception {
        Path directory = run.workDirectory();
        Files.createDirectories(directory);
        Path gcLog = directory.resolve("gc.log");
        Database source = run.source().database();
        List<String> jvmOptions = new ArrayList<>();
        // No -XX:+ExitOnOutOfMemoryError: out of memory, pg_flo prints where it stands and exits with status 3.
        jvmOptions.addAll(BenchOptions.heapOptions(heap));
        jvmOptions.add("-Xlog:gc:file=" + gcLog);
        if (context.options().profile()) {
            jvmOptions.add("-XX:StartFlightRecording=filename=" + directory.resolve("pg_flo.jfr")
                    + ",settings=profile,dumponexit=true");
        }
        jvmOptions.addAll(context.options().extraJvmArgs());
        List<String> command = jar(context).command(List.of("stream", sink(),
                "--host", source.endpoint().host(),
                "--port", Integer.toString(source.endpoint().port()),
                "--dbname", source.endpoint().database(),
                "--user", source.endpoint().user(),
                "--group", names().group(),
                "--tables", BenchTable.NAME,
                "--schema", BenchTable.SCHEMA,
                "--status-dir", directory.resolve("status").toString()));
        command.addAll(sinkArguments(context, run));
        Map<String, String> environment = new HashMap<>(sinkEnvironment(context, run));
        environment.putAll(jar(context).environment(jvmOptions));
        if (source.endpoint().password() != null) {
            environment.put("PGFLO_PASSWORD", source.endpoint().password());
        }
        return ProcessLaunch.start(command, environment, standardOutput(context, run), directory.resolve("pg_flo.log"), gcLog);
    }
}
