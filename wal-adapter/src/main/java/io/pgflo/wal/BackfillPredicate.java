package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;

/**
 * Checks that a {@code --where} is one expression that stays inside the parentheses it is put in: no parenthesis
 * closed that it did not open, no statement separator, no comment that could hide the rest of the query. String
 * literals and quoted identifiers may hold anything. The reads run in read-only transactions besides.
 */
final class BackfillPredicate {
    private BackfillPredicate() {}

    static String check(String predicate) {
        if (predicate == null) {
            return null;
        }
        if (predicate.isBlank()) {
            throw refused(predicate, "it is empty");
        }
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < predicate.length(); i++) {
            char c = predicate.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0; // a doubled quote closes and reopens: the same thing for this count
                }
                continue;
            }
            switch (c) {
                case '\'', '"' -> quote = c;
                case '(' -> depth++;
                case ')' -> {
                    if (--depth < 0) {
                        throw refused(predicate, "it closes a parenthesis it did not open");
                    }
                }
                case ';' -> throw refused(predicate, "it holds a ';'");
                case '$' -> throw refused(predicate, "dollar quoting is not allowed; use '...'");
                default -> {
                    if ((c == '-' || c == '/') && i + 1 < predicate.length()
                            && predicate.charAt(i + 1) == (c == '-' ? '-' : '*')) {
                        throw refused(predicate, "it holds a comment");
                    }
                }
            }
        }
        if (quote != 0) {
            throw refused(predicate, "a quote is not closed");
        }
        if (depth != 0) {
            throw refused(predicate, "a parenthesis is not closed");
        }
        return predicate;
    }

    private static ConfigurationException refused(String predicate, String why) {
        return new ConfigurationException("--where '" + predicate + "' is not one SQL expression: " + why);
    }
}
