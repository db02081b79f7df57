package io.pgflo.testkit;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL in a Testcontainers container, for machines where a Docker engine answers.
 *
 * <p>The host port is fixed when the container is created rather than left to Docker, because {@link #restart()}
 * stops and starts the same container (same data volume) and a tool under test must find the server where it was.
 */
final class DockerPostgresServer implements PostgresServer {
    private static final System.Logger LOG = System.getLogger(DockerPostgresServer.class.getName());
    private static final int CONTAINER_PORT = 5432;
    private static final String HBA_FILE = "/tmp/pgflo-testkit-hba.conf";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The image's own pg_hba.conf admits replication connections from loopback only, and ours arrive from the Docker
     * bridge; {@code all} in the database column does not cover {@code replication}, so it needs its own line.
     */
    private static final String HBA = String.join("\n",
            "local all all trust",
            "local replication all trust",
            "host all all all scram-sha-256",
            "host replication all all scram-sha-256",
            "");

    private final PostgreSQLContainer<?> container;
    private final int port;
    private boolean closed;

    private DockerPostgresServer(PostgreSQLContainer<?> container, int port) {
        this.container = container;
        this.port = port;
    }

    static DockerPostgresServer start() {
        long started = System.nanoTime();
        int hostPort = freePort();
        List<String> command = new ArrayList<>(List.of("postgres", "-c", "hba_file=" + HBA_FILE));
        for (Map.Entry<String, String> setting : ServerSettings.POSTGRES_CONFIG.entrySet()) {
            command.add("-c");
            command.add(setting.getKey() + "=" + setting.getValue());
        }
        PostgreSQLContainer<?> container = new PostgreSQLContainer<>(
                DockerImageName.parse(TestkitSettings.dockerImage()).asCompatibleSubstituteFor("postgres"));
        container.withUsername(ServerSettings.SUPERUSER)
                .withPassword(ServerSettings.SUPERUSER_PASSWORD)
                .withDatabaseName("postgres")
                .withCopyToContainer(Transferable.of(HBA, 0644), HBA_FILE)
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindPort(hostPort), ExposedPort.tcp(CONTAINER_PORT))))
                .withStartupTimeout(READY_TIMEOUT);
        container.start();
        DockerPostgresServer server = new DockerPostgresServer(container, container.getMappedPort(CONTAINER_PORT));
        LOG.log(Level.INFO, () -> String.format("PostgreSQL container %s on %s:%d ready in %d ms",
                TestkitSettings.dockerImage(), server.host(), server.port,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
        return server;
    }

    @Override
    public String kind() {
        return "docker";
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL container on " + host() + ":" + port + " is closed");
        }
        DockerClient docker = container.getDockerClient();
        // The image stops PostgreSQL with SIGINT, a fast shutdown: committed data and slots survive.
        docker.stopContainerCmd(container.getContainerId()).withTimeout(30).exec();
        docker.startContainerCmd(container.getContainerId()).exec();
        awaitConnections();
    }

    @Override
    public Optional<Path> binDirectory() {
        return Optional.empty();
    }

    @Override
    public Optional<Path> logFile() {
        return Optional.empty();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            container.stop();
        }
    }

    private void awaitConnections() {
        String url = "jdbc:postgresql://" + host() + ":" + port + "/postgres";
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        SQLException last = null;
        while (System.nanoTime() < deadline) {
            try (Connection connection = DriverManager.getConnection(
                    url, ServerSettings.SUPERUSER, ServerSettings.SUPERUSER_PASSWORD)) {
                connection.createStatement().execute("SELECT 1");
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + url, e);
            }
        }
        throw new IllegalStateException("PostgreSQL container did not accept connections on " + host() + ":" + port
                + " within " + READY_TIMEOUT + " of its restart", last);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port", e);
        }
    }
}
