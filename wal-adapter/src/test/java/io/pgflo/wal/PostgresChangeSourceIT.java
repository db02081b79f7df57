package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.Batch;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Operation;
import io.pgflo.domain.Pipeline;
import io.pgflo.sink.api.Sink;
import io.pgflo.domain.SourceMessage;
import io.pgflo.sink.api.TableName;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.testkit.PipelineThread;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The replication stream against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresChangeSourceIT {

    @Test
    void streamsEveryOperationInCommitOrderWithTypedTextValues(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("wal");
        pg.execute(db,
                "CREATE TYPE mood AS ENUM ('sad', 'happy')",
                "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
                "CREATE TABLE items (id bigint PRIMARY KEY, name text, mood mood, score positive, tags text[], "
                        + "at timestamptz, payload jsonb)",
                "CREATE TABLE other (id int PRIMARY KEY)");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "Wal Test", "public", List.of("items"))
                .withHeartbeatInterval(Duration.ZERO);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            pg.execute(db,
                    "INSERT INTO items VALUES (1, 'a', 'happy', 5, ARRAY['x', NULL, 'y z'], '2026-11-24 12:00:00+02', '{\"k\": [1, 2]}')",
                    "INSERT INTO other VALUES (1)",
                    "BEGIN; UPDATE items SET name = 'b' WHERE id = 1; UPDATE items SET id = 2 WHERE id = 1; COMMIT",
                    "DELETE FROM items WHERE id = 2",
                    "TRUNCATE items");
            List<SourceMessage> messages = drain(source, 9);
            List<ChangeEvent> events = messages.stream().filter(ChangeEvent.class::isInstance).map(ChangeEvent.class::cast).toList();
            assertThat(events).extracting(ChangeEvent::operation).containsExactly(
                    Operation.INSERT, Operation.UPDATE, Operation.UPDATE, Operation.DELETE, Operation.TRUNCATE);
            assertThat(events).extracting(ChangeEvent::table).containsOnly("items");

            ChangeEvent insert = events.get(0);
            assertThat(insert.newRow().text("mood")).isEqualTo("happy");
            assertThat(insert.newRow().get("mood").orElseThrow().type().name()).isEqualTo("mood");
            assertThat(insert.newRow().get("score").orElseThrow().type().baseOid()).isEqualTo(23);
            assertThat(insert.newRow().text("tags")).isEqualTo("{x,NULL,\"y z\"}");
            assertThat(insert.newRow().get("tags").orElseThrow().type().elementOid()).isEqualTo(25);
            assertThat(insert.newRow().text("at")).as("session is UTC, ISO").isEqualTo("2026-11-24 10:00:00+00");
            assertThat(insert.newRow().text("payload")).isEqualTo("{\"k\": [1, 2]}");

            ChangeEvent keyChange = events.get(2);
            assertThat(keyChange.oldRow().text("id")).isEqualTo("1");
            assertThat(keyChange.newRow().text("id")).isEqualTo("2");
            assertThat(keyChange.commitLsn()).isEqualTo(events.get(1).commitLsn());
            assertThat(keyChange.ordinal()).isEqualTo(1);

            List<Lsn> commits = messages.stream().filter(TransactionCommit.class::isInstance)
                    .map(m -> ((TransactionCommit) m).endLsn()).toList();
            assertThat(commits).hasSize(4).isSorted();
        }
    }

    @Test
    void streamsSchemaQualifiedTablesBesideOnesOfTheDefaultSchema(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("qualified");
        pg.execute(db, "CREATE SCHEMA sales", "CREATE TABLE sales.orders (id int PRIMARY KEY)",
                "CREATE SCHEMA \"Odd.Schema\"", "CREATE TABLE \"Odd.Schema\".t (id int PRIMARY KEY)",
                "CREATE TABLE t (id int PRIMARY KEY)");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "qualified", "public",
                List.of("sales.orders", "\"Odd.Schema\".t", "t")).withHeartbeatInterval(Duration.ZERO);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            assertThat(source.tables()).containsExactly(new TableName("sales", "orders"), new TableName("Odd.Schema", "t"),
                    new TableName("public", "t"));
            source.start(Position.START);
            pg.execute(db, "INSERT INTO sales.orders VALUES (1)", "INSERT INTO \"Odd.Schema\".t VALUES (2)",
                    "INSERT INTO t VALUES (3)");
            assertThat(drain(source, 6).stream().filter(ChangeEvent.class::isInstance).map(ChangeEvent.class::cast)
                    .map(event -> event.qualifiedTable() + "=" + event.newRow().text("id")))
                    .containsExactly("sales.orders=1", "Odd.Schema.t=2", "public.t=3");
        }
    }

    @Test
    void resumesAfterTheAcknowledgedCheckpointWithoutRepeats(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("resume");
        WalSourceConfig config = tableOfIds(pg, db, "resume");
        // Only the first transaction is durable "in the sink"; the second must come again.
        Lsn checkpoint = firstRun(pg, db, config, 2, true);
        pg.execute(db, "INSERT INTO t VALUES (3)");
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            assertThat(source.slotPosition()).isEqualTo(checkpoint);
            source.start(Position.afterTransaction(checkpoint));
            List<SourceMessage> again = drain(source, 4);
            assertThat(insertedIds(again))
                    .containsExactly("2", "3");
        }
    }

    @Test
    void aStreamBegunEarlyKeepsItsWalsenderAndDeliversOnlyWhatFollowsTheCheckpoint(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("early");
        WalSourceConfig config = tableOfIds(pg, db, "early");
        Lsn checkpoint = firstRun(pg, db, config, 1, true);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            assertThat(source.slotPosition()).isEqualTo(checkpoint);
            source.prepareToStart();
            String walsender = pg.queryString(db, "SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = 'pg_flo_early_slot'");
            assertThat(walsender).as("streaming began before start").isNotNull();
            pg.execute(db, "INSERT INTO t VALUES (2)");
            assertThat(source.poll(Duration.ofMillis(300))).as("nothing is decoded before start names the checkpoint").isNull();
            source.start(Position.afterTransaction(checkpoint));
            assertThat(insertedIds(drain(source, 2))).containsExactly("2");
            assertThat(pg.queryString(db, "SELECT active_pid::text FROM pg_replication_slots WHERE slot_name = 'pg_flo_early_slot'"))
                    .as("the stream begun early is the one that streams").isEqualTo(walsender);
        }
    }

    @Test
    void aStreamBegunEarlyIsBegunAgainAtACheckpointAheadOfTheSlot(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("ahead");
        WalSourceConfig config = tableOfIds(pg, db, "ahead");
        // The sink made the first transaction durable but the slot never heard of it: it still starts before both.
        Lsn checkpoint = firstRun(pg, db, config, 2, false);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            assertThat(source.slotPosition()).isLessThan(checkpoint);
            source.prepareToStart();
            pg.execute(db, "INSERT INTO t VALUES (3)");
            source.start(Position.afterTransaction(checkpoint));
            assertThat(insertedIds(drain(source, 4))).containsExactly("2", "3");
        }
    }

    @Test
    void aStreamBegunEarlyOutlivesTheServersTimeoutForSilentClients(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("patient");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)",
                // Applies to the walsender of this database only; it drops a client silent for longer than this.
                "ALTER DATABASE " + db + " SET wal_sender_timeout = '1500ms'");
        WalSourceConfig base = WalSourceConfig.of(pg.endpoint(db), "patient", "public", List.of("t"));
        WalSourceConfig config = new WalSourceConfig(base.endpoint(), base.names(), base.schema(), base.tables(),
                Duration.ZERO, Duration.ofMillis(500), false);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.prepareToStart();
            pg.execute(db, "INSERT INTO t VALUES (1)");
            Thread.sleep(4_000); // a slow sink start-up: a schema sync, say
            assertThat(pg.queryString(db, "SELECT active::text FROM pg_replication_slots WHERE slot_name = 'pg_flo_patient_slot'"))
                    .as("the server kept the stream that said nothing for longer than wal_sender_timeout").isEqualTo("true");
            source.start(Position.START);
            pg.execute(db, "INSERT INTO t VALUES (2)");
            List<SourceMessage> messages = drain(source, 4);
            assertThat(insertedIds(messages))
                    .containsExactly("1", "2");
        }
    }

    @Test
    void aNewSlotIsDroppedWhenTheRunFailsAfterItsStreamWasBegun(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("dropearly");
        WalSourceConfig config = tableOfIds(pg, db, "dropearly");
        String slots = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_dropearly_slot'";
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.prepareToStart();
            assertThat(pg.queryLong(db, slots)).isEqualTo(1);
            source.abandonIfNotStarted();
            assertThat(pg.queryLong(db, slots)).as("slot dropped although its stream had begun").isZero();
        }
    }

    @Test
    void heartbeatsMoveTheSlotWhileTheTablesAreIdle(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("idle");
        pg.execute(db, "CREATE TABLE quiet (id int PRIMARY KEY)", "CREATE TABLE busy (id serial PRIMARY KEY, v text)");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "idle", "public", List.of("quiet"))
                .withHeartbeatInterval(Duration.ofMillis(200));
        PostgresChangeSource source = PostgresChangeSource.open(config);
        Pipeline pipeline = new Pipeline(source, new CollectingSink(), new BatchPolicy(100, Duration.ofMillis(50)));
        PipelineThread running = PipelineThread.start(pipeline, "idle-pipeline");
        try {
            String slotQuery = "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'pg_flo_idle_slot'";
            Lsn before = Lsn.parse(pg.queryString(db, slotQuery));
            pg.execute(db, "INSERT INTO busy (v) SELECT repeat('x', 100) FROM generate_series(1, 5000)");
            Lsn busyEnd = Lsn.parse(pg.queryString(db, "SELECT pg_current_wal_insert_lsn()::text"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            Lsn confirmed = before;
            while (System.nanoTime() < deadline && !confirmed.isAfter(busyEnd)) {
                Thread.sleep(100);
                confirmed = Lsn.parse(pg.queryString(db, slotQuery));
            }
            assertThat(confirmed).as("slot moved past the busy table's WAL").isGreaterThan(busyEnd);
            assertThat(pipeline.stats().eventsWritten()).isZero();
        } finally {
            running.stop(Duration.ofSeconds(10));
            source.close();
        }
    }

    @Test
    void aStreamedTransactionSpoolsIntoTheConfiguredDirectory(TestPostgres pg, @TempDir Path temp) throws Exception {
        String db = pg.createDatabase("spooldir");
        pg.execute(db, "ALTER DATABASE " + db + " SET logical_decoding_work_mem = '64kB'");
        // Below a regular file: no process, not even root's, can create a file there.
        Path notADirectory = Files.writeString(temp.resolve("a-file"), "").resolve("spool");
        WalSourceConfig config = tableOfIds(pg, db, "spooldir").withProvisionalChanges(true)
                .withSpoolDirectory(notADirectory);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            // About 3 MB of changes: the server streams them, and the spool outgrows its memory.
            pg.execute(db, "INSERT INTO t SELECT generate_series(1, 100000)");
            assertThatThrownBy(() -> drain(source, 100_001)) // the changes and the commit
                    .hasStackTraceContaining("to a file in " + notADirectory);
        }
    }

    @Test
    void aTypeThatArrivesAfterTheServersIdleTimeoutIsStillLookedUp(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("idlesession");
        pg.execute(db, "ALTER DATABASE " + db + " SET idle_session_timeout = '1s'");
        WalSourceConfig config = tableOfIds(pg, db, "idlesession");
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            Thread.sleep(2_500); // the source's own connections idle past the timeout
            pg.execute(db, "CREATE TYPE mood AS ENUM ('calm', 'busy')", "ALTER TABLE t ADD COLUMN m mood",
                    "INSERT INTO t VALUES (1, 'busy')");
            ChangeEvent insert = (ChangeEvent) drain(source, 2).get(0);
            assertThat(insert.newRow().get("m").orElseThrow().type().name()).isEqualTo("mood");
            assertThat(insert.newRow().text("m")).isEqualTo("busy");
        }
    }

    @Test
    void refusesASlotTheServerInvalidatedSayingWhatToDo() throws Exception {
        try (TestPostgres pg = TestPostgres.start()) {
            pg.execute("postgres", "ALTER SYSTEM SET max_slot_wal_keep_size = '16MB'", "SELECT pg_reload_conf()");
            String db = pg.createDatabase("invalidated");
            WalSourceConfig config = tableOfIds(pg, db, "invalidated");
            PostgresChangeSource.open(config).close();
            for (int round = 0; round < 3; round++) { // well past 16 MB of WAL, each segment switched and recycled
                pg.execute(db, "CREATE TABLE IF NOT EXISTS filler (v text)",
                        "INSERT INTO filler SELECT repeat('x', 1000) FROM generate_series(1, 20000)",
                        "SELECT pg_switch_wal()", "CHECKPOINT");
            }
            assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE wal_status = 'lost'")).isOne();
            assertThatThrownBy(() -> PostgresChangeSource.open(config))
                    .isInstanceOf(SlotInvalidatedException.class) // which a reconnecting stream does not retry
                    .hasMessageContaining("replication slot pg_flo_invalidated_slot was invalidated by the server")
                    .hasMessageContaining("pg_drop_replication_slot('pg_flo_invalidated_slot')");
        }
    }

    @Test
    void aStreamThatRanDoesNotMakeItsDroppedSlotAgain(TestPostgres pg) {
        String db = pg.createDatabase("slotgone");
        WalSourceConfig config = tableOfIds(pg, db, "slotgone");
        PostgresChangeSource.open(config).close();
        pg.execute(db, "SELECT pg_drop_replication_slot('pg_flo_slotgone_slot')",
                "DROP PUBLICATION pg_flo_slotgone_publication");

        assertThatThrownBy(() -> PostgresChangeSource.open(config.withSlotMustExist(true)))
                .isInstanceOf(SlotInvalidatedException.class) // which a reconnecting stream does not retry
                .hasMessageContaining("replication slot pg_flo_slotgone_slot of group 'slotgone' is gone from "
                        + pg.host() + ":" + pg.port() + "/" + db);
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_slotgone_slot'"))
                .isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_publication")).as("nothing made either").isZero();
        PostgresChangeSource.open(config).close(); // a new run makes a new slot, as for a new group
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_slotgone_slot'"))
                .isOne();
        pg.execute(db, "SELECT pg_drop_replication_slot('pg_flo_slotgone_slot')");
    }

    @Test
    void aPartitionedTablesChangesComeUnderItsOwnName(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("partitioned");
        pg.execute(db, "CREATE TABLE readings (id int, at date, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                "CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
                // A publication of an earlier pg_flo, made without the option: it is set on it.
                "CREATE PUBLICATION pg_flo_partitioned_publication FOR TABLE readings");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "partitioned", "public", List.of("readings"))
                .withHeartbeatInterval(Duration.ZERO);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            pg.execute(db, "INSERT INTO readings VALUES (1, '2025-06-01', 10), (2, '2026-06-01', 20)",
                    "UPDATE readings SET v = 21 WHERE id = 2");
            List<SourceMessage> messages = drain(source, 5);
            assertThat(messages).filteredOn(ChangeEvent.class::isInstance).map(ChangeEvent.class::cast)
                    .extracting(event -> event.operation() + " " + event.qualifiedTable())
                    .containsExactly("INSERT public.readings", "INSERT public.readings", "UPDATE public.readings");
        }
    }

    @Test
    void aPublicationThatAnotherUserOwnsIsUsedAsItIs(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("foreignpub");
        String role = "cdc_" + db; // roles are per server; the database name is unique
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)",
                "CREATE ROLE " + role + " LOGIN REPLICATION PASSWORD 'cdc-pw'", "GRANT SELECT ON t TO " + role,
                // As the README advises a user that may not create it: made by the tables' owner.
                "CREATE PUBLICATION pg_flo_foreignpub_publication FOR TABLE t");
        var endpoint = pg.endpoint(db);
        var cdc = new io.pgflo.domain.DatabaseEndpoint(endpoint.host(), endpoint.port(), db, role, "cdc-pw", null, null);
        WalSourceConfig config = WalSourceConfig.of(cdc, "foreignpub", "public", List.of("t"))
                .withHeartbeatInterval(Duration.ZERO);
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            pg.execute(db, "INSERT INTO t VALUES (1)");
            assertThat(insertedIds(drain(source, 2))).containsExactly("1");
        }
    }

    @Test
    void refusesMissingTablesNamingThem(TestPostgres pg) {
        String db = pg.createDatabase("missing");
        pg.execute(db, "CREATE TABLE present (id int PRIMARY KEY)");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "missing", "public", List.of("present", "absent"));
        assertThatThrownBy(() -> PostgresChangeSource.open(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("public.absent")
                .hasMessageContaining("--tables");
    }

    @Test
    void refusesASlotInUseByAnotherProcess(TestPostgres pg) {
        String db = pg.createDatabase("busy");
        WalSourceConfig config = tableOfIds(pg, db, "busy");
        try (PostgresChangeSource first = PostgresChangeSource.open(config)) {
            first.start(Position.START);
            assertThatThrownBy(() -> PostgresChangeSource.open(config))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("pg_flo_busy_slot is in use");
        }
    }

    @Test
    void refusesAUserWithoutReplicationAndNeverPrintsThePassword(TestPostgres pg) {
        String db = pg.createDatabase("norepl");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)", "DROP ROLE IF EXISTS plain_user",
                "CREATE ROLE plain_user LOGIN PASSWORD 's3cret-pw'");
        var endpoint = pg.endpoint(db);
        var plain = new io.pgflo.domain.DatabaseEndpoint(endpoint.host(), endpoint.port(), db, "plain_user", "s3cret-pw", null, null);
        assertThatThrownBy(() -> PostgresChangeSource.open(WalSourceConfig.of(plain, "norepl", "public", List.of("t"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("REPLICATION")
                .hasMessageNotContaining("s3cret-pw");
    }

    @Test
    void reportsAnUnreachableServerWithHostAndPort() {
        var endpoint = new io.pgflo.domain.DatabaseEndpoint("127.0.0.1", 1, "db", "u", "pw-not-shown", null, null);
        assertThatThrownBy(() -> PostgresChangeSource.open(WalSourceConfig.of(endpoint, "g", "public", List.of())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("127.0.0.1:1")
                .hasMessageNotContaining("pw-not-shown");
    }

    /** Creates table {@code t (id int PRIMARY KEY)} and a source config for it, without heartbeats. */
    private static WalSourceConfig tableOfIds(TestPostgres pg, String db, String group) {
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        return WalSourceConfig.of(pg.endpoint(db), group, "public", List.of("t")).withHeartbeatInterval(Duration.ZERO);
    }

    /**
     * A first run from a new slot: inserts ids 1 to {@code rows} into {@code t}, one transaction each, reads them all, and
     * returns the end of the first transaction's commit, the checkpoint of a sink that made that one durable;
     * {@code acknowledge} reports it to the slot too.
     */
    private static Lsn firstRun(TestPostgres pg, String db, WalSourceConfig config, int rows, boolean acknowledge)
            throws InterruptedException {
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            for (int id = 1; id <= rows; id++) {
                pg.execute(db, "INSERT INTO t VALUES (" + id + ")");
            }
            Lsn checkpoint = ((TransactionCommit) drain(source, 2 * rows).get(1)).endLsn();
            if (acknowledge) {
                source.acknowledge(checkpoint);
            }
            return checkpoint;
        }
    }

    /** The {@code id} of each change event's new row, in order. */
    private static List<String> insertedIds(List<SourceMessage> messages) {
        return messages.stream().filter(ChangeEvent.class::isInstance).map(m -> ((ChangeEvent) m).newRow().text("id")).toList();
    }

    static List<SourceMessage> drain(PostgresChangeSource source, int count) throws InterruptedException {
        List<SourceMessage> messages = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            SourceMessage message = source.poll(Duration.ofMillis(100));
            if (message != null) {
                messages.add(message);
            }
        }
        assertThat(messages).as("messages received").hasSize(count);
        return messages;
    }

    private static final class CollectingSink implements Sink {
        final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
        private volatile Position checkpoint = Position.START;

        @Override
        public Position lastCheckpoint() {
            return checkpoint;
        }

        @Override
        public void writeBatch(Batch batch) {
            events.addAll(batch.events());
            checkpoint = batch.checkpoint();
        }

        @Override
        public void close() {}
    }
}
