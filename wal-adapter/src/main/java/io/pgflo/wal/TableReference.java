package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --tables} entry: {@code orders}, {@code sales.orders}, or, where a name holds a dot, with that name in
 * double quotes as in SQL ({@code "Sales"."Orders.2024"}, {@code ""} for a quote inside). A name that does not start
 * with a double quote is taken as written, quotes and capitals included: pg_flo has always matched names exactly.
 */
final class TableReference {
    private TableReference() {}

    static TableName parse(String entry, String defaultSchema) {
        String text = entry.strip();
        List<String> parts = new ArrayList<>();
        int i = 0;
        while (true) {
            StringBuilder part = new StringBuilder();
            if (i < text.length() && text.charAt(i) == '"') {
                i = quoted(text, i + 1, part, entry);
                if (i < text.length() && text.charAt(i) != '.') {
                    throw new ConfigurationException("--tables entry '" + entry + "' has text after a quoted name; "
                            + "write schema.table, quoting a name that holds a dot");
                }
            } else {
                int dot = text.indexOf('.', i);
                int end = dot < 0 ? text.length() : dot;
                part.append(text, i, end);
                if (part.length() == 0) {
                    throw new ConfigurationException("--tables entry '" + entry + "' has an empty name; write table or "
                            + "schema.table");
                }
                i = end;
            }
            parts.add(part.toString());
            if (i >= text.length()) {
                break;
            }
            i++; // the dot
            if (i >= text.length()) {
                throw new ConfigurationException("--tables entry '" + entry + "' has an empty name; write table or "
                        + "schema.table");
            }
        }
        return switch (parts.size()) {
            case 1 -> new TableName(defaultSchema, parts.get(0));
            case 2 -> new TableName(parts.get(0), parts.get(1));
            default -> throw new ConfigurationException("--tables entry '" + entry + "' has more than schema.table; "
                    + "quote a name that holds a dot: \"my.table\"");
        };
    }

    /** Reads a quoted name's characters after its opening quote into {@code part}; returns where it ends. */
    private static int quoted(String text, int from, StringBuilder part, String entry) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            part.append(c);
            i++;
        }
        throw new ConfigurationException("--tables entry '" + entry + "' has an unclosed double quote");
    }
}
