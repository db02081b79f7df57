package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlStatesTest {
    @Test
    void aStatementForALogLineHidesPasswordsAndNothingElse() {
        assertThat(SqlStates.statement("ALTER TABLE t ADD COLUMN a int; ALTER ROLE bob PASSWORD 'se''cr et'", 500))
                .isEqualTo("ALTER TABLE t ADD COLUMN a int; ALTER ROLE bob PASSWORD '***'");
        assertThat(SqlStates.statement("CREATE ROLE x LOGIN ENCRYPTED PASSWORD 'abc' VALID UNTIL 'infinity'", 500))
                .isEqualTo("CREATE ROLE x LOGIN ENCRYPTED PASSWORD '***' VALID UNTIL 'infinity'");
        assertThat(SqlStates.statement("ALTER ROLE bob password $x$it's$x$; SELECT 1", 500))
                .isEqualTo("ALTER ROLE bob password '***'; SELECT 1");
        assertThat(SqlStates.statement("CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password 'pw')", 500))
                .isEqualTo("CREATE USER MAPPING FOR bob SERVER s OPTIONS (user 'bob', password '***')");
        assertThat(SqlStates.statement("CREATE SUBSCRIPTION s CONNECTION 'host=a password=hunter2 dbname=b' PUBLICATION p",
                500)).isEqualTo("CREATE SUBSCRIPTION s CONNECTION 'host=a password=*** dbname=b' PUBLICATION p");
        // A column named password is DDL like any other.
        assertThat(SqlStates.statement("ALTER TABLE users ADD COLUMN password text NOT NULL DEFAULT ''", 500))
                .isEqualTo("ALTER TABLE users ADD COLUMN password text NOT NULL DEFAULT ''");
        assertThat(SqlStates.statement("ALTER ROLE bob PASSWORD 'x' -- " + "y".repeat(100), 30))
                .isEqualTo("ALTER ROLE bob PASSWORD '***' ...(133 chars)");
    }

    @Test
    void aLongQuotedTextAfterPasswordDoesNotExhaustTheStack() throws Exception {
        // A regex loop of one character per step recursed once per character: 2,000 overflowed a thread's stack.
        String sql = "CREATE FUNCTION f() RETURNS void AS $$ BEGIN EXECUTE 'ALTER ROLE r PASSWORD ' || "
                + "x".repeat(200_000) + "; END $$ LANGUAGE plpgsql";
        String[] result = new String[1];
        Thread thread = new Thread(null, () -> result[0] = SqlStates.statement(sql, 100), "small stack", 256 * 1024);
        thread.start();
        thread.join();
        assertThat(result[0]).startsWith("CREATE FUNCTION f()").contains("PASSWORD '***'");
    }
}
