package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import io.pgflo.testkit.ConsoleCapture;
import io.pgflo.testkit.TestCertificate;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each way TLS to the source can fail has its own one-line message, and pgjdbc's own logging stays off the console.
 * A server of its own with TLS on, its certificate self-signed for {@code localhost} only.
 */
class PgConnectionsTlsIT {
    // Every failure here comes before authentication, so any password will do; this one must never show.
    private static final String PASSWORD = "tls-secret-pw-7";

    @TempDir
    static Path certificates;

    private static TestPostgres tls;
    private static TestCertificate server;
    private static TestCertificate stranger;

    private final List<String> warnings = new ArrayList<>();
    private final PasswordLookup noEnvironment = new PasswordLookup(Map.of("HOME", certificates.toString()), warnings::add);

    @BeforeAll
    static void startServerWithTls() {
        List<TestCertificate> made = TestCertificate.selfSigned(certificates, "localhost", "server", "stranger");
        server = made.get(0);
        stranger = made.get(1);
        tls = TestPostgres.start();
        tls.enableTls(server);
    }

    @AfterAll
    static void stopServer() {
        if (tls != null) {
            tls.close();
        }
    }

    @Test
    void theServersOwnCertificateIsTrustedForItsHostName() throws Exception {
        DatabaseEndpoint endpoint = new DatabaseEndpoint("localhost", tls.port(), "postgres", TestPostgres.SUPERUSER,
                TestPostgres.SUPERUSER_PASSWORD, "verify-full", server.certificate().toString());
        try (ConsoleCapture console = ConsoleCapture.start();
                Connection connection = PgConnections.open(endpoint, "tls", noEnvironment);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).as("TLS in use").isTrue();
            assertThat(console.stderr()).isEmpty();
            assertThat(console.logRecords()).isEmpty();
        }
    }

    @Test
    void aCertificateFromAnUnknownCaIsSaidSo() {
        DatabaseEndpoint endpoint = endpoint("localhost", "verify-ca", stranger.certificate());
        assertOneQuietLine(() -> PgConnections.open(endpoint, "tls", noEnvironment),
                "cannot connect to localhost:" + tls.port() + "/postgres as postgres: the server's certificate is not"
                        + " signed by a CA in " + stranger.certificate() + " (sslmode=verify-ca); set --sslrootcert to"
                        + " the certificate of the CA that signed it");
    }

    @Test
    void aCertificateForAnotherHostIsSaidSoAndTheDriverLogsNothing() {
        // The certificate names localhost only; 127.0.0.1 reaches the same server under another name.
        DatabaseEndpoint endpoint = endpoint("127.0.0.1", "verify-full", server.certificate());
        assertOneQuietLine(() -> PgConnections.open(endpoint, "tls", noEnvironment),
                "cannot connect to 127.0.0.1:" + tls.port() + "/postgres as postgres: the server's certificate is not"
                        + " for host 127.0.0.1 (sslmode=verify-full); set --host to a name the certificate holds, or"
                        + " --sslmode to verify-ca");
    }

    @Test
    void aServerWithoutTlsIsSaidSoWhenTheModeRequiresIt() {
        TestPostgres plain = TestPostgres.shared();
        DatabaseEndpoint endpoint = new DatabaseEndpoint(plain.host(), plain.port(), "postgres", TestPostgres.SUPERUSER,
                PASSWORD, "require", null);
        assertOneQuietLine(() -> PgConnections.openReplication(endpoint, "tls", noEnvironment),
                "cannot connect to localhost:" + plain.port() + "/postgres as postgres: the server does not accept TLS,"
                        + " which sslmode=require requires; turn ssl on in the server's configuration, or choose another"
                        + " --sslmode");
    }

    @Test
    void aMissingRootCertificateFileIsNamed() {
        Path missing = certificates.resolve("missing.crt");
        DatabaseEndpoint endpoint = endpoint("localhost", "verify-ca", missing);
        assertOneQuietLine(() -> PgConnections.open(endpoint, "tls", noEnvironment),
                "cannot connect to localhost:" + tls.port() + "/postgres as postgres: cannot use the root certificate "
                        + missing + " (No such file or directory) that sslmode=verify-ca checks the server against; set"
                        + " --sslrootcert to the certificate of the CA that signed the server's");
    }

    private static DatabaseEndpoint endpoint(String host, String sslMode, Path rootCertificate) {
        return new DatabaseEndpoint(host, tls.port(), "postgres", TestPostgres.SUPERUSER, PASSWORD, sslMode,
                rootCertificate.toString());
    }

    private void assertOneQuietLine(ThrowingCallable connect, String message) {
        try (ConsoleCapture console = ConsoleCapture.start()) {
            assertThatThrownBy(connect).isInstanceOf(ConfigurationException.class).hasMessage(message)
                    .hasMessageNotContaining(PASSWORD);
            assertThat(console.stderr()).as("stderr").isEmpty();
            assertThat(console.logRecords()).as("java.util.logging records").isEmpty();
        }
        assertThat(message).doesNotContain("\n");
        assertThat(warnings).isEmpty();
    }
}
