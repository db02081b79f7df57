package io.pgflo.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.Operation;
import io.pgflo.sink.api.TableName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The complete example of the top-level README's "Rules" section loads and does what its comments say. */
class ReadmeExampleTest {
    private static final TableName CUSTOMERS = new TableName("public", "customers");
    private static final TableName AUDIT = new TableName("public", "audit_log");

    @Test
    void theReadmesRulesExampleWorksAsDocumented(@TempDir Path dir) throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        int start = readme.indexOf("# rules.yml\n");
        String yaml = readme.substring(start, readme.indexOf("```", start));
        Path file = Files.writeString(dir.resolve("rules.yml"), yaml);
        Map<TableName, List<Column>> catalog = Map.of(
                CUSTOMERS, List.of(Changes.key("id", 23, "integer"), Changes.col("name", 25, "text"),
                        Changes.col("email", 25, "text"), Changes.col("phone", 25, "text"),
                        Changes.col("ssn", 25, "text"), Changes.col("country", 1042, "character(2)"),
                        Changes.col("age", 23, "integer")),
                AUDIT, List.of(Changes.key("id", 20, "bigint"), Changes.col("ip", 869, "inet")));
        ChangeShaper rules = Rules.load(file).shaper("public", catalog);

        SourceChange kept = rules.shape(change(CUSTOMERS, catalog, "id", "1", "name", "Alice", "email", "a@x.io",
                "phone", "5551234567", "ssn", "123", "country", "DE", "age", "30"));
        assertThat(Changes.values(kept.newRow())).containsExactly(entry("id", "1"), entry("name", "A***e"),
                entry("email", Transforms.hash("change-me").apply("a@x.io")), entry("phone", "(555) 123-4567"),
                entry("country", "DE"), entry("age", "30"));
        assertThat(rules.shape(change(CUSTOMERS, catalog, "id", "2", "country", "US", "age", "30"))).isNull();
        assertThat(rules.shape(change(CUSTOMERS, catalog, "id", "3", "country", "FR", "age", "17"))).isNull();
        assertThat(Changes.values(rules.shape(change(AUDIT, catalog, "id", "1", "ip", "10.0.0.1")).newRow()))
                .containsEntry("ip", "null");
    }

    private static SourceChange change(TableName table, Map<TableName, List<Column>> catalog, String... values) {
        List<io.pgflo.sink.api.ColumnValue> row = new java.util.ArrayList<>();
        for (int i = 0; i < values.length; i += 2) {
            String name = values[i];
            Column column = catalog.get(table).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
            row.add(io.pgflo.sink.api.ColumnValue.text(column, values[i + 1]));
        }
        return new SourceChange(Operation.INSERT, table.schema(), table.table(), io.pgflo.sink.api.Lsn.of(1),
                io.pgflo.sink.api.Lsn.of(2), 1, java.time.Instant.EPOCH, 0, List.of("id"),
                new io.pgflo.sink.api.Row(row), null, null);
    }
}
