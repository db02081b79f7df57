package io.pgflo.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.testkit.NatsServer;
import io.pgflo.testkit.TestCertificate;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logging in to a real nats-server: user and password, token, TLS; a refusal names the server, never the secret. */
class NatsSecurityIT {

    @Test
    void userAndPasswordLogInAndAWrongPasswordIsRefusedWithoutShowingIt() {
        try (NatsServer nats = NatsServer.startWith("--user", "replicator", "--pass", "s3cret-pw")) {
            NatsSettings good = new NatsSettings(nats.url(), "replicator", "s3cret-pw", null, null, null, null, null);
            try (JetStreamPublisher publisher = JetStreamPublisher.open(good, StreamSettings.defaults("auth"))) {
                publisher.writeBatch(Changes.transactions(0, 1, 1));
            }
            NatsSettings bad = new NatsSettings(nats.url(), "replicator", "wrong-pw", null, null, null, null, null);
            assertThatThrownBy(() -> JetStreamPublisher.open(bad, StreamSettings.defaults("auth")))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("cannot connect to NATS at " + nats.url())
                    .hasMessageNotContaining("wrong-pw");
            assertThat(bad.toString()).doesNotContain("wrong-pw");
        }
    }

    @Test
    void aTokenLogsIn() {
        try (NatsServer nats = NatsServer.startWith("--auth", "t0ken-value")) {
            NatsSettings token = new NatsSettings(nats.url(), null, null, "t0ken-value", null, null, null, null);
            try (JetStreamPublisher publisher = JetStreamPublisher.open(token, StreamSettings.defaults("token"))) {
                publisher.writeBatch(Changes.transactions(0, 1, 1));
            }
            assertThatThrownBy(() -> JetStreamPublisher.open(NatsSettings.plain(nats.url()),
                    StreamSettings.defaults("token"))).isInstanceOf(ConfigurationException.class);
        }
    }

    @Test
    void tlsWithTheServersCertificateAuthorityConnectsAndAnotherIsRefused(@TempDir Path dir) {
        List<TestCertificate> certificates = TestCertificate.selfSigned(dir, "localhost", "server", "stranger");
        TestCertificate server = certificates.get(0);
        try (NatsServer nats = NatsServer.startWith("--tls", "--tlscert", server.certificate().toString(),
                "--tlskey", server.privateKey().toString())) {
            String url = "tls://localhost:" + nats.port();
            NatsSettings trusted = new NatsSettings(url, null, null, null, null, server.certificate(), null, null);
            try (JetStreamPublisher publisher = JetStreamPublisher.open(trusted, StreamSettings.defaults("tls"))) {
                publisher.writeBatch(Changes.transactions(0, 1, 1));
            }
            NatsSettings untrusted = new NatsSettings(url, null, null, null, null, certificates.get(1).certificate(),
                    null, null);
            assertThatThrownBy(() -> JetStreamPublisher.open(untrusted, StreamSettings.defaults("tls")))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("cannot connect to NATS at " + url);
        }
    }

    @Test
    void conflictingLoginsAreRefusedBeforeConnecting() {
        assertThatThrownBy(() -> new NatsSettings("nats://x:4222", "u", "p", "token", null, null, null, null))
                .hasMessage("give one of --nats-user/--nats-password, --nats-token and --nats-creds");
        assertThatThrownBy(() -> new NatsSettings("nats://x:4222", null, null, null, null, null, Path.of("c"), null))
                .hasMessageContaining("--nats-tls-cert and --nats-tls-key go together");
    }
}
