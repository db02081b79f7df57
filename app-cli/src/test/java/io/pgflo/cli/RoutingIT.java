package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.JavaProcess;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --routing-config} into the PostgreSQL sink: tables and columns under other names, and bad files. */
@ExtendWith(PostgresExtension.class)
class RoutingIT {
    /** pg_flo's format, as its README documents it. */
    private static final String ROUTES = """
            users:
              source_table: users
              destination_table: customers
              column_mappings:
                - source: id
                  destination: customer_id
                - source: username
                  destination: customer_name
              operations:
            orders:
              source_table: orders
              destination_table: transactions
              column_mappings:
                - source: id
                  destination: transaction_id
                - source: total_amount
                  destination: amount
              operations:
                - INSERT
                - UPDATE
            """;

    @Test
    void streamsIntoRoutedTablesAndColumnsThatSyncSchemaCreates(TestPostgres pg, @TempDir Path dir) throws IOException {
        String db = pg.createDatabase("routed");
        String target = pg.createDatabase("routed_target");
        createTables(pg, db);
        pg.execute(db, "INSERT INTO users (username, email) VALUES ('ann', 'ann@example.com'), ('bob', 'bob@example.com')",
                "INSERT INTO orders VALUES (10, 1, 50.00, 'first')");
        Path routes = Files.writeString(dir.resolve("routing.yaml"), ROUTES);

        try (PgFloProcess process = PgFloProcess.start(pg, db, "routed", dir.resolve("logs"), "postgres",
                "--tables", "users,orders", "--status-dir", dir.resolve("status").toString(),
                "--target-host", pg.host(), "--target-port", Integer.toString(pg.port()), "--target-dbname", target,
                "--target-user", TestPostgres.SUPERUSER, "--sync-schema", "--track-ddl", "false",
                "--copy-and-stream", "--routing-config", routes.toString())) {
            pg.execute(db, "INSERT INTO users (username, email) VALUES ('cy', NULL)",
                    "UPDATE users SET username = 'anna', email = 'anna@example.com' WHERE id = 1",
                    "DELETE FROM users WHERE id = 2",
                    "INSERT INTO orders VALUES (11, 3, 150.00, 'second'), (12, 1, 7.50, 'third')",
                    "UPDATE orders SET total_amount = 55.00 WHERE id = 10",
                    "DELETE FROM orders WHERE id = 12", // operations of orders leave DELETE out
                    "UPDATE users SET id = 5 WHERE id = 3"); // a changed key moves the row under its routed key
            process.awaitCaughtUp();
            assertThat(process.stop()).isZero();
        }

        assertThat(pg.queryString(target, "SELECT string_agg(customer_id || ':' || customer_name || ':' "
                + "|| coalesce(email, '-'), ' ' ORDER BY customer_id) FROM public.customers"))
                .isEqualTo("1:anna:anna@example.com 5:cy:-");
        assertThat(pg.queryString(target, "SELECT string_agg(transaction_id || ':' || user_id || ':' || amount || ':' "
                + "|| note, ' ' ORDER BY transaction_id) FROM public.transactions"))
                .isEqualTo("10:1:55.00:first 11:3:150.00:second 12:1:7.50:third");
        assertThat(pg.queryString(target, "SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid = 'public.customers'::regclass AND contype = 'p'")).isEqualTo("PRIMARY KEY (customer_id)");
        assertThat(pg.queryString(target, "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'public.transactions'::regclass AND attname = 'amount'")).isEqualTo("numeric(15,2)");
        assertThat(pg.queryString(target, "SELECT coalesce(to_regclass('public.users')::text, 'none') || ' ' "
                + "|| coalesce(to_regclass('public.orders')::text, 'none')")).isEqualTo("none none");
    }

    @Test
    void aTableOnlyRouteFollowsSchemaChanges(TestPostgres pg, @TempDir Path dir) throws IOException {
        String db = pg.createDatabase("routed_ddl");
        String target = pg.createDatabase("routed_ddl_target");
        createTables(pg, db);
        Path routes = Files.writeString(dir.resolve("routing.yaml"), "users:\n  destination_table: people\n");

        try (PgFloProcess process = PgFloProcess.start(pg, db, "routed_ddl", dir.resolve("logs"), "postgres",
                "--tables", "users", "--target-host", pg.host(), "--target-port", Integer.toString(pg.port()),
                "--target-dbname", target, "--target-user", TestPostgres.SUPERUSER, "--sync-schema",
                "--routing-config", routes.toString())) {
            pg.execute(db, "INSERT INTO users (username) VALUES ('ann')",
                    "ALTER TABLE users ADD COLUMN tier text NOT NULL DEFAULT 'free'",
                    "INSERT INTO users (username, tier) VALUES ('bob', 'pro')");
            process.awaitCaughtUp();
            assertThat(process.stop()).isZero();
        }

        assertThat(pg.queryString(target, "SELECT string_agg(id || ':' || username || ':' || tier, ' ' ORDER BY id) "
                + "FROM public.people")).isEqualTo("1:ann:free 2:bob:pro");
        assertThat(pg.queryString(target, "SELECT coalesce(to_regclass('public.users')::text, 'none')")).isEqualTo("none");
    }

    @Test
    void rulesRunFirstOnTheSourcesNamesThenRoutingRenames(TestPostgres pg, @TempDir Path dir) throws Exception {
        String db = pg.createDatabase("routed_rules");
        createTables(pg, db);
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                tables:
                  users:
                    - type: transform
                      column: email
                      parameters: {type: mask, mask_char: "*"}
                    - type: filter
                      column: username
                      parameters: {operator: ne, value: skip}
                """);
        Path routes = Files.writeString(dir.resolve("routing.yaml"), ROUTES.substring(0, ROUTES.indexOf("orders:")));

        try (PgFloProcess process = PgFloProcess.start(pg, db, "routed_rules", dir.resolve("logs"), "stdout",
                "--tables", "users", "--status-dir", dir.resolve("status").toString(), "--rules-config",
                rules.toString(), "--routing-config", routes.toString())) {
            pg.execute(db, "INSERT INTO users (username, email) VALUES ('skip', 'x@y'), ('ann', 'ann@example.com')");
            process.awaitCaughtUp();
            assertThat(process.stop()).isZero();
            List<String> lines = process.stdout().lines().toList();
            assertThat(lines).hasSize(1);
            JsonNode event = new ObjectMapper().readTree(lines.get(0));
            assertThat(event.get("table").asText()).isEqualTo("customers");
            assertThat(event.get("key").toString()).isEqualTo("[\"customer_id\"]");
            assertThat(event.get("data").toString())
                    .isEqualTo("{\"customer_id\":2,\"customer_name\":\"ann\",\"email\":\"a*************m\"}");
        }
    }

    @Test
    void aBadRoutingFileStopsTheStartWithNothingCreatedOnTheSource(TestPostgres pg, @TempDir Path dir)
            throws IOException {
        String db = pg.createDatabase("routed_bad");
        createTables(pg, db);
        Path routes = Files.writeString(dir.resolve("routing.yaml"),
                "users:\n  destination_table: customers\n  column_mappings:\n    - source: user_name\n"
                        + "      destination: customer_name\n");

        PgFloCommand.Ran ran = stream(pg, db, dir, "stdout", "routed_bad", "--tables", "users",
                "--status-dir", dir.resolve("status").toString(), "--routing-config", routes.toString());

        assertThat(ran.exitCode()).as(ran.stderr()).isEqualTo(2);
        assertThat(ran.stderr().strip()).isEqualTo("pg_flo: " + routes + ":4:7: public.users has no column user_name; "
                + "its columns are id, username, email");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pg_flo_routed_bad_slot'"))
                .isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_publication")).isZero();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_namespace WHERE nspname = 'internal_pg_flo'")).isZero();
    }

    @Test
    void renamedColumnsWithSchemaChangeReplayAreRefused(TestPostgres pg, @TempDir Path dir) throws IOException {
        String db = pg.createDatabase("routed_refused");
        String target = pg.createDatabase("routed_refused_target");
        createTables(pg, db);
        Path routes = Files.writeString(dir.resolve("routing.yaml"), ROUTES);

        PgFloCommand.Ran ran = stream(pg, db, dir, "postgres", "routed_refused", "--tables", "users,orders",
                "--status-dir", dir.resolve("status").toString(), "--target-host", pg.host(), "--target-port",
                Integer.toString(pg.port()), "--target-dbname", target, "--target-user", TestPostgres.SUPERUSER,
                "--routing-config", routes.toString());

        assertThat(ran.exitCode()).as(ran.stderr()).isEqualTo(2);
        assertThat(ran.stderr()).contains("--routing-config renames columns of public.users (")
                .contains("pass --track-ddl false");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_replication_slots "
                + "WHERE slot_name = 'pg_flo_routed_refused_slot'")).isZero();
    }

    private static void createTables(TestPostgres pg, String db) {
        pg.execute(db, "CREATE TABLE users (id bigserial PRIMARY KEY, username text NOT NULL, email text)",
                "CREATE TABLE orders (id int PRIMARY KEY, user_id bigint, total_amount numeric(15,2) NOT NULL, note text)");
    }

    /** {@code pg_flo stream <sink> ...}, run to its end: these starts fail. */
    private static PgFloCommand.Ran stream(TestPostgres pg, String db, Path dir, String sink, String group,
            String... more) {
        List<String> args = new ArrayList<>(List.of("stream", sink, "--host", pg.host(), "--port",
                Integer.toString(pg.port()), "--dbname", db, "--user", TestPostgres.SUPERUSER, "--group", group));
        args.addAll(List.of(more));
        try (JavaProcess process = JavaProcess.builder(Main.class).args(args)
                .env("PGFLO_PASSWORD", TestPostgres.SUPERUSER_PASSWORD)
                .env("PGFLO_TARGET_PASSWORD", TestPostgres.SUPERUSER_PASSWORD).jvmArgs("-Xmx64m")
                .logDirectory(dir.resolve("logs-" + group)).start()) {
            assertThat(process.waitFor(Duration.ofSeconds(90))).as("pg_flo stream returned").isTrue();
            return new PgFloCommand.Ran(process.exitCode(), process.stdout(), process.stderr());
        }
    }
}
