package io.pgflo.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** A server of its own per test: restarting the shared one would break every other test using it. */
class RestartTest {
    @Test
    void restartKeepsDataSlotsAndPort() throws SQLException {
        try (TestPostgres pg = TestPostgres.start()) {
            String db = pg.createDatabase("restart");
            Workload.createUsersTable(pg, db);
            Workload.runUsersScenario(pg, db, 5, 0, 0);
            pg.execute(db, "SELECT pg_create_logical_replication_slot('survivor', 'pgoutput')");
            int port = pg.port();

            try (Connection before = pg.connect(db)) {
                pg.restart();
                assertThatThrownBy(() -> before.createStatement().execute("SELECT 1")).isInstanceOf(SQLException.class);
            }

            assertThat(pg.port()).isEqualTo(port);
            assertThat(pg.queryLong(db, "SELECT count(*) FROM users")).isEqualTo(5);
            assertThat(pg.queryString("postgres", "SELECT slot_name FROM pg_replication_slots")).isEqualTo("survivor");
            pg.execute(db, "INSERT INTO users (data) VALUES ('after restart')");
            assertThat(pg.queryLong(db, "SELECT max(id) FROM users")).isEqualTo(6);
        }
    }

    @Test
    void closeDeletesTheEmbeddedServersFiles() {
        TestPostgres pg = TestPostgres.start();
        Path log = pg.logFile().orElse(null);
        pg.close();

        assertThatThrownBy(pg::restart).isInstanceOf(IllegalStateException.class);
        if (log != null) {
            assertThat(Files.exists(log.getParent())).isFalse();
        }
    }

    @Test
    void exposesTheEmbeddedBinaries() {
        TestPostgres pg = TestPostgres.shared();
        if (pg.kind().equals("embedded")) {
            assertThat(pg.binDirectory()).hasValueSatisfying(bin -> {
                assertThat(bin.resolve("pg_ctl")).isExecutable();
                assertThat(bin.resolve("postgres")).isExecutable();
            });
        } else {
            assertThat(pg.binDirectory()).isEmpty();
        }
    }
}
