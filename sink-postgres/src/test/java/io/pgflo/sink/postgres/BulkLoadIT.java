package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.BulkLoader;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL sink's bulk load of an initial copy: COPY per part with its record, secondary indexes built once at
 * the end (and put back after a failure or a crash), and what it does with a target table that holds rows.
 */
class BulkLoadIT {
    private static final TableName T = new TableName("public", "t");
    private static final String INDEXES = "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE tablename = 't' "
            + "ORDER BY 1";
    private static final String CHECKSUM = "SELECT count(*) || ':' || md5(string_agg(id || '=' || v, ',' ORDER BY id)) "
            + "FROM t";

    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    private String source(String name, int rows) {
        String db = sourceServer.createDatabase(name);
        sourceServer.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int)",
                "INSERT INTO t SELECT g, 'row ' || g, g % 7 FROM generate_series(1, " + rows + ") g", "ANALYZE t");
        return db;
    }

    private String target(String name) {
        String db = targetServer.createDatabase(name);
        targetServer.execute(db, "CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, n int, CHECK (v <> 'bad'))",
                "CREATE INDEX t_v ON t (v text_pattern_ops) WHERE n > 0", "CREATE INDEX t_n ON t USING hash (n)",
                "CREATE UNIQUE INDEX t_v_n ON t (v, n)");
        return db;
    }

    @Test
    void loadsEveryPartOnceAndBuildsTheSecondaryIndexesOnceAtTheEnd() throws Exception {
        String source = source("bulk_src", 20_000);
        String target = target("bulk_dst");
        List<String> indexes = Replication.rows(targetServer, target, INDEXES);
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk", CopyExisting.REFUSE,
                "t")) {
            assertThat(BulkCopies.copy(sourceServer, source, sink, 64 * 1024, "t")).isTrue();
            assertThat(sink.lastCheckpoint().lsn()).isEqualTo(BulkCopies.CONSISTENT_POINT);
        }
        assertThat(Replication.rows(targetServer, target, CHECKSUM))
                .containsExactlyElementsOf(Replication.rows(sourceServer, source, CHECKSUM));
        assertThat(Replication.rows(targetServer, target, INDEXES)).as("the same indexes, valid")
                .containsExactlyElementsOf(indexes);
        assertThat(Replication.rows(targetServer, target, "SELECT bool_and(indisvalid) FROM pg_index "
                + "WHERE indrelid = 't'::regclass")).containsExactly("t");
        assertThat(Replication.rows(targetServer, target, "SELECT (SELECT count(*) FROM internal_pg_flo.copy_parts) "
                + "|| '/' || (SELECT count(*) FROM internal_pg_flo.deferred_indexes)")).as("no records left")
                .containsExactly("0/0");
    }

    @Test
    void aCopyThatFailsPutsTheIndexesBackAndKeepsThePartsItLoaded() {
        String source = source("bulk_fail_src", 20_000);
        sourceServer.execute(source, "UPDATE t SET v = 'bad' WHERE id = 19000");
        String target = target("bulk_fail_dst");
        List<String> indexes = Replication.rows(targetServer, target, INDEXES);
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_fail",
                CopyExisting.REFUSE, "t")) {
            assertThatThrownBy(() -> BulkCopies.copy(sourceServer, source, sink, 64 * 1024, "t"))
                    .hasMessageContaining("public.t part").hasMessageContaining("t_v_check");
        }
        assertThat(Replication.rows(targetServer, target, INDEXES)).containsExactlyElementsOf(indexes);
        assertThat(Replication.rows(targetServer, target, "SELECT count(*) > 0 FROM internal_pg_flo.copy_parts"))
                .containsExactly("t");
        assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM internal_pg_flo.deferred_indexes"))
                .containsExactly("0");
    }

    @Test
    void indexesACrashLeftAsideAreRebuiltWhenTheSinkStartsAgain() {
        String source = source("bulk_crash_src", 10);
        String target = target("bulk_crash_dst");
        List<String> indexes = Replication.rows(targetServer, target, INDEXES);
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_crash",
                CopyExisting.REFUSE, "t")) {
            BulkLoader loader = sink.bulkLoader(2).orElseThrow();
            loader.prepare("0/1/x", T, List.of("0/1:0-"));
            // No close: the process died here. Its connections end with it.
            targetServer.execute(target, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'pg_flo-bulk_crash-sink-copy'");
        }
        assertThat(Replication.rows(targetServer, target, INDEXES)).as("set aside").hasSize(2);
        try (PostgresSink restarted = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_crash",
                CopyExisting.REFUSE, "t")) {
            assertThat(Replication.rows(targetServer, target, INDEXES)).containsExactlyElementsOf(indexes);
        }
        assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM internal_pg_flo.deferred_indexes"))
                .containsExactly("0");
    }

    @Test
    void indexesSetAsideForATableDroppedSinceAreForgottenAndTheSinkStarts() {
        String source = source("bulk_dropped_src", 10);
        String target = target("bulk_dropped_dst");
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_dropped",
                CopyExisting.REFUSE, "t")) {
            sink.bulkLoader(2).orElseThrow().prepare("0/1/x", T, List.of("0/1:0-"));
            targetServer.execute(target, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    + "WHERE application_name = 'pg_flo-bulk_dropped-sink-copy'");
        }
        targetServer.execute(target, "DROP TABLE t");
        try (PostgresSink restarted = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_dropped",
                CopyExisting.REFUSE)) {
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM internal_pg_flo.deferred_indexes"))
                    .as("the dropped table's records are gone").containsExactly("0");
        }
    }

    @Test
    void partsOfThisCopyAreKeptAndAnyOtherCopysRowsAreEmptiedBeforeLoadingAgain() {
        String source = source("bulk_parts_src", 10);
        String target = target("bulk_parts_dst");
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_parts",
                CopyExisting.REFUSE, "t")) {
            try (BulkLoader loader = sink.bulkLoader(2).orElseThrow()) {
                assertThat(loader.prepare("0/1/a", T, List.of("p1", "p2"))).isEmpty();
                try (BulkLoader.PartLoad part = loader.open("0/1/a", T, "p1")) {
                    part.write(row(1, "one"));
                    part.write(row(2, "two\ttab\\"));
                    part.commit();
                }
                try (BulkLoader.PartLoad part = loader.open("0/1/a", T, "p2")) {
                    part.write(row(3, "rolled back"));
                }
            }
            assertThat(Replication.rows(targetServer, target, "SELECT id, v FROM t ORDER BY id"))
                    .containsExactly("1 | one", "2 | two\ttab\\");
            try (BulkLoader again = sink.bulkLoader(2).orElseThrow()) {
                assertThat(again.prepare("0/1/a", T, List.of("p1", "p2"))).as("the same copy: kept")
                        .containsExactly("p1");
            }
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM t")).containsExactly("2");
            try (BulkLoader another = sink.bulkLoader(2).orElseThrow()) {
                assertThat(another.prepare("0/1/b", T, List.of("p1", "p2"))).as("another snapshot's copy").isEmpty();
            }
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) || '/' || (SELECT count(*) FROM "
                    + "internal_pg_flo.copy_parts) FROM t")).as("emptied, records gone").containsExactly("0/0");
        }
    }

    @Test
    void aTableHoldingRowsNoCopyLoadedIsRefusedTruncatedOrUpsertedAsChosen() throws Exception {
        String source = source("bulk_existing_src", 1_000);
        String target = target("bulk_existing_dst");
        targetServer.execute(target, "INSERT INTO t VALUES (1, 'stale', 1), (5000, 'extra', 1)");
        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_refuse",
                CopyExisting.REFUSE, "t")) {
            assertThatThrownBy(() -> BulkCopies.copy(sourceServer, source, sink, 64 * 1024, "t"))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("public.t").hasMessageContaining("--copy-existing truncate")
                    .hasMessageNotContaining("\n");
        }
        assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM t")).containsExactly("2");

        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_upsert",
                CopyExisting.UPSERT, "t")) {
            assertThat(sink.bulkLoader(2)).as("upserts go through writeBatch").isEmpty();
            assertThat(BulkCopies.copy(sourceServer, source, sink, 64 * 1024, "t")).isTrue();
        }
        assertThat(Replication.rows(targetServer, target, "SELECT count(*), min(v) FILTER (WHERE id = 1), "
                + "min(v) FILTER (WHERE id = 5000) FROM t")).containsExactly("1001 | row 1 | extra");

        try (PostgresSink sink = BulkCopies.sink(sourceServer, source, targetServer, target, "bulk_truncate",
                CopyExisting.TRUNCATE, "t")) {
            assertThat(BulkCopies.copy(sourceServer, source, sink, 64 * 1024, "t")).isTrue();
        }
        assertThat(Replication.rows(targetServer, target, CHECKSUM))
                .containsExactlyElementsOf(Replication.rows(sourceServer, source, CHECKSUM));
    }

    private static SourceChange row(int id, String v) {
        Column idColumn = new Column("id", new ColumnType(23, "integer", 23, 0), true);
        Column vColumn = new Column("v", new ColumnType(25, "text", 25, 0), false);
        return new SourceChange(Operation.READ, "public", "t", Lsn.ZERO, Lsn.ZERO, 0, Instant.EPOCH, 0, List.of("id"),
                new Row(List.of(ColumnValue.text(idColumn, Integer.toString(id)), ColumnValue.text(vColumn, v))), null,
                null);
    }
}
