package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.CopyChunk;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The initial copy's reads against a real PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresSnapshotReaderIT {
    private static final TableName ITEMS = new TableName("public", "items");

    @Test
    void readsEveryRowOnceAsTheSnapshotHasThemWhileAWriterChangesTheTable(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copyparts");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY, v text, pad text)",
                "INSERT INTO items SELECT i, 'v' || i, repeat('x', 200) FROM generate_series(1, 4000) i");
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "copy-test", Optional.empty(), 3)) {
            AtomicInteger writes = new AtomicInteger();
            Future<?> writer = threads.submit(() -> {
                try (Connection connection = pg.connect(db); Statement statement = connection.createStatement()) {
                    for (int round = 0; writing.get() || round < 20; round++) {
                        statement.execute("UPDATE items SET v = 'changed' WHERE id % 97 = " + (round % 97));
                        statement.execute("DELETE FROM items WHERE id = " + (round * 13 % 4000 + 1));
                        statement.execute("INSERT INTO items VALUES (" + (10_000 + round) + ", 'new', '')");
                        writes.incrementAndGet();
                    }
                }
                return null;
            });
            while (writes.get() < 10 && !writer.isDone()) {
                Thread.sleep(10); // the writer has changed rows before any part is read
            }
            List<CopyChunk> parts = reader.plan(ITEMS, 64 * 1024);
            assertThat(parts).hasSizeGreaterThan(3);
            assertThat(parts.get(parts.size() - 1).end()).isEqualTo(CopyChunk.OPEN);
            assertThat(reader.estimatedRows(ITEMS)).isNotNegative();

            ConcurrentLinkedQueue<SourceChange> copied = new ConcurrentLinkedQueue<>();
            List<Future<?>> reads = new ArrayList<>();
            for (CopyChunk part : parts) {
                reads.add(threads.submit(() -> {
                    reader.read(part, copied::add);
                    return null;
                }));
            }
            for (Future<?> read : reads) {
                read.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            writer.get(60, TimeUnit.SECONDS);

            Map<String, String> rows = new HashMap<>();
            for (SourceChange row : copied) {
                assertThat(rows.put(row.newRow().text("id"), row.newRow().text("v") + "|" + row.newRow().text("pad")))
                        .as("row %s read once", row.newRow().text("id")).isNull();
            }
            assertThat(rows).as("what a plain SELECT under the same snapshot shows")
                    .isEqualTo(selectUnder(pg, db, reader.snapshotId()))
                    .hasSize(4000)
                    .doesNotContainKey("10000");
            assertThat(rows.values()).noneMatch(value -> value.startsWith("changed"));

            SourceChange first = copied.peek();
            assertThat(first.operation()).isEqualTo(Operation.READ);
            assertThat(first.qualifiedTable()).isEqualTo("public.items");
            assertThat(first.keyColumns()).containsExactly("id");
            assertThat(first.ordinal()).isZero();
            assertThat(first.lsn()).isEqualTo(Lsn.ZERO);
            assertThat(first.oldRow()).isNull();
        } finally {
            writing.set(false);
            threads.shutdownNow();
        }
    }

    @Test
    void anEmptyTableIsOneOpenPartWithoutRows(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copyempty");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)");
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "copy-test", Optional.empty(), 1)) {
            assertThat(reader.plan(ITEMS, 1 << 20)).containsExactly(new CopyChunk(ITEMS, 0, 1, 0, CopyChunk.OPEN));
            assertThat(reader.estimatedRows(ITEMS)).isZero();
            List<SourceChange> rows = new ArrayList<>();
            reader.read(reader.plan(ITEMS, 1 << 20).get(0), rows::add);
            assertThat(rows).isEmpty();
        }
    }

    @Test
    void aPartitionedTableIsReadByPartitionUnderItsOwnName(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copypartitioned");
        pg.execute(db, "CREATE TABLE readings (id int, at date, v int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)",
                "CREATE TABLE readings_2025 PARTITION OF readings FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
                // A partition of its own partitions, and one with its columns in another order.
                "CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') "
                        + "PARTITION BY RANGE (id)",
                "CREATE TABLE readings_2026_low PARTITION OF readings_2026 FOR VALUES FROM (0) TO (100)",
                "CREATE TABLE readings_2026_high PARTITION OF readings_2026 FOR VALUES FROM (100) TO (MAXVALUE)",
                "CREATE TABLE readings_2027 (v int, at date NOT NULL, id int NOT NULL)",
                "ALTER TABLE readings ATTACH PARTITION readings_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
                "INSERT INTO readings SELECT i, date '2025-01-01' + (i % 3) * 365, i * 10 FROM generate_series(1, 300) i");
        TableName readings = new TableName("public", "readings");
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "copy-test", Optional.empty(), 2)) {
            List<CopyChunk> parts = reader.plan(readings, 8192);
            assertThat(parts).as("one part per leaf partition").hasSize(4);
            List<SourceChange> rows = readAll(reader, parts);
            assertThat(rows).extracting(SourceChange::qualifiedTable).containsOnly("public.readings");
            assertThat(rows).extracting(row -> row.newRow().text("id")).hasSize(300).doesNotHaveDuplicates();
            assertThat(rows).allSatisfy(row -> {
                assertThat(row.keyColumns()).containsExactly("id", "at");
                assertThat(row.newRow().values()).extracting(value -> value.name()).containsExactly("id", "at", "v");
                assertThat(row.newRow().text("v")).isEqualTo(Integer.parseInt(row.newRow().text("id")) * 10 + "");
            });
        }

        // A role that may read the table but not one of its partitions reads it whole, through the table.
        String role = "copier_" + db;
        pg.execute(db, "CREATE ROLE " + role + " LOGIN PASSWORD 'copier-pw'", "GRANT SELECT ON readings TO " + role);
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(as(pg, db, role), "copy-test", Optional.empty(), 2)) {
            List<CopyChunk> parts = reader.plan(readings, 8192);
            assertThat(parts).containsExactly(new CopyChunk(readings, 0, 1, 0, CopyChunk.OPEN));
            assertThat(readAll(reader, parts)).extracting(row -> row.newRow().text("id")).hasSize(300).doesNotHaveDuplicates();
        }
    }

    @Test
    void refusesATableTheRoleMayNotReadSayingWhatToGrant(TestPostgres pg) {
        String db = pg.createDatabase("copyprivilege");
        String role = "reader_" + db;
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)", "CREATE TABLE \"Odd Name\" (id int)",
                "CREATE ROLE " + role + " LOGIN PASSWORD 'reader-pw'");
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(as(pg, db, role), "copy-test", Optional.empty(), 1)) {
            assertThatThrownBy(() -> reader.plan(ITEMS, 8192)).isInstanceOf(ConfigurationException.class)
                    .hasMessage("cannot copy public.items: role " + role + " has no SELECT privilege on it; "
                            + "GRANT SELECT ON public.items TO " + role);
            assertThatThrownBy(() -> reader.plan(new TableName("public", "Odd Name"), 8192))
                    .hasMessageEndingWith("GRANT SELECT ON public.\"Odd Name\" TO " + role);
            assertThatThrownBy(() -> reader.plan(new TableName("public", "absent"), 8192))
                    .isInstanceOf(ConfigurationException.class).hasMessageStartingWith("cannot copy public.absent: no such table");
        }
    }

    @Test
    void refusesASnapshotThatIsGoneNamingTheEndpoint(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copygone");
        DatabaseEndpoint endpoint = pg.endpoint(db);
        assertThatThrownBy(() -> PostgresSnapshotReader.open(endpoint, "copy-test", Optional.of("00000003-0000001B-1"), 2))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("cannot import snapshot 00000003-0000001B-1 on " + endpoint.describe())
                .hasMessageNotContaining("\n");
        awaitNoSession(pg, db, "copy-test");
        assertThatThrownBy(() -> PostgresSnapshotReader.open(endpoint, "copy-test", Optional.of("1'; DROP TABLE x; --"), 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aPartThatFailsLeavesItsSessionOnTheSnapshot(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copyretry");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 1000)");
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "copy-test", Optional.empty(), 1)) {
            CopyChunk whole = reader.plan(ITEMS, 1 << 20).get(0);
            pg.execute(db, "INSERT INTO items VALUES (1001)");
            assertThatThrownBy(() -> reader.read(whole, row -> {
                throw new IllegalStateException("the sink is full");
            })).hasMessage("the sink is full");
            List<SourceChange> rows = new ArrayList<>();
            reader.read(whole, rows::add);
            assertThat(rows).as("the same snapshot, read again on the same session").hasSize(1000);
        }
    }

    @Test
    void aPartFailsRatherThanWaitBehindASessionThatWaitsForTheTable(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copylock");
        pg.execute(db, "CREATE TABLE items (id int PRIMARY KEY)", "INSERT INTO items SELECT generate_series(1, 10)");
        ExecutorService alter = Executors.newSingleThreadExecutor();
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "copy-test", Optional.empty(), 2)) {
            CopyChunk whole = reader.plan(ITEMS, 1 << 20).get(0); // which locks the table on one session
            Future<?> change = alter.submit(() -> {
                pg.execute(db, "ALTER TABLE items ADD COLUMN extra int");
                return null;
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pg.queryLong(db, "SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'items'::regclass") == 0) {
                assertThat(System.nanoTime()).as("the ALTER waits for the copy").isLessThan(deadline);
                Thread.sleep(20);
            }
            // The next session in turn is the one that did not plan: its lock would queue behind the ALTER.
            assertThatThrownBy(() -> reader.read(whole, row -> {})).isInstanceOf(SourceException.class)
                    .hasMessageStartingWith("cannot read public.items part 1/1 on " + pg.endpoint(db).describe()
                            + ": another session waits for a lock on public.items");
            assertThat(change).isNotDone();
        } finally {
            alter.shutdown();
            assertThat(alter.awaitTermination(10, TimeUnit.SECONDS)).as("the ALTER ran once the copy ended").isTrue();
        }
    }

    /** Waits until no session of {@code applicationName} is left on {@code db}: a backend exits just after its client. */
    static void awaitNoSession(TestPostgres pg, String db, String applicationName) throws InterruptedException {
        String sessions = "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + db + "' AND application_name = '"
                + applicationName + "'";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pg.queryLong(db, sessions) > 0) {
            assertThat(System.nanoTime()).as("sessions of %s closed", applicationName).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<SourceChange> readAll(PostgresSnapshotReader reader, List<CopyChunk> parts) throws InterruptedException {
        List<SourceChange> rows = new ArrayList<>();
        for (CopyChunk part : parts) {
            reader.read(part, rows::add);
        }
        return rows;
    }

    private static DatabaseEndpoint as(TestPostgres pg, String db, String role) {
        DatabaseEndpoint endpoint = pg.endpoint(db);
        return new DatabaseEndpoint(endpoint.host(), endpoint.port(), db, role, role.split("_")[0] + "-pw", null, null);
    }

    /** id → "v|pad" of every row of items, as a plain SELECT in a session that imported {@code snapshot} sees them. */
    private static Map<String, String> selectUnder(TestPostgres pg, String db, String snapshot) throws SQLException {
        try (Connection connection = pg.connect(db); Statement statement = connection.createStatement()) {
            statement.execute("BEGIN ISOLATION LEVEL REPEATABLE READ");
            statement.execute("SET TRANSACTION SNAPSHOT '" + snapshot + "'");
            Map<String, String> rows = new HashMap<>();
            try (ResultSet result = statement.executeQuery("SELECT id, v, pad FROM items")) {
                while (result.next()) {
                    rows.put(result.getString(1), result.getString(2) + "|" + result.getString(3));
                }
            }
            return rows;
        }
    }
}
