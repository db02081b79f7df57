package io.pgflo.sink.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.SchemaChangePlanner.Plan;
import io.pgflo.sink.postgres.SchemaChangePlanner.Step;
import io.pgflo.sink.postgres.TableDefinition.ColumnDefinition;
import io.pgflo.sink.postgres.TableDefinition.ConstraintDefinition;
import io.pgflo.sink.postgres.TableDefinition.IndexDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchemaChangePlannerTest {
    private static final TableName T = new TableName("public", "t");
    private static final ColumnDefinition ID = column(1, "id", "integer", true, null);
    private static final ColumnDefinition NAME = column(2, "name", "text", false, null);

    @Test
    void addsAColumnWithItsDefaultAndNotNull() {
        Plan plan = plan(table(List.of(ID, NAME)), table(List.of(ID, NAME, column(3, "stock", "integer", true, "7"))),
                target(ID, NAME));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" ADD COLUMN \"stock\" integer DEFAULT 7 NOT NULL");
        assertThat(plan.steps()).noneMatch(Step::optional);
    }

    @Test
    void aChangeTheTargetAlreadyHasPlansNothing() {
        ColumnDefinition stock = column(3, "stock", "integer", true, "7");
        IndexDefinition index = new IndexDefinition(50, "t_name", false, "btree (name)");
        TableDefinition before = table(List.of(ID, NAME));
        TableDefinition after = new TableDefinition("public", "t", List.of(ID, NAME, stock), List.of(), List.of(index));
        TargetShape target = new TargetShape(columns(ID, NAME, stock), Set.of(), Set.of("t_name"));
        assertThat(plan(before, after, target).steps()).isEmpty();
    }

    @Test
    void tellsARenameFromADropAndAnAddByAttributeNumber() {
        ColumnDefinition title = column(2, "title", "text", false, null);
        Plan plan = plan(table(List.of(ID, NAME)), table(List.of(ID, title)), target(ID, NAME));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" RENAME COLUMN \"name\" TO \"title\"");
    }

    @Test
    void dropsOnlyWhatTheSourceDroppedNotTheTargetsOwnColumns() {
        ColumnDefinition audit = column(9, "audit", "text", false, null);
        Plan plan = plan(table(List.of(ID, NAME)), table(List.of(ID)), target(ID, NAME, audit));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" DROP COLUMN \"name\"");
    }

    @Test
    void changesATypeWithACastAndSaysSo() {
        Plan plan = plan(table(List.of(ID, NAME)), table(List.of(ID, column(2, "name", "character varying(20)", false, null))),
                target(ID, NAME));
        assertThat(sql(plan)).containsExactly(
                "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"name\" TYPE character varying(20) USING \"name\"::character varying(20)");
        assertThat(plan.warnings()).singleElement().asString().contains("cast");
    }

    @Test
    void followsATableRenameAndSchemaMove() {
        TableDefinition after = new TableDefinition("archive", "items", List.of(ID, NAME), List.of(), List.of());
        Plan plan = plan(table(List.of(ID, NAME)), after, target(ID, NAME));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" SET SCHEMA \"archive\"",
                "ALTER TABLE \"archive\".\"t\" RENAME TO \"items\"");
        assertThat(plan.table()).isEqualTo(new TableName("archive", "items"));
    }

    @Test
    void aSerialColumnGetsItsSequenceFirst() {
        ColumnDefinition serial = new ColumnDefinition(3, "n", "integer", true,
                "nextval('public.t_n_seq'::regclass)", null, null, new TableName("public", "t_n_seq"));
        Plan plan = plan(table(List.of(ID, NAME)), table(List.of(ID, NAME, serial)), target(ID, NAME));
        assertThat(sql(plan)).containsExactly("CREATE SEQUENCE IF NOT EXISTS \"public\".\"t_n_seq\"",
                "ALTER TABLE \"public\".\"t\" ADD COLUMN \"n\" integer DEFAULT nextval('public.t_n_seq'::regclass) NOT NULL",
                "ALTER SEQUENCE \"public\".\"t_n_seq\" OWNED BY \"public\".\"t\".\"n\"");
    }

    @Test
    void indexesAndConstraintsAreOptionalStepsNamedByTheSinkItself() {
        IndexDefinition index = new IndexDefinition(50, "t_name; DROP TABLE x", true, "btree (name)");
        ConstraintDefinition check = new ConstraintDefinition(60, "positive", "c", "CHECK ((id > 0))");
        TableDefinition after = new TableDefinition("public", "t", List.of(ID, NAME), List.of(check), List.of(index));
        Plan plan = plan(table(List.of(ID, NAME)), after, target(ID, NAME));
        assertThat(sql(plan)).containsExactly(
                "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"positive\" CHECK ((id > 0))",
                "CREATE UNIQUE INDEX IF NOT EXISTS \"t_name; DROP TABLE x\" ON \"public\".\"t\" USING btree (name)");
        assertThat(plan.steps()).allMatch(Step::optional);
    }

    @Test
    void renamesAndDropsIndexesByOid() {
        IndexDefinition old = new IndexDefinition(50, "a", false, "btree (name)");
        IndexDefinition renamed = new IndexDefinition(50, "b", false, "btree (name)");
        IndexDefinition dropped = new IndexDefinition(51, "c", false, "btree (id)");
        TableDefinition before = new TableDefinition("public", "t", List.of(ID, NAME), List.of(), List.of(old, dropped));
        TableDefinition after = new TableDefinition("public", "t", List.of(ID, NAME), List.of(), List.of(renamed));
        Plan plan = plan(before, after, new TargetShape(columns(ID, NAME), Set.of(), Set.of("a", "c")));
        assertThat(sql(plan)).containsExactly("DROP INDEX IF EXISTS \"public\".\"c\"",
                "ALTER INDEX IF EXISTS \"public\".\"a\" RENAME TO \"b\"");
    }

    @Test
    void withoutTheEarlierDefinitionOnlyColumnsAreAligned() {
        IndexDefinition index = new IndexDefinition(50, "t_name", false, "btree (name)");
        TableDefinition after = new TableDefinition("public", "t", List.of(ID, NAME), List.of(), List.of(index));
        Plan plan = SchemaChangePlanner.plan(T, new SchemaChange(null, after), target(ID));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" ADD COLUMN \"name\" text");
    }

    @Test
    void aDroppedGenerationExpressionIsDroppedOnTheTarget() {
        ColumnDefinition generated = new ColumnDefinition(3, "g", "integer", false, null, "(id * 2)", null, null);
        ColumnDefinition plain = column(3, "g", "integer", false, null);
        Plan plan = plan(table(List.of(ID, generated)), table(List.of(ID, plain)), target(ID, generated));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" ALTER COLUMN \"g\" DROP EXPRESSION IF EXISTS");
    }

    @Test
    void identityOnANullableTargetColumnSetsNotNullFirst() {
        ColumnDefinition number = column(2, "n", "bigint", false, null);
        ColumnDefinition identity = new ColumnDefinition(2, "n", "bigint", true, null, null, "a", null);
        Plan plan = plan(table(List.of(ID, number)), table(List.of(ID, identity)), target(ID, number));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" SET NOT NULL",
                "ALTER TABLE \"public\".\"t\" ALTER COLUMN \"n\" ADD GENERATED BY DEFAULT AS IDENTITY");
    }

    @Test
    void aConstraintReplacedUnderItsNameIsDroppedAndAddedButAnIndexRebuiltAsItWasIsLeft() {
        ConstraintDefinition old = new ConstraintDefinition(60, "c_chk", "c", "CHECK ((id > 0))");
        ConstraintDefinition replaced = new ConstraintDefinition(61, "c_chk", "c", "CHECK ((id > '-5'::integer))");
        IndexDefinition index = new IndexDefinition(50, "t_name", false, "btree (name)");
        IndexDefinition rebuilt = new IndexDefinition(51, "t_name", false, "btree (name)");
        TableDefinition before = new TableDefinition("public", "t", List.of(ID, NAME), List.of(old), List.of(index));
        TableDefinition after = new TableDefinition("public", "t", List.of(ID, NAME), List.of(replaced), List.of(rebuilt));
        Plan plan = plan(before, after, new TargetShape(columns(ID, NAME), Set.of("c_chk"), Set.of("t_name")));
        assertThat(sql(plan)).containsExactly("ALTER TABLE \"public\".\"t\" DROP CONSTRAINT \"c_chk\"",
                "ALTER TABLE \"public\".\"t\" ADD CONSTRAINT \"c_chk\" CHECK ((id > '-5'::integer))");
    }

    private static Plan plan(TableDefinition before, TableDefinition after, TargetShape target) {
        return SchemaChangePlanner.plan(T, new SchemaChange(before, after), target);
    }

    private static List<String> sql(Plan plan) {
        return plan.steps().stream().map(Step::sql).toList();
    }

    private static TableDefinition table(List<ColumnDefinition> columns) {
        return new TableDefinition("public", "t", columns, List.of(), List.of());
    }

    private static ColumnDefinition column(int num, String name, String type, boolean notNull, String defaultExpression) {
        return new ColumnDefinition(num, name, type, notNull, defaultExpression, null, null, null);
    }

    private static TargetShape target(ColumnDefinition... columns) {
        return new TargetShape(columns(columns), Set.of(), Set.of());
    }

    private static Map<String, TargetShape.Column> columns(ColumnDefinition... columns) {
        Map<String, TargetShape.Column> map = new HashMap<>();
        for (ColumnDefinition column : columns) {
            map.put(column.name(), new TargetShape.Column(column.type(), column.notNull(), column.defaultExpression(),
                    column.identity(), column.generated() != null));
        }
        return map;
    }
}
