package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.CopyChunk;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.testkit.TypesFixture;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A copied row is the row the stream delivers for it: the same columns, types, key and value bytes, so that every sink
 * treats both alike. Each row is inserted while the stream runs, then read again by the copy.
 */
@ExtendWith(PostgresExtension.class)
class CopyMatchesStreamIT {

    @Test
    void everyTypesValueIsTheStreamsByteForByte(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copytypes");
        // A default that both paths override with the stream's setting (the driver sets the others at connection).
        pg.execute(db, "ALTER DATABASE " + db + " SET IntervalStyle = 'iso_8601'", TypesFixture.SCHEMA);
        Map<String, SourceChange> streamed = stream(pg, db, "copytypes", List.of("all_types"), 5,
                TypesFixture.ROW_TYPICAL, TypesFixture.ROW_EDGES, TypesFixture.ROW_UNICODE,
                "INSERT INTO all_types (id) VALUES (4)",
                // A 1 MB jsonb that compresses badly, so it is stored out of line (TOAST).
                "INSERT INTO all_types (id, c_jsonb) SELECT 5, jsonb_agg(md5(i::text)) FROM generate_series(1, 30000) i");
        Map<String, SourceChange> copied = copy(pg, db, List.of(new TableName("public", "all_types")));
        assertThat(copied.keySet()).containsExactlyInAnyOrderElementsOf(streamed.keySet()).hasSize(5);
        streamed.forEach((key, event) -> assertSameRow(copied.get(key), event));
        assertThat(copied.get("public.all_types 5").newRow().get("c_jsonb").orElseThrow().valueBytes())
                .isGreaterThan(1_000_000);
    }

    @Test
    void columnsAndKeysAreTheStreamsForEveryReplicaIdentity(TestPostgres pg) throws Exception {
        String db = pg.createDatabase("copykeys");
        pg.execute(db,
                "CREATE DOMAIN code AS text CHECK (VALUE <> '')",
                // A dropped column and a generated one, which pgoutput does not send.
                "CREATE TABLE by_pk (gone text, \"Mixed Case\" code, id int PRIMARY KEY, "
                        + "twice int GENERATED ALWAYS AS (id * 2) STORED)",
                "ALTER TABLE by_pk DROP COLUMN gone",
                "CREATE TABLE no_key (a int, b text)",
                "CREATE TABLE full_row (a int, b text)", "ALTER TABLE full_row REPLICA IDENTITY FULL",
                "CREATE TABLE by_index (id int PRIMARY KEY, a int NOT NULL, b text)",
                "CREATE UNIQUE INDEX by_index_a ON by_index (a)", "ALTER TABLE by_index REPLICA IDENTITY USING INDEX by_index_a",
                "CREATE TABLE no_identity (id int PRIMARY KEY, v text)", "ALTER TABLE no_identity REPLICA IDENTITY NOTHING",
                "CREATE TABLE parts (id int, k int, v text, PRIMARY KEY (id, k)) PARTITION BY LIST (k)",
                "CREATE TABLE parts_1 PARTITION OF parts FOR VALUES IN (1)",
                "CREATE TABLE parts_2 PARTITION OF parts FOR VALUES IN (2)");
        List<String> tables = List.of("by_pk", "no_key", "full_row", "by_index", "no_identity", "parts");
        Map<String, SourceChange> streamed = stream(pg, db, "copykeys", tables, 7,
                "INSERT INTO by_pk VALUES ('x y', 1)",
                "INSERT INTO no_key VALUES (1, NULL)",
                "INSERT INTO full_row VALUES (1, 'b')",
                "INSERT INTO by_index VALUES (1, 10, 'b')",
                "INSERT INTO no_identity VALUES (1, 'v')",
                "INSERT INTO parts VALUES (1, 1, 'one'), (2, 2, 'two')");
        Map<String, SourceChange> copied = copy(pg, db, tables.stream().map(name -> new TableName("public", name)).toList());
        assertThat(copied.keySet()).containsExactlyInAnyOrderElementsOf(streamed.keySet()).hasSize(7);
        streamed.forEach((key, event) -> assertSameRow(copied.get(key), event));

        assertThat(copied.get("public.by_pk x y").newRow().values()).extracting(ColumnValue::name)
                .containsExactly("Mixed Case", "id");
        assertThat(copied.get("public.by_pk x y").keyColumns()).containsExactly("id");
        assertThat(copied.get("public.no_key 1").keyColumns()).isEmpty();
        assertThat(copied.get("public.full_row 1").keyColumns()).containsExactly("a", "b");
        assertThat(copied.get("public.by_index 1").keyColumns()).containsExactly("a");
        assertThat(copied.get("public.no_identity 1").keyColumns()).isEmpty();
        assertThat(copied.get("public.parts 1").keyColumns()).containsExactly("id", "k");
    }

    private static void assertSameRow(SourceChange copied, SourceChange streamed) {
        String row = streamed.qualifiedTable() + " " + streamed.newRow().values().get(0).text();
        assertThat(copied).as(row).isNotNull();
        assertThat(copied.qualifiedTable()).isEqualTo(streamed.qualifiedTable());
        assertThat(copied.keyColumns()).as(row).isEqualTo(streamed.keyColumns());
        List<ColumnValue> copiedValues = copied.newRow().values();
        List<ColumnValue> streamedValues = streamed.newRow().values();
        assertThat(copiedValues).as(row).hasSameSizeAs(streamedValues);
        for (int i = 0; i < streamedValues.size(); i++) {
            ColumnValue want = streamedValues.get(i);
            ColumnValue got = copiedValues.get(i);
            String column = row + " column " + want.name();
            assertThat(got.column()).as(column + ": name, type and key").isEqualTo(want.column());
            assertThat(got.isNull()).as(column + " is NULL").isEqualTo(want.isNull());
            assertThat(got.unchangedToast()).as(column).isFalse();
            assertThat(got.utf8OrNull()).as(column + " bytes").isEqualTo(want.utf8OrNull());
        }
        assertThat(copied.valueBytes()).as(row).isEqualTo(streamed.valueBytes());
    }

    /** Streams the statements' inserts; returns them by table and first column's text. */
    private static Map<String, SourceChange> stream(TestPostgres pg, String db, String group, List<String> tables,
            int inserts, String... statements) throws InterruptedException {
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), group, "public", tables)
                .withHeartbeatInterval(Duration.ZERO);
        Map<String, SourceChange> events = new HashMap<>();
        try (PostgresChangeSource source = PostgresChangeSource.open(config)) {
            source.start(Position.START);
            pg.execute(db, statements);
            PostgresChangeSourceIT.drain(source, inserts + statements.length).stream()
                    .filter(SourceChange.class::isInstance).map(SourceChange.class::cast)
                    .forEach(event -> events.put(key(event), event));
        }
        assertThat(events).hasSize(inserts);
        return events;
    }

    /** Copies the tables, two parts at a time; returns their rows by table and first column's text. */
    private static Map<String, SourceChange> copy(TestPostgres pg, String db, List<TableName> tables) throws Exception {
        Map<String, SourceChange> rows = new HashMap<>();
        try (PostgresSnapshotReader reader = PostgresSnapshotReader.open(pg.endpoint(db), "copy-test", Optional.empty(), 2)) {
            for (TableName table : tables) {
                for (CopyChunk part : reader.plan(table, 8192)) {
                    reader.read(part, row -> assertThat(rows.put(key(row), row)).as(key(row)).isNull());
                }
            }
        }
        return rows;
    }

    private static String key(SourceChange change) {
        return change.qualifiedTable() + " " + change.newRow().values().get(0).text();
    }
}
