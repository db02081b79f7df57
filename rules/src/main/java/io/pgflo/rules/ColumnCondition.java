package io.pgflo.rules;

import io.pgflo.rules.FilterRule.Condition;
import io.pgflo.rules.FilterRule.Verdict;
import io.pgflo.sink.api.ColumnValue;
import java.util.List;
import java.util.Locale;

/**
 * A filter on one column: {@code column operator value}, compared by the column's {@link ValueKind}. A SQL NULL fails
 * every operator but {@code is_null} (as in SQL, where {@code NULL <> 3} is not true); a value that does not parse as
 * its kind (NaN, infinity) fails too.
 */
record ColumnCondition(String column, Operator operator, ValueKind kind, List<Comparable<?>> values)
        implements Condition {

    enum Operator {
        EQ, NE, GT, LT, GTE, LTE, CONTAINS, IN, NOT_IN, IS_NULL, NOT_NULL;

        static final String NAMES = "eq, ne, gt, lt, gte, lte, contains, in, not_in, is_null, not_null";

        static Operator named(String name) {
            for (Operator operator : values()) {
                if (operator.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return operator;
                }
            }
            return null;
        }

        boolean takesList() {
            return this == IN || this == NOT_IN;
        }

        boolean takesNoValue() {
            return this == IS_NULL || this == NOT_NULL;
        }

        boolean orders() {
            return this == GT || this == LT || this == GTE || this == LTE;
        }

        String written() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Override
    public Verdict test(Shaping shaping) {
        ColumnValue value = shaping.judgedValue(column);
        if (value == null) {
            return Verdict.UNKNOWN;
        }
        return passes(value.text()) ? Verdict.PASS : Verdict.FAIL;
    }

    boolean passes(String text) {
        if (operator == Operator.IS_NULL || operator == Operator.NOT_NULL) {
            return (text == null) == (operator == Operator.IS_NULL);
        }
        if (text == null) {
            return false;
        }
        if (operator == Operator.CONTAINS) {
            return text.contains((String) values.get(0));
        }
        Comparable<?> actual = kind.parse(text);
        if (actual == null) {
            return false;
        }
        return switch (operator) {
            case EQ -> compare(actual, values.get(0)) == 0;
            case NE -> compare(actual, values.get(0)) != 0;
            case GT -> compare(actual, values.get(0)) > 0;
            case LT -> compare(actual, values.get(0)) < 0;
            case GTE -> compare(actual, values.get(0)) >= 0;
            case LTE -> compare(actual, values.get(0)) <= 0;
            case IN -> contains(actual);
            case NOT_IN -> !contains(actual);
            default -> throw new IllegalStateException(operator.name());
        };
    }

    private boolean contains(Comparable<?> actual) {
        for (Comparable<?> candidate : values) {
            if (compare(actual, candidate) == 0) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Comparable<?> a, Comparable<?> b) {
        return ((Comparable) a).compareTo(b); // both parsed by the same kind: the same class
    }
}
