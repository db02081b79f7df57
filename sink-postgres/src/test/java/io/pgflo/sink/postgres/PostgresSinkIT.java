package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.testkit.TestPostgres;
import io.pgflo.testkit.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replication through the real pipeline from one PostgreSQL server into another. */
class PostgresSinkIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @Test
    void replicatesInsertsUpdatesDeletesAndTruncateExactly() {
        String source = sourceServer.createDatabase("basic_src");
        String target = targetServer.createDatabase("basic_dst");
        Workload.createUsersTable(sourceServer, source);
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "basic", List.of())) {
            Workload.runUsersScenario(sourceServer, source, 200, 60, 30);
            sourceServer.execute(source,
                    "BEGIN; INSERT INTO users (data) SELECT 'bulk-' || g FROM generate_series(1, 3000) g; "
                            + "UPDATE users SET data = data || '!' WHERE id % 7 = 0; DELETE FROM users WHERE id % 11 = 0; COMMIT");
            replication.awaitCaughtUp();
            replication.assertSameTable("users");
            assertThat(Replication.rows(targetServer, target, "SELECT count(*) FROM users")).containsExactly(
                    sourceServer.queryString(source, "SELECT count(*) FROM users"));
            assertThat(Replication.rows(targetServer, target,
                    "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM users t")).containsExactly(
                    sourceServer.queryString(source, "SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM users t"));

            sourceServer.execute(source, "TRUNCATE users", "INSERT INTO users (data) VALUES ('after truncate')");
            replication.awaitCaughtUp();
            replication.assertSameTable("users");
            assertThat(Replication.rows(targetServer, target, "SELECT data FROM users")).containsExactly("after truncate");
        }
    }

    @Test
    void batchesThatTouchTheSameRowsManyTimesEndEqual() {
        String source = sourceServer.createDatabase("churn_src");
        String target = targetServer.createDatabase("churn_dst");
        sourceServer.execute(source,
                "CREATE TABLE plain (id int PRIMARY KEY, v text, big text)",
                "ALTER TABLE plain ALTER COLUMN big SET STORAGE EXTERNAL",
                // A second unique index: changes to different rows no longer commute, so they are applied in order.
                "CREATE TABLE emails (id int PRIMARY KEY, email text NOT NULL UNIQUE)");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "churn", List.of())) {
            sourceServer.execute(source,
                    "INSERT INTO plain SELECT g, 'v' || g, repeat(md5(g::text), 200) FROM generate_series(1, 300) g",
                    "INSERT INTO emails SELECT g, 'user' || g || '@x' FROM generate_series(1, 300) g",
                    """
                    DO $$
                    BEGIN
                      FOR i IN 1..300 LOOP
                        UPDATE plain SET v = v || '+' WHERE id = i;                  -- big unchanged: partial update
                        IF i % 3 = 0 THEN DELETE FROM plain WHERE id = i; END IF;
                        IF i % 6 = 0 THEN INSERT INTO plain VALUES (i, 'again', 'small'); END IF;
                        IF i % 5 = 0 THEN UPDATE plain SET id = id + 1000 WHERE id = i; END IF;
                        IF i % 7 = 0 THEN UPDATE plain SET big = 'rewritten', v = 'x' WHERE id = i; END IF;
                        INSERT INTO plain VALUES (10000 + i, 'new', NULL);
                        UPDATE plain SET v = 'newer' WHERE id = 10000 + i;
                        IF i % 2 = 0 THEN DELETE FROM plain WHERE id = 10000 + i; END IF;
                      END LOOP;
                      FOR i IN 1..299 BY 2 LOOP                                        -- swap unique emails
                        UPDATE emails SET email = 'tmp' WHERE id = i;
                        UPDATE emails SET email = 'user' || i || '@x' WHERE id = i + 1;
                        UPDATE emails SET email = 'user' || (i + 1) || '@x' WHERE id = i;
                      END LOOP;
                    END $$""");
            replication.awaitCaughtUp();
            replication.assertSameTable("plain");
            replication.assertSameTable("emails");
        }
    }

    @Test
    void takesOverRowsTheTargetAlreadyHas() {
        String source = sourceServer.createDatabase("preexisting_src");
        String target = targetServer.createDatabase("preexisting_dst");
        sourceServer.execute(source, "CREATE TABLE t (id int PRIMARY KEY, v text)");
        targetServer.execute(target, "CREATE TABLE t (id int PRIMARY KEY, v text)",
                "INSERT INTO t SELECT g, 'stale' FROM generate_series(50, 60) g");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "preexisting",
                List.of())) {
            sourceServer.execute(source, "INSERT INTO t SELECT g, 'fresh ' || g FROM generate_series(1, 500) g",
                    "INSERT INTO t SELECT g, 'later ' || g FROM generate_series(501, 1000) g");
            replication.awaitCaughtUp();
            replication.assertSameTable("t");
        }
    }

    @Test
    void keepsOneCheckpointRowPerGroupAtTheLastBatch() {
        String source = sourceServer.createDatabase("groups_src");
        String target = targetServer.createDatabase("groups_dst");
        sourceServer.execute(source, "CREATE TABLE a (id int PRIMARY KEY, v text)", "CREATE TABLE b (id int PRIMARY KEY, v text)");
        try (Replication first = Replication.start(sourceServer, source, targetServer, target, "group-a", List.of("a"));
                Replication second = Replication.start(sourceServer, source, targetServer, target, "group-b", List.of("b"))) {
            for (int i = 0; i < 20; i++) {
                sourceServer.execute(source, "INSERT INTO a VALUES (" + i + ", 'a')", "INSERT INTO b VALUES (" + i + ", 'b')");
            }
            first.awaitCaughtUp();
            second.awaitCaughtUp();
            first.assertSameTable("a");
            second.assertSameTable("b");
            assertThat(Replication.rows(targetServer, target, "SELECT group_name FROM internal_pg_flo.lsn_status ORDER BY 1"))
                    .containsExactly("group_a", "group_b");
        }
    }

    @Test
    void refusesATableWithoutAKeyNamingItAndTheFix() {
        String source = sourceServer.createDatabase("nokey_src");
        String target = targetServer.createDatabase("nokey_dst");
        sourceServer.execute(source, "CREATE TABLE keyed (id int PRIMARY KEY)", "CREATE TABLE \"Log Lines\" (line text)");
        assertThatThrownBy(() -> Replication.start(sourceServer, source, targetServer, target, "nokey", List.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("public.Log Lines")
                .hasMessageContaining("ALTER TABLE \"public\".\"Log Lines\" REPLICA IDENTITY FULL")
                .hasMessageContaining("primary key")
                .hasMessageNotContaining("keyed");
    }
}
