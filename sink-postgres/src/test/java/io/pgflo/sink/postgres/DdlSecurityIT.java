package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * No login on the source can make the sink run SQL of its choosing on the target: the target runs only statements the
 * sink builds from catalog definitions that pg_flo's capture alone may write.
 */
class DdlSecurityIT {
    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger assemblerLog = (Logger) LoggerFactory.getLogger("io.pgflo.wal.ChangeEventAssembler");

    @BeforeEach
    void captureLog() {
        log.start();
        assemblerLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        assemblerLog.detachAppender(log);
    }

    @Test
    void forgedDdlMessagesAndWritesToTheCaptureAreIgnoredAndReplicationGoesOn() throws Exception {
        String source = sourceServer.createDatabase("forge_src");
        String target = targetServer.createDatabase("forge_dst");
        sourceServer.execute(source, "CREATE TABLE t (id int PRIMARY KEY, v text)", "DROP ROLE IF EXISTS forger",
                "CREATE ROLE forger LOGIN PASSWORD 'pw'", "GRANT SELECT ON t TO forger");
        targetServer.execute("postgres", "DROP ROLE IF EXISTS pwned");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "forge", List.of("t"));
                Connection forger = connectAs(sourceServer, source, "forger", "pw");
                Statement statement = forger.createStatement()) {
            statement.execute("SELECT pg_logical_emit_message(true, 'pg_flo_ddl', "
                    + "E'public\\nt\\nCREATE ROLE pwned SUPERUSER LOGIN PASSWORD ''x''')");
            statement.execute("SELECT pg_logical_emit_message(false, 'pg_flo_ddl', E'public\\nt\\nCREATE ROLE pwned SUPERUSER')");
            assertThatThrownBy(() -> statement.execute("INSERT INTO internal_pg_flo.schema_changes (table_oid, schema_name, "
                    + "table_name, definition) VALUES (1, 'public', 't', '{}')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> statement.execute("SELECT internal_pg_flo.record_change('t'::regclass)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            sourceServer.execute(source, "INSERT INTO t VALUES (1, 'after the forgeries')");
            replication.awaitCaughtUp();
            assertThat(targetServer.queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname = 'pwned'")).isZero();
            replication.assertSameTable("t");
            assertThat(log.list).as("a warning naming the forged message's position")
                    .anyMatch(event -> event.getFormattedMessage().startsWith("ignoring a logical message with prefix pg_flo_ddl at 0/"));
        }
    }

    @Test
    void aTableOwnersSecondStatementInTheSameQueryStringNeverReachesTheTarget() throws Exception {
        String source = sourceServer.createDatabase("owner_src");
        String target = targetServer.createDatabase("owner_dst");
        sourceServer.execute(source, "DROP ROLE IF EXISTS table_owner", "CREATE ROLE table_owner LOGIN PASSWORD 'pw'",
                "GRANT CREATE ON SCHEMA public TO table_owner", "CREATE TABLE t (id int PRIMARY KEY)",
                "ALTER TABLE t OWNER TO table_owner");
        try (Replication replication = Replication.start(sourceServer, source, targetServer, target, "owner", List.of("t"));
                Connection owner = connectAs(sourceServer, source, "table_owner", "pw");
                Statement statement = owner.createStatement()) {
            statement.execute("SELECT 1; SELECT current_query()");
            statement.getMoreResults();
            try (ResultSet query = statement.getResultSet()) {
                query.next();
                assertThat(query.getString(1)).as("the server sees the whole string as one query, as psql sends it")
                        .isEqualTo("SELECT 1; SELECT current_query()");
            }
            statement.execute("ALTER TABLE t ADD COLUMN c int; DO $$ BEGIN EXECUTE 'CREATE TABLE public.injected (x int)'; END $$");
            sourceServer.execute(source, "INSERT INTO t VALUES (1, 2)");
            replication.awaitCaughtUp();
            assertThat(sourceServer.queryLong(source, "SELECT count(*) FROM pg_class WHERE relname = 'injected'"))
                    .as("the DO block ran on the source").isEqualTo(1);
            assertThat(targetServer.queryLong(target, "SELECT count(*) FROM pg_class WHERE relname = 'injected'"))
                    .as("but not on the target").isZero();
            replication.assertSameTable("t");
            assertThat(Replication.rows(targetServer, target, "SELECT id, c FROM t")).containsExactly("1 | 2");
        }
    }

    private static Connection connectAs(TestPostgres server, String database, String user, String password)
            throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        // One Query message per string, as psql sends it, so that current_query() is the whole string.
        properties.setProperty("preferQueryMode", "simple");
        return DriverManager.getConnection("jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + database,
                properties);
    }
}
