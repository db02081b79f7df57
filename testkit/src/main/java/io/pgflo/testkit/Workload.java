package io.pgflo.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Changes for a CDC test to capture: pg_flo's {@code users} scenario, one transaction per change, so each change is
 * its own commit in the WAL and shows up with its own commit LSN.
 */
public final class Workload {
    private Workload() {}

    /** {@code users(id serial primary key, data text, created_at timestamp default now())}. */
    public static void createUsersTable(TestPostgres pg, String database) {
        pg.execute(database,
                "CREATE TABLE users (id serial PRIMARY KEY, data text, created_at timestamp DEFAULT now())");
    }

    /**
     * Inserts {@code inserts} rows ({@code data = 'user-<n>'}), then updates ids 1..{@code updates}
     * ({@code data = 'updated-<id>'}), then deletes ids 1..{@code deletes}: every statement its own transaction.
     * The ids are those of a freshly created table, whose serial starts at 1.
     */
    public static void runUsersScenario(TestPostgres pg, String database, int inserts, int updates, int deletes) {
        if (inserts < 0 || updates < 0 || deletes < 0) {
            throw new IllegalArgumentException("counts must not be negative: inserts=" + inserts + ", updates=" + updates
                    + ", deletes=" + deletes);
        }
        if (updates > inserts || deletes > inserts) {
            throw new IllegalArgumentException("cannot update " + updates + " or delete " + deletes + " of " + inserts
                    + " inserted rows");
        }
        try (Connection connection = pg.connect(database)) {
            insertUsers(connection, inserts);
            try (PreparedStatement update = connection.prepareStatement("UPDATE users SET data = ? WHERE id = ?")) {
                for (int id = 1; id <= updates; id++) {
                    update.setString(1, "updated-" + id);
                    update.setInt(2, id);
                    update.executeUpdate();
                }
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM users WHERE id = ?")) {
                for (int id = 1; id <= deletes; id++) {
                    delete.setInt(1, id);
                    delete.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("users scenario failed on " + pg.host() + ":" + pg.port() + "/" + database
                    + ": " + e.getMessage(), e);
        }
    }

    /** Inserts {@code count} rows into {@code users} on an autocommit connection: {@code count} transactions. */
    public static void insertUsers(Connection connection, int count) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO users (data) VALUES (?)")) {
            for (int n = 1; n <= count; n++) {
                insert.setString(1, "user-" + n);
                insert.executeUpdate();
            }
        }
    }
}
