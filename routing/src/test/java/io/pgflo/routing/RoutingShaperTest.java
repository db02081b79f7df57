package io.pgflo.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.ColumnType;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.Row;
import io.pgflo.sink.api.TableName;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingShaperTest {
    private static final ColumnType INT = new ColumnType(23, "integer", 23, 0);
    private static final ColumnType TEXT = new ColumnType(25, "text", 25, 0);
    private static final Column ID = new Column("id", INT, true);
    private static final Column USERNAME = new Column("username", TEXT, false);
    private static final Column EMAIL = new Column("email", TEXT, false);
    private static final List<String> KEY = List.of("id");
    private static final TableName USERS = new TableName("public", "users");
    private static final TableName CUSTOMERS = new TableName("public", "customers");

    private final RoutingShaper shaper = new RoutingShaper(new TableRoutes(Map.of(USERS, new Route(USERS, CUSTOMERS,
            Map.of("id", "customer_id", "username", "customer_name"),
            Set.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE)))));

    @Test
    void renamesTheTableItsColumnsAndItsKey() {
        SourceChange insert = change(Operation.INSERT, "users", row(1, "ann", "ann@example.com"), null);
        SourceChange routed = shaper.shape(insert);

        assertThat(routed.schema()).isEqualTo("public");
        assertThat(routed.table()).isEqualTo("customers");
        assertThat(routed.keyColumns()).containsExactly("customer_id");
        assertThat(routed.newRow().values()).extracting(ColumnValue::name)
                .containsExactly("customer_id", "customer_name", "email");
        assertThat(routed.newRow().values()).extracting(ColumnValue::text).containsExactly("1", "ann", "ann@example.com");
        assertThat(routed.newRow().values().get(0).column()).isEqualTo(new Column("customer_id", INT, true));
        assertThat(routed.newRow().values().get(2)).as("an unmapped column keeps its value as it was")
                .isSameAs(insert.newRow().values().get(2));
        assertThat(routed.lsn()).isEqualTo(insert.lsn());
        assertThat(routed.commitLsn()).isEqualTo(insert.commitLsn());
        assertThat(routed.ordinal()).isEqualTo(insert.ordinal());
        assertThat(routed.valueBytes()).isEqualTo(insert.valueBytes());
    }

    @Test
    void aDeleteByKeyIsRenamedInItsOldRow() {
        Row key = new Row(List.of(ColumnValue.text(ID, "7")));
        SourceChange routed = shaper.shape(change(Operation.DELETE, "users", null, key));
        assertThat(routed.table()).isEqualTo("customers");
        assertThat(routed.newRow()).isNull();
        assertThat(routed.oldRow().values()).extracting(ColumnValue::name).containsExactly("customer_id");
        assertThat(routed.oldRow().text("customer_id")).isEqualTo("7");
        assertThat(routed.keyColumns()).containsExactly("customer_id");
    }

    @Test
    void nullsUnchangedToastAndWireBytesKeepTheirState() {
        Row row = new Row(List.of(ColumnValue.utf8(ID, "5".getBytes(StandardCharsets.UTF_8)),
                ColumnValue.unchangedToastOf(USERNAME), ColumnValue.sqlNull(EMAIL)));
        Row routed = shaper.shape(change(Operation.UPDATE, "users", row, null)).newRow();
        assertThat(routed.values().get(0).utf8OrNull()).isSameAs(row.values().get(0).utf8OrNull());
        assertThat(routed.values().get(1).unchangedToast()).isTrue();
        assertThat(routed.values().get(1).name()).isEqualTo("customer_name");
        assertThat(routed.values().get(2).isNull()).isTrue();
        assertThat(routed.unchangedToastColumns()).containsExactly("customer_name");
    }

    @Test
    void theSameSourceColumnsAndKeyGiveTheSameRenamedInstances() {
        // Sinks recognise a table description by its column instances (the PostgreSQL sink's remembered plans).
        SourceChange first = shaper.shape(change(Operation.INSERT, "users", row(1, "a", "b"), null));
        SourceChange second = shaper.shape(change(Operation.UPDATE, "users", row(2, "c", "d"), null));
        assertThat(second.newRow().values().get(0).column()).isSameAs(first.newRow().values().get(0).column());
        assertThat(second.keyColumns()).isSameAs(first.keyColumns());
    }

    @Test
    void operationsNotTakenAreLeftOut() {
        assertThat(shaper.shape(change(Operation.TRUNCATE, "users", null, null))).isNull();
        assertThat(shaper.shape(change(Operation.READ, "users", row(1, "a", "b"), null)))
                .as("a copy's rows go with INSERT").isNotNull();
        SourceChange ddl = new SourceChange(Operation.DDL, "public", "users", Lsn.of(10), Lsn.of(20), 1,
                Instant.EPOCH, 0, List.of(), null, null, "{}");
        assertThat(shaper.shape(ddl).table()).as("schema changes always pass, renamed").isEqualTo("customers");
        SourceChange done = new SourceChange(Operation.COPY_DONE, "public", "users", Lsn.of(10), Lsn.of(20), 1,
                Instant.EPOCH, 0, List.of(), null, null, null);
        assertThat(shaper.shape(done).table()).isEqualTo("customers");
    }

    @Test
    void anEmptyOperationsListOfTheFileTakesEveryOperation() {
        Route everything = Routes.fromTree(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .set("users", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                                .put("destination_table", "customers")
                                .set("operations", new com.fasterxml.jackson.databind.ObjectMapper().createArrayNode())),
                "test").resolve(Map.of(USERS, List.of("id", "username", "email"))).route(USERS).orElseThrow();
        ChangeShaper all = new RoutingShaper(new TableRoutes(Map.of(USERS, everything)));
        for (Operation operation : List.of(Operation.INSERT, Operation.UPDATE, Operation.READ)) {
            assertThat(all.shape(change(operation, "users", row(1, "a", "b"), null)).table()).isEqualTo("customers");
        }
        assertThat(all.shape(change(Operation.DELETE, "users", null, row(1, "a", "b")))).isNotNull();
        assertThat(all.shape(change(Operation.TRUNCATE, "users", null, null))).isNotNull();
    }

    @Test
    void tablesWithoutARouteAndTableOnlyRoutesKeepTheirRows() {
        SourceChange other = change(Operation.INSERT, "orders", row(1, "a", "b"), null);
        assertThat(shaper.shape(other)).isSameAs(other);
        ChangeShaper tableOnly = new RoutingShaper(new TableRoutes(Map.of(USERS,
                new Route(USERS, new TableName("archive", "people"), Map.of(), Set.of(Operation.INSERT)))));
        SourceChange insert = change(Operation.INSERT, "users", row(1, "a", "b"), null);
        SourceChange routed = tableOnly.shape(insert);
        assertThat(routed.schema()).isEqualTo("archive");
        assertThat(routed.table()).isEqualTo("people");
        assertThat(routed.newRow()).isSameAs(insert.newRow());
        assertThat(routed.keyColumns()).isSameAs(insert.keyColumns());
    }

    @Test
    void composesAfterAnotherShaper() {
        ChangeShaper dropAnn = change -> "ann".equals(change.newRow().text("username")) ? null : change;
        ChangeShaper both = dropAnn.andThen(shaper);
        assertThat(both.shape(change(Operation.INSERT, "users", row(1, "ann", "x"), null))).isNull();
        assertThat(both.shape(change(Operation.INSERT, "users", row(2, "bob", "y"), null)).newRow().text("customer_name"))
                .isEqualTo("bob");
    }

    private static Row row(int id, String username, String email) {
        return new Row(List.of(ColumnValue.text(ID, Integer.toString(id)), ColumnValue.text(USERNAME, username),
                ColumnValue.text(EMAIL, email)));
    }

    private static SourceChange change(Operation operation, String table, Row newRow, Row oldRow) {
        return new SourceChange(operation, "public", table, Lsn.of(100), Lsn.of(200), 42, Instant.EPOCH, 3,
                operation == Operation.TRUNCATE ? List.of() : KEY, newRow, oldRow, null);
    }
}
