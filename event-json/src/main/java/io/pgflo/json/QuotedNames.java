package io.pgflo.json;

import io.pgflo.sink.api.TableName;
import java.nio.file.Path;

/** {@code "schema"."table"}, both parts always quoted as SQL quotes them, so that any name reads back as it was. */
final class QuotedNames {
    private QuotedNames() {}

    static String quote(TableName table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    static TableName parse(String text, Path file) {
        StringBuilder schema = new StringBuilder();
        int next = part(text, 0, schema, file);
        if (next >= text.length() || text.charAt(next) != '.') {
            throw corrupt(text, file);
        }
        StringBuilder table = new StringBuilder();
        if (part(text, next + 1, table, file) != text.length()) {
            throw corrupt(text, file);
        }
        return new TableName(schema.toString(), table.toString());
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** Reads one quoted part from {@code at} into {@code out}; returns the index after its closing quote. */
    private static int part(String text, int at, StringBuilder out, Path file) {
        if (at >= text.length() || text.charAt(at) != '"') {
            throw corrupt(text, file);
        }
        int i = at + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    out.append('"');
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            out.append(c);
            i++;
        }
        throw corrupt(text, file);
    }

    private static IllegalStateException corrupt(String text, Path file) {
        return new IllegalStateException("copy progress " + file + " is corrupt (table '" + text
                + "' is not a quoted \"schema\".\"table\" name): delete it to copy every table again");
    }
}
