package io.pgflo.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Position;
import io.pgflo.testkit.NatsServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --nats-creds} against a real nats-server in decentralized (operator, account, user JWT) mode, and the
 * README's NATS permissions: the replicator's user publishes, a worker's user consumes and may not publish.
 */
class NatsCredentialsIT {

    private static NatsSettings creds(String url, Path file) {
        return new NatsSettings(url, null, null, null, file, null, null, null);
    }

    private static NatsSettings user(String url, String user, String password) {
        return new NatsSettings(url, user, password, null, null, null, null, null);
    }

    @Test
    void aCredentialsFileLogsInTheReplicatorAndAWorkerAndAnUnknownAccountIsRefused(@TempDir Path dir)
            throws Exception {
        NatsJwts jwts = NatsJwts.create();
        try (NatsServer nats = NatsServer.startWith("--config", jwts.serverConfig(dir).toString())) {
            NatsSettings replicator = creds(nats.url(), jwts.userCredentials(dir, "replicator"));
            try (JetStreamPublisher publisher = JetStreamPublisher.open(replicator, StreamSettings.defaults("creds"))) {
                publisher.writeBatch(Changes.transactions(0, 2, 1));
            }
            NatsSettings worker = creds(nats.url(), jwts.userCredentials(dir, "worker"));
            assertThat(WorkerReads.read(worker, new WorkerSettings("creds", "archive", null, Duration.ofSeconds(1), false),
                    Position.START, 4))
                    .hasSize(4);

            Path stranger = jwts.strangerCredentials(dir, "stranger");
            assertThatThrownBy(() -> JetStreamPublisher.open(creds(nats.url(), stranger),
                    StreamSettings.defaults("creds"))).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cannot connect to NATS at " + nats.url())
                    .hasMessageNotContaining(Files.readString(stranger).lines().filter(l -> l.startsWith("SU"))
                            .findFirst().orElseThrow());
            assertThatThrownBy(() -> JetStreamPublisher.open(NatsSettings.plain(nats.url()),
                    StreamSettings.defaults("creds"))).isInstanceOf(ConfigurationException.class);
        }
    }

    @Test
    void onlyTheReplicatorsUserMayPublishOnTheGroupsSubjects(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("permissions.conf"), permissions("perm"));
        try (NatsServer nats = NatsServer.startWith("--config", config.toString())) {
            NatsSettings replicator = user(nats.url(), "replicator", "replicator-pw");
            NatsSettings worker = user(nats.url(), "worker", "worker-pw");
            try (JetStreamPublisher publisher = JetStreamPublisher.open(replicator, StreamSettings.defaults("perm"))) {
                publisher.writeBatch(Changes.transactions(0, 2, 1));
            }
            assertThat(WorkerReads.read(worker, new WorkerSettings("perm", "archive", null, Duration.ofSeconds(1), false),
                    Position.START, 4))
                    .as("the worker's permissions let it consume and hold its lease").hasSize(4);

            List<String> errors = new CopyOnWriteArrayList<>();
            Options options = new Options.Builder().server(nats.url()).userInfo("worker", "worker-pw")
                    .errorListener(new ErrorListener() {
                        @Override
                        public void errorOccurred(Connection connection, String error) {
                            errors.add(error);
                        }
                    }).build();
            try (Connection connection = Nats.connect(options)) {
                long stored = connection.jetStreamManagement().getStreamInfo("pgflo_perm_stream").getStreamState()
                        .getMsgCount();
                connection.publish("pgflo.perm", "{}".getBytes(StandardCharsets.UTF_8));
                connection.flush(Duration.ofSeconds(5));
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (errors.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                assertThat(errors).anySatisfy(error -> assertThat(error).containsIgnoringCase("permissions violation")
                        .contains("pgflo.perm"));
                assertThat(connection.jetStreamManagement().getStreamInfo("pgflo_perm_stream").getStreamState()
                        .getMsgCount()).as("nothing stored from the worker").isEqualTo(stored);
            }
            try (Connection connection = Nats.connect(new Options.Builder().server(nats.url())
                    .userInfo("worker", "worker-pw").build())) {
                long stored = connection.jetStreamManagement().getStreamInfo("pgflo_perm_stream").getStreamState()
                        .getMsgCount();
                assertThatThrownBy(() -> connection.jetStreamManagement().purgeStream("pgflo_perm_stream"))
                        .as("a worker may not purge the group's stream").isInstanceOf(java.io.IOException.class);
                assertThat(connection.jetStreamManagement().getStreamInfo("pgflo_perm_stream").getStreamState()
                        .getMsgCount()).isEqualTo(stored).isPositive();
            }
        }
    }

    /** The README's "NATS permissions" block for {@code group}, with the passwords filled in. */
    private static String permissions(String group) {
        return """
                authorization {
                  users = [
                    { user: replicator, password: replicator-pw, permissions: {
                        publish: ["pgflo.app", "pgflo.app.>", "$JS.API.STREAM.INFO.pgflo_app_stream", "$JS.API.STREAM.CREATE.pgflo_app_stream",
                                  "$JS.API.STREAM.MSG.GET.pgflo_app_stream", "$JS.API.INFO"],
                        subscribe: ["_INBOX.>"] } },
                    { user: worker, password: worker-pw, permissions: {
                        publish: { allow: ["$JS.API.>", "$JS.ACK.pgflo_app_stream.>", "$KV.pgflo_app_workers.>"],
                                   deny: ["pgflo.app", "pgflo.app.>", "$JS.API.STREAM.CREATE.pgflo_app_stream",
                                          "$JS.API.STREAM.UPDATE.pgflo_app_stream", "$JS.API.STREAM.DELETE.pgflo_app_stream",
                                          "$JS.API.STREAM.PURGE.pgflo_app_stream", "$JS.API.STREAM.MSG.DELETE.pgflo_app_stream"] },
                        subscribe: ["_INBOX.>"] } }
                  ]
                }
                """.replace("pgflo.app", "pgflo." + group).replace("pgflo_app_", "pgflo_" + group + "_");
    }
}
