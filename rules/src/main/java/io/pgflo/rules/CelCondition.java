package io.pgflo.rules;

import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.pgflo.rules.FilterRule.Condition;
import io.pgflo.rules.FilterRule.Verdict;
import io.pgflo.sink.api.ColumnValue;
import io.pgflo.sink.api.Operation;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A filter written as a CEL expression over {@code row} (the new row; a DELETE's old row or key), {@code old} (the old
 * row or key, empty when the change has none), {@code op} ({@code "INSERT"}, {@code "UPDATE"}, {@code "DELETE"}, or
 * {@code "READ"} for a copied row), {@code table} and {@code schema}. Compiled once, when the file is loaded; a
 * program is immutable and safe to run from several threads.
 *
 * <p>Values: integers as CEL {@code int}, numeric and floating point as {@code double}, booleans as {@code bool}, a SQL
 * NULL as {@code null}, everything else as PostgreSQL's text of it ({@code string}). A column the change does not carry
 * (a DELETE's non-key columns, an unchanged TOAST value) is not in the map: test it with {@code has(row.col)} or
 * {@code 'col' in row}. An expression that fails to evaluate for a change (it reads such a column, say) keeps the
 * change, as a column filter keeps a change it cannot judge.
 */
final class CelCondition implements Condition {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .addVar("row", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("old", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("op", SimpleType.STRING)
            .addVar("table", SimpleType.STRING)
            .addVar("schema", SimpleType.STRING)
            .setStandardMacros(dev.cel.parser.CelStandardMacro.STANDARD_MACROS)
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final CelRuntime.Program program;
    private final String schema;
    private final String table;
    private final Map<String, ValueKind> kinds;

    private CelCondition(CelRuntime.Program program, String schema, String table, Map<String, ValueKind> kinds) {
        this.program = program;
        this.schema = schema;
        this.table = table;
        this.kinds = kinds;
    }

    /** A checked program for {@code expression}; thrown as IllegalArgumentException with CEL's reason, on one line. */
    static CelRuntime.Program compile(String expression) {
        try {
            return RUNTIME.createProgram(COMPILER.compile(expression).getAst());
        } catch (CelValidationException e) {
            String reason = e.getErrors().isEmpty() ? e.getMessage() : e.getErrors().get(0).getMessage();
            throw new IllegalArgumentException("expression does not compile: " + reason);
        } catch (CelEvaluationException e) {
            throw new IllegalArgumentException("expression cannot run: " + e.getMessage());
        }
    }

    static CelCondition bind(CelRuntime.Program program, String schema, String table, Map<String, ValueKind> kinds) {
        return new CelCondition(program, schema, table, Map.copyOf(kinds));
    }

    @Override
    public Verdict test(Shaping shaping) {
        Map<String, Object> variables = new HashMap<>(8);
        variables.put("row", values(shaping.judged()));
        variables.put("old", shaping.operation == Operation.DELETE ? Map.of() : values(shaping.oldValues));
        variables.put("op", shaping.operation.name());
        variables.put("table", table);
        variables.put("schema", schema);
        try {
            return Boolean.TRUE.equals(program.eval(variables)) ? Verdict.PASS : Verdict.FAIL;
        } catch (CelEvaluationException e) {
            return Verdict.UNKNOWN;
        }
    }

    private Map<String, Object> values(List<ColumnValue> row) {
        if (row == null) {
            return Map.of();
        }
        Map<String, Object> values = new HashMap<>(row.size() * 2);
        for (ColumnValue value : row) {
            if (value.unchangedToast()) {
                continue;
            }
            values.put(value.name(), celValue(value));
        }
        return values;
    }

    private Object celValue(ColumnValue value) {
        String text = value.text();
        if (text == null) {
            return dev.cel.common.values.NullValue.NULL_VALUE;
        }
        ValueKind kind = kinds.getOrDefault(value.name(), ValueKind.OTHER);
        Comparable<?> parsed = kind == ValueKind.INTEGER || kind == ValueKind.DECIMAL || kind == ValueKind.BOOLEAN
                ? kind.parse(text) : null;
        if (parsed instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        return parsed != null ? parsed : text;
    }
}
