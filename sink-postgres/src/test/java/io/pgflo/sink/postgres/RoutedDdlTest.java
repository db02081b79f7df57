package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.TableRoutes;
import io.pgflo.domain.TableRoutes.Route;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.SchemaChangePlanner.Step;
import io.pgflo.sink.postgres.TableDefinition.ColumnDefinition;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutedDdlTest {
    private static final TableName USERS = new TableName("public", "users");
    private static final TableName PEOPLE = new TableName("crm", "people");
    private static final Set<Operation> ALL = Set.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE);
    private static final ColumnDefinition ID = new ColumnDefinition(1, "id", "integer", true, null, null, null, null);
    private static final ColumnDefinition TIER = new ColumnDefinition(2, "tier", "text", false, "'free'::text", null,
            null, null);

    @Test
    void aTableOnlyRouteKeepsTheTargetsTableWhereThePlannerWouldRenameItBack() {
        TableRoutes routes = new TableRoutes(Map.of(USERS, new Route(USERS, PEOPLE, Map.of(), ALL)));
        SchemaChange change = new SchemaChange(table(USERS, ID), table(USERS, ID, TIER));

        SchemaChange routed = RoutedDdl.translate(change, routes);

        assertThat(routed.previous().name()).isEqualTo(PEOPLE);
        assertThat(routed.definition().name()).isEqualTo(PEOPLE);
        TargetShape target = new TargetShape(Map.of("id", new TargetShape.Column("integer", true, null, null, false)),
                Set.of(), Set.of());
        assertThat(SchemaChangePlanner.plan(PEOPLE, routed, target).steps()).extracting(Step::sql)
                .containsExactly("ALTER TABLE \"crm\".\"people\" ADD COLUMN \"tier\" text DEFAULT 'free'::text");
        assertThat(SchemaChangePlanner.plan(PEOPLE, change, target).steps()).extracting(Step::sql)
                .as("untranslated, the target's table would be moved back to the source's name")
                .contains("ALTER TABLE \"crm\".\"people\" SET SCHEMA \"public\"");
    }

    @Test
    void tablesWithoutARouteAreLeftAsTheyAre() {
        SchemaChange change = new SchemaChange(null, table(USERS, ID));
        assertThat(RoutedDdl.translate(change, TableRoutes.NONE)).isSameAs(change);
        TableRoutes other = new TableRoutes(Map.of(PEOPLE, new Route(PEOPLE, USERS, Map.of(), ALL)));
        assertThat(RoutedDdl.translate(change, other).definition()).isEqualTo(change.definition());
    }

    @Test
    void replayIsRefusedForRoutesThatRenameColumnsAndAllowedWithout() {
        TableRoutes renaming = new TableRoutes(Map.of(USERS, new Route(USERS, PEOPLE, Map.of("id", "person_id"), ALL)));
        PostgresSinkConfig config = PostgresSinkConfig.of(new DatabaseEndpoint("localhost", 5432, "t", "u", null, null,
                null), "g").withRoutes(renaming);
        assertThatThrownBy(() -> RoutedDdl.refuseUntranslatable(config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("--routing-config renames columns of public.users (id to person_id), and schema changes "
                        + "cannot be replayed under renamed columns (the source's constraint and index definitions name "
                        + "the source's columns); pass --track-ddl false and change the target's schema yourself, or "
                        + "route public.users without column_mappings");
        RoutedDdl.refuseUntranslatable(config.withTrackDdl(false));
        RoutedDdl.refuseUntranslatable(config.withRoutes(new TableRoutes(Map.of(USERS,
                new Route(USERS, PEOPLE, Map.of("id", "id"), ALL)))));
    }

    private static TableDefinition table(TableName name, ColumnDefinition... columns) {
        return new TableDefinition(name.schema(), name.table(), List.of(columns), List.of(), List.of());
    }
}
