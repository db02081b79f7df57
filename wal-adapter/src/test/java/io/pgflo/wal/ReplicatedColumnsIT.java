package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicatedColumnsIT {
    private final TestPostgres pg = TestPostgres.shared();

    @Test
    void readsTheColumnsOfTheNamedTablesInTheirOrderAndLeavesOutMissingOnes() {
        String db = pg.createDatabase("replicated_columns");
        pg.execute(db, "CREATE SCHEMA \"My Schema\"",
                "CREATE TABLE \"My Schema\".\"a.b\" (id int PRIMARY KEY, dropped text, \"Name\" text)",
                "ALTER TABLE \"My Schema\".\"a.b\" DROP COLUMN dropped",
                "CREATE TABLE users (id int, email text)", "CREATE VIEW v AS SELECT 1 AS x");

        Map<TableName, List<String>> columns = ReplicatedColumns.read(pg.endpoint(db), "public",
                List.of("users", "\"My Schema\".\"a.b\"", "missing", "v"));

        assertThat(columns.keySet()).containsExactly(new TableName("public", "users"), new TableName("My Schema", "a.b"));
        assertThat(columns.get(new TableName("My Schema", "a.b"))).containsExactly("id", "Name");
        assertThat(columns.get(new TableName("public", "users"))).containsExactly("id", "email");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'internal_pg_flo'")).isZero();
    }

    @Test
    void withoutTablesReadsEveryTableOfTheSchema() {
        String db = pg.createDatabase("replicated_columns_all");
        pg.execute(db, "CREATE TABLE b (y int)", "CREATE TABLE a (x int, z int)", "CREATE SCHEMA other",
                "CREATE TABLE other.c (w int)");

        assertThat(ReplicatedColumns.read(pg.endpoint(db), "public", List.of()))
                .containsExactly(Map.entry(new TableName("public", "a"), List.of("x", "z")),
                        Map.entry(new TableName("public", "b"), List.of("y")));
    }
}
