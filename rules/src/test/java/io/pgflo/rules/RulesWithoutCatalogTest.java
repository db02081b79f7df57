package io.pgflo.rules;

import static io.pgflo.rules.Changes.TYPES;
import static io.pgflo.rules.Changes.USERS;
import static io.pgflo.rules.Changes.delete;
import static io.pgflo.rules.Changes.insert;
import static io.pgflo.rules.Changes.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.SourceChange;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules without the source's catalog: bound to the columns of each table's first change with a whole row. */
class RulesWithoutCatalogTest {
    @TempDir
    Path dir;

    private ChangeShaper rules(String rules) throws Exception {
        return Changes.rules(dir, "tables:\n  users:\n" + rules).shaperWithoutCatalog("public");
    }

    @Test
    void filtersAndMasksRunOnceBoundToTheFirstChangesColumns() throws Exception {
        ChangeShaper rules = rules("""
                    - type: filter
                      column: id
                      parameters: {operator: gt, value: 1}
                    - type: transform
                      column: email
                      parameters: {type: mask, mask_char: '#'}
                """);
        assertThat(rules.shape(insert(USERS, "id", "1", "email", "a@x"))).isNull();
        assertThat(values(rules.shape(insert(USERS, "id", "2", "email", "b@x")).newRow())).containsEntry("email", "b#x");
    }

    @Test
    void aKeyOnlyDeleteBeforeAnyRowPassesAndTheNextWholeRowBinds() throws Exception {
        ChangeShaper rules = rules("""
                    - type: transform
                      column: email
                      parameters: {type: mask}
                """);
        SourceChange keyOnly = delete(USERS, "id", "1");
        assertThat(rules.shape(keyOnly)).isSameAs(keyOnly);
        assertThat(values(rules.shape(insert(USERS, "id", "2", "email", "b@x")).newRow())).containsEntry("email", "b*x");
    }

    @Test
    void aKeyOnlyDeleteBeforeAnyRowHasItsKeyHashedAsEveryLaterChangeHasIt() throws Exception {
        ChangeShaper rules = Changes.rules(dir, """
                tables:
                  app.types:
                    - type: transform
                      column: code
                      parameters: {type: hash, salt: pepper}
                    - type: filter
                      column: n
                      parameters: {operator: gt, value: 1}
                """).shaperWithoutCatalog("public");
        String hidden = values(rules.shape(delete(TYPES, "code", "secret")).oldRow()).get("code");
        assertThat(hidden).isNotEqualTo("secret").hasSize(64);
        assertThat(values(rules.shape(insert(TYPES, "code", "secret", "n", "2")).newRow()))
                .containsEntry("code", hidden);
        assertThat(rules.shape(insert(TYPES, "code", "other", "n", "1"))).as("the filter is bound too").isNull();
        assertThat(values(rules.shape(delete(TYPES, "code", "secret")).oldRow())).containsEntry("code", hidden);
    }

    @Test
    void aKeyRuleThatCannotHoldFailsOnAKeyOnlyDeleteBeforeItIsDelivered() throws Exception {
        ChangeShaper rules = Changes.rules(dir, """
                tables:
                  app.types:
                    - type: transform
                      column: code
                      parameters: {type: mask}
                """).shaperWithoutCatalog("public");
        assertThatThrownBy(() -> rules.shape(delete(TYPES, "code", "secret")))
                .isInstanceOf(RulesException.class).hasMessageContaining("replication key")
                .hasMessageContaining("checked against the columns of the change at");
    }

    @Test
    void aColumnTheChangeDoesNotHaveFailsNamingTheFileAndTheChange() throws Exception {
        ChangeShaper rules = rules("""
                    - type: transform
                      column: nickname
                      parameters: {type: mask}
                """);
        assertThatThrownBy(() -> rules.shape(insert(USERS, "id", "1", "email", "a@x")))
                .isInstanceOf(RulesException.class).hasMessageContaining("rules.yml")
                .hasMessageContaining("no column 'nickname'").hasMessageContaining("checked against the columns");
    }

    @Test
    void otherTablesPassUntouched() throws Exception {
        ChangeShaper rules = rules("""
                    - type: exclude_column
                      column: email
                """);
        SourceChange other = insert(Changes.EVENTS, "id", "1");
        assertThat(rules.shape(other)).isSameAs(other);
    }
}
