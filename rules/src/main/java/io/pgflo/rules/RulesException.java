package io.pgflo.rules;

import io.pgflo.sink.api.ConfigurationException;

/**
 * A rules file that cannot be used: its YAML, a key, a rule, a regex or CEL expression, or a table or column the
 * source does not have. The message is one line that starts with where (file:line:column) and says what to fix.
 */
public final class RulesException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    RulesException(String message) {
        super(message);
    }

    RulesException(String message, Throwable cause) {
        super(message, cause);
    }

    static RulesException at(Node node, String message) {
        return new RulesException(node.where() + ": " + message);
    }
}
