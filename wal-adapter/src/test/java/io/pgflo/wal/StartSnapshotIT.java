package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.SourceChange;
import io.pgflo.domain.StreamSnapshot;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The snapshot a new slot starts from ({@link WalSourceConfig#keepStartSnapshot()}), against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class StartSnapshotIT {

    @Test
    void aNewSlotsSnapshotShowsWhatTheStreamDoesNotDeliver(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("snapshot");
        WalSourceConfig config = tableOfIds(pg, db, "snapshot").withStartSnapshot(true);
        pg.execute(db, "INSERT INTO t VALUES (1), (2)");
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            StreamSnapshot snapshot = source.startSnapshot().orElseThrow();
            assertThat(snapshot.consistentPoint()).as("the slot starts where the snapshot was taken")
                    .isEqualTo(source.slotPosition());
            pg.execute(db, "INSERT INTO t VALUES (3)");
            // The stream begun early, on a connection of its own, leaves the snapshot as it is.
            source.prepareToStart();
            assertThat(idsUnder(pg, db, snapshot.id())).containsExactly("1", "2");

            List<String> copied = new ArrayList<>();
            try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "snapshot-test",
                    Optional.of(snapshot.id()), 2)) {
                source.releaseSnapshot();
                source.releaseSnapshot(); // idempotent
                assertThat(source.startSnapshot()).isEmpty();
                assertThatThrownBy(() -> idsUnder(pg, db, snapshot.id()))
                        .as("once released, the snapshot cannot be imported")
                        .isInstanceOf(SQLException.class).hasMessageContaining("invalid snapshot identifier");
                for (var part : reader.plan(new TableName("public", "t"), 8192)) {
                    reader.read(part, row -> copied.add(row.newRow().text("id")));
                }
            }
            assertThat(copied).as("the readers that imported it keep it").containsExactlyInAnyOrder("1", "2");

            source.start(Position.START);
            pg.execute(db, "INSERT INTO t VALUES (4)");
            assertThat(PostgresChangeSourceIT.drain(source, 4)).filteredOn(ChangeEvent.class::isInstance)
                    .extracting(message -> ((SourceChange) message).newRow().text("id"))
                    .as("the stream has what came after the snapshot, and nothing before it").containsExactly("3", "4");
        }
    }

    @Test
    void startLetsTheSnapshotGo(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("snapshotstart");
        WalSourceConfig config = tableOfIds(pg, db, "snapshotstart").withStartSnapshot(true);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            String id = source.startSnapshot().orElseThrow().id();
            assertThat(idsUnder(pg, db, id)).isEmpty();
            source.start(Position.START);
            assertThat(source.startSnapshot()).isEmpty();
            assertThatThrownBy(() -> idsUnder(pg, db, id)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void closeLetsTheSnapshotGo(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("snapshotclose");
        WalSourceConfig config = tableOfIds(pg, db, "snapshotclose").withStartSnapshot(true);
        String id;
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            id = source.startSnapshot().orElseThrow().id();
        }
        assertThatThrownBy(() -> idsUnder(pg, db, id)).isInstanceOf(SQLException.class);
    }

    @Test
    void aSlotThatExistsHasNoSnapshot(TestPostgres pg) {
        String db = pg.createDatabase("snapshotexists");
        WalSourceConfig config = tableOfIds(pg, db, "snapshotexists").withStartSnapshot(true);
        PostgresChangeSource.open(config).close();
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            assertThat(source.startSnapshot()).isEmpty();
        }
    }

    @Test
    void withoutTheOptionANewSlotHasNoSnapshot(TestPostgres pg) {
        String db = pg.createDatabase("snapshotoff");
        try (PostgresChangeSource source = PostgresChangeSource.open(tableOfIds(pg, db, "snapshotoff"))) {
            assertThat(source.startSnapshot()).isEmpty();
        }
    }

    @Test
    void aRunThatFailsBeforeItStartsDropsItsSlotAndLetsTheSnapshotGo(TestPostgres pg) {
        String db = pg.createDatabase("snapshotfail");
        WalSourceConfig config = tableOfIds(pg, db, "snapshotfail").withStartSnapshot(true);
        String slots = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_snapshotfail_slot'";
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            String id = source.startSnapshot().orElseThrow().id();
            assertThat(pg.queryLong(db, slots)).isOne();
            source.abandonIfNotStarted();
            assertThat(pg.queryLong(db, slots)).as("the slot this run created").isZero();
            assertThat(source.startSnapshot()).isEmpty();
            assertThatThrownBy(() -> idsUnder(pg, db, id)).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void theLoserOfARaceForANewSlotHasNoSnapshotAndTheSlotIsNotItsOwn(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("snapshotrace");
        tableOfIds(pg, db, "snapshotrace");
        // The winner created the slot between the loser's look and its CREATE_REPLICATION_SLOT.
        pg.execute(db, "SELECT pg_create_logical_replication_slot('pg_flo_snapshotrace_slot', 'pgoutput')");
        assertThat(StartSnapshot.createSlot(pg.endpoint(db), "race-test", "pg_flo_snapshotrace_slot")).isEmpty();
        PostgresSnapshotReaderIT.awaitNoSession(pg, db, "race-test"); // the loser's replication connection
    }

    @Test
    void theSnapshotOutlivesTheServersTimeoutForIdleTransactions(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("snapshotidle");
        pg.execute(db, "ALTER DATABASE " + db + " SET idle_in_transaction_session_timeout = '1s'",
                "ALTER DATABASE " + db + " SET idle_session_timeout = '1s'");
        WalSourceConfig config = tableOfIds(pg, db, "snapshotidle").withStartSnapshot(true);
        pg.execute(db, "INSERT INTO t VALUES (1)");
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            String id = source.startSnapshot().orElseThrow().id();
            Thread.sleep(2_500); // the copy's set-up: connecting to the sink, planning the tables
            assertThat(idsUnder(pg, db, id)).containsExactly("1");
        }
    }

    /** Creates table {@code t (id int PRIMARY KEY)} and a source config for it, without heartbeats. */
    private static WalSourceConfig tableOfIds(TestPostgres pg, String db, String group) {
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        return WalSourceConfig.of(pg.endpoint(db), group, "public", List.of("t")).withHeartbeatInterval(Duration.ZERO);
    }

    /** The ids in {@code t} as a session that imported {@code snapshot} sees them. */
    static List<String> idsUnder(TestPostgres pg, String db, String snapshot) throws SQLException {
        try (Connection connection = pg.connect(db); Statement statement = connection.createStatement()) {
            statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT id FROM t ORDER BY id")) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }
}
