package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.PasswordLookup;
import io.pgflo.testkit.ConsoleCapture;
import io.pgflo.testkit.PostgresExtension;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source finds its password as libpq does (the given one, {@code PGPASSWORD}, the password file), and says in one
 * line when the server wants one it did not get or refuses the one it got. Against a server with scram-sha-256.
 */
@ExtendWith(PostgresExtension.class)
class PgConnectionsIT {
    // A role whose name and password need the password file's escapes.
    private static final String ROLE = "pg:flo\\user";
    private static final String ROLE_PASSWORD = "se:cr\\et#1";

    private static String db;

    @TempDir
    Path home;

    private final List<String> warnings = new ArrayList<>();

    @BeforeAll
    static void createDatabaseAndRole(TestPostgres pg) {
        db = pg.createDatabase("passwords");
        pg.execute(db, "DROP ROLE IF EXISTS \"" + ROLE + "\"",
                "CREATE ROLE \"" + ROLE + "\" LOGIN PASSWORD '" + ROLE_PASSWORD + "'");
    }

    @AfterAll
    static void dropDatabaseAndRole(TestPostgres pg) {
        pg.dropDatabase(db);
        pg.execute("postgres", "DROP ROLE IF EXISTS \"" + ROLE + "\"");
    }

    @Test
    void pgpasswordServesRegularAndReplicationConnectionsWhenNoPasswordIsGiven(TestPostgres pg) throws Exception {
        DatabaseEndpoint endpoint = superuser(pg, null);
        PasswordLookup passwords = lookup("PGPASSWORD", TestPostgres.SUPERUSER_PASSWORD);
        try (Connection regular = PgConnections.open(endpoint, "pw", passwords);
                Connection replication = PgConnections.openReplication(endpoint, "pw", passwords)) {
            assertThat(regular.isValid(5)).isTrue();
            assertThat(replication.isValid(5)).isTrue();
        }
        try (Connection emptyGiven = PgConnections.open(superuser(pg, ""), "pw", passwords)) {
            assertThat(emptyGiven.isValid(5)).as("an empty password counts as none, as in libpq").isTrue();
        }
    }

    @Test
    void aPasswordFileNamedByPgpassfileServesWithItsWildcardsAndEscapes(TestPostgres pg) throws Exception {
        Path file = passwordFile(home.resolve("pgpass"),
                "# comment lines and lines for other ports, databases and users do not match",
                "localhost:1:*:*:wrong-port",
                "localhost:" + pg.port() + ":other_db:*:wrong-database",
                "*:" + pg.port() + ":*:someone_else:wrong-user",
                "localhost:" + pg.port() + ":*:pg\\:flo\\\\user:se\\:cr\\\\et#1",
                "*:*:*:*:the-first-match-wins");
        try (Connection connection = PgConnections.open(role(pg), "pw", lookup("PGPASSFILE", file.toString()))) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void homePgpassServesWithoutPgpassfile(TestPostgres pg) throws Exception {
        passwordFile(home.resolve(".pgpass"),
                "localhost:" + pg.port() + ":" + db + ":postgres:" + TestPostgres.SUPERUSER_PASSWORD);
        try (Connection connection = PgConnections.openReplication(superuser(pg, null), "pw", lookup())) {
            assertThat(connection.isValid(5)).isTrue();
        }
    }

    @Test
    void aGivenPasswordComesBeforePgpasswordAndPgpasswordBeforeTheFile(TestPostgres pg) throws Exception {
        Path file = passwordFile(home.resolve(".pgpass"), "*:*:*:*:wrong-from-file");
        try (Connection connection = PgConnections.open(superuser(pg, TestPostgres.SUPERUSER_PASSWORD), "pw",
                lookup("PGPASSWORD", "wrong-from-variable"))) {
            assertThat(connection.isValid(5)).isTrue();
        }
        try (Connection connection = PgConnections.open(superuser(pg, null), "pw",
                lookup("PGPASSWORD", TestPostgres.SUPERUSER_PASSWORD))) {
            assertThat(connection.isValid(5)).isTrue();
        }
        assertOneQuietLine(() -> PgConnections.open(superuser(pg, null), "pw", lookup()),
                "cannot connect to localhost:" + pg.port() + "/" + db + " as postgres: password authentication failed"
                        + " with the password from " + file + " line 1; check --user and that line, or set PGFLO_PASSWORD",
                "wrong-from-file");
    }

    @Test
    void aMissingPasswordIsSaidSoInOneLine(TestPostgres pg) {
        String expected = "cannot connect to localhost:" + pg.port() + "/" + db + " as postgres: the server asks for a"
                + " password and none was given; set PGFLO_PASSWORD (or --password, PGPASSWORD, ~/.pgpass)";
        assertOneQuietLine(() -> PgConnections.open(superuser(pg, null), "pw", lookup()), expected, null);
        assertOneQuietLine(() -> PgConnections.openReplication(superuser(pg, null), "pw", lookup()), expected, null);
        Path elsewhere = home.resolve("elsewhere");
        assertOneQuietLine(() -> PgConnections.open(superuser(pg, null), "pw", lookup("PGPASSFILE", elsewhere.toString())),
                expected.replace("~/.pgpass", elsewhere.toString()), null);
    }

    @Test
    void aWrongPasswordIsSaidSoWithWhereItCameFrom(TestPostgres pg) {
        assertOneQuietLine(() -> PgConnections.open(superuser(pg, "wrong-given-pw"), "pw", lookup()),
                "cannot connect to localhost:" + pg.port() + "/" + db + " as postgres: password authentication failed;"
                        + " check --user and --password (or PGFLO_PASSWORD)", "wrong-given-pw");
        assertOneQuietLine(() -> PgConnections.openReplication(superuser(pg, null), "pw",
                        lookup("PGPASSWORD", "wrong-env-pw")),
                "cannot connect to localhost:" + pg.port() + "/" + db + " as postgres: password authentication failed"
                        + " with the password from PGPASSWORD; check --user and PGPASSWORD, or set PGFLO_PASSWORD",
                "wrong-env-pw");
    }

    @Test
    void aPasswordFileOthersMayReadIsRefusedWhenItHoldsTheLineAndIgnoredWithAWarningWhenNot(TestPostgres pg)
            throws Exception {
        Path file = passwordFile(home.resolve(".pgpass"), "localhost:*:" + db + ":*:" + TestPostgres.SUPERUSER_PASSWORD);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> PgConnections.open(superuser(pg, null), "pw", lookup()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("password file " + file + " has a line for localhost:" + pg.port() + "/" + db + " as postgres,"
                        + " but group or others may access the file; run chmod 0600 " + file
                        + " (libpq ignores such a file, pgjdbc would not)");

        DatabaseEndpoint otherDatabase =
                new DatabaseEndpoint("localhost", pg.port(), "postgres", "postgres", null, null, null);
        assertThatThrownBy(() -> PgConnections.open(otherDatabase, "pw", lookup()))
                .hasMessageContaining("the server asks for a password and none was given");
        assertThat(warnings).containsExactly("password file \"" + file + "\" has group or world access; permissions"
                + " should be u=rw (0600) or less");
    }

    private PasswordLookup lookup(String... variables) {
        Map<String, String> environment = new HashMap<>();
        environment.put("HOME", home.toString()); // never the account's own ~/.pgpass
        for (int i = 0; i < variables.length; i += 2) {
            environment.put(variables[i], variables[i + 1]);
        }
        return new PasswordLookup(environment, warnings::add);
    }

    private static Path passwordFile(Path file, String... lines) throws Exception {
        Files.write(file, List.of(lines));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static DatabaseEndpoint superuser(TestPostgres pg, String password) {
        return new DatabaseEndpoint(pg.host(), pg.port(), db, TestPostgres.SUPERUSER, password, null, null);
    }

    private static DatabaseEndpoint role(TestPostgres pg) {
        return new DatabaseEndpoint(pg.host(), pg.port(), db, ROLE, null, null, null);
    }

    private static void assertOneQuietLine(ThrowingCallable connect, String message, String password) {
        try (ConsoleCapture console = ConsoleCapture.start()) {
            assertThatThrownBy(connect).isInstanceOf(ConfigurationException.class).hasMessage(message);
            assertThat(console.stderr()).as("stderr").isEmpty();
            assertThat(console.logRecords()).as("java.util.logging records").isEmpty();
        }
        assertThat(message).doesNotContain("\n");
        if (password != null) {
            assertThat(message).doesNotContain(password);
        }
    }
}
