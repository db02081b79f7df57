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
import java.util.Optional;
import java.util.stream.Stream;

/** What contenders share in one benchmark run: the options, pg_flo, the target server, the webhook receiver. */
final class BenchContext implements AutoCloseable {
    private final BenchOptions options;
    private final PgFloJar pgFlo;
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

    /** The target server for the PostgreSQL contenders: a second embedded server, started on first use. */
    synchronized TestPostgres target() {
        if (target == null) {
            System.err.println("starting the target PostgreSQL...");
            target = TestPostgres.start();
        }
        return target;
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
