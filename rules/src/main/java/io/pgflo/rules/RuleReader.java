package io.pgflo.rules;

import dev.cel.runtime.CelRuntime;
import io.pgflo.sink.api.Column;
import io.pgflo.sink.api.Operation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads one rule of the file into a {@link Draft}: everything that can be checked without the source is checked here
 * (keys, types, operators, regexes, CEL); the rest when the draft is bound to the table's columns.
 */
final class RuleReader {
    /** In the order an error lists them. */
    private static final Set<String> RULE_KEYS = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(
            List.of("type", "column", "parameters", "operations", "allow_empty_deletes", "expression")));
    /** Keys a rule may also write inside its parameters, as pg_flo's own files do. */
    private static final List<String> SHARED_KEYS = List.of("operations", "allow_empty_deletes");

    private RuleReader() {}

    /** A rule read from the file, to be bound to its table's columns. */
    interface Draft {
        Rule bind(TableInfo table);
    }

    static Draft read(Node node) {
        Map<String, Node> rule = node.map("a rule");
        allowOnly(node, rule, RULE_KEYS, "a rule");
        Node typeNode = required(node, rule, "type", "a rule (transform, filter or exclude_column)");
        String type = typeNode.text("type");
        Map<String, Node> parameters = rule.containsKey("parameters") && rule.get("parameters").value() != null
                ? rule.get("parameters").map("parameters") : Map.of();
        Scope scope = scope(rule, parameters);
        return switch (type) {
            case "transform" -> transform(node, rule, parameters, scope);
            case "filter" -> filter(node, rule, parameters, scope);
            case "exclude_column" -> exclude(node, rule, parameters, scope);
            default -> throw RulesException.at(typeNode, "unknown rule type '" + type
                    + "'; use transform, filter or exclude_column");
        };
    }

    private static Draft transform(Node node, Map<String, Node> rule, Map<String, Node> parameters, Scope scope) {
        Node columnNode = required(node, rule, "column", "a transform");
        String column = columnNode.text("column");
        refuse(rule, "expression", "a transform");
        Node paramsNode = required(node, rule, "parameters", "a transform (its type: "
                + String.join(", ", Transform.KINDS) + ")");
        Node kindNode = required(paramsNode, parameters, "type", "a transform's parameters ("
                + String.join(", ", Transform.KINDS) + ")");
        String kind = kindNode.text("the transform's type");
        Transform transform;
        try {
            transform = switch (kind) {
                case "regex" -> {
                    allowOnly(paramsNode, parameters, with("type", "pattern", "replace"), "a regex transform's parameters");
                    Node pattern = required(paramsNode, parameters, "pattern", "a regex transform");
                    try {
                        yield RegexTransform.compile(pattern.text("pattern"),
                                required(paramsNode, parameters, "replace", "a regex transform").scalarText("replace"));
                    } catch (IllegalArgumentException e) {
                        throw RulesException.at(pattern, "regex transform: " + e.getMessage());
                    }
                }
                case "mask" -> {
                    allowOnly(paramsNode, parameters, with("type", "mask_char"), "a mask transform's parameters");
                    Node maskChar = parameters.get("mask_char");
                    String mask = maskChar == null ? "*" : maskChar.scalarText("mask_char");
                    if (mask.isEmpty()) {
                        throw RulesException.at(maskChar, "mask_char is empty; write a character such as '*'");
                    }
                    yield Transforms.mask(mask);
                }
                case "hash" -> {
                    allowOnly(paramsNode, parameters, with("type", "salt"), "a hash transform's parameters");
                    Node salt = parameters.get("salt");
                    yield Transforms.hash(salt == null ? "" : salt.scalarText("salt"));
                }
                case "truncate" -> {
                    allowOnly(paramsNode, parameters, with("type", "length"), "a truncate transform's parameters");
                    Node lengthNode = required(paramsNode, parameters, "length", "a truncate transform");
                    if (!(lengthNode.value() instanceof Long length) || length < 0 || length > Integer.MAX_VALUE) {
                        throw RulesException.at(lengthNode, "length must be a whole number of characters, 0 or more, "
                                + "not " + lengthNode.describe());
                    }
                    yield Transforms.truncate(length.intValue());
                }
                case "set_null" -> {
                    allowOnly(paramsNode, parameters, with("type"), "a set_null transform's parameters");
                    yield Transforms.setNull();
                }
                case "constant" -> {
                    allowOnly(paramsNode, parameters, with("type", "value"), "a constant transform's parameters");
                    yield Transforms.constant(required(paramsNode, parameters, "value", "a constant transform")
                            .scalarText("value"));
                }
                default -> throw RulesException.at(kindNode, "unknown transform '" + kind + "'; use one of "
                        + String.join(", ", Transform.KINDS));
            };
        } catch (IllegalArgumentException e) {
            throw RulesException.at(paramsNode, kind + " transform: " + e.getMessage());
        }
        Transform chosen = transform;
        return table -> {
            Column target = table.column(columnNode, column);
            ValueKind valueKind = ValueKind.of(target.type());
            if (!kind.equals("set_null") && valueKind != ValueKind.TEXT) {
                throw RulesException.at(columnNode, "a " + kind + " transform needs a text column, but "
                        + table.name() + "." + column + " is " + target.type().name()
                        + "; use set_null, exclude_column, or a filter instead");
            }
            int limit = lengthLimit(target);
            int longest = kind.equals("hash") ? 64 : kind.equals("constant") ? chosen.apply("").length() : 0;
            if (longest > limit) {
                throw RulesException.at(columnNode, "a " + kind + " transform writes " + longest + " characters, but "
                        + table.name() + "." + column + " is " + target.type().name() + "; widen the column or "
                        + "choose another transform");
            }
            if (target.partOfKey() && chosen.mayMerge()) {
                throw RulesException.at(columnNode, "a " + kind + " transform of " + table.name() + "." + column
                        + ", part of the table's replication key, could make distinct rows' keys equal on the "
                        + "target; use hash, or move the rule to another column");
            }
            return new TransformRule(scope, column, chosen);
        };
    }

    private static Draft filter(Node node, Map<String, Node> rule, Map<String, Node> parameters, Scope scope) {
        Node given = rule.getOrDefault("parameters", node);
        Node expressionNode = rule.containsKey("expression") ? rule.get("expression") : parameters.get("expression");
        if (expressionNode != null) {
            refuse(rule, "column", "a filter with an expression (it names columns as row.name)");
            allowOnly(given, parameters, with("expression"), "a filter expression's parameters");
            if (rule.containsKey("expression") && parameters.containsKey("expression")) {
                throw RulesException.at(expressionNode, "expression is written twice; keep the one at the rule's level");
            }
            CelRuntime.Program program;
            try {
                program = CelCondition.compile(expressionNode.text("expression"));
            } catch (IllegalArgumentException e) {
                throw RulesException.at(expressionNode, oneLine(e.getMessage()));
            }
            return table -> new FilterRule(scope, CelCondition.bind(program, table.name().schema(),
                    table.name().table(), table.kinds()));
        }
        Node columnNode = required(node, rule, "column", "a filter (or write an expression)");
        String column = columnNode.text("column");
        Node paramsNode = required(node, rule, "parameters", "a filter (its operator and value)");
        allowOnly(paramsNode, parameters, with("operator", "value"), "a filter's parameters");
        Node operatorNode = required(paramsNode, parameters, "operator", "a filter (" + ColumnCondition.Operator.NAMES
                + ")");
        String operatorName = operatorNode.text("operator");
        ColumnCondition.Operator operator = ColumnCondition.Operator.named(operatorName);
        if (operator == null) {
            throw RulesException.at(operatorNode, "unknown operator '" + operatorName + "'; use one of "
                    + ColumnCondition.Operator.NAMES);
        }
        Node valueNode = parameters.get("value");
        List<Node> valueNodes = new ArrayList<>();
        if (operator.takesNoValue()) {
            if (valueNode != null) {
                throw RulesException.at(valueNode, operator.written() + " takes no value; remove it");
            }
        } else if (valueNode == null) {
            throw RulesException.at(paramsNode, "a filter with " + operator.written() + " needs a value");
        } else if (operator.takesList()) {
            valueNodes.addAll(valueNode.isList() ? valueNode.list("value") : List.of(valueNode));
            if (valueNodes.isEmpty()) {
                throw RulesException.at(valueNode, operator.written() + " needs at least one value");
            }
        } else {
            valueNodes.add(valueNode);
        }
        return table -> {
            Column target = table.column(columnNode, column);
            ValueKind kind = ValueKind.of(target.type());
            if (operator.orders() && !kind.ordered()) {
                throw RulesException.at(operatorNode, operator.written() + " orders values, but "
                        + table.name() + "." + column + " is " + target.type().name()
                        + ", which pg_flo compares only as equal or not (eq, ne, in, not_in, contains)");
            }
            if (operator == ColumnCondition.Operator.CONTAINS && kind != ValueKind.TEXT && kind != ValueKind.OTHER) {
                throw RulesException.at(operatorNode, "contains looks for text, but " + table.name() + "." + column
                        + " is " + target.type().name() + "; use eq, in, or a comparison");
            }
            List<Comparable<?>> values = new ArrayList<>();
            for (Node value : valueNodes) {
                if (value.value() == null || !value.isScalar()) {
                    throw RulesException.at(value, "value must be a single value, not " + value.describe()
                            + (value.value() == null ? "; use is_null or not_null for NULL" : ""));
                }
                String text = value.scalarText("value");
                Comparable<?> parsed = operator == ColumnCondition.Operator.CONTAINS ? text : kind.parse(text);
                if (parsed == null) {
                    throw RulesException.at(value, "'" + text + "' is not a value of " + table.name() + "." + column
                            + " (" + target.type().name() + ")");
                }
                values.add(parsed);
            }
            return new FilterRule(scope, new ColumnCondition(column, operator, kind, values));
        };
    }

    private static Draft exclude(Node node, Map<String, Node> rule, Map<String, Node> parameters, Scope scope) {
        Node paramsNode = rule.getOrDefault("parameters", node);
        Node columnNode = required(node, rule, "column", "an exclude_column rule");
        String column = columnNode.text("column");
        refuse(rule, "expression", "an exclude_column rule");
        allowOnly(paramsNode, parameters, with(), "an exclude_column rule's parameters");
        return table -> {
            Column target = table.column(columnNode, column);
            if (target.partOfKey()) {
                throw RulesException.at(columnNode, table.name() + "." + column + " is part of the table's "
                        + "replication key, which every UPDATE and DELETE needs to find its row; it cannot be "
                        + "excluded (use a hash transform to hide its values)");
            }
            return new ExcludeRule(scope, column);
        };
    }

    private static final java.util.regex.Pattern LENGTH = java.util.regex.Pattern.compile(
            "^(character varying|character|varchar|bpchar)\\((\\d+)\\)$");

    /** The most characters a column holds: n of varchar(n) and char(n), else no limit. */
    private static int lengthLimit(Column column) {
        java.util.regex.Matcher matcher = LENGTH.matcher(column.type().name());
        return matcher.matches() ? Integer.parseInt(matcher.group(2)) : Integer.MAX_VALUE;
    }

    /** {@code operations} and {@code allow_empty_deletes}, at the rule's level or in its parameters (not both, unequal). */
    private static Scope scope(Map<String, Node> rule, Map<String, Node> parameters) {
        Set<Operation> operations = EnumSet.copyOf(Scope.ALL);
        Node top = rule.get("operations");
        Node inside = parameters.get("operations");
        Set<Operation> fromTop = top == null ? null : operations(top);
        Set<Operation> fromInside = inside == null ? null : operations(inside);
        if (fromTop != null && fromInside != null && !fromTop.equals(fromInside)) {
            throw RulesException.at(inside, "operations are written here and at the rule's level with different "
                    + "lists; keep one");
        }
        if (fromTop != null || fromInside != null) {
            operations = fromTop != null ? fromTop : fromInside;
        }
        Node skipTop = rule.get("allow_empty_deletes");
        Node skipInside = parameters.get("allow_empty_deletes");
        Boolean a = skipTop == null ? null : skipTop.bool("allow_empty_deletes");
        Boolean b = skipInside == null ? null : skipInside.bool("allow_empty_deletes");
        if (a != null && b != null && !a.equals(b)) {
            throw RulesException.at(skipInside, "allow_empty_deletes is written here and at the rule's level with "
                    + "different values; keep one");
        }
        return new Scope(operations, Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b));
    }

    /** A list of INSERT, UPDATE, DELETE (any case); empty means all, as pg_flo reads it. */
    private static Set<Operation> operations(Node node) {
        List<Node> items = node.isList() ? node.list("operations") : List.of(node);
        if (items.isEmpty()) {
            return EnumSet.copyOf(Scope.ALL);
        }
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        for (Node item : items) {
            String name = item.text("an operation").toUpperCase(Locale.ROOT);
            switch (name) {
                case "INSERT" -> operations.add(Operation.INSERT);
                case "UPDATE" -> operations.add(Operation.UPDATE);
                case "DELETE" -> operations.add(Operation.DELETE);
                default -> throw RulesException.at(item, "unknown operation '" + item.value()
                        + "'; use INSERT, UPDATE or DELETE");
            }
        }
        return operations;
    }

    private static Set<String> with(String... keys) {
        Set<String> allowed = new LinkedHashSet<>(SHARED_KEYS);
        allowed.addAll(List.of(keys));
        return allowed;
    }

    private static void allowOnly(Node owner, Map<String, Node> map, Set<String> allowed, String what) {
        for (Map.Entry<String, Node> entry : map.entrySet()) {
            if (!allowed.contains(entry.getKey())) {
                throw new RulesException(owner.whereKey(entry.getKey()) + ": unknown key '" + entry.getKey() + "' in "
                        + what + "; expected one of " + String.join(", ", allowed));
            }
        }
    }

    private static void refuse(Map<String, Node> map, String key, String what) {
        if (map.containsKey(key)) {
            throw RulesException.at(map.get(key), what + " takes no " + key + "; remove it");
        }
    }

    private static Node required(Node owner, Map<String, Node> map, String key, String what) {
        Node value = map.get(key);
        if (value == null || value.value() == null) {
            throw RulesException.at(owner, "'" + key + "' is missing in " + what);
        }
        return value;
    }

    private static String oneLine(String message) {
        return message.replaceAll("\\s*\\R\\s*", " ");
    }
}
