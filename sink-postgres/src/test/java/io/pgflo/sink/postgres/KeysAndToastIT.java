package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.testkit.TestPostgres;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replication keys of every kind, key changes, and values PostgreSQL did not send (unchanged TOAST). */
class KeysAndToastIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void aKeyChangeMovesTheRowAndKeepsItsUnchangedToastValue() {
        String source = sourceServer.createDatabase("move_src");
        String target = targetServer.createDatabase("move_dst");
        sourceServer.execute(source,
                "CREATE TABLE docs (id int PRIMARY KEY, title text, body text)",
                "ALTER TABLE docs ALTER COLUMN body SET STORAGE EXTERNAL");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "move", List.of())) {
            sourceServer.execute(source,
                    "INSERT INTO docs SELECT g, 'title ' || g, repeat(md5(g::text), 400) FROM generate_series(1, 5) g");
            replication.awaitCaughtUp();
            sourceServer.execute(source,
                    "UPDATE docs SET id = 100 WHERE id = 1",                       // key change, body not sent
                    "UPDATE docs SET id = 200, body = 'short now' WHERE id = 2",    // key change, every column sent
                    "UPDATE docs SET id = id + 1000 WHERE id IN (3, 4)",           // several in one transaction
                    "BEGIN; UPDATE docs SET id = 5000 WHERE id = 5; INSERT INTO docs VALUES (5, 'new five', 'x'); COMMIT");
            replication.awaitCaughtUp();
            replication.assertSameTable("docs");
            assertThat(Replication.rows(targetServer, target, "SELECT id, length(body) FROM docs ORDER BY id"))
                    .containsExactly("5 | 1", "100 | 12800", "200 | 9", "1003 | 12800", "1004 | 12800", "5000 | 12800");
        }
    }

    @Test
    void anUpdateThatLeavesALargeValueUnchangedKeepsItInTheTarget() {
        String source = sourceServer.createDatabase("toast_src");
        String target = targetServer.createDatabase("toast_dst");
        sourceServer.execute(source,
                "CREATE TABLE profiles (id bigint PRIMARY KEY, visits int, bio text, settings jsonb)",
                "ALTER TABLE profiles ALTER COLUMN bio SET STORAGE EXTERNAL");
        Replication.Recorder seen = new Replication.Recorder();
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "toast", List.of(), seen)) {
            sourceServer.execute(source, "INSERT INTO profiles SELECT g, 0, repeat('bio of ' || g || ' ', 2000), "
                    + "(SELECT jsonb_object_agg(md5(i::text), i) FROM generate_series(1, 500) i) FROM generate_series(1, 50) g");
            replication.awaitCaughtUp();
            sourceServer.execute(source, "UPDATE profiles SET visits = visits + 1",
                    "UPDATE profiles SET visits = visits + 1 WHERE id <= 10",
                    "UPDATE profiles SET bio = 'rewritten' WHERE id = 3");
            replication.awaitCaughtUp();
            replication.assertSameTable("profiles");
            assertThat(seen.events().stream().filter(e -> !e.unchangedToastColumns().isEmpty()).count())
                    .as("updates that did not carry the large values")
                    .isGreaterThanOrEqualTo(60);
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM profiles WHERE length(bio) > 10000"))
                    .containsExactly("49");
        }
    }

    @Test
    void anUpdateThatSendsOnlyTheKeyOfAnIdentityTableIsApplied() {
        String source = sourceServer.createDatabase("touch_src");
        String target = targetServer.createDatabase("touch_dst");
        sourceServer.execute(source,
                "CREATE TABLE notes (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text)",
                "ALTER TABLE notes ALTER COLUMN body SET STORAGE EXTERNAL");
        Replication.Recorder seen = new Replication.Recorder();
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "touch", List.of(), seen)) {
            sourceServer.execute(source, "INSERT INTO notes (body) SELECT repeat(md5(g::text), 400) FROM generate_series(1, 3) g");
            replication.awaitCaughtUp();
            // A touch: the new row holds the same TOAST pointer, so the server sends the key and "unchanged" for body.
            // The target's id is GENERATED ALWAYS too (--sync-schema), and only DEFAULT may update such a column.
            sourceServer.execute(source, "UPDATE notes SET body = body WHERE id <= 2", "UPDATE notes SET body = 'short' WHERE id = 3");
            replication.awaitCaughtUp();
            replication.assertSameTable("notes");
            assertThat(seen.events().stream().filter(e -> e.unchangedToastColumns().equals(List.of("body"))).count())
                    .isEqualTo(2);
        }
    }

    @Test
    void identityColumnsGeneratedAlwaysGetTheSourcesValues() {
        String source = sourceServer.createDatabase("always_src");
        String target = targetServer.createDatabase("always_dst");
        sourceServer.execute(source, "CREATE TABLE tickets (code text PRIMARY KEY, "
                + "number int GENERATED ALWAYS AS IDENTITY (START WITH 100), state text)");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "always", List.of(),
                config -> config.withSyncSchema(true), new BatchPolicy(1_000, Duration.ofMillis(20)),
                new Replication.Recorder())) {
            sourceServer.execute(source, "INSERT INTO tickets (code, state) VALUES ('a', 'open'), ('b', 'open'), ('c', 'open')",
                    "UPDATE tickets SET state = 'closed' WHERE code = 'a'",
                    "UPDATE tickets SET number = DEFAULT WHERE code = 'b'", // the only way an ALWAYS column changes
                    "DELETE FROM tickets WHERE code = 'c'");
            replication.awaitCaughtUp();
            replication.assertSameTable("tickets");
            assertThat(Replication.rows(targetServer, target, "SELECT code, number, state FROM tickets ORDER BY code"))
                    .containsExactly("a | 100 | closed", "b | 103 | open");
            assertThat(Replication.rows(targetServer, target,
                    "SELECT attidentity FROM pg_attribute WHERE attrelid = 'tickets'::regclass AND attname = 'number'"))
                    .as("still an identity column, by default").containsExactly("d");
        }
    }

    @Test
    void compositeKeysReplicaIdentityIndexesAndFullIdentityTablesEndEqual() {
        String source = sourceServer.createDatabase("identity_src");
        String target = targetServer.createDatabase("identity_dst");
        sourceServer.execute(source,
                "CREATE TABLE order_lines (order_id int, line int, sku text, qty int, PRIMARY KEY (order_id, line))",
                "CREATE TABLE accounts (id serial, email text NOT NULL, name text)",
                "CREATE UNIQUE INDEX accounts_email ON accounts (email)",
                "ALTER TABLE accounts REPLICA IDENTITY USING INDEX accounts_email",
                "CREATE TABLE events (kind text, payload jsonb, at point, amount numeric)",
                "ALTER TABLE events REPLICA IDENTITY FULL",
                "CREATE TABLE full_keyed (id int PRIMARY KEY, note text, big text)",
                "ALTER TABLE full_keyed REPLICA IDENTITY FULL",
                "ALTER TABLE full_keyed ALTER COLUMN big SET STORAGE EXTERNAL");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "identity", List.of())) {
            sourceServer.execute(source,
                    "INSERT INTO order_lines SELECT o, l, 'sku-' || o || '-' || l, l FROM generate_series(1, 20) o, generate_series(1, 5) l",
                    "UPDATE order_lines SET qty = qty * 10 WHERE order_id % 3 = 0",
                    "UPDATE order_lines SET line = line + 10 WHERE order_id = 7",
                    "DELETE FROM order_lines WHERE order_id % 4 = 0",
                    "INSERT INTO accounts (email, name) SELECT 'user' || g || '@example.com', 'user ' || g FROM generate_series(1, 30) g",
                    "UPDATE accounts SET name = 'renamed' WHERE id % 5 = 0",
                    "UPDATE accounts SET email = 'moved-' || email WHERE id % 7 = 0",
                    "DELETE FROM accounts WHERE id % 6 = 0",
                    // Duplicate rows, values without an equality operator (json, point), NULLs.
                    "INSERT INTO events VALUES ('click', '{\"x\": 1}', '(1,2)', 1.50), ('click', '{\"x\": 1}', '(1,2)', 1.50), "
                            + "('view', NULL, NULL, NULL), ('view', NULL, NULL, NULL), ('buy', '[1, 2]', '(0,0)', 10)",
                    "UPDATE events SET amount = 2 WHERE ctid = (SELECT ctid FROM events WHERE kind = 'click' LIMIT 1)",
                    "DELETE FROM events WHERE ctid = (SELECT ctid FROM events WHERE kind = 'view' LIMIT 1)",
                    "UPDATE events SET kind = 'bought' WHERE kind = 'buy'",
                    "INSERT INTO full_keyed SELECT g, 'n' || g, repeat(md5(g::text), 300) FROM generate_series(1, 10) g",
                    "UPDATE full_keyed SET note = 'changed' WHERE id <= 5",
                    "UPDATE full_keyed SET id = id + 100 WHERE id = 1",
                    "DELETE FROM full_keyed WHERE id = 2");
            replication.awaitCaughtUp();
            replication.assertSameTable("order_lines");
            replication.assertSameTable("accounts");
            replication.assertSameTable("events");
            replication.assertSameTable("full_keyed");
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM events")).containsExactly("4");
        }
    }
}
