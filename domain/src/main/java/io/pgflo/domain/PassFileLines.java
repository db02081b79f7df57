package io.pgflo.domain;

import java.nio.file.Path;
import java.util.Optional;

/** The lines of a password file matched as libpq's {@code passwordFromFile} and {@code pwdfMatchesString} do. */
final class PassFileLines {
    private PassFileLines() {}

    /** libpq looks up an empty host (its default, a local connection) as {@code localhost}. */
    static String hostKey(String host) {
        return host.isEmpty() ? "localhost" : host;
    }

    /**
     * The password of the first line whose four fields match, or empty when no line matches or the first that does has
     * an empty password (libpq stops at the first match either way).
     */
    static Optional<PasswordLookup.Password> find(String content, String host, String port, String database, String user,
            Path file) {
        String[] lines = content.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = stripLineEnd(lines[index]);
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            int rest = field(line, 0, host);
            rest = field(line, rest, port);
            rest = field(line, rest, database);
            rest = field(line, rest, user);
            if (rest >= 0) {
                String password = password(line, rest);
                return password.isEmpty()
                        ? Optional.empty()
                        : Optional.of(new PasswordLookup.Password(password, file + " line " + (index + 1)));
            }
        }
        return Optional.empty();
    }

    /**
     * Where the rest of the line starts if the field at {@code start} matches {@code token}, else -1: {@code *} alone
     * matches anything, and a backslash makes the next character literal.
     */
    static int field(String line, int start, String token) {
        if (start < 0) {
            return -1;
        }
        if (line.startsWith("*:", start)) {
            return start + 2;
        }
        int at = start;
        int matched = 0;
        while (at < line.length()) {
            boolean escaped = false;
            if (line.charAt(at) == '\\') {
                at++;
                escaped = true;
                if (at == line.length()) {
                    return -1;
                }
            }
            char c = line.charAt(at);
            if (c == ':' && !escaped && matched == token.length()) {
                return at + 1;
            }
            if (matched == token.length() || c != token.charAt(matched)) {
                return -1;
            }
            at++;
            matched++;
        }
        return -1;
    }

    /** The password field, up to an unescaped colon or the end, with its backslashes removed. */
    static String password(String line, int start) {
        StringBuilder password = new StringBuilder();
        for (int at = start; at < line.length() && line.charAt(at) != ':'; at++) {
            if (line.charAt(at) == '\\' && at + 1 < line.length()) {
                at++;
            }
            password.append(line.charAt(at));
        }
        return password.toString();
    }

    /** libpq strips every trailing carriage return and newline. */
    private static String stripLineEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end);
    }
}
