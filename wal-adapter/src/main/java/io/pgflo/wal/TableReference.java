package io.pgflo.wal;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.TableName;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code --tables} entry: {@code orders}, {@code sales.orders}, or with double quotes where a name holds a dot or
 * capitals ({@code "Sales"."Orders.2024"}), as in SQL. Unquoted names are taken as written: pg_flo has always
 * matched them exactly, not folded to lower case.
 */
final class TableReference {
    private TableReference() {}

    static TableName parse(String entry, String defaultSchema) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        String text = entry.strip();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    part.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                    wasQuoted = true;
                }
            } else if (c == '.' && !quoted) {
                parts.add(checked(part.toString(), wasQuoted, entry));
                part.setLength(0);
                wasQuoted = false;
            } else {
                part.append(c);
            }
        }
        if (quoted) {
            throw new ConfigurationException("--tables entry '" + entry + "' has an unclosed double quote");
        }
        parts.add(checked(part.toString(), wasQuoted, entry));
        return switch (parts.size()) {
            case 1 -> new TableName(defaultSchema, parts.get(0));
            case 2 -> new TableName(parts.get(0), parts.get(1));
            default -> throw new ConfigurationException("--tables entry '" + entry + "' has more than schema.table; "
                    + "quote a name that holds a dot: \"my.table\"");
        };
    }

    private static String checked(String name, boolean quoted, String entry) {
        if (name.isEmpty() && !quoted) {
            throw new ConfigurationException("--tables entry '" + entry + "' has an empty name; write table or schema.table");
        }
        return name;
    }
}
