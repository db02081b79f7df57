package io.pgflo.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.TableName;
import io.pgflo.testkit.PostgresExtension;
import io.pgflo.testkit.TestPostgres;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SourceTablesIT {

    @Test
    void describesColumnsTypesAndTheReplicationKeyAsTheStreamWillSendThem(TestPostgres pg) {
        String db = pg.createDatabase("source_tables");
        pg.execute(db, "CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%')",
                "CREATE TABLE people (id int, tenant int, mail email, tags text[], name varchar(20), gone int, "
                        + "upper_name text GENERATED ALWAYS AS (upper(name)) STORED, PRIMARY KEY (tenant, id))",
                "ALTER TABLE people DROP COLUMN gone",
                "CREATE TABLE everything (a int, b text)", "ALTER TABLE everything REPLICA IDENTITY FULL",
                "CREATE TABLE parted (id int PRIMARY KEY, v text) PARTITION BY RANGE (id)");

        Map<TableName, List<Column>> found = SourceTables.describe(pg.endpoint(db), List.of(
                new TableName("public", "people"), new TableName("public", "everything"),
                new TableName("public", "parted"), new TableName("public", "missing")));

        assertThat(found).containsOnlyKeys(new TableName("public", "people"), new TableName("public", "everything"),
                new TableName("public", "parted"));
        List<Column> people = found.get(new TableName("public", "people"));
        assertThat(people).extracting(c -> c.name() + ":" + c.type().name() + ":" + c.type().oid() + "/"
                + c.type().baseOid() + "/" + c.type().elementOid() + (c.partOfKey() ? ":key" : ""))
                .containsExactly("id:integer:23/23/0:key", "tenant:integer:23/23/0:key",
                        people.get(2).name() + ":email:" + people.get(2).type().oid() + "/25/0",
                        "tags:text[]:1009/1009/25", "name:character varying(20):1043/1043/0");
        assertThat(found.get(new TableName("public", "everything"))).as("REPLICA IDENTITY FULL: every column")
                .allMatch(Column::partOfKey);
        assertThat(found.get(new TableName("public", "parted"))).extracting(Column::name).containsExactly("id", "v");
    }
}
