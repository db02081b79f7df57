package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import io.pgflo.testkit.ConsoleCapture;
import io.pgflo.testkit.TestCertificate;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The target's TLS failures, each in its own line with the {@code --target-} flags, and nothing from pgjdbc's own
 * logging on the console. A target of its own with TLS on, its certificate self-signed for {@code localhost} only.
 */
class PgConnectionsTlsIT {
    // Every failure here comes before authentication, so any password will do; this one must never show.
    private static final String PASSWORD = "target-tls-secret-3";

    @TempDir
    static Path certificates;

    private static TestPostgres tls;
    private static TestCertificate server;
    private static TestCertificate stranger;

    private final PasswordLookup noEnvironment = new PasswordLookup(Map.of("HOME", certificates.toString()), warning -> {
        throw new AssertionError(warning);
    });

    @BeforeAll
    static void startTargetWithTls() {
        List<TestCertificate> made = TestCertificate.selfSigned(certificates, "localhost", "server", "stranger");
        server = made.get(0);
        stranger = made.get(1);
        tls = TestPostgres.start();
        tls.enableTls(server);
    }

    @AfterAll
    static void stopTarget() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void aCertificateFromAnUnknownCaNamesTargetSslrootcert() {
        assertOneQuietLine(endpoint("localhost", tls.port(), "verify-ca", stranger.certificate()),
                "cannot connect to the target localhost:" + tls.port() + "/postgres as postgres: the server's certificate"
                        + " is not signed by a CA in " + stranger.certificate() + " (sslmode=verify-ca); set"
                        + " --target-sslrootcert to the certificate of the CA that signed it");
    }

    @Test
    void aCertificateForAnotherHostNamesTargetHost() {
        assertOneQuietLine(endpoint("127.0.0.1", tls.port(), "verify-full", server.certificate()),
                "cannot connect to the target 127.0.0.1:" + tls.port() + "/postgres as postgres: the server's certificate"
                        + " is not for host 127.0.0.1 (sslmode=verify-full); set --target-host to a name the certificate"
                        + " holds, or --target-sslmode to verify-ca");
    }

    @Test
    void aTargetWithoutTlsNamesTargetSslmode() {
        TestPostgres plain = TargetServer.get();
        assertOneQuietLine(endpoint("localhost", plain.port(), "verify-full", server.certificate()),
                "cannot connect to the target localhost:" + plain.port() + "/postgres as postgres: the server does not"
                        + " accept TLS, which sslmode=verify-full requires; turn ssl on in the server's configuration, or"
                        + " choose another --target-sslmode");
    }

    private static DatabaseEndpoint endpoint(String host, int port, String sslMode, Path rootCertificate) {
        return new DatabaseEndpoint(host, port, "postgres", TestPostgres.SUPERUSER, PASSWORD, sslMode,
                rootCertificate.toString());
    }

    private void assertOneQuietLine(DatabaseEndpoint endpoint, String message) {
        ThrowingCallable connect = () -> PgConnections.open(endpoint, "tls", PgConnections.TARGET, noEnvironment);
        try (ConsoleCapture console = ConsoleCapture.start()) {
            assertThatThrownBy(connect).isInstanceOf(ConfigurationException.class).hasMessage(message)
                    .hasMessageNotContaining(PASSWORD);
            assertThat(console.stderr()).as("stderr").isEmpty();
            assertThat(console.logRecords()).as("java.util.logging records").isEmpty();
        }
        assertThat(message).doesNotContain("\n");
    }
}
