package io.pgflo.rules;

import static io.pgflo.rules.Changes.USERS;
import static io.pgflo.rules.Changes.TYPES;
import static io.pgflo.rules.Changes.change;
import static io.pgflo.rules.Changes.delete;
import static io.pgflo.rules.Changes.insert;
import static io.pgflo.rules.Changes.row;
import static io.pgflo.rules.Changes.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.ChangeShaper;
import io.pgflo.sink.api.Operation;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CelFilterTest {
    @TempDir
    Path dir;

    private ChangeShaper expression(String table, String cel) throws Exception {
        return Changes.shaper(dir, "tables:\n  " + table + ":\n    - type: filter\n      expression: " + cel + "\n");
    }

    @Test
    void readsTheRowWithTypedValues() throws Exception {
        ChangeShaper rules = expression("app.types", "\"row.n > 5 && row.price >= 9.5 && row.flag && row.label.startsWith('a')\"");
        assertThat(rules.shape(insert(TYPES, "code", "k", "n", "6", "price", "9.50", "flag", "t", "label", "abc")))
                .isNotNull();
        assertThat(rules.shape(insert(TYPES, "code", "k", "n", "5", "price", "9.50", "flag", "t", "label", "abc")))
                .isNull();
        assertThat(rules.shape(insert(TYPES, "code", "k", "n", "6", "price", "9.50", "flag", "f", "label", "abc")))
                .isNull();
    }

    @Test
    void seesTheOperationTheTableTheOldRowAndNulls() throws Exception {
        ChangeShaper rules = expression("users", "\"op != 'DELETE' && table == 'users' && schema == 'public' "
                + "&& row.notes == null && (!has(old.age) || old.age < row.age)\"");
        assertThat(rules.shape(insert(USERS, "id", "1", "age", "3", "notes", null))).isNotNull();
        assertThat(rules.shape(insert(USERS, "id", "1", "age", "3", "notes", "x"))).isNull();
        assertThat(rules.shape(change(Operation.UPDATE, USERS, row(USERS, "id", "1", "age", "4", "notes", null),
                row(USERS, "id", "1", "age", "3")))).isNotNull();
        assertThat(rules.shape(change(Operation.UPDATE, USERS, row(USERS, "id", "1", "age", "2", "notes", null),
                row(USERS, "id", "1", "age", "3")))).as("an UPDATE that fails: a DELETE of its key")
                .satisfies(deleted -> assertThat(deleted.operation()).isEqualTo(Operation.DELETE));
    }

    @Test
    void aDeleteIsJudgedOnItsOldRowAndAColumnItLacksKeepsTheChange() throws Exception {
        ChangeShaper rules = expression("users", "\"row.age >= 18\"");
        assertThat(rules.shape(delete(USERS, "id", "1", "age", "17"))).isNull();
        assertThat(rules.shape(delete(USERS, "id", "1", "age", "18"))).isNotNull();
        assertThat(rules.shape(delete(USERS, "id", "1"))).as("no age to read: kept").isNotNull();
        assertThat(rules.shape(update(USERS, "id", "1", "age", "<toast>"))).as("unchanged TOAST: kept").isNotNull();
    }
}
