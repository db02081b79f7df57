package io.pgflo.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} with JetStream, in a process of its own on a free port, for tests that kill it the way
 * production loses one: {@link #kill()} is SIGKILL, {@link #restart()} starts it again on the same port and store
 * directory. {@link #cluster(int)} starts nodes that route to each other (a JetStream cluster). The binary is the
 * {@code nats-server} on the {@code PATH}, or {@code PGFLO_TEST_NATS_SERVER} (system property or environment variable).
 *
 * <pre>{@code
 * try (NatsServer nats = NatsServer.start()) {
 *     connect(nats.url());
 *     nats.kill();      // SIGKILL: what JetStream acknowledged is on disk, nothing else
 *     nats.restart();   // same port, same store
 * }
 * }</pre>
 */
public final class NatsServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final int port;
    private final Path directory;
    private final List<String> clusterArguments;
    private Process process;

    private NatsServer(String name, int port, Path directory, List<String> clusterArguments) {
        this.name = name;
        this.port = port;
        this.directory = directory;
        this.clusterArguments = List.copyOf(clusterArguments);
    }

    /** One server with JetStream, file storage under a new temporary directory. */
    public static NatsServer start() {
        return startWith();
    }

    /**
     * One server with JetStream and more of {@code nats-server}'s flags: {@code --user u --pass p}, {@code --auth token},
     * {@code --tls --tlscert f --tlskey f}, and so on; kept for {@link #restart()}.
     */
    public static NatsServer startWith(String... arguments) {
        NatsServer server = new NatsServer("n0", freePort(), newDirectory(), List.of(arguments));
        server.launch();
        server.awaitReady();
        return server;
    }

    /**
     * {@code nodes} servers routed to each other as one JetStream cluster; stream replicas up to {@code nodes}. Returns
     * once every node accepts clients; JetStream elects its meta leader soon after (clients wait for it).
     */
    public static List<NatsServer> cluster(int nodes) {
        int[] clientPorts = new int[nodes];
        int[] routePorts = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            clientPorts[i] = freePort();
            routePorts[i] = freePort();
        }
        StringBuilder routes = new StringBuilder();
        for (int i = 0; i < nodes; i++) {
            routes.append(i == 0 ? "" : ",").append("nats://127.0.0.1:").append(routePorts[i]);
        }
        List<NatsServer> servers = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            NatsServer server = new NatsServer("n" + i, clientPorts[i], newDirectory(), List.of(
                    "--cluster_name", "pgflo-test", "--cluster", "nats://127.0.0.1:" + routePorts[i],
                    "--routes", routes.toString()));
            servers.add(server);
            server.launch();
        }
        for (NatsServer server : servers) {
            server.awaitReady();
        }
        return servers;
    }

    /** The URL clients connect to, {@code nats://127.0.0.1:<port>}. */
    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The JetStream store directory, kept across {@link #kill()} and {@link #restart()}. */
    public Path storeDirectory() {
        return directory.resolve("store");
    }

    /** The server's log file (all of its runs). */
    public Path logFile() {
        return directory.resolve("nats-server.log");
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: the server gets no chance to flush or say goodbye. */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        waitForExit();
    }

    /** Starts the server again after {@link #kill()}, on the same port and store directory. */
    public synchronized void restart() {
        kill();
        launch();
        awaitReady();
    }

    @Override
    public synchronized void close() {
        kill();
        FileTrees.deleteQuietly(directory);
    }

    private synchronized void launch() {
        List<String> command = new ArrayList<>(List.of(binary(), "--jetstream", "--addr", "127.0.0.1",
                "--port", Integer.toString(port), "--store_dir", storeDirectory().toString(), "--server_name", name,
                "--log", logFile().toString()));
        command.addAll(clusterArguments);
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("console.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command.get(0) + " (install nats-server, or set "
                    + "PGFLO_TEST_NATS_SERVER to its path)", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!isRunning()) {
                throw new IllegalStateException("nats-server " + name + " on port " + port + " exited at start: "
                        + tail(directory.resolve("console.log")) + " " + tail(logFile()));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(20);
            }
        }
        throw new IllegalStateException("nats-server " + name + " did not accept connections on port " + port
                + " within " + START_TIMEOUT.toSeconds() + " s; see " + logFile());
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("nats-server " + name + " (pid " + process.pid()
                        + ") did not exit after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing nats-server " + name, e);
        }
    }

    private static String binary() {
        return TestkitSettings.lookup("PGFLO_TEST_NATS_SERVER").orElse("nats-server");
    }

    private static Path newDirectory() {
        try {
            return Files.createTempDirectory("pgflo-nats-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for nats-server", e);
        }
    }

    /** A port free now; the server binds it a moment later (the race is the usual one for tests). */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    private static String tail(Path file) {
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            return text.length() <= 2000 ? text.strip() : text.substring(text.length() - 2000).strip();
        } catch (IOException e) {
            return "(cannot read " + file + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for nats-server", e);
        }
    }
}
