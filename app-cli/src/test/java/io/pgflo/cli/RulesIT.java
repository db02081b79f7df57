package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code --rules-config} end to end: a real PostgreSQL, pg_flo as a process, the sink's output read back. */
@ExtendWith(PostgresExtension.class)
class RulesIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String PII_RULES = """
            tables:
              customers:
                - type: transform
                  column: name
                  parameters: {type: mask, mask_char: "*"}
                - type: transform
                  column: email
                  parameters: {type: hash, salt: pepper}
                - type: exclude_column
                  column: ssn
                - type: filter
                  expression: "op == 'DELETE' || row.age >= 18"
            """;

    @Test
    void piiIsMaskedHashedAndDroppedAndMinorsAreLeftOutOfTheCopyAndTheStream(TestPostgres pg, @TempDir Path dir)
            throws IOException {
        String db = pg.createDatabase("rules_file");
        pg.execute(db, "CREATE TABLE customers (id int PRIMARY KEY, name text, email text, ssn text, age int)",
                "INSERT INTO customers VALUES (1, 'Alice', 'alice@example.com', '123-45-6789', 30), "
                        + "(2, 'Tim', 'tim@example.com', '987-65-4321', 12)");
        Path rules = Files.writeString(dir.resolve("rules.yml"), PII_RULES);
        Path out = Files.createDirectories(dir.resolve("out"));
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "rules_file", dir.resolve("logs"), "file",
                "--tables", "customers", "--status-dir", dir.toString(), "--output-dir", out.toString(),
                "--copy-and-stream", "--rules-config", rules.toString())) {
            pg.execute(db, "INSERT INTO customers VALUES (3, 'Bo', 'bo@example.com', '555-55-5555', 45), "
                            + "(4, 'Kim', 'kim@example.com', '111-11-1111', 15)",
                    "UPDATE customers SET email = 'alice@new.example' WHERE id = 1",
                    "UPDATE customers SET age = 16 WHERE id = 3",
                    "DELETE FROM customers WHERE id = 1");
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as(stream.stderr()).isZero();
        }

        List<String> events = new ArrayList<>();
        for (JsonNode event : events(out)) {
            if (!event.get("table").asText().equals("customers")) {
                continue;
            }
            events.add(event.get("type").asText() + " " + (event.has("data") ? event.get("data") : "")
                    + (event.has("old_data") ? " old " + event.get("old_data") : ""));
        }
        assertThat(events).containsExactly(
                "READ {\"id\":1,\"name\":\"A***e\",\"email\":\"" + hash("alice@example.com") + "\",\"age\":30}",
                "COPY_DONE ",
                "INSERT {\"id\":3,\"name\":\"Bo\",\"email\":\"" + hash("bo@example.com") + "\",\"age\":45}",
                "UPDATE {\"id\":1,\"name\":\"A***e\",\"email\":\"" + hash("alice@new.example") + "\",\"age\":30}",
                "DELETE  old {\"id\":3}",
                "DELETE  old {\"id\":1}");
    }

    @Test
    void inlineRulesAndRoutingOfAConfigFileShapeTheStream(TestPostgres pg, @TempDir Path dir) throws IOException {
        String db = pg.createDatabase("rules_inline");
        pg.execute(db, "CREATE TABLE customers (id int PRIMARY KEY, name text, ssn text)");
        Path config = Files.writeString(dir.resolve("pg_flo.yaml"), """
                rules:
                  tables:
                    customers:
                      - type: exclude_column
                        column: ssn
                routing:
                  customers:
                    source_table: customers
                    destination_table: clients
                    column_mappings:
                      - source: name
                        destination: full_name
                """);
        Path out = Files.createDirectories(dir.resolve("out"));
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "rules_inline", dir.resolve("logs"), "file",
                "--tables", "customers", "--status-dir", dir.toString(), "--output-dir", out.toString(),
                "--config", config.toString())) {
            pg.execute(db, "INSERT INTO customers VALUES (1, 'Ann', '123-45-6789')");
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as(stream.stderr()).isZero();
        }

        List<String> events = new ArrayList<>();
        for (JsonNode event : events(out)) {
            events.add(event.get("type").asText() + " " + event.get("table").asText() + " " + event.get("data"));
        }
        assertThat(events).containsExactly("INSERT clients {\"id\":1,\"full_name\":\"Ann\"}");
    }

    @Test
    void anUpdateThatMovesARowOutOfTheFilterDeletesItOnAPostgresTarget(TestPostgres pg, @TempDir Path dir)
            throws IOException {
        String db = pg.createDatabase("rules_source");
        String target = pg.createDatabase("rules_target");
        pg.execute(db, "CREATE TABLE orders (id int PRIMARY KEY, status text, total numeric)");
        pg.execute(target, "CREATE TABLE orders (id int PRIMARY KEY, status text, total numeric)");
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                tables:
                  orders:
                    - type: filter
                      column: status
                      parameters: {operator: in, value: [open, paid]}
                """);
        try (PgFloProcess stream = PgFloProcess.start(pg, db, "rules_pg", null, "postgres", "--tables", "orders",
                "--status-dir", dir.toString(), "--target-host", pg.host(), "--target-port", Integer.toString(pg.port()),
                "--target-dbname", target, "--target-user", TestPostgres.SUPERUSER, "--rules-config", rules.toString())) {
            pg.execute(db, "INSERT INTO orders VALUES (1, 'open', 10), (2, 'open', 20), (3, 'draft', 30)");
            stream.awaitCaughtUp();
            assertThat(pg.queryString(target, "SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM orders"))
                    .isEqualTo("1:open,2:open");
            pg.execute(db, "UPDATE orders SET status = 'cancelled' WHERE id = 1",
                    "UPDATE orders SET status = 'paid' WHERE id IN (2, 3)");
            stream.awaitCaughtUp();
            assertThat(stream.stop()).as(stream.stderr()).isZero();
        }
        assertThat(pg.queryString(target, "SELECT string_agg(id || ':' || status || ':' || total, ',' ORDER BY id) "
                + "FROM orders")).as("no stale row 1; row 3 came in with its update").isEqualTo("2:paid:20,3:paid:30");
    }

    @Test
    void aBadRulesFileIsOneLineAndExitTwoWithNothingCreatedOnTheSource(TestPostgres pg, @TempDir Path dir)
            throws IOException {
        String db = pg.createDatabase("rules_bad");
        pg.execute(db, "CREATE TABLE customers (id int PRIMARY KEY, age int)");
        Path rules = Files.writeString(dir.resolve("rules.yml"), """
                tables:
                  customers:
                    - type: filter
                      column: agee
                      parameters: {operator: gte, value: 18}
                """);
        try (PgFloProcess stream = PgFloProcess.launch(pg, db, "rules_bad", null, "stdout", "--status-dir",
                dir.toString(), "--rules-config", rules.toString())) {
            assertThat(stream.awaitExit(Duration.ofSeconds(60))).as(stream.stderr()).isEqualTo(2);
            assertThat(stream.stderr()).contains("pg_flo: " + rules + ":4:15: table public.customers has no column "
                    + "'agee'; its columns are id, age");
        }
        assertThat(pg.queryString(db, "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()")).isEqualTo("0");
        assertThat(pg.queryString(db, "SELECT count(*) FROM pg_publication")).isEqualTo("0");
    }

    private static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("pepper" + value).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static List<JsonNode> events(Path out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    try {
                        events.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new UncheckedIOException(file + ": " + line, e);
                    }
                }
            }
        }
        return events;
    }
}
