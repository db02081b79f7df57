package io.pgflo.bench;

import io.pgflo.testkit.NatsServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * pg_flo scaled out over NATS JetStream, on a {@code nats-server} of its own (file storage, the default): the
 * replicator ({@code pg_flo replicator}, which is {@code pg_flo stream jetstream}) publishing the slot's changes, and,
 * end to end, a file worker ({@code pg_flo worker file}) writing them out. Its slot confirms once JetStream holds the
 * events; the clock stops when the worker's files hold every one. Without the worker, the replicator's publish rate
 * alone.
 */
final class PgFloNatsContender extends PgFloContender {
    private final boolean withWorker;
    private NatsServer nats;
    private GrowingLineCount lines;

    PgFloNatsContender(boolean withWorker) {
        this.withWorker = withWorker;
    }

    @Override
    String baseId() {
        return withWorker ? "nats-file" : "nats-publish";
    }

    @Override
    String baseName() {
        return withWorker ? "pg_flo replicator + file worker" : "pg_flo replicator";
    }

    @Override
    public String measures() {
        return withWorker
                ? "pg_flo replicator into JetStream (file storage) and pg_flo worker file out of it, end to end"
                : "pg_flo replicator alone: until JetStream acknowledged every event";
    }

    @Override
    String sink() {
        return "jetstream";
    }

    @Override
    public String unavailableReason(BenchContext context) {
        String reason = super.unavailableReason(context);
        if (reason == null && !onPath("nats-server")) {
            return "no nats-server on the PATH (Debian: apt-get install nats-server)";
        }
        return reason;
    }

    @Override
    List<String> sinkArguments(BenchContext context, RunSpec run) {
        return List.of("--nats-url", nats.url());
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) throws Exception {
        nats = NatsServer.start();
        Launch replicator = super.launch(context, run);
        if (!withWorker) {
            return replicator;
        }
        Path directory = run.workDirectory().resolve("worker");
        Path output = output(run);
        Files.createDirectories(output);
        List<String> jvm = new ArrayList<>(BenchOptions.heapOptions(heap()));
        jvm.add("-Xlog:gc:file=" + directory.resolve("gc.log"));
        Map<String, String> environment = new HashMap<>(jar(context).environment(jvm));
        ProcessLaunch worker = ProcessLaunch.start(jar(context).command(List.of("worker", "file", "--group",
                        names().group(), "--nats-url", nats.url(), "--output-dir", output.toString(), "--status-dir",
                        directory.resolve("status").toString())), environment, new File("/dev/null"),
                directory.resolve("pg_flo.log"), directory.resolve("gc.log"));
        lines = new GrowingLineCount(output);
        return new WithWorker(replicator, worker);
    }

    @Override
    public boolean arrived(BenchContext context, RunSpec run) throws Exception {
        return !withWorker || lines.lines() >= run.workload().events();
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) throws Exception {
        return withWorker ? Delivery.counted(LineCounter.countTree(output(run)), run.workload().events(),
                "the worker's files hold") : Delivery.NOT_CHECKED;
    }

    @Override
    public void cleanup(BenchContext context, RunSpec run) {
        if (!context.options().keepOutput()) {
            FileTree.delete(output(run));
        }
        if (nats != null) {
            nats.close();
            nats = null;
        }
    }

    private static Path output(RunSpec run) {
        return run.workDirectory().resolve("worker").resolve("output");
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "" : path).split(File.pathSeparator)) {
            if (!directory.isEmpty() && Files.isExecutable(Path.of(directory, program))) {
                return true;
            }
        }
        return false;
    }

    /** The replicator, with the worker alongside: its memory and CPU go into the note, its failure ends the run. */
    private static final class WithWorker implements Launch {
        private final Launch replicator;
        private final ProcessLaunch worker;
        private final ProcessStats workerStats = new ProcessStats();

        WithWorker(Launch replicator, ProcessLaunch worker) {
            this.replicator = replicator;
            this.worker = worker;
        }

        @Override
        public OptionalLong pid() {
            return replicator.pid();
        }

        @Override
        public void sample(ProcessStats stats) {
            replicator.sample(stats);
            worker.sample(workerStats);
        }

        @Override
        public OptionalInt exitCode() {
            OptionalInt exit = replicator.exitCode();
            return exit.isPresent() ? exit : worker.exitCode();
        }

        @Override
        public void stop() throws Exception {
            worker.stop();
            replicator.stop();
        }

        @Override
        public String logTail() {
            String tail = replicator.logTail();
            return (tail.isEmpty() ? "" : tail + " | ") + "worker: " + worker.logTail() + " | worker "
                    + workerStats.cpuSeconds() + " cpu s, peak RSS " + workerStats.peakRssMb().orElse(-1) + " MB";
        }

        @Override
        public Path gcLog() {
            return replicator.gcLog();
        }
    }
}
