package io.pgflo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server from zonky's bundled binaries, driven with {@code initdb} and {@code pg_ctl} directly.
 *
 * <p>Each server gets an instance directory under {@code <work>/instances/} holding its data directory, its server
 * log and the output of the commands we ran. The instance directory names the JVM that owns it, so the next JVM to
 * start a server stops and deletes servers whose JVM died without closing them (a killed Surefire fork, a Ctrl-C).
 * The port is chosen once and passed on every start, which is what lets {@link #restart()} come back on the same port.
 */
final class EmbeddedPostgresServer implements PostgresServer {
    private static final System.Logger LOG = System.getLogger(EmbeddedPostgresServer.class.getName());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final int PG_CTL_WAIT_SECONDS = 60;
    private static final String OWNER_FILE = "owner";

    private final Path installation;
    private final ServerAccount account;
    private final Path instanceDirectory;
    private final Path dataDirectory;
    private final Path logFile;
    private final Path commandLog;
    private final Thread shutdownHook = new Thread(this::stopAndDelete, "pgflo-testkit-embedded-postgres-stop");
    private int port;
    private boolean running;
    private boolean closed;

    private EmbeddedPostgresServer(Path installation, ServerAccount account, Path instanceDirectory) {
        this.installation = installation;
        this.account = account;
        this.instanceDirectory = instanceDirectory;
        this.dataDirectory = instanceDirectory.resolve("data");
        this.logFile = instanceDirectory.resolve("postgres.log");
        this.commandLog = instanceDirectory.resolve("commands.log");
    }

    static EmbeddedPostgresServer start() {
        long started = System.nanoTime();
        Path work = createWorkDirectory();
        ServerAccount account = ServerAccount.forThisProcess(work);
        account.checkCanReach(work);
        Path installation = PostgresBinaries.install(work);
        Path instances = work.resolve("instances");
        stopOrphans(instances, installation, account);
        Path instanceDirectory = createInstanceDirectory(instances, account);
        EmbeddedPostgresServer server = new EmbeddedPostgresServer(installation, account, instanceDirectory);
        try {
            server.initdb();
            server.firstStart();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        LOG.log(Level.INFO, () -> String.format("embedded PostgreSQL on localhost:%d as %s ready in %d ms (%s)",
                server.port, account.describe(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started),
                server.instanceDirectory));
        return server;
    }

    @Override
    public String kind() {
        return "embedded";
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public synchronized void restart() {
        checkNotClosed();
        if (running) {
            try {
                pgCtl("stop", "-m", "fast");
            } catch (RuntimeException e) {
                // A postmaster that already died (a test killed it) leaves a stale pid file; start copes with that.
                if (postmasterAlive(dataDirectory)) {
                    throw e;
                }
            }
            running = false;
        }
        startOnPort();
    }

    @Override
    public Optional<Path> binDirectory() {
        return Optional.of(installation.resolve("bin"));
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.of(logFile);
    }

    @Override
    public void close() {
        if (stopAndDelete()) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException | IllegalArgumentException e) {
                // the JVM is already shutting down, or the hook was never added because the start failed
            }
        }
    }

    /** True if this call did the work; the shutdown hook calls it too. */
    private synchronized boolean stopAndDelete() {
        if (closed) {
            return false;
        }
        closed = true;
        // The data is deleted next, so there is no point in a clean shutdown's checkpoint.
        stopImmediately();
        FileTrees.deleteQuietly(instanceDirectory);
        return true;
    }

    private void stopImmediately() {
        if (!Files.exists(dataDirectory.resolve("postmaster.pid"))) {
            running = false;
            return;
        }
        try {
            pgCtl("stop", "-m", "immediate");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "pg_ctl stop failed for " + dataDirectory + ", killing the postmaster", e);
            killPostmaster(dataDirectory);
        }
        running = false;
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("embedded PostgreSQL on localhost:" + port + " is closed");
        }
    }

    private void initdb() {
        Path passwordFile = instanceDirectory.resolve("superuser.password");
        try {
            Files.writeString(passwordFile, ServerSettings.SUPERUSER_PASSWORD + "\n", StandardCharsets.UTF_8);
            FileTrees.setMode(passwordFile, 0600);
            account.own(passwordFile);
            // Password authentication over TCP (scram-sha-256, as in production), trust over the socket we never open.
            run(List.of(bin("initdb"), "-D", dataDirectory.toString(), "-U", ServerSettings.SUPERUSER,
                    "--pwfile=" + passwordFile, "--auth-local=trust", "--auth-host=scram-sha-256",
                    "-E", "UTF-8", "--locale=C", "--no-sync"));
            Files.writeString(dataDirectory.resolve("postgresql.conf"), configuration(), StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dataDirectory, e);
        } finally {
            try {
                Files.deleteIfExists(passwordFile);
            } catch (IOException e) {
                // it is deleted with the instance directory
            }
        }
    }

    private static String configuration() {
        StringBuilder conf = new StringBuilder("\n# pg_flo testkit\n");
        conf.append("listen_addresses = 'localhost'\n");
        // No Unix socket: its path can exceed the 107-byte limit under a long temp directory, and we only use TCP.
        conf.append("unix_socket_directories = ''\n");
        for (Map.Entry<String, String> setting : ServerSettings.POSTGRES_CONFIG.entrySet()) {
            conf.append(setting.getKey()).append(" = '").append(setting.getValue().replace("'", "''")).append("'\n");
        }
        return conf.toString();
    }

    private void firstStart() {
        // Another process can take the port between our probe and the postmaster's bind; a new port fixes that.
        for (int attempt = 1; ; attempt++) {
            port = freePort();
            try {
                startOnPort();
                return;
            } catch (RuntimeException e) {
                boolean portTaken = FileTrees.tail(logFile, 4000).contains("could not bind");
                if (!portTaken || attempt == 3) {
                    throw e;
                }
                stopImmediately();
            }
        }
    }

    private void startOnPort() {
        pgCtl("start", "-l", logFile.toString(), "-o", "-p " + port);
        running = true;
    }

    private void pgCtl(String action, String... options) {
        List<String> command = new ArrayList<>(List.of(bin("pg_ctl"), action, "-D", dataDirectory.toString(),
                "-w", "-t", Integer.toString(PG_CTL_WAIT_SECONDS)));
        command.addAll(List.of(options));
        run(command);
    }

    private String bin(String program) {
        return installation.resolve("bin").resolve(program).toString();
    }

    private void run(List<String> command) {
        run(account, command, commandLog, logFile);
    }

    private static void run(ServerAccount account, List<String> command, Path commandLog, Path serverLog) {
        ProcessBuilder builder = new ProcessBuilder(account.command(command));
        // PGPORT, PGDATA and friends in the developer's shell must not steer a test server.
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.redirectErrorStream(true);
        // Output goes to a file, not a pipe: the postmaster pg_ctl leaves behind must not hold a pipe we wait on.
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(commandLog.toFile()));
        long before = size(commandLog);
        String program = Path.of(command.get(0)).getFileName().toString();
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + COMMAND_TIMEOUT + ": " + command
                        + "\n" + output(commandLog, before) + "\nserver log:\n" + FileTrees.tail(serverLog, 3000));
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " failed with exit code " + process.exitValue() + ": " + command
                        + "\n" + output(commandLog, before) + "\nserver log:\n" + FileTrees.tail(serverLog, 3000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String output(Path commandLog, long from) {
        try {
            byte[] all = Files.readAllBytes(commandLog);
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port", e);
        }
    }

    private static Path createWorkDirectory() {
        Path work = TestkitSettings.workDirectory();
        try {
            if (!Files.isDirectory(work)) {
                Files.createDirectories(work);
                // A umask of 077 would otherwise lock the unprivileged server account out of its own binaries.
                FileTrees.setMode(work, 0755);
            }
            return work;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the testkit work directory " + work, e);
        }
    }

    private static Path createInstanceDirectory(Path instances, ServerAccount account) {
        try {
            if (!Files.isDirectory(instances)) {
                Files.createDirectories(instances);
                FileTrees.setMode(instances, 0755);
            }
            while (true) {
                Path directory = instances.resolve(String.format("%08x", ThreadLocalRandom.current().nextInt()));
                try {
                    Files.createDirectory(directory);
                } catch (FileAlreadyExistsException e) {
                    continue;
                }
                Files.writeString(directory.resolve(OWNER_FILE), ownerOfThisJvm(), StandardCharsets.UTF_8);
                FileTrees.setMode(directory, 0700);
                account.own(directory);
                return directory;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a server directory under " + instances, e);
        }
    }

    /** Pid and start time: a pid alone may have been reused by an unrelated process since the owner died. */
    private static String ownerOfThisJvm() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    private static boolean ownerIsAlive(String owner) {
        String[] fields = owner.trim().split(" ");
        try {
            long pid = Long.parseLong(fields[0]);
            long startMillis = fields.length > 1 ? Long.parseLong(fields[1]) : 0;
            return ProcessHandle.of(pid)
                    .map(process -> startMillis == 0 || process.info().startInstant()
                            .map(start -> Math.abs(start.toEpochMilli() - startMillis) < 2000)
                            .orElse(true))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours to judge
        }
    }

    private static void stopOrphans(Path instances, Path installation, ServerAccount account) {
        if (!Files.isDirectory(instances)) {
            return;
        }
        List<Path> directories;
        try (Stream<Path> list = Files.list(instances)) {
            directories = list.filter(Files::isDirectory).toList();
        } catch (IOException e) {
            return;
        }
        for (Path directory : directories) {
            Path ownerFile = directory.resolve(OWNER_FILE);
            try {
                // A directory without an owner file is being created right now by another JVM.
                if (!Files.exists(ownerFile) || ownerIsAlive(Files.readString(ownerFile, StandardCharsets.UTF_8))) {
                    continue;
                }
                Path data = directory.resolve("data");
                if (Files.exists(data.resolve("postmaster.pid"))) {
                    LOG.log(Level.INFO, "stopping an embedded PostgreSQL left behind by a JVM that died: {0}", directory);
                    try {
                        run(account, List.of(installation.resolve("bin/pg_ctl").toString(), "stop", "-D", data.toString(),
                                "-m", "immediate", "-w", "-t", "30"), directory.resolve("commands.log"),
                                directory.resolve("postgres.log"));
                    } catch (RuntimeException e) {
                        killPostmaster(data);
                    }
                }
                FileTrees.deleteQuietly(directory);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot clean up the abandoned server directory " + directory, e);
            }
        }
    }

    private static boolean postmasterAlive(Path dataDirectory) {
        return postmasterPid(dataDirectory).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Optional<Long> postmasterPid(Path dataDirectory) {
        try {
            List<String> lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Last resort: SIGKILL to the postmaster; its backends notice the postmaster is gone and exit. */
    private static void killPostmaster(Path dataDirectory) {
        postmasterPid(dataDirectory).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }
}
