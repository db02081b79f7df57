package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What {@link GroupDrop} leaves: objects that are not pg_flo's source-side ones, and nothing of the group's. */
@ExtendWith(PostgresExtension.class)
class GroupDropIT {

    @Test
    void theLastGroupLeavesASchemaThatHoldsOthersObjectsAndTakesRequestsUnderAnyNameOfTheGroup(TestPostgres pg)
            throws Exception {
        String db = pg.createDatabase("dropkeeps");
        pg.execute(db, "CREATE TABLE t (id int PRIMARY KEY)");
        WalSourceConfig config = WalSourceConfig.of(pg.endpoint(db), "Orders", "public", List.of("t"))
                .withHeartbeatInterval(Duration.ZERO).withCaptureDdl(true);
        PostgresChangeSource.open(config).close();
        try (Connection connection = pg.connect(db)) {
            BackfillRequests.create(connection);
            BackfillRequests.add(connection, "Orders", new TableName("public", "t"), null);
            BackfillRequests.add(connection, "orders", new TableName("public", "t"), "id > 1");
            BackfillRequests.add(connection, "ordersx", new TableName("public", "t"), null);
        }
        // This database is also a PostgreSQL sink's target: its checkpoint table shares the schema.
        pg.execute(db, "CREATE TABLE internal_pg_flo.lsn_status (group_name text PRIMARY KEY, lsn text)");
        List<String> lines = new ArrayList<>();

        GroupDrop.drop(pg.endpoint(db), "ORDERS", false, Duration.ofSeconds(10), lines::add);

        assertThat(lines).contains("removed 2 backfill requests of group orders from internal_pg_flo.backfill_requests")
                .contains("kept the objects groups share in internal_pg_flo (DDL capture, backfill table): "
                        + "another group uses them (backfill requests of group ordersx)");
        assertThat(pg.queryString(db, "SELECT string_agg(group_name, ',') FROM internal_pg_flo.backfill_requests"))
                .isEqualTo("ordersx");

        // Nothing of the group is left: it is unknown now.
        assertThatThrownBy(() -> GroupDrop.drop(pg.endpoint(db), "orders", false, Duration.ofSeconds(10), lines::add))
                .hasMessageStartingWith("there is no group 'orders' on ");
        // With the other group's requests gone, a publication of this group's is all pg_flo has left here.
        pg.execute(db, "DELETE FROM internal_pg_flo.backfill_requests",
                "CREATE PUBLICATION pg_flo_orders_publication FOR TABLE t");
        lines.clear();

        GroupDrop.drop(pg.endpoint(db), "orders", false, Duration.ofSeconds(10), lines::add);

        assertThat(lines).containsExactly("dropped publication pg_flo_orders_publication",
                "removed the DDL capture: event triggers pg_flo_ddl_command_end and pg_flo_sql_drop, its functions and "
                        + "tables (no other group on this database uses it)",
                "dropped table internal_pg_flo.backfill_requests (no other group on this database uses it)",
                "kept schema internal_pg_flo: it still holds lsn_status");
        assertThat(pg.queryLong(db, "SELECT count(*) FROM internal_pg_flo.lsn_status")).isZero(); // still there
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE n.nspname = 'internal_pg_flo' AND c.relkind = 'r'")).isOne();
        assertThat(pg.queryLong(db, "SELECT count(*) FROM pg_event_trigger")).isZero();
    }
}
