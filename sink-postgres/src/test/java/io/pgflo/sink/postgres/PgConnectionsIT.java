package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import io.pgflo.testkit.ConsoleCapture;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink finds the target's password (and the source's, for its checks) as libpq does, each by its own host, port,
 * database and user, and names the {@code --target-} flags when the target wants a password it did not get or
 * refuses the one it got.
 */
class PgConnectionsIT {
    private static final String WRITER = "pgflo_writer";
    private static final String WRITER_PASSWORD = "writer:pw\\1";

    private static final TestPostgres sourceServer = TestPostgres.shared();
    private static final TestPostgres targetServer = TargetServer.get();
    private static String source;
    private static String target;

    @TempDir
    Path home;

    private final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void createDatabasesAndWriter() {
        source = sourceServer.createDatabase("pw_source");
        target = targetServer.createDatabase("pw_target");
        targetServer.execute(target, "DROP ROLE IF EXISTS " + WRITER,
                "CREATE ROLE " + WRITER + " LOGIN PASSWORD '" + WRITER_PASSWORD + "'");
    }

    @AfterAll
    static void dropThem() {
        sourceServer.dropDatabase(source);
        targetServer.dropDatabase(target);
        targetServer.execute("postgres", "DROP ROLE IF EXISTS " + WRITER);
    }

    @Test
    void pgpasswordServesTheTargetWhenNoPasswordIsGiven() throws Exception {
        try (Connection connection = PgConnections.open(targetSuperuser(null), "pw", PgConnections.TARGET,
                lookup("PGPASSWORD", TestPostgres.SUPERUSER_PASSWORD))) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void onePasswordFileServesSourceAndTargetEachByItsOwnLine() throws Exception {
        Path file = home.resolve("pgpass");
        Files.write(file, List.of(
                "localhost:" + targetServer.port() + ":" + target + ":" + WRITER + ":writer\\:pw\\\\1",
                "localhost:" + sourceServer.port() + ":" + source + ":postgres:" + TestPostgres.SUPERUSER_PASSWORD));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        PasswordLookup passwords = lookup("PGPASSFILE", file.toString());
        DatabaseEndpoint writer = new DatabaseEndpoint(targetServer.host(), targetServer.port(), target, WRITER, null, null,
                null);
        try (Connection targetConnection = PgConnections.open(writer, "pw", PgConnections.TARGET, passwords);
                Connection sourceConnection =
                        PgConnections.open(sourceSuperuser(null), "pw", PgConnections.SOURCE, passwords)) {
            assertThat(targetConnection.isValid(5)).isTrue();
            assertThat(sourceConnection.isValid(5)).isTrue();
        }
    }

    @Test
    void aMissingTargetPasswordNamesTheTargetFlags() {
        assertOneQuietLine(() -> PgConnections.open(targetSuperuser(null), "pw", PgConnections.TARGET, lookup()),
                "cannot connect to the target localhost:" + targetServer.port() + "/" + target + " as postgres: the server"
                        + " asks for a password and none was given; set PGFLO_TARGET_PASSWORD (or --target-password,"
                        + " PGPASSWORD, ~/.pgpass)", null);
        assertOneQuietLine(() -> PgConnections.open(sourceSuperuser(null), "pw", PgConnections.SOURCE, lookup()),
                "cannot connect to the source localhost:" + sourceServer.port() + "/" + source + " as postgres: the server"
                        + " asks for a password and none was given; set PGFLO_PASSWORD (or --password, PGPASSWORD,"
                        + " ~/.pgpass)", null);
    }

    @Test
    void aWrongTargetPasswordNamesTheTargetFlags() {
        assertOneQuietLine(() -> PgConnections.open(targetSuperuser("wrong-target-pw"), "pw", PgConnections.TARGET,
                        lookup()),
                "cannot connect to the target localhost:" + targetServer.port() + "/" + target + " as postgres: password"
                        + " authentication failed; check --target-user and --target-password (or PGFLO_TARGET_PASSWORD)",
                "wrong-target-pw");
        assertOneQuietLine(() -> PgConnections.open(targetSuperuser(null), "pw", PgConnections.TARGET,
                        lookup("PGPASSWORD", "wrong-env-pw")),
                "cannot connect to the target localhost:" + targetServer.port() + "/" + target + " as postgres: password"
                        + " authentication failed with the password from PGPASSWORD; check --target-user and PGPASSWORD,"
                        + " or set PGFLO_TARGET_PASSWORD", "wrong-env-pw");
    }

    private PasswordLookup lookup(String... variables) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", home.toString()); // never the account's own ~/.pgpass
        for (int i = 0; i < variables.length; i += 2) {
            environment.put(variables[i], variables[i + 1]);
        }
        return new PasswordLookup(environment, warnings::add);
    }

    private static DatabaseEndpoint targetSuperuser(String password) {
        return new DatabaseEndpoint(targetServer.host(), targetServer.port(), target, TestPostgres.SUPERUSER, password,
                null, null);
    }

    private static DatabaseEndpoint sourceSuperuser(String password) {
        return new DatabaseEndpoint(sourceServer.host(), sourceServer.port(), source, TestPostgres.SUPERUSER, password,
                null, null);
    }

    private void assertOneQuietLine(ThrowingCallable connect, String message, String password) {
        try (ConsoleCapture console = ConsoleCapture.start()) {
            assertThatThrownBy(connect).isInstanceOf(ConfigurationException.class).hasMessage(message);
            assertThat(console.stderr()).as("stderr").isEmpty();
            assertThat(console.logRecords()).as("java.util.logging records").isEmpty();
        }
        assertThat(message).doesNotContain("\n");
        if (password != null) {
            assertThat(message).doesNotContain(password);
        }
        assertThat(warnings).isEmpty();
    }
}
