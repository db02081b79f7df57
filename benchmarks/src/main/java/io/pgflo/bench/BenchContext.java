package io.pgflo.bench;

import static java.util.Objects.requireNonNull;

import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/** What contenders share in one benchmark run: the options, pg_flo, the target server, the webhook receiver. */
final class BenchContext implements AutoCloseable {
    private final BenchOptions options;
    private final PgFloJar pgFlo;
    private PgFloJar baselinePgFlo;
    private final Optional<Path> serverBinDirectory;
    private TestPostgres target;
    private WebhookReceiver receiver;
    private Optional<Path> recvLogical;

    BenchContext(BenchOptions options, PgFloJar pgFlo, Optional<Path> serverBinDirectory) {
        this.options = requireNonNull(options, "options is null");
        this.pgFlo = requireNonNull(pgFlo, "pgFlo is null");
        this.serverBinDirectory = requireNonNull(serverBinDirectory, "serverBinDirectory is null");
    }

    BenchOptions options() {
        return options;
    }

    PgFloJar pgFlo() {
        return pgFlo;
    }

    /** The {@code --baseline-jar}'s snapshot, when the run has one. */
    PgFloJar baselinePgFlo() {
        return requireNonNull(baselinePgFlo, "no --baseline-jar in this run");
    }

    void baselinePgFlo(PgFloJar baseline) {
        this.baselinePgFlo = baseline;
    }

    /**
     * The target server for the PostgreSQL contenders: a second embedded server, started and primed on first use.
     *
     * <p>Primed, because a new server makes its first writer pay for what later writers get for free: each WAL segment
     * it fills is a new file, zero-filled first ({@code wal_init_zero}), where later ones are recycled at a checkpoint;
     * and each shared buffer it touches first is a page fault. On the bulk million that was 1 to 1.4 CPU s more in the
     * target backend of whichever contender ran first (4.9 s against 3.5 to 3.9 for pg_flo, 5.5 against 4.3 to 4.6 for
     * native), so the order of the contenders decided the ratio. A server in production is past all that.
     */
    synchronized TestPostgres target() {
        if (target == null) {
            System.err.println("starting the target PostgreSQL...");
            target = TestPostgres.start();
            prime(target);
        }
        return target;
    }

    /**
     * Writes and drops as many rows as the largest workload writes, then checkpoints, so that the WAL segments the
     * contenders fill exist already and are recycled, and the shared buffers have been touched.
     */
    private void prime(TestPostgres server) {
        long rows = options.workloads().stream().mapToLong(Workload::events).max().orElse(0);
        long started = System.nanoTime();
        String name = server.createDatabase("bench_prime");
        Database database = new Database(server.endpoint(name));
        database.execute(BenchTable.CREATE, BenchTable.insertRange("1", Long.toString(rows)));
        server.dropDatabase(name);
        checkpointTarget();
        System.err.printf(Locale.ROOT, "target primed with %,d rows in %.1f s%n", rows, (System.nanoTime() - started) / 1e9);
    }

    /**
     * A checkpoint on the target, before each contender that writes into it: the dirty buffers and the WAL of the one
     * before are then written out before its clock starts, not during it.
     */
    synchronized void checkpointTarget() {
        if (target != null) {
            new Database(target.endpoint("postgres")).execute("CHECKPOINT");
        }
    }

    synchronized WebhookReceiver receiver() {
        if (receiver == null) {
            try {
                receiver = new WebhookReceiver();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the webhook receiver on 127.0.0.1", e);
            }
        }
        return receiver;
    }

    /**
     * {@code pg_recvlogical}: the real binary under {@code /usr/lib/postgresql/<newest>/bin} (Debian's
     * {@code /usr/bin} one is a wrapper script), else the embedded server's binaries (zonky's bundle has none
     * today), else the {@code PATH}.
     */
    synchronized Optional<Path> recvLogical() {
        if (recvLogical == null) {
            List<Path> candidates = new ArrayList<>();
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (Stream<Path> versions = Files.list(debian)) {
                    versions.sorted(Comparator.comparing(BenchContext::versionOf).reversed())
                            .forEach(version -> candidates.add(version.resolve("bin/pg_recvlogical")));
                } catch (IOException ignored) {
                    // Not readable: try the others.
                }
            }
            serverBinDirectory.ifPresent(directory -> candidates.add(directory.resolve("pg_recvlogical")));
            for (String directory : System.getenv().getOrDefault("PATH", "").split(":")) {
                if (!directory.isEmpty()) {
                    candidates.add(Path.of(directory, "pg_recvlogical"));
                }
            }
            recvLogical = candidates.stream().filter(Files::isExecutable).findFirst();
        }
        return recvLogical;
    }

    private static int versionOf(Path directory) {
        try {
            return Integer.parseInt(directory.getFileName().toString().replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (receiver != null) {
            receiver.close();
        }
        if (target != null) {
            target.close();
        }
    }
}
