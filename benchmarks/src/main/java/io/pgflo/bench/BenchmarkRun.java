package io.pgflo.bench;

import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One benchmark run: for each workload, a fresh source database and table, one slot and publication per contender,
 * then the workload and its end marker, then each contender in turn draining its own slot.
 */
final class BenchmarkRun {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private final BenchOptions options;
    private final PrintStream progress;
    private final String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP);
    private String serverVersion = "";
    private String classDataSharing = "not run";

    BenchmarkRun(BenchOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    String timestamp() {
        return timestamp;
    }

    Path runDirectory() {
        return options.workDirectory().resolve(timestamp);
    }

    /** Runs every workload and returns the results, ratios and targets filled in. */
    List<ContenderResult> run() throws Exception {
        if (System.getProperty("PGFLO_TEST_POSTGRES") == null && System.getenv("PGFLO_TEST_POSTGRES") == null) {
            // Testcontainers' Docker probe costs time and Docker's networking would be part of every figure.
            System.setProperty("PGFLO_TEST_POSTGRES", "embedded");
        }
        List<ContenderResult> all = new ArrayList<>();
        TestPostgres embedded = null;
        try {
            Optional<Path> binaries = Optional.empty();
            if (options.sourceUrl() == null) {
                progress.println("starting the source PostgreSQL...");
                embedded = TestPostgres.start();
                binaries = embedded.binDirectory();
            }
            PgFloJar pgFlo = PgFloJar.snapshot(options.pgFloJar(), options.repository().resolve("pg_flo"), runDirectory(),
                    options.cds());
            try (BenchContext context = new BenchContext(options, pgFlo, binaries)) {
                if (options.baselineJar() != null) {
                    context.baselinePgFlo(PgFloJar.snapshot(options.baselineJar(), options.repository().resolve("pg_flo"),
                            runDirectory().resolve("baseline-jar"), options.cds()));
                }
                List<Contender> contenders = Contenders.selected(options);
                for (Workload workload : options.workloads()) {
                    Database database = embedded == null ? Database.fromUrl(options.sourceUrl())
                            : new Database(embedded.endpoint(embedded.createDatabase("bench_" + workload.name())));
                    try (SourceDatabase source = new SourceDatabase(database)) {
                        all.addAll(Targets.evaluate(runWorkload(context, contenders, workload, source)));
                    } finally {
                        if (embedded != null) {
                            embedded.dropDatabase(database.name());
                        } else {
                            database.execute(BenchTable.DROP);
                        }
                    }
                }
            } finally {
                classDataSharing = pgFlo.classDataSharing();
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
        return all;
    }

    private List<ContenderResult> runWorkload(BenchContext context, List<Contender> contenders, Workload workload,
            SourceDatabase source) throws Exception {
        serverVersion = source.describeServer();
        source.createTable();
        List<ContenderResult> results = new ArrayList<>();
        Map<Contender, RunSpec> runs = new LinkedHashMap<>();
        try {
            drain(context, contenders, workload, source, results, runs);
        } finally {
            for (Contender contender : runs.keySet()) {
                try {
                    source.dropReplication(contender.names());
                } catch (RuntimeException e) {
                    progress.println("cannot drop slot " + contender.names().slot() + ": " + e.getMessage());
                }
            }
        }
        return inTableOrder(contenders.stream().map(Contender::id).toList(), results);
    }

    /**
     * The table's order: the contenders as asked, available or not, and the receiver's {@code wrk} ceiling right after
     * the per-event webhook it was measured for (the per-event target is stated on it, in the table and the JSON).
     */
    static List<ContenderResult> inTableOrder(List<String> contenderIds, List<ContenderResult> results) {
        List<ContenderResult> ordered = new ArrayList<>();
        for (String id : contenderIds) {
            results.stream().filter(r -> r.id().equals(id)).forEach(ordered::add);
            if (id.equals("webhook")) {
                results.stream().filter(r -> r.id().equals(ContenderResult.RECEIVER_CEILING)).forEach(ordered::add);
            }
        }
        return ordered;
    }

    private void drain(BenchContext context, List<Contender> contenders, Workload workload, SourceDatabase source,
            List<ContenderResult> results, Map<Contender, RunSpec> runs) throws Exception {
        for (Contender contender : contenders) {
            String unavailable = contender.unavailableReason(context);
            if (unavailable != null) {
                results.add(ContenderResult.notAvailable(contender, workload, unavailable));
                progress.printf("%-22s %s: %s%n", contender.displayName(), workload.name(), unavailable);
                continue;
            }
            RunSpec run = new RunSpec(workload, source, null,
                    runDirectory().resolve(workload.name()).resolve(contender.id()), null);
            runs.put(contender, run);
            source.createReplication(contender.names());
            Files.createDirectories(run.workDirectory());
            contender.prepare(context, run);
        }
        progress.printf("%s workload: %s...%n", workload.name(), workload.description());
        long started = System.nanoTime();
        source.generate(workload);
        Lsn end = source.markEnd();
        String fingerprint = runs.keySet().stream().anyMatch(BenchmarkRun::writesToTarget) ? source.fingerprint() : null;
        progress.printf("%s workload written in %.1f s; every slot must confirm %s%n", workload.name(),
                (System.nanoTime() - started) / 1e9, end);
        ContenderRunner runner = new ContenderRunner(context);
        for (Map.Entry<Contender, RunSpec> entry : runs.entrySet()) {
            Contender contender = entry.getKey();
            if (writesToTarget(contender)) {
                context.checkpointTarget();
            }
            progress.printf("%-22s %s: draining...%n", contender.displayName(), workload.name());
            ContenderResult result = runner.run(contender, entry.getValue().withEnd(end, fingerprint));
            source.dropReplication(contender.names());
            progress.printf("%-22s %s: %s%n", contender.displayName(), workload.name(), summary(result));
            results.add(result);
            if (result.ok() && contender.id().equals("webhook")) {
                ContenderResult ceiling = receiverCeiling(context, workload, entry.getValue());
                progress.printf("%-22s %s: %s%n", ceiling.contender(), workload.name(), ceiling.ok()
                        ? String.format(Locale.ROOT, "%,.0f requests/s", ceiling.eventsPerSecond()) : ceiling.note());
                results.add(ceiling);
            }
        }
    }

    /**
     * What the per-event webhook's receiver takes from {@code wrk} with as many connections as the sink has lanes,
     * measured right after the sink on the same receiver: the per-event target's base.
     */
    private static ContenderResult receiverCeiling(BenchContext context, Workload workload, RunSpec run)
            throws Exception {
        int lanes = WrkCeiling.defaultLanes(context.pgFlo().sinkHelp("webhook"));
        if (!WrkCeiling.available()) {
            return ContenderResult.receiverCeiling(workload.name(), lanes, ContenderResult.NOT_AVAILABLE, null,
                    "no wrk (Debian: apt-get install wrk)");
        }
        java.util.OptionalDouble ceiling = WrkCeiling.measure(context.receiver().url(), lanes, 10, run.workDirectory());
        context.receiver().reset();
        if (ceiling.isEmpty()) {
            return ContenderResult.receiverCeiling(workload.name(), lanes, ContenderResult.FAILED, null,
                    "wrk printed no rate (see wrk.log)");
        }
        return ContenderResult.receiverCeiling(workload.name(), lanes, ContenderResult.OK, ceiling.getAsDouble(),
                "10 s of POSTs of one event");
    }

    private static boolean writesToTarget(Contender contender) {
        return contender instanceof PgFloPostgresContender || contender instanceof NativeSubscriptionContender;
    }

    private static String summary(ContenderResult result) {
        if (!result.ok()) {
            return result.status() + ": " + result.note();
        }
        return String.format(Locale.ROOT, "%.2f s, %,.0f events/s, peak RSS %s MB%s", result.wallSeconds(),
                result.eventsPerSecond(), result.peakRssMb() == null ? "?" : result.peakRssMb(),
                result.note().isEmpty() ? "" : " (" + result.note() + ")");
    }

    /** The JSON record of this run. */
    ResultsFile.Run record(List<ContenderResult> results) {
        Map<String, String> tool = new LinkedHashMap<>();
        tool.put("pg_flo.jar", relative(options.pgFloJar()));
        tool.put("pg_flo JVM flags", options.describeHeaps()
                + (options.profile() ? " + JFR (profile settings)" : "")
                + (options.extraJvmArgs().isEmpty() ? "" : " " + String.join(" ", options.extraJvmArgs())));
        tool.put("pg_flo launcher", "./pg_flo (pg_flo postgres on C1 alone and the parallel collector, half"
                + " the heap young, unless the flags choose others);"
                + " class-data-sharing archive: " + classDataSharing);
        tool.put("git commit", GitCommit.describe(options.pgFloJar()));
        tool.put("source", options.sourceUrl() == null ? "embedded PostgreSQL (testkit)" : "given by --source-url");
        if (options.verify()) {
            tool.put("verify", "stdout written to a file and counted");
        }
        Map<String, String> workloads = new LinkedHashMap<>();
        for (Workload workload : options.workloads()) {
            workloads.put(workload.name(), workload.description());
        }
        Map<String, String> contenders = new LinkedHashMap<>();
        for (Contender contender : Contenders.selected(options)) {
            contenders.put(contender.displayName(), contender.measures());
        }
        List<ContenderResult> portable = results.stream().map(r -> r.workDirectory() == null ? r
                : r.withWorkDirectory(relative(Path.of(r.workDirectory())))).toList();
        return new ResultsFile.Run(timestamp, MachineInfo.current(), serverVersion, tool, workloads, contenders, portable);
    }

    /** A path relative to the working directory ({@code ./bench} runs in the repository), when it is below it. */
    private static String relative(Path path) {
        Path here = Path.of("").toAbsolutePath();
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : absolute.toString();
    }

    /** Writes the JSON results; returns the file. */
    Path writeResults(List<ContenderResult> results) throws IOException {
        return ResultsFile.write(options.resultsDirectory(), record(results), options.writeLatest(),
                options.profile() ? "profile-" : options.verify() ? "verify-" : "");
    }
}
