package io.pgflo.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The harness's command line.
 *
 * @param workloads the workloads to run, in order
 * @param contenders the contender ids to run, in order
 * @param sourceUrl a JDBC URL of the source database, or null for an embedded server of our own
 * @param pgFloJar the shaded pg_flo.jar under test
 * @param resultsDirectory where the JSON results go ({@code benchmarks/results})
 * @param workDirectory where each run's logs and output go ({@code benchmarks/target/bench-runs})
 * @param heaps pg_flo's heaps: each pg_flo contender runs once per heap ({@link #heapOptions})
 * @param webhookBatchSize the batch size of the webhook batch-mode contender
 * @param profile run pg_flo under JFR and summarize where its time goes
 * @param verify count what stdout delivers too (to a file instead of /dev/null)
 * @param keepOutput keep file sink output and target databases after the run
 * @param timeout the longest one contender may take
 * @param extraJvmArgs more JVM flags for pg_flo
 * @param writeLatest also write {@code results/latest.json} (not for profiling, smoke or other-heap runs)
 * @param repository the pg_flo repository ({@code ./mvnw}, {@code ./pg_flo}, {@code benchmarks/target})
 * @param repeat how many times the whole run is made
 * @param cds whether the {@code pg_flo} launcher may use its class-data-sharing archive (off: plain class loading)
 * @param baselineJar another pg_flo.jar whose contenders run beside {@code pgFloJar}'s on the same WAL, or null
 */
record BenchOptions(
        List<Workload> workloads,
        List<String> contenders,
        String sourceUrl,
        Path pgFloJar,
        Path resultsDirectory,
        Path workDirectory,
        List<String> heaps,
        int webhookBatchSize,
        boolean profile,
        boolean verify,
        boolean keepOutput,
        Duration timeout,
        List<String> extraJvmArgs,
        boolean writeLatest,
        Path repository,
        int repeat,
        boolean cds,
        Path baselineJar) {

    /** The contenders of a run without {@code --contenders}. */
    static final List<String> ALL_CONTENDERS = List.of("recvlogical", "stdout", "file", "webhook", "webhook-batch", "postgres", "native");
    /**
     * Every contender {@code --contenders} takes: the default ones, and those that run only when asked for: Debezium
     * Server (a 781 MB distribution, and at a fraction of pg_flo's rate it would double a default run's time) and
     * the file sink with its metrics endpoint scraped, and with five rules (what each costs, against the file row).
     */
    static final List<String> KNOWN_CONTENDERS = List.of("recvlogical", "stdout", "file", "webhook", "webhook-batch", "postgres",
            "native", "debezium", "file-metrics", "file-rules", "nats-file", "nats-publish", "recvlogical-binary");
    static final long DEFAULT_ROWS = 1_000_000;
    static final long DEFAULT_TRANSACTIONS = 100_000;
    static final String DEFAULT_HEAP = "512m";
    /** What the JVM takes without a heap option on JDK 17: a quarter of the machine's memory. */
    static final String JVM_HEAP_OPTION = "-XX:MaxRAMPercentage=25";

    static final String USAGE = """
            Usage: ./bench [--workload bulk|oltp|both|copy] [--rows N] [--transactions N] [--contenders LIST]
                           [--source-url JDBC_URL] [--heap 512m[,...]] [--webhook-batch-size 500] [--profile] [--verify]
                           [--keep-output] [--timeout SECONDS] [--pg-flo-jar PATH] [--jvm-arg ARG]... [--repeat N]
                           [--no-cds] [--baseline-jar PATH]
                   ./bench --jmh [JMH options]        microbenchmarks: pgoutput decoding, JSON encoding
                   ./bench --jfr-summary FILE.jfr     where a recorded pg_flo spent its time

              --workload       bulk: one transaction of --rows inserts (default 1,000,000);
                               oltp: --transactions transactions of 6 inserts, 3 updates, 1 delete (default 100,000);
                               both: bulk, then oltp.                                       (default bulk)
                               copy: an initial copy of --rows rows (default 5,000,000) by pgdump,postgres,
                               psql-json,file (--contenders), --copy-workers N (4); see benchmarks/README.md
              --contenders     comma-separated, in order; default all but debezium:
                               recvlogical,stdout,file,webhook,webhook-batch,postgres,native
                               debezium: Debezium Server's HTTP sink, one request per event, for the webhook
                               target (e.g. --contenders recvlogical,webhook,debezium)
                               file-metrics: the file sink with --metrics-port, scraped every second (its
                               cost: --contenders recvlogical,file,file-metrics)
                               file-rules: the file sink with five rules, one of each kind (their cost)
                               nats-file: pg_flo replicator, JetStream (a nats-server of its own, file storage)
                               and pg_flo worker file, end to end; nats-publish: the replicator alone
              --source-url     a source database to use instead of an embedded server (wal_level=logical, a user
                               with REPLICATION); the harness creates and drops public.pg_flo_bench_events there
              --heap           pg_flo's heap: a size for -Xmx (default 512m), launcher (no heap option: the
                               launcher's default) or jvm (-XX:MaxRAMPercentage=25, the JVM's own limit). Several,
                               comma-separated: each pg_flo contender runs once per heap, on the same WAL
              --profile        pg_flo under JFR on the bulk workload (recvlogical,stdout,file unless --contenders),
                               then a summary of hot methods into benchmarks/results/profile-latest.md
              --verify         also count stdout's events (to a file instead of /dev/null)
              --repeat         the whole run N times, the contenders in reverse order every second time, then how
                               often each target was met and the median of each contender's rate: this machine's
                               speed drifts between minutes, and contenders run one after the other
              --baseline-jar   another pg_flo.jar (an earlier build): each pg_flo contender runs once more with it,
                               as <id>@baseline, on the same WAL, for an A/B within one run
              --no-cds         start pg_flo without the launcher's class-data-sharing archive (to see what it saves)
            """;

    static BenchOptions parse(String[] args, Path repository) {
        String workload = "bulk";
        long rows = DEFAULT_ROWS;
        long transactions = DEFAULT_TRANSACTIONS;
        List<String> contenders = null;
        String sourceUrl = null;
        Path jar = repository.resolve("app-cli/target/pg_flo.jar");
        Path results = repository.resolve("benchmarks/results");
        Path work = repository.resolve("benchmarks/target/bench-runs");
        List<String> heaps = List.of(DEFAULT_HEAP);
        int batchSize = 500;
        boolean profile = false;
        boolean verify = false;
        boolean cds = true;
        boolean keep = false;
        long timeoutSeconds = 1800;
        int repeat = 1;
        List<String> jvmArgs = new ArrayList<>();
        Path baseline = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                value = arg.substring(equals + 1);
                arg = arg.substring(0, equals);
            }
            switch (arg) {
                case "--profile" -> profile = true;
                case "--verify" -> verify = true;
                case "--keep-output" -> keep = true;
                case "--no-cds" -> cds = false;
                case "--help", "-h" -> throw new UsageException(null);
                default -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(arg + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (arg) {
                        case "--workload" -> workload = value;
                        case "--rows" -> rows = parseCount(arg, value);
                        case "--transactions" -> transactions = parseCount(arg, value);
                        case "--contenders" -> contenders = Arrays.stream(value.split(",")).map(String::trim)
                                .filter(s -> !s.isEmpty()).toList();
                        case "--source-url" -> sourceUrl = value;
                        case "--pg-flo-jar" -> jar = Path.of(value);
                        case "--baseline-jar" -> baseline = Path.of(value);
                        case "--results-dir" -> results = Path.of(value);
                        case "--work-dir" -> work = Path.of(value);
                        case "--heap" -> heaps = parseHeaps(value);
                        case "--webhook-batch-size" -> batchSize = (int) parseCount(arg, value);
                        case "--timeout" -> timeoutSeconds = parseCount(arg, value);
                        case "--jvm-arg" -> {
                            if (value.chars().anyMatch(Character::isWhitespace)) {
                                throw new UsageException("--jvm-arg '" + value + "' holds whitespace, which the pg_flo "
                                        + "launcher's PGFLO_JAVA_OPTS cannot carry; pass one option per --jvm-arg");
                            }
                            jvmArgs.add(value);
                        }
                        case "--repeat" -> repeat = (int) Math.min(parseCount(arg, value), 100);
                        default -> throw new UsageException("unknown option " + arg);
                    }
                }
            }
        }
        List<Workload> workloads = switch (workload) {
            case "bulk" -> List.of(new Workload.Bulk(rows));
            case "oltp" -> List.of(new Workload.Oltp(transactions));
            case "both" -> List.of(new Workload.Bulk(rows), new Workload.Oltp(transactions));
            default -> throw new UsageException("--workload must be bulk, oltp or both, not '" + workload + "'");
        };
        if (contenders == null) {
            contenders = profile ? List.of("recvlogical", "stdout", "file") : ALL_CONTENDERS;
        }
        for (String contender : contenders) {
            if (!KNOWN_CONTENDERS.contains(contender)) {
                throw new UsageException("unknown contender '" + contender + "'; choose from " + String.join(",", KNOWN_CONTENDERS));
            }
        }
        return new BenchOptions(workloads, contenders, sourceUrl, jar, results, work, heaps, batchSize, profile, verify,
                keep, Duration.ofSeconds(timeoutSeconds), List.copyOf(jvmArgs),
                !profile && !verify && cds && heaps.equals(List.of(DEFAULT_HEAP)) && baseline == null, repository, repeat,
                cds, baseline);
    }

    /** The same run with the contenders, and each one's heaps, in the opposite order (for {@code --repeat}). */
    BenchOptions reversed() {
        List<String> order = new ArrayList<>(contenders);
        Collections.reverse(order);
        List<String> heapOrder = new ArrayList<>(heaps);
        Collections.reverse(heapOrder);
        return new BenchOptions(workloads, List.copyOf(order), sourceUrl, pgFloJar, resultsDirectory, workDirectory,
                List.copyOf(heapOrder),
                webhookBatchSize, profile, verify, keepOutput, timeout, extraJvmArgs, writeLatest, repository, repeat, cds,
                baselineJar);
    }

    /** The JVM options for one of {@code --heap}'s values. */
    static List<String> heapOptions(String heap) {
        return switch (heap) {
            case "launcher" -> List.of();
            case "jvm" -> List.of(JVM_HEAP_OPTION);
            default -> List.of("-Xmx" + heap);
        };
    }

    /** One of {@code --heap}'s values as the results name it: -Xmx512m, launcher's heap, JVM's heap. */
    static String describeHeap(String heap) {
        return switch (heap) {
            case "launcher" -> "launcher's heap";
            case "jvm" -> "JVM's heap";
            default -> "-Xmx" + heap;
        };
    }

    /** The heaps, described, for the results. */
    String describeHeaps() {
        return String.join(", ", heaps.stream().map(BenchOptions::describeHeap).toList());
    }

    /** A heap for a JVM that needs a size (Debezium Server): the first size among the heaps, else 512m. */
    String sizedHeap() {
        return heaps.stream().filter(h -> !h.equals("launcher") && !h.equals("jvm")).findFirst().orElse(DEFAULT_HEAP);
    }

    private static List<String> parseHeaps(String value) {
        List<String> heaps = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
        if (heaps.isEmpty()) {
            throw new UsageException("--heap needs a size, launcher or jvm");
        }
        for (String heap : heaps) {
            if (!heap.equals("launcher") && !heap.equals("jvm") && !heap.matches("[0-9]+[kKmMgG]?")) {
                throw new UsageException("--heap takes sizes (512m), launcher or jvm, not '" + heap + "'");
            }
        }
        return heaps;
    }

    private static long parseCount(String option, String value) {
        try {
            long count = Long.parseLong(value.replace("_", "").replace(",", ""));
            if (count < 1) {
                throw new UsageException(option + " must be at least 1, got " + value);
            }
            return count;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a whole number, got '" + value + "'");
        }
    }

    /** A command line the harness cannot run; a null message asks for the usage text alone. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
