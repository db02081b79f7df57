package io.pgflo.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./bench} entry point: runs the end-to-end benchmark and prints the results table, or summarizes a JFR
 * recording ({@code --jfr-summary FILE}). The JMH microbenchmarks have JMH's own main, {@code org.openjdk.jmh.Main}.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--jfr-summary")) {
            if (args.length == 1) {
                System.err.println("--jfr-summary needs a .jfr file");
                return 2;
            }
            for (int i = 1; i < args.length; i++) {
                System.out.println(JfrSummary.summarize(Path.of(args[i])));
            }
            return 0;
        }
        Path repository = Path.of(System.getProperty("pgflo.repository", ".")).toAbsolutePath().normalize();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--workload") && args[i + 1].equals("copy")) {
                return CopyBenchmark.run(args, repository);
            }
            if (args[i].equals("--workload") && args[i + 1].equals("latency")) {
                return LatencyBenchmark.run(args, repository);
            }
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args, repository);
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() == null) {
                System.out.print(BenchOptions.USAGE);
                return 0;
            }
            System.err.println("bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            return 2;
        }
        boolean failed = false;
        List<List<ContenderResult>> runs = new ArrayList<>();
        for (int repetition = 0; repetition < options.repeat(); repetition++) {
            BenchOptions these = repetition % 2 == 1 ? options.reversed() : options;
            if (options.repeat() > 1) {
                System.err.println("run " + (repetition + 1) + " of " + options.repeat() + ": " + String.join(",", these.contenders()));
            }
            List<ContenderResult> results = runOnce(these, repository);
            runs.add(results);
            failed |= results.stream().anyMatch(r -> r.status().equals(ContenderResult.FAILED));
        }
        if (runs.size() > 1) {
            System.out.println();
            System.out.println(runs.size() + " runs, every second one with the contenders in reverse order:");
            System.out.println();
            System.out.print(RepeatSummary.render(runs));
        }
        return failed ? 1 : 0;
    }

    private static List<ContenderResult> runOnce(BenchOptions options, Path repository) throws Exception {
        BenchmarkRun run = new BenchmarkRun(options, System.err);
        List<ContenderResult> results = run.run();
        System.out.println();
        System.out.println("Machine: " + MachineInfo.current().describe());
        System.out.println("pg_flo: " + options.describeHeaps() + (options.profile() ? " with JFR" : "")
                + "; wall = launch until the slot confirmed the end; start = until the slot was active;"
                + " stream ev/s = events / (wall - start)");
        System.out.println();
        System.out.print(ResultsTable.render(results));
        Path json = run.writeResults(results);
        System.out.println();
        System.out.println("results: " + repository.relativize(json.toAbsolutePath()) + "; logs: "
                + repository.relativize(run.runDirectory().toAbsolutePath()));
        if (options.profile()) {
            writeProfile(options, run, results);
        }
        return results;
    }

    private static void writeProfile(BenchOptions options, BenchmarkRun run, List<ContenderResult> results) throws IOException {
        StringBuilder profile = new StringBuilder("# pg_flo profile, " + run.timestamp() + "\n\n"
                + "Machine: " + MachineInfo.current().describe() + "\n\n");
        for (ContenderResult result : results) {
            Path recording = result.workDirectory() == null ? null : Path.of(result.workDirectory(), "pg_flo.jfr");
            if (recording == null || !Files.exists(recording)) {
                continue;
            }
            profile.append("## ").append(result.contender()).append(", ").append(result.workload()).append(" (")
                    .append(String.format(java.util.Locale.ROOT, "%,d events", result.events()))
                    .append(result.ok() ? String.format(java.util.Locale.ROOT, ", %.2f s, %,.0f events/s",
                            result.wallSeconds(), result.eventsPerSecond()) : ", " + result.status())
                    .append(")\n\n```\n").append(JfrSummary.summarize(recording)).append("```\n\n");
        }
        Path file = options.resultsDirectory().resolve("profile-" + run.timestamp() + ".md");
        Files.createDirectories(file.getParent());
        Files.writeString(file, profile);
        Files.copy(file, options.resultsDirectory().resolve("profile-latest.md"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println();
        System.out.print(profile);
        System.out.println("profile: " + file);
    }
}
