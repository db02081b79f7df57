package io.pgflo.json;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses PostgreSQL's array text ({@code {1,2,NULL}}, {@code {{"a b","x\"y"},{NULL,"NULL"}}},
 * {@code [0:1]={1,2}}) into a flat token list, so that the caller writes nested JSON arrays without building a tree.
 *
 * <p>The whole literal is parsed before anything is written, because a JSON generator cannot take back what it
 * wrote: text that turns out not to be an array literal is then written as a plain string instead.
 */
final class PgArrayLiteral {

    /** Tokens besides the element texts, which are {@link String}s. */
    enum Marker {
        START,
        END,
        NULL
    }

    /** PostgreSQL allows 6 dimensions; anything deeper is not an array literal from the server. */
    private static final int MAX_DEPTH = 6;

    private final String text;
    private final List<Object> tokens = new ArrayList<>();
    private final StringBuilder element = new StringBuilder();
    private int pos;

    private PgArrayLiteral(String text) {
        this.text = text;
    }

    /** The tokens, or null when the text is not an array literal with ',' between elements. */
    static List<Object> parse(String text) {
        PgArrayLiteral parser = new PgArrayLiteral(text);
        return parser.parseLiteral() ? parser.tokens : null;
    }

    private boolean parseLiteral() {
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == '[' && !skipDimensions()) {
            return false;
        }
        skipWhitespace();
        if (!parseArray(1)) {
            return false;
        }
        skipWhitespace();
        return pos == text.length();
    }

    /** Drops the bounds decoration {@code [lower:upper]...=}: JSON arrays start at 0 anyway. */
    private boolean skipDimensions() {
        while (pos < text.length() && text.charAt(pos) == '[') {
            int close = text.indexOf(']', pos);
            if (close < 0) {
                return false;
            }
            pos = close + 1;
        }
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == '=') {
            pos++;
            return true;
        }
        return false;
    }

    private boolean parseArray(int depth) {
        if (depth > MAX_DEPTH || pos >= text.length() || text.charAt(pos) != '{') {
            return false;
        }
        pos++;
        tokens.add(Marker.START);
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == '}') {
            pos++;
            tokens.add(Marker.END);
            return true;
        }
        while (true) {
            skipWhitespace();
            if (pos >= text.length()) {
                return false;
            }
            char c = text.charAt(pos);
            boolean parsed;
            if (c == '{') {
                parsed = parseArray(depth + 1);
            } else if (c == '"') {
                parsed = parseQuoted();
            } else {
                parsed = parseUnquoted();
            }
            if (!parsed) {
                return false;
            }
            skipWhitespace();
            if (pos >= text.length()) {
                return false;
            }
            c = text.charAt(pos++);
            if (c == '}') {
                tokens.add(Marker.END);
                return true;
            }
            if (c != ',') {
                return false;
            }
        }
    }

    private boolean parseQuoted() {
        pos++;
        element.setLength(0);
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                tokens.add(element.toString());
                return true;
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    return false;
                }
                c = text.charAt(pos++);
            }
            element.append(c);
        }
        return false;
    }

    /**
     * An unquoted element runs to the next ',' or '}'; surrounding whitespace is not part of it, and only an
     * unquoted, unescaped NULL is SQL NULL ({@code "NULL"} is the four-letter string).
     */
    private boolean parseUnquoted() {
        element.setLength(0);
        boolean escaped = false;
        int lengthBeforeTrailingSpace = 0;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == ',' || c == '}') {
                break;
            }
            if (c == '{' || c == '"') {
                return false;
            }
            pos++;
            if (c == '\\') {
                if (pos >= text.length()) {
                    return false;
                }
                c = text.charAt(pos++);
                escaped = true;
                element.append(c);
                lengthBeforeTrailingSpace = element.length();
            } else {
                element.append(c);
                if (!isWhitespace(c)) {
                    lengthBeforeTrailingSpace = element.length();
                }
            }
        }
        element.setLength(lengthBeforeTrailingSpace);
        if (element.length() == 0) {
            return false;
        }
        if (!escaped && element.length() == 4 && "NULL".equalsIgnoreCase(element.toString())) {
            tokens.add(Marker.NULL);
        } else {
            tokens.add(element.toString());
        }
        return true;
    }

    private void skipWhitespace() {
        while (pos < text.length() && isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    /** The characters array_in skips around elements (scanner_isspace). */
    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }
}
