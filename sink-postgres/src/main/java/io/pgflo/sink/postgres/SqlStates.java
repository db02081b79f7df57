package io.pgflo.sink.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.util.regex.Pattern;

/** Which PostgreSQL errors are worth a retry, and how to say an error in one line. */
final class SqlStates {
    static final String UNIQUE_VIOLATION = "23505";
    static final String INSUFFICIENT_PRIVILEGE = "42501";

    /** {@code PASSWORD 'x'} (also {@code ENCRYPTED PASSWORD}, {@code OPTIONS (password 'x')}) and its dollar-quoted form. */
    private static final Pattern PASSWORD_LITERAL = Pattern.compile(
            "(?i)(\\bpassword\\s+)(?:'(?:[^']++|'')*+'?|\\$(\\w*)\\$.*?(?:\\$\\2\\$|$))", Pattern.DOTALL);
    /** {@code password=x} in a connection string. */
    private static final Pattern PASSWORD_SETTING = Pattern.compile("(?i)(\\bpassword\\s*=\\s*)[^\\s,;)']+");

    private SqlStates() {}

    /**
     * Connection loss (class 08), serialization failure (40001), deadlock (40P01), and the server shutting down or
     * starting (57P01, 57P02, 57P03): the same batch can succeed on a new attempt.
     */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
                        || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"))) {
                    return true;
                }
            } else if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    static String describe(SQLException e) {
        StringBuilder text = new StringBuilder(abbreviate(firstLine(e.getMessage()), 500));
        if (e instanceof org.postgresql.util.PSQLException psql && psql.getServerErrorMessage() != null) {
            String detail = psql.getServerErrorMessage().getDetail();
            if (detail != null && !text.toString().contains(detail)) {
                text.append(" (").append(abbreviate(firstLine(detail), 300)).append(')');
            }
        }
        if (e.getSQLState() != null) {
            text.append(" [SQLSTATE ").append(e.getSQLState()).append(']');
        }
        return text.toString();
    }

    /**
     * A statement for a log line or an error: abbreviated, and with the value after each {@code PASSWORD} hidden. DDL
     * replays the client's whole query string, which may hold an {@code ALTER ROLE ... PASSWORD '...'} next to the
     * statement on a replicated table.
     */
    static String statement(String sql, int max) {
        if (sql == null) {
            return null;
        }
        String hidden = PASSWORD_LITERAL.matcher(sql).replaceAll("$1'***'");
        return abbreviate(PASSWORD_SETTING.matcher(hidden).replaceAll("$1***"), max);
    }

    /** {@code text}, cut to {@code max} characters with a note of the full length. */
    static String abbreviate(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        return text.substring(0, max) + "...(" + text.length() + " chars)";
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }
}
