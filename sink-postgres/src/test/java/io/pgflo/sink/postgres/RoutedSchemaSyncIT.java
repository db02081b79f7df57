package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.TestPostgres;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** --sync-schema with routes: the tables are created under their routed names, with each copier. */
class RoutedSchemaSyncIT {
    private static final String SOURCE_SCHEMA = """
            CREATE SCHEMA app;
            CREATE TABLE app."Orders" (
              id bigserial PRIMARY KEY,
              total numeric(12, 2) CHECK (total >= 0),
              created timestamptz DEFAULT now(),
              doubled numeric GENERATED ALWAYS AS (total * 2) STORED);
            CREATE INDEX orders_created ON app."Orders" (created DESC) WHERE total > 0;
            CREATE TABLE app.lines (
              order_id bigint REFERENCES app."Orders" (id),
              line int,
              sku text NOT NULL,
              PRIMARY KEY (order_id, line));
            """;
    private static final TableName ORDERS = new TableName("app", "Orders");
    private static final TableName LINES = new TableName("app", "lines");
    private static final TableName ROUTED_ORDERS = new TableName("reporting", "orders_v2");
    private static final TableName ROUTED_LINES = new TableName("app", "order_lines");
    private static final Set<Operation> ALL = Set.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE);

    private final TestPostgres sourceServer = TestPostgres.shared();
    private final TestPostgres targetServer = TargetServer.get();

    @ParameterizedTest
    @EnumSource(value = SchemaSync.Copier.class, names = {"PG_DUMP", "CATALOG"})
    void createsRoutedTablesWithTheirConstraintsIndexesAndKeysRenamed(SchemaSync.Copier copier) {
        String source = sourceServer.createDatabase("routed_sync_src");
        String target = targetServer.createDatabase("routed_sync_dst");
        sourceServer.execute(source, SOURCE_SCHEMA);
        SchemaSync sync = new SchemaSync(sourceServer.endpoint(source), targetServer.endpoint(target), copier, null);

        SchemaSync.Result first = sync.sync(List.of(ORDERS, LINES), routes());

        assertThat(first.copier()).startsWith(copier == SchemaSync.Copier.PG_DUMP ? "pg_dump " : "catalog");
        assertThat(first.created()).containsExactly(ROUTED_ORDERS, ROUTED_LINES);
        assertThat(rows(target, "SELECT attname || ' ' || format_type(atttypid, atttypmod) FROM pg_attribute "
                + "WHERE attrelid = 'reporting.orders_v2'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum"))
                .containsExactly("order_id bigint", "amount numeric(12,2)", "created timestamp with time zone",
                        "doubled numeric");
        assertThat(rows(target, "SELECT conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint "
                + "WHERE conrelid IN ('reporting.orders_v2'::regclass, 'app.order_lines'::regclass) "
                + "ORDER BY conrelid::regclass::text, contype"))
                .containsExactly("lines_order_id_fkey: FOREIGN KEY (parent_id) REFERENCES reporting.orders_v2(order_id)",
                        "lines_pkey: PRIMARY KEY (parent_id, line)",
                        "Orders_total_check: CHECK ((amount >= (0)::numeric))",
                        "Orders_pkey: PRIMARY KEY (order_id)");
        assertThat(rows(target, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef "
                + "WHERE adrelid = 'reporting.orders_v2'::regclass ORDER BY adnum"))
                .hasSize(3).contains("(amount * (2)::numeric)");
        assertThat(rows(target, "SELECT indexdef FROM pg_indexes WHERE indexname = 'orders_created'"))
                .containsExactly("CREATE INDEX orders_created ON reporting.orders_v2 USING btree (created DESC) "
                        + "WHERE (amount > (0)::numeric)");
        assertThat(rows(target, "SELECT coalesce(to_regclass('app.\"Orders\"')::text, 'none') || ' ' "
                + "|| coalesce(to_regclass('app.lines')::text, 'none')")).containsExactly("none none");
        targetServer.execute(target, "INSERT INTO reporting.orders_v2 (amount) VALUES (10)",
                "INSERT INTO app.order_lines (parent_id, line, sku) VALUES (1, 1, 'x')");
        assertThat(rows(target, "SELECT order_id || ' ' || doubled FROM reporting.orders_v2")).containsExactly("1 20.00");

        SchemaSync.Result second = sync.sync(List.of(ORDERS, LINES), routes());
        assertThat(second.copier()).isEqualTo("none");
        assertThat(second.existing()).containsExactly(ROUTED_ORDERS, ROUTED_LINES);
    }

    @Test
    void aTableUnderTheSourceNameOnTheTargetIsInTheWay() {
        String source = sourceServer.createDatabase("routed_sync_src");
        String target = targetServer.createDatabase("routed_sync_dst");
        sourceServer.execute(source, SOURCE_SCHEMA);
        targetServer.execute(target, "CREATE SCHEMA app", "CREATE TABLE app.lines (other int)");
        SchemaSync sync = new SchemaSync(sourceServer.endpoint(source), targetServer.endpoint(target),
                SchemaSync.Copier.CATALOG, null);

        assertThatThrownBy(() -> sync.sync(List.of(ORDERS, LINES), routes()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("--sync-schema cannot create app.order_lines on ")
                .hasMessageContaining("the target has a relation app.lines already");
        assertThat(rows(target, "SELECT coalesce(to_regclass('reporting.orders_v2')::text, 'none')"))
                .as("nothing created").containsExactly("none");
    }

    private static TableRoutes routes() {
        Map<TableName, Route> routes = new LinkedHashMap<>();
        routes.put(ORDERS, new Route(ORDERS, ROUTED_ORDERS, Map.of("id", "order_id", "total", "amount"), ALL));
        routes.put(LINES, new Route(LINES, ROUTED_LINES, Map.of("order_id", "parent_id"), ALL));
        return new TableRoutes(routes);
    }

    private List<String> rows(String target, String sql) {
        return Replication.rows(targetServer, target, sql);
    }
}
