package io.pgflo.sink.postgres;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain-format pg_dump script, cut into its preamble and one section per archive entry. pg_dump heads every entry
 * with a comment {@code -- Name: <name>; Type: <type>; Schema: <schema>; Owner: <owner>}, which says what the section
 * creates; that is what lets the schema sync keep the sections it wants. psql meta-commands ({@code \restrict},
 * {@code \connect}) are dropped: the script runs over JDBC.
 */
record PgDumpScript(List<String> preamble, List<Section> sections) {

    /**
     * One archive entry.
     *
     * @param name as pg_dump prints it: {@code items} for a table, {@code items items_pkey} for a constraint,
     *     {@code items id} for a column default
     * @param type {@code TABLE}, {@code SEQUENCE}, {@code CONSTRAINT}, {@code INDEX}, {@code TYPE}, ...
     * @param statements the section's SQL statements
     */
    record Section(String name, String type, String schema, List<String> statements) {}

    private static final String HEADER = "-- Name: ";

    static PgDumpScript parse(String script) {
        List<String> preamble = null;
        List<Section> sections = new ArrayList<>();
        String[] lines = script.split("\n", -1);
        StringBuilder body = new StringBuilder();
        String[] header = null;
        for (String line : lines) {
            if (line.startsWith(HEADER)) {
                if (header == null) {
                    preamble = SqlScript.split(body.toString());
                } else {
                    sections.add(section(header, body));
                }
                header = parseHeader(line.substring(HEADER.length()));
                body.setLength(0);
            } else if (!line.startsWith("\\")) {
                body.append(line).append('\n');
            }
        }
        if (header == null) {
            preamble = SqlScript.split(body.toString());
        } else {
            sections.add(section(header, body));
        }
        return new PgDumpScript(preamble, List.copyOf(sections));
    }

    private static Section section(String[] header, StringBuilder body) {
        return new Section(header[0], header[1], header[2], SqlScript.split(body.toString()));
    }

    /** {@code name; Type: type; Schema: schema; Owner: owner} into name, type, schema. */
    private static String[] parseHeader(String text) {
        int type = text.lastIndexOf("; Type: ");
        int schema = text.lastIndexOf("; Schema: ");
        int owner = text.lastIndexOf("; Owner: ");
        if (type < 0 || schema < type || owner < schema) {
            return new String[] {text, "", ""};
        }
        return new String[] {text.substring(0, type), text.substring(type + 8, schema), text.substring(schema + 10, owner)};
    }
}
