package io.pgflo.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code ./bench --workload copy}: an initial copy of an existing table, against the tools a user would otherwise
 * reach for. The source table is the benchmark table with one secondary index, filled before any clock starts; each
 * contender then runs once, timed from its start until it exits (the copy complete and durable), under
 * {@code /usr/bin/time} for peak RSS and CPU:
 *
 * <ul>
 *   <li>{@code pgdump}: {@code pg_dump --data-only -t T | psql} into a fresh target database with the same empty
 *       table and indexes;</li>
 *   <li>{@code postgres}: {@code pg_flo stream postgres --copy} into another such database;</li>
 *   <li>{@code psql-json}: {@code psql -c "\copy (select to_jsonb(t) from T t) to 'FILE'"};</li>
 *   <li>{@code file}: {@code pg_flo stream file --copy} (JSON lines, fsync'd).</li>
 * </ul>
 * The target server is primed first (a scratch database as large as the table, written and dropped), and
 * checkpointed before each contender that writes into it, as the streaming workloads do.
 */
final class CopyBenchmark {
    static final List<String> CONTENDERS = List.of("pgdump", "postgres", "psql-json", "file");
    private static final String INDEX = "CREATE INDEX pg_flo_bench_events_created ON " + BenchTable.QUALIFIED
            + " (created_at)";
    private static final long INSERT_STEP = 500_000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    /** One contender's figures. */
    record Result(String contender, String command, String status, double wallSeconds, double rowsPerSecond,
            Double cpuSeconds, Long peakRssMb, Long peakHeapMb, String check) {}

    private final long rows;
    private final List<String> contenders;
    private final Path jar;
    private final Path repository;
    private final String heap;
    private final int workers;
    private final Path results;
    private final PrintStream progress = System.err;
    private final String timestamp = ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP);

    private CopyBenchmark(long rows, List<String> contenders, Path jar, Path repository, String heap, int workers,
            Path results) {
        this.rows = rows;
        this.contenders = contenders;
        this.jar = jar;
        this.repository = repository;
        this.heap = heap;
        this.workers = workers;
        this.results = results;
    }

    /** Parses {@code --rows}, {@code --contenders}, {@code --pg-flo-jar}, {@code --heap}, {@code --copy-workers}. */
    static int run(String[] args, Path repository) throws Exception {
        long rows = 5_000_000;
        List<String> contenders = CONTENDERS;
        Path jar = repository.resolve("app-cli/target/pg_flo.jar");
        String heap = BenchOptions.DEFAULT_HEAP;
        int workers = 4;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--workload" -> i++;
                case "--no-build" -> { }
                case "--rows" -> rows = Long.parseLong(args[++i].replace("_", "").replace(",", ""));
                case "--contenders" -> contenders = List.of(args[++i].split(","));
                case "--pg-flo-jar" -> jar = Path.of(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--copy-workers" -> workers = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("bench: --workload copy takes --rows, --contenders (" + String.join(",",
                            CONTENDERS) + "), --pg-flo-jar, --heap, --copy-workers; not " + args[i]);
                    return 2;
                }
            }
        }
        if (!CONTENDERS.containsAll(contenders)) {
            System.err.println("bench: copy contenders are " + String.join(",", CONTENDERS));
            return 2;
        }
        return new CopyBenchmark(rows, contenders, jar, repository, heap, workers,
                repository.resolve("benchmarks/results")).run();
    }

    private int run() throws Exception {
        System.setProperty("PGFLO_TEST_POSTGRES", "embedded");
        Path work = repository.resolve("benchmarks/target/bench-runs").resolve(timestamp).resolve("copy");
        Files.createDirectories(work);
        List<Result> all = new ArrayList<>();
        String size;
        String server;
        try (TestPostgres source = TestPostgres.start(); TestPostgres target = TestPostgres.start()) {
            String db = source.createDatabase("bench_copy");
            progress.printf("writing %,d rows into the source...%n", rows);
            long started = System.nanoTime();
            fill(source, db);
            size = source.queryString(db, "SELECT pg_size_pretty(pg_total_relation_size('" + BenchTable.QUALIFIED
                    + "'))");
            server = source.queryString(db, "SHOW server_version");
            String expected = source.queryString(db, BenchTable.FINGERPRINT);
            progress.printf("source table: %s with its indexes, written in %.0f s; priming the target...%n", size,
                    (System.nanoTime() - started) / 1e9);
            String scratch = target.createDatabase("prime");
            fill(target, scratch);
            target.dropDatabase(scratch);
            target.execute("postgres", "CHECKPOINT");
            PgFloJar pgFlo = PgFloJar.snapshot(jar, repository.resolve("pg_flo"), work, true);
            pgFlo.sinks(); // the launcher makes its class-data archive here, before any clock starts
            for (String contender : contenders) {
                Path directory = work.resolve(contender);
                Files.createDirectories(directory);
                String targetDb = null;
                if (contender.equals("pgdump") || contender.equals("postgres")) {
                    targetDb = target.createDatabase("copy_" + contender.replace('-', '_'));
                    target.execute(targetDb, BenchTable.CREATE, INDEX);
                    target.execute("postgres", "CHECKPOINT");
                }
                progress.printf("%-10s copying...%n", contender);
                Result result = measure(contender, pgFlo, source.endpoint(db), targetDb == null ? null
                        : target.endpoint(targetDb), directory);
                String check = check(contender, target, targetDb, directory, expected);
                result = new Result(result.contender(), result.command(), check.isEmpty() ? result.status() : "FAILED",
                        result.wallSeconds(), result.rowsPerSecond(), result.cpuSeconds(), result.peakRssMb(),
                        result.peakHeapMb(), check.isEmpty() ? "complete: " + rows + " rows" : check);
                progress.printf("%-10s %.1f s, %,.0f rows/s, %s%n", contender, result.wallSeconds(),
                        result.rowsPerSecond(), result.check());
                all.add(result);
                if (targetDb != null) {
                    target.dropDatabase(targetDb);
                }
                deleteTree(directory.resolve("out"));
            }
        }
        print(all, size);
        write(all, size, server);
        return all.stream().allMatch(r -> r.status().equals("ok")) ? 0 : 1;
    }

    private void fill(TestPostgres server, String db) {
        server.execute(db, BenchTable.CREATE, INDEX);
        for (long from = 1; from <= rows; from += INSERT_STEP) {
            server.execute(db, BenchTable.insertRange(Long.toString(from), Long.toString(Math.min(rows,
                    from + INSERT_STEP - 1))));
        }
        server.execute(db, "VACUUM ANALYZE " + BenchTable.QUALIFIED, "CHECKPOINT");
    }

    private Result measure(String contender, PgFloJar pgFlo, DatabaseEndpoint source, DatabaseEndpoint target,
            Path directory) throws Exception {
        Map<String, String> environment = new HashMap<>();
        environment.put("PGPASSWORD", source.password() == null ? "" : source.password());
        List<String> command;
        Path gcLog = directory.resolve("gc.log");
        switch (contender) {
            case "pgdump" -> command = List.of("bash", "-c", "pg_dump --data-only -t " + BenchTable.QUALIFIED
                    + connection(source) + " | psql -q -v ON_ERROR_STOP=1 -o /dev/null" + connection(target));
            case "psql-json" -> command = List.of("psql", "-q", "-v", "ON_ERROR_STOP=1", "-h", source.host(), "-p",
                    Integer.toString(source.port()), "-U", source.user(), "-d", source.database(), "-c",
                    "\\copy (select to_jsonb(t) from " + BenchTable.QUALIFIED + " t) to '"
                            + directory.resolve("out").resolve("rows.json") + "'");
            default -> {
                List<String> args = new ArrayList<>(List.of("stream", contender.equals("postgres") ? "postgres" : "file",
                        "--host", source.host(), "--port", Integer.toString(source.port()), "--dbname",
                        source.database(), "--user", source.user(), "--group", "bench_copy_" + contender,
                        "--tables", BenchTable.NAME, "--schema", BenchTable.SCHEMA, "--status-dir",
                        directory.resolve("status").toString(), "--copy", "--max-copy-workers-per-table",
                        Integer.toString(workers), "--progress-interval", "0"));
                if (contender.equals("postgres")) {
                    args.addAll(List.of("--target-host", target.host(), "--target-port", Integer.toString(target.port()),
                            "--target-dbname", target.database(), "--target-user", target.user(), "--track-ddl",
                            "false"));
                    environment.put("PGFLO_TARGET_PASSWORD", target.password() == null ? "" : target.password());
                } else {
                    args.addAll(List.of("--output-dir", directory.resolve("out").toString()));
                }
                environment.put("PGFLO_PASSWORD", source.password() == null ? "" : source.password());
                List<String> jvm = new ArrayList<>(BenchOptions.heapOptions(heap));
                jvm.add("-Xlog:gc:file=" + gcLog);
                environment.putAll(pgFlo.environment(jvm));
                command = pgFlo.command(args);
            }
        }
        Files.createDirectories(directory.resolve("out"));
        Path times = directory.resolve("time.txt");
        List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "%e %M %U %S", "-o", times.toString()));
        timed.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(timed).redirectErrorStream(true)
                .redirectOutput(directory.resolve("output.log").toFile());
        builder.environment().putAll(environment);
        long started = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        double wall = (System.nanoTime() - started) / 1e9;
        String[] figures = Files.readString(times).trim().lines().reduce((a, b) -> b).orElse("").split(" ");
        Long peakHeap = Files.exists(gcLog) ? GcLog.read(gcLog).peakHeapMb() : null;
        String status = process.exitValue() == 0 ? "ok" : "FAILED";
        return new Result(contender, String.join(" ", command).replace(source.password() == null ? "\0"
                : source.password(), "***"), status, wall, rows / wall,
                Double.parseDouble(figures[2]) + Double.parseDouble(figures[3]),
                Math.round(Long.parseLong(figures[1]) / 1024.0), peakHeap, status.equals("ok") ? ""
                : "exit " + process.exitValue() + ", see " + directory.resolve("output.log"));
    }

    private static String connection(DatabaseEndpoint endpoint) {
        return " -h " + endpoint.host() + " -p " + endpoint.port() + " -U " + endpoint.user() + " -d "
                + endpoint.database();
    }

    /** Empty when the contender delivered every row; else what is wrong. */
    private String check(String contender, TestPostgres target, String targetDb, Path directory, String expected)
            throws IOException {
        if (targetDb != null) {
            String actual = target.queryString(targetDb, BenchTable.FINGERPRINT);
            return actual.equals(expected) ? "" : "target holds " + actual + ", source " + expected;
        }
        long lines = 0;
        try (Stream<Path> files = Files.walk(directory.resolve("out"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                try (Stream<String> content = Files.lines(file)) {
                    lines += content.filter(line -> !line.contains("\"COPY_DONE\"")).count();
                }
            }
        }
        return lines == rows ? "" : lines + " rows written, " + rows + " expected";
    }

    private void print(List<Result> all, String size) {
        Map<String, Result> by = new LinkedHashMap<>();
        all.forEach(r -> by.put(r.contender(), r));
        System.out.println();
        System.out.printf("copy of %,d rows (%s with a primary key and one secondary index)%n%n", rows, size);
        System.out.println("| contender | wall s | rows/s | vs baseline | cpu s | RSS MB | heap MB | check |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (Result r : all) {
            String baseline = r.contender().equals("postgres") ? "pgdump" : r.contender().equals("file") ? "psql-json"
                    : null;
            String ratio = baseline != null && by.containsKey(baseline)
                    ? String.format(Locale.ROOT, "%.2fx %s", by.get(baseline).wallSeconds() / r.wallSeconds(), baseline)
                    : "-";
            System.out.printf(Locale.ROOT, "| %s | %.1f | %,.0f | %s | %.1f | %d | %s | %s |%n", r.contender(),
                    r.wallSeconds(), r.rowsPerSecond(), ratio, r.cpuSeconds(), r.peakRssMb(),
                    r.peakHeapMb() == null ? "-" : r.peakHeapMb().toString(), r.check());
        }
    }

    private void write(List<Result> all, String size, String server) throws IOException {
        Files.createDirectories(results);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("timestamp", timestamp);
        run.put("machine", MachineInfo.current());
        run.put("server", server);
        run.put("workload", "copy of " + rows + " rows of " + BenchTable.QUALIFIED + " (" + size
                + " with a primary key and one secondary index)");
        run.put("pg_flo", Map.of("jar", jar.toString(), "git commit", GitCommit.describe(jar), "heap", heap,
                "copy workers", workers));
        run.put("results", all);
        Path file = results.resolve("copy-" + timestamp + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), run);
        Files.copy(file, results.resolve("copy-latest.json"), StandardCopyOption.REPLACE_EXISTING);
        progress.println("results: " + file);
    }

    private static void deleteTree(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
