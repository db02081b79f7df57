package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splitsAtTopLevelSemicolonsOnly() {
        String sql = "ALTER TABLE t ADD c text DEFAULT ';'; -- a comment; still a comment\n"
                + "COMMENT ON TABLE t IS E'it\\'s; fine'; CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;"
                + "/* block; /* nested; */ */ SELECT \"semi;colon\" FROM t;  ";
        assertThat(SqlScript.split(sql)).containsExactly(
                "ALTER TABLE t ADD c text DEFAULT ';'",
                "COMMENT ON TABLE t IS E'it\\'s; fine'",
                "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$",
                "SELECT \"semi;colon\" FROM t");
    }

    @Test
    void recognisesTransactionControlButNotTheWordInsideABlock() {
        assertThat(SqlScript.split("BEGIN; ALTER TABLE t ADD x int; COMMIT;").stream().filter(SqlScript::isTransactionControl))
                .containsExactly("BEGIN", "COMMIT");
        assertThat(SqlScript.isTransactionControl("  /* why */ start transaction isolation level serializable")).isTrue();
        assertThat(SqlScript.isTransactionControl("DO $$ BEGIN PERFORM 1; END $$")).isFalse();
        assertThat(SqlScript.split("DO $$ BEGIN PERFORM 1; END $$")).hasSize(1);
    }

    @Test
    void findsDdlThatMustRunOutsideATransaction() {
        assertThat(DdlReplayer.needsOwnTransaction(ddl("CREATE INDEX CONCURRENTLY i ON t (c)"))).isTrue();
        assertThat(DdlReplayer.needsOwnTransaction(ddl("-- note\n create unique index\nconcurrently if not exists i on t (c)")))
                .isTrue();
        assertThat(DdlReplayer.needsOwnTransaction(ddl("DROP INDEX CONCURRENTLY IF EXISTS public.i"))).isTrue();
        assertThat(DdlReplayer.needsOwnTransaction(ddl("CREATE INDEX i ON t (concurrently)"))).isFalse();
        assertThat(DdlReplayer.needsOwnTransaction(ddl("ALTER TABLE t ADD c int"))).isFalse();
    }

    private static io.pgflo.domain.ChangeEvent ddl(String statement) {
        return new io.pgflo.domain.ChangeEvent(io.pgflo.domain.Operation.DDL, "public", "t", io.pgflo.domain.Lsn.of(1),
                io.pgflo.domain.Lsn.of(1), 1, java.time.Instant.EPOCH, 0, java.util.List.of(), null, null, statement);
    }
}
