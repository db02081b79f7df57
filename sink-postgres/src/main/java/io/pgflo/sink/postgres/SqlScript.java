package io.pgflo.sink.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements at top-level semicolons, minding quotes ({@code '...'}, {@code E'...'},
 * {@code "..."}), dollar quotes, and comments ({@code --}, nested {@code /* *\/}). Comments before a statement are
 * dropped with the white space around it.
 */
final class SqlScript {
    private SqlScript() {}

    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        int length = sql.length();
        int start = 0;
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'') {
                boolean escapes = i > 0 && (sql.charAt(i - 1) == 'E' || sql.charAt(i - 1) == 'e')
                        && (i < 2 || !Character.isLetterOrDigit(sql.charAt(i - 2)) && sql.charAt(i - 2) != '_');
                i = skipQuoted(sql, i, '\'', escapes);
            } else if (c == '"') {
                i = skipQuoted(sql, i, '"', false);
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? length : newline + 1;
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                i = skipBlockComment(sql, i);
            } else if (c == '$' && (i == 0 || !isIdentifierPart(sql.charAt(i - 1)))) {
                int tagEnd = sql.indexOf('$', i + 1);
                if (tagEnd > 0 && isTag(sql, i + 1, tagEnd)) {
                    String tag = sql.substring(i, tagEnd + 1);
                    int close = sql.indexOf(tag, tagEnd + 1);
                    i = close < 0 ? length : close + tag.length();
                } else {
                    i++;
                }
            } else if (c == ';') {
                add(statements, sql.substring(start, i));
                i++;
                start = i;
            } else {
                i++;
            }
        }
        add(statements, sql.substring(start));
        return statements;
    }

    private static String stripLeadingComments(String statement) {
        int i = 0;
        int length = statement.length();
        while (i < length) {
            char c = statement.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '-' && i + 1 < length && statement.charAt(i + 1) == '-') {
                int newline = statement.indexOf('\n', i);
                i = newline < 0 ? length : newline + 1;
            } else if (c == '/' && i + 1 < length && statement.charAt(i + 1) == '*') {
                i = skipBlockComment(statement, i);
            } else {
                break;
            }
        }
        return statement.substring(i);
    }

    private static void add(List<String> statements, String statement) {
        String text = stripLeadingComments(statement).strip();
        if (!text.isEmpty()) {
            statements.add(text);
        }
    }

    private static int skipQuoted(String sql, int open, char quote, boolean backslashEscapes) {
        int i = open + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static int skipBlockComment(String sql, int open) {
        int depth = 0;
        int i = open;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        return sql.length();
    }

    private static boolean isTag(String sql, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = sql.charAt(i);
            if (!(Character.isLetter(c) || c == '_' || (i > from && Character.isDigit(c)))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isIdentifierPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}
