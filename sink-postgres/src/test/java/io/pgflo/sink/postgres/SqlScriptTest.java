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
}
