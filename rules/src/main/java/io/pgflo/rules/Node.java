package io.pgflo.rules;

import java.util.List;
import java.util.Map;

/**
 * One value of the rules file with where it was written, so that every error can name it.
 *
 * @param value a {@code Map<String, Node>} (in file order), a {@code List<Node>}, or a scalar: {@code String},
 *     {@code Long}, {@code java.math.BigDecimal}, {@code Boolean}, or null
 * @param where {@code file:line:column}, or for a tree without positions, its source and the path in it
 * @param keyWhere for a mapping, where each of its keys was written
 */
record Node(Object value, String where, Map<String, String> keyWhere) {
    Node(Object value, String where) {
        this(value, where, Map.of());
    }

    /** Where the key {@code key} of this mapping was written (its value's place when not known). */
    String whereKey(String key) {
        String at = keyWhere.get(key);
        return at != null ? at : where;
    }

    boolean isMap() {
        return value instanceof Map;
    }

    boolean isList() {
        return value instanceof List;
    }

    boolean isScalar() {
        return !isMap() && !isList();
    }

    @SuppressWarnings("unchecked")
    Map<String, Node> map(String what) {
        if (!isMap()) {
            throw RulesException.at(this, what + " must be a mapping (key: value), not " + describe());
        }
        return (Map<String, Node>) value;
    }

    @SuppressWarnings("unchecked")
    List<Node> list(String what) {
        if (!isList()) {
            throw RulesException.at(this, what + " must be a list ([a, b] or lines starting with -), not " + describe());
        }
        return (List<Node>) value;
    }

    String text(String what) {
        if (!(value instanceof String text)) {
            throw RulesException.at(this, what + " must be text, not " + describe());
        }
        return text;
    }

    /** A scalar as text: strings as they are, numbers and booleans as written. */
    String scalarText(String what) {
        if (!isScalar() || value == null) {
            throw RulesException.at(this, what + " must be a single value, not " + describe());
        }
        return value instanceof java.math.BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }

    boolean bool(String what) {
        if (!(value instanceof Boolean bool)) {
            throw RulesException.at(this, what + " must be true or false, not " + describe());
        }
        return bool;
    }

    String describe() {
        if (isMap()) {
            return "a mapping";
        }
        if (isList()) {
            return "a list";
        }
        if (value == null) {
            return "nothing (null)";
        }
        return (value instanceof String ? "text " : value instanceof Boolean ? "" : "the number ") + "'" + value + "'";
    }
}
