package io.pgflo.rules;

import static io.pgflo.rules.Changes.TYPES;
import static io.pgflo.rules.Changes.delete;
import static io.pgflo.rules.Changes.insert;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.ChangeShaper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every operator, compared by the column's type, on table app.types. */
class ColumnFiltersTest {
    @TempDir
    Path dir;

    private ChangeShaper filter(String column, String operator, String value) throws Exception {
        return Changes.shaper(dir, "tables:\n  app.types:\n    - type: filter\n      column: " + column
                + "\n      parameters:\n        operator: " + operator + (value == null ? "" : "\n        value: " + value)
                + "\n");
    }

    private boolean keeps(ChangeShaper rules, String column, String text) {
        return rules.shape(insert(TYPES, "code", "k", column, text)) != null;
    }

    @Test
    void integersCompareAsNumbersNotText() throws Exception {
        ChangeShaper gt = filter("n", "gt", "9");
        assertThat(keeps(gt, "n", "10")).isTrue();
        assertThat(keeps(gt, "n", "9")).isFalse();
        assertThat(keeps(filter("n", "lt", "'10'"), "n", "9")).as("a quoted number is read by the column's type")
                .isTrue();
        assertThat(keeps(filter("n", "gte", "10"), "n", "10")).isTrue();
        assertThat(keeps(filter("n", "lte", "10"), "n", "11")).isFalse();
        assertThat(keeps(filter("n", "eq", "-3"), "n", "-3")).isTrue();
        assertThat(keeps(filter("n", "ne", "-3"), "n", "-3")).isFalse();
    }

    @Test
    void numericsCompareExactlyAsDecimals() throws Exception {
        assertThat(keeps(filter("price", "eq", "100"), "price", "100.00")).as("scale does not matter").isTrue();
        assertThat(keeps(filter("price", "gt", "0.1"), "price", "0.10000000000000000001")).as("exact").isTrue();
        assertThat(keeps(filter("price", "lt", "'999.99'"), "price", "1000")).isFalse();
        assertThat(keeps(filter("ratio", "lt", "100"), "ratio", "99.99")).isTrue();
        assertThat(keeps(filter("ratio", "gt", "0"), "ratio", "NaN")).as("not a comparable value").isFalse();
    }

    @Test
    void textBooleansDatesAndTimestampsCompareByTheirType() throws Exception {
        assertThat(keeps(filter("label", "eq", "completed"), "label", "completed")).isTrue();
        assertThat(keeps(filter("label", "eq", "Completed"), "label", "completed")).as("case-sensitive").isFalse();
        assertThat(keeps(filter("label", "gt", "b"), "label", "c")).isTrue();
        assertThat(keeps(filter("flag", "eq", "true"), "flag", "t")).isTrue();
        assertThat(keeps(filter("flag", "ne", "true"), "flag", "f")).isTrue();
        assertThat(keeps(filter("day", "gte", "2024-03-01"), "day", "2024-02-29")).isFalse();
        assertThat(keeps(filter("day", "lt", "2024-03-01"), "day", "2024-02-29")).isTrue();
        assertThat(keeps(filter("at", "eq", "'2024-05-01T08:00:00Z'"), "at", "2024-05-01 10:00:00+02"))
                .as("the same instant in another zone").isTrue();
        assertThat(keeps(filter("at", "gt", "'2024-05-01 09:00:00+00'"), "at", "2024-05-01 09:00:00.5+00")).isTrue();
        assertThat(keeps(filter("local", "lt", "'2024-05-01 09:00:00'"), "local", "2024-05-01 08:59:59.999999"))
                .isTrue();
    }

    @Test
    void containsInNotInIsNullAndNotNull() throws Exception {
        assertThat(keeps(filter("label", "contains", "Widget"), "label", "Premium Widget")).isTrue();
        assertThat(keeps(filter("label", "contains", "widget"), "label", "Premium Widget")).isFalse();
        assertThat(keeps(filter("n", "in", "[1, 2, 3]"), "n", "2")).isTrue();
        assertThat(keeps(filter("n", "in", "[1, 2, 3]"), "n", "4")).isFalse();
        assertThat(keeps(filter("price", "not_in", "[1.5, 2]"), "price", "1.50")).isFalse();
        assertThat(keeps(filter("uid", "in", "['6a2f41a3-c54c-fce8-32d2-0324e1c32e22']"), "uid",
                "6a2f41a3-c54c-fce8-32d2-0324e1c32e22")).as("other types: equal by text").isTrue();
        assertThat(keeps(filter("label", "is_null", null), "label", null)).isTrue();
        assertThat(keeps(filter("label", "is_null", null), "label", "x")).isFalse();
        assertThat(keeps(filter("label", "not_null", null), "label", "x")).isTrue();
        assertThat(keeps(filter("mail", "eq", "a@b.c"), "mail", "a@b.c")).as("a domain over text is text").isTrue();
    }

    @Test
    void aNullFailsEveryOperatorButIsNull() throws Exception {
        for (String operator : new String[] {"eq", "ne", "gt", "lt", "gte", "lte", "not_in"}) {
            String value = operator.equals("not_in") ? "[1]" : "1";
            assertThat(keeps(filter("n", operator, value), "n", null)).as(operator).isFalse();
        }
    }

    @Test
    void aDeleteIsJudgedOnTheOldRowItCarriesAndKeptWhenItLacksTheColumn() throws Exception {
        ChangeShaper rules = filter("n", "eq", "1");
        assertThat(rules.shape(delete(TYPES, "code", "k", "n", "1"))).isNotNull();
        assertThat(rules.shape(delete(TYPES, "code", "k", "n", "2"))).isNull();
        assertThat(rules.shape(delete(TYPES, "code", "k"))).as("key only: cannot judge, kept").isNotNull();
    }
}
