package io.pgflo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgflo.testkit.TestPostgres;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./bench --workload latency}: commit-to-durable latency at fixed rates. Each contender consumes a fresh source
 * database while a writer commits transactions of 10 inserts at each rate in turn (after a warm-up that is not
 * measured); after each rate the harness waits until every row is durable. A row's latency is from its commit on the
 * source ({@code track_commit_timestamp}) to when the sink made it durable: the file sink's fsync'd checkpoint
 * covering it, the webhook receiver's arrival, the target's {@code ALWAYS} trigger stamp for pg_flo's PostgreSQL
 * sink and for the native subscription alike. All clocks are the one machine's.
 */
final class LatencyBenchmark {
    static final List<String> CONTENDERS = List.of("file", "postgres", "webhook", "webhook-batch", "native");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final long DRAIN_TIMEOUT_MS = 180_000;

    record Settings(List<Integer> rates, int seconds, int warmupSeconds, List<String> contenders, Path repository,
            Path jar, String heap, Path results, Path work, boolean latest) {}

    /** One contender's outcome: its segments' figures, or why it failed. */
    record Outcome(String contender, String status, List<LatencyStats> segments) {}

    private final Settings settings;
    private final PrintStream progress;
    private final String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP);

    LatencyBenchmark(Settings settings, PrintStream progress) {
        this.settings = settings;
        this.progress = progress;
    }

    static int run(String[] args, Path repository) throws Exception {
        Settings settings;
        try {
            settings = parse(args, repository);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        List<Outcome> outcomes = new LatencyBenchmark(settings, System.err).run();
        return outcomes.stream().allMatch(o -> o.status().equals("ok")) ? 0 : 1;
    }

    static Settings parse(String[] args, Path repository) {
        List<Integer> rates = List.of(1_000, 5_000, 20_000);
        int seconds = 60;
        int warmup = 10;
        List<String> contenders = CONTENDERS;
        Path jar = repository.resolve("app-cli/target/pg_flo.jar");
        String heap = BenchOptions.DEFAULT_HEAP;
        Path results = repository.resolve("benchmarks/results");
        Path work = repository.resolve("benchmarks/target/bench-runs");
        boolean latest = true;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--workload", "--no-build" -> i += args[i].equals("--workload") ? 1 : 0;
                case "--rates" -> {
                    rates = Arrays.stream(required(value, "--rates").split(",")).map(Integer::parseInt).toList();
                    i++;
                }
                case "--seconds" -> { seconds = Integer.parseInt(required(value, "--seconds")); i++; }
                case "--warmup-seconds" -> { warmup = Integer.parseInt(required(value, "--warmup-seconds")); i++; }
                case "--contenders" -> { contenders = List.of(required(value, "--contenders").split(",")); i++; }
                case "--pg-flo-jar" -> { jar = Path.of(required(value, "--pg-flo-jar")); i++; }
                case "--heap" -> { heap = required(value, "--heap"); i++; }
                case "--results-dir" -> { results = Path.of(required(value, "--results-dir")); latest = false; i++; }
                case "--work-dir" -> { work = Path.of(required(value, "--work-dir")); i++; }
                default -> throw new IllegalArgumentException("--workload latency takes --rates, --seconds, "
                        + "--warmup-seconds, --contenders (" + String.join(",", CONTENDERS) + "), --pg-flo-jar, "
                        + "--heap, --results-dir, --work-dir; not " + args[i]);
            }
        }
        if (!CONTENDERS.containsAll(contenders)) {
            throw new IllegalArgumentException("latency contenders are " + String.join(",", CONTENDERS) + "; not "
                    + String.join(",", contenders));
        }
        if (rates.isEmpty() || rates.stream().anyMatch(r -> r <= 0) || seconds <= 0 || warmup <= 0) {
            throw new IllegalArgumentException("--rates, --seconds and --warmup-seconds must be positive");
        }
        return new Settings(rates, seconds, warmup, contenders, repository, jar, heap, results, work, latest);
    }

    private static String required(String value, String option) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }

    List<Outcome> run() throws Exception {
        System.setProperty("PGFLO_TEST_POSTGRES", "embedded");
        List<LatencySegment> segments = new ArrayList<>();
        LatencySegment previous = LatencySegment.after(null, "warm-up", settings.rates().get(0), settings.warmupSeconds());
        segments.add(previous);
        for (int rate : settings.rates()) {
            previous = LatencySegment.after(previous, String.format(Locale.ROOT, "%,d/s", rate), rate, settings.seconds());
            segments.add(previous);
        }
        Path work = settings.work().resolve(timestamp).resolve("latency");
        Files.createDirectories(work);
        List<Outcome> outcomes = new ArrayList<>();
        try (TestPostgres source = TestPostgres.start(); TestPostgres target = TestPostgres.start()) {
            source.execute("postgres", "ALTER SYSTEM SET track_commit_timestamp = on");
            source.restart();
            PgFloJar pgFlo = PgFloJar.snapshot(settings.jar(), settings.repository().resolve("pg_flo"), work, true);
            pgFlo.sinks(); // the launcher makes its class-data archive here, before any clock starts
            for (String id : settings.contenders()) {
                outcomes.add(measure(id, source, target, pgFlo, work.resolve(id), segments));
            }
        }
        print(outcomes);
        write(outcomes);
        return outcomes;
    }

    private Outcome measure(String id, TestPostgres source, TestPostgres target, PgFloJar pgFlo, Path directory,
            List<LatencySegment> segments) throws Exception {
        Files.createDirectories(directory);
        String db = source.createDatabase("latency_" + id.replace('-', '_'));
        source.execute(db, LatencyTable.CREATE);
        LatencyContext context = new LatencyContext(source, db, target, pgFlo, settings.heap(), directory,
                segments.get(segments.size() - 1).lastId());
        List<LatencyStats> stats = new ArrayList<>();
        String status = "ok";
        progress.printf("%-13s starting...%n", id);
        try (LatencyContender contender = contender(id); Connection connection = source.connect(db)) {
            contender.start(context);
            LatencyWriter writer = new LatencyWriter(connection);
            for (LatencySegment segment : segments) {
                double seconds = writer.write(segment);
                String drained = drain(contender, segment);
                if (!drained.isEmpty()) {
                    status = drained;
                    progress.printf("%-13s %s: %s%n", id, segment.name(), drained);
                    break;
                }
                if (segment != segments.get(0)) {
                    LatencyStats figures = figures(id, segment, seconds, source, db, contender.arrivals(segment));
                    stats.add(figures);
                    progress.printf(Locale.ROOT, "%-13s %-9s written at %,.0f/s: p50 %.1f ms, p95 %.1f ms, "
                            + "p99 %.1f ms, max %.1f ms%n", id, segment.name(), figures.achievedRate(),
                            figures.p50Ms(), figures.p95Ms(), figures.p99Ms(), figures.maxMs());
                }
            }
        } catch (Exception e) {
            status = "FAILED: " + e.getMessage();
            progress.printf("%-13s %s%n", id, status);
        } finally {
            source.dropDatabase(db);
        }
        return new Outcome(id, status, stats);
    }

    private static LatencyContender contender(String id) {
        return switch (id) {
            case "file" -> new FileLatencyContender();
            case "postgres" -> new PostgresLatencyContender();
            case "webhook" -> new WebhookLatencyContender(1);
            case "webhook-batch" -> new WebhookLatencyContender(500);
            case "native" -> new NativeLatencyContender();
            default -> throw new IllegalArgumentException("unknown latency contender " + id);
        };
    }

    /** Waits until every row of {@code segment} is durable; empty when it is, else what went wrong. */
    private static String drain(LatencyContender contender, LatencySegment segment) throws Exception {
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MS;
        while (true) {
            long durable = contender.durable(segment);
            if (durable >= segment.rows()) {
                return "";
            }
            String failure = contender.failure();
            if (!failure.isEmpty()) {
                return "FAILED: " + failure;
            }
            if (System.currentTimeMillis() > deadline) {
                return "FAILED: " + durable + " of " + segment.rows() + " rows durable " + DRAIN_TIMEOUT_MS / 1000
                        + " s after the writer finished";
            }
            Thread.sleep(20);
        }
    }

    private static LatencyStats figures(String id, LatencySegment segment, double seconds, TestPostgres source,
            String db, Arrivals arrivals) throws Exception {
        long[] latencies = new long[Math.toIntExact(segment.rows())];
        int n = 0;
        try (Connection connection = source.connect(db);
                PreparedStatement committed = connection.prepareStatement(LatencyTable.COMMIT_TIMES)) {
            connection.setAutoCommit(false);
            committed.setFetchSize(50_000);
            committed.setLong(1, segment.firstId());
            committed.setLong(2, segment.lastId());
            try (ResultSet rows = committed.executeQuery()) {
                while (rows.next()) {
                    long arrived = arrivals.at(rows.getLong(1));
                    if (arrived != 0) {
                        latencies[n++] = arrived - rows.getLong(2);
                    }
                }
            }
        }
        return LatencyStats.of(id, segment, seconds, latencies, n);
    }

    private void print(List<Outcome> outcomes) {
        Map<Integer, LatencyStats> nativeByRate = new LinkedHashMap<>();
        outcomes.stream().filter(o -> o.contender().equals("native")).flatMap(o -> o.segments().stream())
                .forEach(s -> nativeByRate.put(s.rate(), s));
        System.out.println();
        System.out.printf("commit-to-durable latency, transactions of %d inserts, %d s per rate after a %d s warm-up%n%n",
                LatencyWriter.CHANGES_PER_TRANSACTION, settings.seconds(), settings.warmupSeconds());
        System.out.println("| contender | rate | written/s | p50 ms | p95 ms | p99 ms | max ms | p99 vs native | rows |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|");
        for (Outcome outcome : outcomes) {
            if (outcome.segments().isEmpty()) {
                System.out.printf("| %s | - | - | - | - | - | - | - | %s |%n", outcome.contender(), outcome.status());
            }
            for (LatencyStats s : outcome.segments()) {
                LatencyStats nativeFigures = nativeByRate.get(s.rate());
                String ratio = nativeFigures == null || outcome.contender().equals("native") ? "-"
                        : String.format(Locale.ROOT, "%.2fx", s.p99Ms() / nativeFigures.p99Ms());
                System.out.printf(Locale.ROOT, "| %s | %,d/s | %,.0f | %.1f | %.1f | %.1f | %.1f | %s | %s |%n",
                        outcome.contender(), s.rate(), s.achievedRate(), s.p50Ms(), s.p95Ms(), s.p99Ms(), s.maxMs(),
                        ratio, s.delivered() == s.rows() ? "all " + s.rows() : s.delivered() + " of " + s.rows());
            }
        }
    }

    private void write(List<Outcome> outcomes) throws Exception {
        Files.createDirectories(settings.results());
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("timestamp", timestamp);
        run.put("machine", MachineInfo.current());
        run.put("workload", "transactions of " + LatencyWriter.CHANGES_PER_TRANSACTION + " inserts at " + settings.rates()
                + " changes/s, " + settings.seconds() + " s each after a " + settings.warmupSeconds() + " s warm-up");
        run.put("pg_flo", Map.of("jar", settings.jar().toString(), "git commit", GitCommit.describe(settings.jar()),
                "heap", settings.heap(), "flags", "defaults"));
        run.put("results", outcomes);
        Path file = settings.results().resolve("latency-" + timestamp + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), run);
        if (settings.latest()) {
            Files.copy(file, settings.results().resolve("latency-latest.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        progress.println("results: " + file);
    }
}
