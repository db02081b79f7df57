package io.pgflo.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.Lsn;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link WalToPostgres} against a real PostgreSQL: the target's rows and schema, a clean stop, and a resume. */
@ExtendWith(PostgresExtension.class)
class WalToPostgresIT {
    private static final String GROUP = "example_postgres";
    private static final String ROWS = "SELECT t::text FROM items t ORDER BY id";

    @Test
    void replicatesRowsAndSchemaChangesStopsCleanlyAndResumesWithoutRepeats(TestPostgres pg) throws Exception {
        String sourceDb = pg.createDatabase("example_source");
        String targetDb = pg.createDatabase("example_target");
        try {
            pg.execute(sourceDb, "CREATE TABLE items (id int PRIMARY KEY, name text)");
            DatabaseEndpoint source = pg.endpoint(sourceDb);
            DatabaseEndpoint target = pg.endpoint(targetDb);
            ReplicationSlot slot = new ReplicationSlot(pg, sourceDb, GROUP);
            ExampleRun.Program program = stop -> WalToPostgres.run(source, target, GROUP, List.of("items"), stop);

            Lsn firstStop;
            try (ExampleRun run = ExampleRun.start("wal-to-postgres", program)) {
                slot.awaitStreaming(run::assertRunning);
                pg.execute(sourceDb, "INSERT INTO items VALUES (1, 'apple'), (2, 'pear'), (3, 'plum')",
                        "UPDATE items SET name = 'green pear' WHERE id = 2", "DELETE FROM items WHERE id = 3",
                        "ALTER TABLE items ADD COLUMN price numeric(10,2)", "INSERT INTO items VALUES (4, 'fig', 2.50)",
                        "UPDATE items SET price = 1.25 WHERE id = 1");
                run.awaitUntil("the source's rows in the target", () -> rows(pg, targetDb).equals(rows(pg, sourceDb)));
                firstStop = run.stop().lsn(); // a clean stop checkpoints after a whole transaction
            }
            assertThat(rows(pg, targetDb)).as("the table created, altered and filled on the target")
                    .containsExactly("(1,apple,1.25)", "(2,\"green pear\",)", "(4,fig,2.50)");
            assertStoppedCleanly(pg, targetDb, slot, firstStop);

            // From here on the target records every row the sink writes into items, even as a replica (ALWAYS).
            pg.execute(targetDb, "CREATE TABLE applied (row_text text)",
                    "CREATE FUNCTION record_applied() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                            + "INSERT INTO applied VALUES (NEW::text); RETURN NULL; END $$",
                    "CREATE TRIGGER record_applied AFTER INSERT OR UPDATE ON items FOR EACH ROW "
                            + "EXECUTE FUNCTION record_applied()",
                    "ALTER TABLE items ENABLE ALWAYS TRIGGER record_applied");
            // Written while nothing streams: the slot keeps them for the next run.
            pg.execute(sourceDb, "INSERT INTO items VALUES (5, 'kiwi', 0.80)",
                    "UPDATE items SET name = 'red apple' WHERE id = 1");
            Lsn secondStop;
            try (ExampleRun run = ExampleRun.start("wal-to-postgres-again", program)) {
                run.awaitUntil("the source's rows in the target", () -> rows(pg, targetDb).equals(rows(pg, sourceDb)));
                secondStop = run.stop().lsn(); // a clean stop checkpoints after a whole transaction
            }
            assertThat(rows(pg, targetDb))
                    .containsExactly("(1,\"red apple\",1.25)", "(2,\"green pear\",)", "(4,fig,2.50)", "(5,kiwi,0.80)");
            assertThat(query(pg, targetDb, "SELECT row_text FROM applied"))
                    .as("rows the second run wrote: only the changes made after the first run stopped")
                    .containsExactlyInAnyOrder("(5,kiwi,0.80)", "(1,\"red apple\",1.25)");
            assertThat(secondStop).isGreaterThan(firstStop);
            assertStoppedCleanly(pg, targetDb, slot, secondStop);
        } finally {
            pg.dropDatabase(sourceDb);
            pg.dropDatabase(targetDb);
        }
    }

    /** The run returned the checkpoint committed in the target, acknowledged it to the slot and let go of the slot. */
    private static void assertStoppedCleanly(TestPostgres pg, String targetDb, ReplicationSlot slot, Lsn stoppedAt) {
        String checkpoint = "SELECT lsn::text FROM internal_pg_flo.lsn_status WHERE group_name = '" + GROUP + "'";
        assertThat(Lsn.parse(pg.queryString(targetDb, checkpoint))).as("checkpoint in the target").isEqualTo(stoppedAt);
        slot.awaitReleased();
        assertThat(slot.confirmedPosition()).as("position acknowledged to the slot").isEqualTo(stoppedAt);
    }

    /** The rows of items, each in its text form; none while the target has no such table yet. */
    private static List<String> rows(TestPostgres pg, String db) {
        try {
            return query(pg, db, ROWS);
        } catch (SQLException e) {
            return List.of();
        }
    }

    private static List<String> query(TestPostgres pg, String db, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = pg.connect(db); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        }
        return rows;
    }
}
