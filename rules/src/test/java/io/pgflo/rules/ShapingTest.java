package io.pgflo.rules;

import static io.pgflo.rules.Changes.USERS;
import static io.pgflo.rules.Changes.change;
import static io.pgflo.rules.Changes.delete;
import static io.pgflo.rules.Changes.insert;
import static io.pgflo.rules.Changes.row;
import static io.pgflo.rules.Changes.update;
import static io.pgflo.rules.Changes.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the rules do to whole changes: both rows, absent columns, exclusions, order, and what they leave alone. */
class ShapingTest {
    @TempDir
    Path dir;

    private ChangeShaper rules(String rules) throws Exception {
        return Changes.shaper(dir, "tables:\n  users:\n" + rules);
    }

    @Test
    void aTransformRewritesTheOldRowTooSoTheValueDoesNotLeaveThroughIt() throws Exception {
        ChangeShaper rules = rules("""
                    - type: transform
                      column: email
                      parameters: {type: hash, salt: s}
                """);
        SourceChange shaped = rules.shape(change(Operation.UPDATE, USERS, row(USERS, "id", "1", "email", "new@x"),
                row(USERS, "id", "1", "email", "old@x")));

        assertThat(shaped.newRow().text("email")).isEqualTo(Transforms.hash("s").apply("new@x"));
        assertThat(shaped.oldRow().text("email")).isEqualTo(Transforms.hash("s").apply("old@x"));
        SourceChange deleted = rules.shape(delete(USERS, "id", "1", "email", "old@x"));
        assertThat(deleted.oldRow().text("email")).isEqualTo(Transforms.hash("s").apply("old@x"));
    }

    @Test
    void aTransformLeavesNullsAbsentColumnsAndUnchangedToastValuesAlone() throws Exception {
        ChangeShaper rules = rules("""
                    - type: transform
                      column: notes
                      parameters: {type: constant, value: hidden}
                """);
        assertThat(values(rules.shape(insert(USERS, "id", "1", "notes", null)).newRow())).containsEntry("notes", "null");
        assertThat(values(rules.shape(update(USERS, "id", "1", "notes", "<toast>")).newRow()))
                .as("the target keeps the value it has, transformed when it was written")
                .containsEntry("notes", "<toast>");
        SourceChange keyOnly = delete(USERS, "id", "1");
        assertThat(rules.shape(keyOnly)).isSameAs(keyOnly);
        assertThat(values(rules.shape(insert(USERS, "id", "1", "notes", "x")).newRow())).containsEntry("notes", "hidden");
    }

    @Test
    void setNullWritesNullOverAnyValueAndAnyType() throws Exception {
        ChangeShaper rules = rules("""
                    - type: transform
                      column: age
                      parameters: {type: set_null}
                """);
        assertThat(values(rules.shape(insert(USERS, "id", "1", "age", "44")).newRow()))
                .containsExactly(entry("id", "1"), entry("age", "null"));
    }

    @Test
    void anExcludedColumnLeavesTheNewAndOldRows() throws Exception {
        ChangeShaper rules = rules("""
                    - type: exclude_column
                      column: ssn
                """);
        SourceChange shaped = rules.shape(change(Operation.UPDATE, USERS, row(USERS, "id", "1", "ssn", "1", "age", "3"),
                row(USERS, "id", "1", "ssn", "0", "age", "2")));

        assertThat(values(shaped.newRow())).containsExactly(entry("id", "1"), entry("age", "3"));
        assertThat(values(shaped.oldRow())).containsExactly(entry("id", "1"), entry("age", "2"));
        assertThat(shaped.keyColumns()).containsExactly("id");
        assertThat(shaped.valueBytes()).as("counted again").isEqualTo(4);
    }

    @Test
    void rulesRunInTheFilesOrderEachSeeingWhatTheOnesBeforeLeft() throws Exception {
        ChangeShaper rules = rules("""
                    - type: transform
                      column: name
                      parameters: {type: truncate, length: 3}
                    - type: filter
                      column: name
                      parameters: {operator: eq, value: Bob}
                """);
        assertThat(rules.shape(insert(USERS, "id", "1", "name", "Bobby"))).as("truncated, then judged").isNotNull();
        assertThat(rules.shape(insert(USERS, "id", "1", "name", "Alice"))).isNull();
    }

    @Test
    void anUpdateLeavingTheFilterIsADeleteOfItsOldKeyAndLaterRulesSeeThatDelete() throws Exception {
        ChangeShaper rules = Changes.shaper(dir, """
                tables:
                  app.types:
                    - type: filter
                      column: n
                      parameters: {operator: gte, value: 18}
                    - type: transform
                      column: code
                      parameters: {type: hash}
                """);
        SourceChange keyChanged = change(Operation.UPDATE, Changes.TYPES, row(Changes.TYPES, "code", "b", "n", "10",
                "label", "x"), row(Changes.TYPES, "code", "a"));

        SourceChange shaped = rules.shape(keyChanged);

        assertThat(shaped.operation()).isEqualTo(Operation.DELETE);
        assertThat(values(shaped.oldRow())).as("the old key, hashed as the target holds it")
                .containsExactly(entry("code", Transforms.hash("").apply("a")));
        assertThat(shaped.lsn()).isEqualTo(keyChanged.lsn());
        assertThat(shaped.ordinal()).isEqualTo(keyChanged.ordinal());
        SourceChange sameKey = change(Operation.UPDATE, Changes.TYPES, row(Changes.TYPES, "code", "c", "n", "1"), null);
        assertThat(values(rules.shape(sameKey).oldRow())).as("the key from the new row when it did not change")
                .containsExactly(entry("code", Transforms.hash("").apply("c")));
    }

    @Test
    void anUpdateOfATableWithoutAKeyThatLeavesTheFilterIsLeftOut() throws Exception {
        ChangeShaper rules = rules("""
                    - type: filter
                      column: age
                      parameters: {operator: gte, value: 18}
                """);
        SourceChange noKey = new SourceChange(Operation.UPDATE, "public", "users", Lsn.of(1), Lsn.of(2), 1,
                Instant.EPOCH, 0, List.of(), row(USERS, "id", "1", "age", "3"), null, null);
        assertThat(rules.shape(noKey)).isNull();
    }

    @Test
    void operationsAndAllowEmptyDeletesChooseTheChangesARuleSees() throws Exception {
        ChangeShaper rules = rules("""
                    - type: filter
                      column: age
                      operations: [insert]
                      parameters: {operator: gte, value: 18}
                    - type: transform
                      column: name
                      allow_empty_deletes: true
                      parameters: {type: constant, value: "?"}
                """);
        assertThat(rules.shape(insert(USERS, "id", "1", "age", "3"))).isNull();
        assertThat(rules.shape(update(USERS, "id", "1", "age", "3"))).as("not for updates").isNotNull();
        assertThat(values(rules.shape(delete(USERS, "id", "1", "name", "n")).oldRow())).containsEntry("name", "n");
        SourceChange copied = change(Operation.READ, USERS, row(USERS, "id", "1", "age", "3"), null);
        assertThat(rules.shape(copied)).as("a copied row is an INSERT").isNull();
    }

    @Test
    void ddlTruncatesOtherTablesAndCopyEndsPassUntouched() throws Exception {
        ChangeShaper rules = rules("""
                    - type: filter
                      column: age
                      parameters: {operator: gte, value: 18}
                """);
        SourceChange ddl = new SourceChange(Operation.DDL, "public", "users", Lsn.of(1), Lsn.of(2), 1, Instant.EPOCH,
                0, List.of(), null, null, "ALTER TABLE users ADD COLUMN x int");
        SourceChange truncate = new SourceChange(Operation.TRUNCATE, "public", "users", Lsn.of(1), Lsn.of(2), 1,
                Instant.EPOCH, 0, List.of(), null, null, null);
        SourceChange other = Changes.insert(Changes.EVENTS, "id", "1", "tenant_id", "1");
        assertThat(rules.shape(ddl)).isSameAs(ddl);
        assertThat(rules.shape(truncate)).isSameAs(truncate);
        assertThat(rules.shape(other)).isSameAs(other);
    }
}
