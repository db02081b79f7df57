package io.pgflo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.PGReplicationStream;

@ExtendWith(PostgresExtension.class)
class TestPostgresTest {
    private final TestPostgres pg;

    TestPostgresTest(TestPostgres pg) {
        this.pg = pg;
    }

    @Test
    void resolvesTheSharedServer(TestPostgres parameter) {
        assertThat(parameter).isSameAs(pg).isSameAs(TestPostgres.shared());
    }

    @Test
    void runsWithLogicalWalLevel() {
        assertThat(pg.queryString("postgres", "SHOW wal_level")).isEqualTo("logical");
        assertThat(pg.queryLong("postgres", "SHOW max_replication_slots")).isEqualTo(64);
        assertThat(pg.queryLong("postgres", "SELECT current_setting('server_version_num')::int / 10000")).isEqualTo(15);
    }

    @Test
    void createsPgoutputSlotInItsOwnDatabase() {
        String db = pg.createDatabase("slot");
        pg.execute(db, "SELECT pg_create_logical_replication_slot('s', 'pgoutput')");

        assertThat(pg.queryString("postgres",
                "SELECT plugin || ' ' || database FROM pg_replication_slots WHERE slot_name = 's'"))
                .isEqualTo("pgoutput " + db);

        pg.dropDatabase(db);
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 's'")).isZero();
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")).isZero();
    }

    @Test
    void acceptsReplicationConnectionsWithThePassword() throws SQLException {
        String db = pg.createDatabase("replication");
        String url = "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + db;

        try (Connection connection = DriverManager.getConnection(url, replicationProperties());
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("IDENTIFY_SYSTEM")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("dbname")).isEqualTo(db);
        }
    }

    @Test
    void dropsDatabaseWhoseSlotIsStreaming() throws SQLException {
        String db = pg.createDatabase("streaming");
        pg.execute(db, "CREATE PUBLICATION p FOR ALL TABLES",
                "SELECT pg_create_logical_replication_slot('busy', 'pgoutput')");

        try (Connection connection = DriverManager.getConnection(
                        "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/" + db, replicationProperties());
                PGReplicationStream stream = connection.unwrap(PGConnection.class).getReplicationAPI()
                        .replicationStream().logical()
                        .withSlotName("busy")
                        .withSlotOption("proto_version", "1")
                        .withSlotOption("publication_names", "p")
                        .start()) {
            assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'busy' AND active")).isEqualTo(1);

            pg.dropDatabase(db);

            assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots")).isZero();
        } catch (SQLException expectedWhenClosingTheTerminatedStream) {
            // closing a stream whose walsender was terminated fails; the assertions above already ran
        }
        assertThat(pg.queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = '" + db + "'")).isZero();
    }

    @Test
    void rejectsAWrongPassword() {
        assertThatThrownBy(() -> DriverManager.getConnection(
                        "jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/postgres", "postgres", "wrong"))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
    }

    @Test
    void connectsThroughUrlAndEndpoint() throws SQLException {
        String db = pg.createDatabase("url");
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(db))) {
            assertThat(connection.getCatalog()).isEqualTo(db);
        }
        assertThat(pg.endpoint(db).describe()).isEqualTo(pg.host() + ":" + pg.port() + "/" + db + " as postgres");
        assertThat(pg.endpoint(db).password()).isEqualTo("postgres");
    }

    @Test
    void createsDatabasesWithValidUniqueNames() {
        String first = pg.createDatabase("My-Test.Case");
        String second = pg.createDatabase("My-Test.Case");

        assertThat(first).matches("my_test_case_\\d+").isNotEqualTo(second);
        assertThat(pg.queryString(first, "SELECT current_database()")).isEqualTo(first);
    }

    @Test
    void keepsDatabaseNamesWithinPostgresLimits() {
        assertThat(TestPostgres.databaseName("9lives")).startsWith("db_9lives_");
        assertThat(TestPostgres.databaseName("")).startsWith("db_");
        assertThat(TestPostgres.databaseName("x".repeat(100))).hasSizeLessThanOrEqualTo(63);
    }

    @Test
    void reportsFailedStatementsWithTheirDatabase() {
        String db = pg.createDatabase("failing");
        assertThatThrownBy(() -> pg.execute(db, "SELECT * FROM missing_table"))
                .hasMessageContaining("SELECT * FROM missing_table")
                .hasMessageContaining("/" + db)
                .hasMessageContaining("42P01");
    }

    private static Properties replicationProperties() {
        Properties properties = new Properties();
        PGProperty.USER.set(properties, TestPostgres.SUPERUSER);
        PGProperty.PASSWORD.set(properties, TestPostgres.SUPERUSER_PASSWORD);
        PGProperty.REPLICATION.set(properties, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(properties, "10");
        PGProperty.PREFER_QUERY_MODE.set(properties, "simple");
        return properties;
    }

    @Test
    void ignoresCloseOfTheSharedServer() {
        pg.close();
        assertThat(pg.queryLong("postgres", "SELECT 1")).isEqualTo(1);
    }
}
