package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.TestPostgres;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Schema changes on the source reach the target in WAL order, between the changes that need them. */
class DdlReplayIT {
    private static final String COLUMNS = "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            + "pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid "
            + "AND d.adnum = a.attnum WHERE a.attrelid = '%s'::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum";
    private static final String INDEXES = "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = '%s' ORDER BY 1";

    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void replaysSchemaChangesInterleavedWithTheChangesThatUseThem() {
        String source = sourceServer.createDatabase("ddl_src");
        String target = targetServer.createDatabase("ddl_dst");
        sourceServer.execute(source, "CREATE TABLE products (id int PRIMARY KEY, name text, price int)");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "ddl", List.of())) {
            sourceServer.execute(source,
                    "INSERT INTO products VALUES (1, 'one', 10)",
                    "ALTER TABLE products ADD COLUMN color text",
                    "INSERT INTO products VALUES (2, 'two', 20, 'red')",
                    "ALTER TABLE products ADD COLUMN stock int NOT NULL DEFAULT 7",
                    "INSERT INTO products (id, name, price) VALUES (3, 'three', 30)",
                    "ALTER TABLE products ALTER COLUMN color SET DEFAULT 'blue'",
                    "INSERT INTO products (id, name, price) VALUES (4, 'four', 40)",
                    "ALTER TABLE products ALTER COLUMN price TYPE numeric(10, 2)",
                    "INSERT INTO products (id, name, price) VALUES (5, 'five', 50.55)",
                    "ALTER TABLE products RENAME COLUMN name TO title",
                    "UPDATE products SET title = 'ONE' WHERE id = 1",
                    "CREATE INDEX products_title ON products (title)",
                    "CREATE UNIQUE INDEX CONCURRENTLY products_color_id ON products (color, id)",
                    "ALTER TABLE products DROP COLUMN stock",
                    "INSERT INTO products VALUES (6, 'six', 60, 'green')",
                    "DROP INDEX products_title",
                    "CREATE INDEX products_price ON products (price)",
                    "DROP INDEX CONCURRENTLY products_price",
                    "BEGIN; ALTER TABLE products ADD COLUMN tags text[]; UPDATE products SET tags = ARRAY[title] WHERE id <= 3; COMMIT",
                    "ALTER TABLE products RENAME TO items",
                    "INSERT INTO items (id, title, price, color, tags) VALUES (7, 'seven', 7, 'x', '{a}')",
                    "ALTER TABLE items ADD COLUMN after_rename boolean DEFAULT true");
            replication.awaitCaughtUp();
            replication.assertSame(COLUMNS.formatted("items"));
            replication.assertSame(INDEXES.formatted("items"));
            replication.assertSameTable("items");
            assertThat(Replication.rows(targetServer, target, "SELECT id, title, price, color, tags FROM items ORDER BY id"))
                    .contains("1 | ONE | 10.00 | null | {ONE}", "3 | three | 30.00 | null | {three}", "4 | four | 40.00 | blue | null",
                            "7 | seven | 7.00 | x | {a}");
            assertThat(Replication.rows(targetServer, target, INDEXES.formatted("items")))
                    .anyMatch(row -> row.startsWith("products_color_id"))
                    .noneMatch(row -> row.startsWith("products_title") || row.startsWith("products_price"));
        }
    }

    @Test
    void anIdentityColumnGeneratedAlwaysThatDdlAddsGetsTheSourcesValues() {
        String source = sourceServer.createDatabase("ddl_ident_src");
        String target = targetServer.createDatabase("ddl_ident_dst");
        sourceServer.execute(source, "CREATE TABLE orders (id uuid PRIMARY KEY, note text)");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "ddl_ident", List.of())) {
            sourceServer.execute(source,
                    "INSERT INTO orders VALUES ('00000000-0000-0000-0000-000000000001', 'before')",
                    "ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY",
                    "INSERT INTO orders (id, note) VALUES ('00000000-0000-0000-0000-000000000002', 'after')",
                    "UPDATE orders SET note = 'changed'");
            replication.awaitCaughtUp();
            replication.assertSameTable("orders");
            assertThat(Replication.rows(targetServer, target, "SELECT seq, note FROM orders ORDER BY seq"))
                    .containsExactly("1 | changed", "2 | changed");
        }
    }

    @Test
    void leavesOutSchemaChangesOfTablesItDoesNotReplicate() {
        String source = sourceServer.createDatabase("ddl_other_src");
        String target = targetServer.createDatabase("ddl_other_dst");
        sourceServer.execute(source, "CREATE TABLE mine (id int PRIMARY KEY)", "CREATE TABLE theirs (id int PRIMARY KEY)");
        try (Replication mine = Replication.start(sourceServer, source, targetServer, target, "mine", List.of("mine"));
                Replication theirs = Replication.start(sourceServer, source, targetServer, target, "theirs", List.of("theirs"))) {
            sourceServer.execute(source, "ALTER TABLE theirs ADD COLUMN only_theirs int", "ALTER TABLE mine ADD COLUMN only_mine int",
                    "INSERT INTO mine VALUES (1, 1)", "INSERT INTO theirs VALUES (1, 1)");
            mine.awaitCaughtUp();
            theirs.awaitCaughtUp();
            mine.assertSameTable("mine");
            theirs.assertSameTable("theirs");
        }
    }
}
