package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Operation;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The DDL capture event triggers on a real PostgreSQL: what reaches the stream, in which order, and for which tables. */
@ExtendWith(PostgresExtension.class)
class DdlCaptureIT {

    @Test
    void deliversSchemaChangesOfReplicatedTablesInWalOrderWithTheData(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("ddl");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, name text)", "CREATE TABLE other (id int PRIMARY KEY)");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "ddl", "public", List.of("items"))
                .withHeartbeatInterval(Duration.ZERO).withCaptureDdl(true);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            pg.execute(db,
                    "BEGIN; ALTER TABLE items ADD COLUMN price numeric DEFAULT 0; "
                            + "INSERT INTO items VALUES (1, 'a', 2.5); COMMIT",
                    "ALTER TABLE other ADD COLUMN ignored int",
                    "CREATE INDEX items_name ON items (name)",
                    "CREATE INDEX CONCURRENTLY items_price ON items (price)",
                    "DROP INDEX CONCURRENTLY items_price",
                    "ALTER TABLE items RENAME TO goods",
                    "ALTER TABLE goods ADD COLUMN serial_no serial",
                    "INSERT INTO goods (id, name) VALUES (2, 'b')");
            List<ChangeEvent> events = events(source, 8);
            assertThat(events).extracting(ChangeEvent::operation).containsExactly(
                    Operation.DDL, Operation.INSERT, Operation.DDL, Operation.DDL, Operation.DDL, Operation.DDL,
                    Operation.DDL, Operation.INSERT);
            // Each change carries the definitions read from the catalog, never the client's statement.
            assertThat(events.get(0).ddl()).contains("\"name\": \"price\", \"type\": \"numeric\"", "\"default\": \"0\"")
                    .doesNotContain("ALTER TABLE");
            assertThat(events.get(0).commitLsn()).as("same transaction as the insert").isEqualTo(events.get(1).commitLsn());
            assertThat(events.get(1).newRow().text("price")).isEqualTo("2.5");
            assertThat(events.get(2).ddl()).contains("\"name\": \"items_name\"", "\"using\": \"btree (name)\"");
            assertThat(events.get(2).table()).isEqualTo("items");
            assertThat(events.get(3).ddl()).contains("\"name\": \"items_price\"");
            assertThat(after(events.get(4))).as("after the drop").doesNotContain("\"name\": \"items_price\"");
            assertThat(events.get(4).table()).as("the dropped index's table, from the definition that listed it")
                    .isEqualTo("items");
            assertThat(after(events.get(5))).contains("\"table\": \"goods\"");
            assertThat(events.get(5).table()).as("announced under the name the target still has").isEqualTo("items");
            assertThat(events.get(6).ddl()).as("one change, though the statement also creates and owns a sequence")
                    .contains("\"name\": \"serial_no\"", "\"sequence\": {\"name\": \"goods_serial_no_seq\"");
            assertThat(events.get(6).table()).as("the registry follows the rename").isEqualTo("goods");
            assertThat(events.get(7).table()).isEqualTo("goods");
        }
    }

    @Test
    void installsIdempotentlyAndKeepsOneRegistrationPerGroup(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("ddl_twice");
        pg.execute(db, "CREATE TABLE a (id int PRIMARY KEY)", "CREATE TABLE b (id int PRIMARY KEY)");
        WalSourceConfig first = WalSourceConfig.of(pg.endpoint(db), "one", "public", List.of("a"))
                .withHeartbeatInterval(Duration.ZERO).withCaptureDdl(true);
        WalSourceConfig second = WalSourceConfig.of(pg.endpoint(db), "two", "public", List.of("a", "b"))
                .withHeartbeatInterval(Duration.ZERO).withCaptureDdl(true);
        for (int run = 0; run < 2; run++) {
            PostgresChangeSource.open(first).close();
            PostgresChangeSource.open(second).close();
        }
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'pg_flo_%'")).isEqualTo(2);
        assertThat(pg.queryString(db, "SELECT string_agg(group_name || ':' || table_name, ',' ORDER BY group_name, table_name) "
                + "FROM internal_pg_flo.ddl_capture_tables")).isEqualTo("one:a,two:a,two:b");
    }

    @Test
    void aUserWhoMayNotCreateEventTriggersStreamsWithoutCapture(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("ddl_plain");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "DROP ROLE IF EXISTS ddl_plain_user",
                "CREATE ROLE ddl_plain_user LOGIN REPLICATION PASSWORD 'pw'",
                "GRANT CREATE ON DATABASE " + db + " TO ddl_plain_user", "ALTER TABLE t OWNER TO ddl_plain_user");
        DatabaseEndpoint admin = pg.endpoint(db);
        DatabaseEndpoint plain = new DatabaseEndpoint(admin.host(), admin.port(), db, "ddl_plain_user", "pw", null, null);
        WalSourceConfig config = WalSourceConfig.of(plain, "plain", "public", List.of("t"))
                .withHeartbeatInterval(Duration.ZERO).withCaptureDdl(true);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            pg.execute(db, "ALTER TABLE t ADD COLUMN v int", "INSERT INTO t VALUES (1, 2)");
            List<ChangeEvent> events = events(source, 1);
            assertThat(events.get(0).operation()).isEqualTo(Operation.INSERT);
        }
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'pg_flo_%'")).isZero();
    }

    @Test
    void aCaptureSchemaThatANonSuperuserMadeFirstIsRefusedNotTrusted(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("ddl_squat");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "DROP ROLE IF EXISTS ddl_squatter",
                "CREATE ROLE ddl_squatter LOGIN PASSWORD 'pw'", "GRANT CREATE ON DATABASE " + db + " TO ddl_squatter",
                "SET ROLE ddl_squatter", "CREATE SCHEMA internal_pg_flo",
                "CREATE TABLE internal_pg_flo.schema_changes (id bigint)", "RESET ROLE");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "squat", "public", List.of("t"))
                .withHeartbeatInterval(Duration.ZERO).withCaptureDdl(true);
        assertThatThrownBy(() -> PostgresChangeSource.open(config)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("schema internal_pg_flo on").hasMessageContaining("owned by a role that is not a "
                        + "superuser").hasMessageContaining("turn DDL tracking off");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_event_trigger WHERE evtname LIKE 'pg_flo_%'")).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_squat_slot'"))
                .isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_publication")).isZero();
    }

    /** The definition after the change. */
    private static String after(ChangeEvent event) {
        return event.ddl().substring(event.ddl().indexOf("\"definition\":"));
    }

    private static List<ChangeEvent> events(PostgresChangeSource source, int count) throws InterruptedException {
        List<ChangeEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            SourceMessage message = source.poll(Duration.ofMillis(100));
            if (message instanceof ChangeEvent event) {
                events.add(event);
            } else if (message != null && !(message instanceof TransactionCommit)) {
                throw new AssertionError("unexpected message " + message);
            }
        }
        assertThat(events).as("events received").hasSize(count);
        return events;
    }
}
