package io.pgflo.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pgflo.sink.api.ColumnType;
import java.io.IOException;
import java.util.List;

/**
 * Writes one column value, given as PostgreSQL's text output, as the JSON value that represents it best.
 *
 * <p>Never throws on data: text that does not have the shape its type promises (which the server does not send,
 * but a domain, a new server version or a hand-made event might) is written as a JSON string, so no event is ever
 * lost to an encoding error.
 */
final class PgValueWriter {

    private PgValueWriter() {}

    static void write(JsonGenerator generator, ColumnType type, String text) throws IOException {
        if (text == null) {
            generator.writeNull();
        } else if (type.isArray()) {
            writeArray(generator, type.elementOid(), text);
        } else {
            writeScalar(generator, type.baseOid(), text);
        }
    }

    static void writeScalar(JsonGenerator generator, int baseOid, String text) throws IOException {
        switch (baseOid) {
            case PgTypeOids.INT2, PgTypeOids.INT4, PgTypeOids.INT8, PgTypeOids.OID,
                    PgTypeOids.FLOAT4, PgTypeOids.FLOAT8, PgTypeOids.NUMERIC -> writeNumber(generator, text);
            case PgTypeOids.BOOL -> writeBoolean(generator, text);
            case PgTypeOids.JSON, PgTypeOids.JSONB -> writeJson(generator, text);
            case PgTypeOids.BYTEA -> writeBytea(generator, text);
            case PgTypeOids.TIMESTAMP -> generator.writeString(PgTimestampText.toIso(text, false));
            case PgTypeOids.TIMESTAMPTZ -> generator.writeString(PgTimestampText.toIso(text, true));
            default -> generator.writeString(text);
        }
    }

    /**
     * Numbers go out digit for digit, so numeric keeps its full precision and floats their shortest exact form.
     * NaN and the infinities have no JSON number, so they (and anything else that is not a JSON number) become
     * strings.
     */
    private static void writeNumber(JsonGenerator generator, String text) throws IOException {
        if (isJsonNumber(text)) {
            generator.writeNumber(text);
        } else {
            generator.writeString(text);
        }
    }

    private static void writeBoolean(JsonGenerator generator, String text) throws IOException {
        if (text.length() == 1 && text.charAt(0) == 't') {
            generator.writeBoolean(true);
        } else if (text.length() == 1 && text.charAt(0) == 'f') {
            generator.writeBoolean(false);
        } else {
            generator.writeString(text);
        }
    }

    /**
     * The server only hands out valid JSON for json and jsonb, so it is embedded as is. A json value keeps its
     * input's whitespace, line breaks included, which would split a JSON-lines record; a literal CR or LF in valid
     * JSON can only be whitespace between tokens (PostgreSQL rejects unescaped control characters in strings), so
     * replacing it by a space changes nothing else.
     */
    private static void writeJson(JsonGenerator generator, String text) throws IOException {
        if (isBlank(text)) {
            generator.writeString(text);
            return;
        }
        String oneLine = text;
        if (text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            oneLine = text.replace('\n', ' ').replace('\r', ' ');
        }
        generator.writeRawValue(oneLine);
    }

    private static void writeBytea(JsonGenerator generator, String text) throws IOException {
        byte[] bytes = ByteaText.decode(text);
        if (bytes == null) {
            generator.writeString(text);
        } else {
            generator.writeBinary(bytes);
        }
    }

    private static void writeArray(JsonGenerator generator, int elementOid, String text) throws IOException {
        // box uses ';' between elements and ',' inside them; its text is clearer kept whole than half parsed.
        List<Object> tokens = elementOid == PgTypeOids.BOX ? null : PgArrayLiteral.parse(text);
        if (tokens == null) {
            generator.writeString(text);
            return;
        }
        for (Object token : tokens) {
            if (token instanceof String element) {
                writeScalar(generator, elementOid, element);
            } else if (token == PgArrayLiteral.Marker.START) {
                generator.writeStartArray();
            } else if (token == PgArrayLiteral.Marker.END) {
                generator.writeEndArray();
            } else {
                generator.writeNull();
            }
        }
    }

    /** JSON's number grammar: {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. */
    static boolean isJsonNumber(String text) {
        int length = text.length();
        int i = 0;
        if (i < length && text.charAt(i) == '-') {
            i++;
        }
        if (i >= length) {
            return false;
        }
        char first = text.charAt(i);
        if (first == '0') {
            i++;
        } else if (first >= '1' && first <= '9') {
            i = skipDigits(text, i + 1);
        } else {
            return false;
        }
        if (i < length && text.charAt(i) == '.') {
            int fractionStart = i + 1;
            i = skipDigits(text, fractionStart);
            if (i == fractionStart) {
                return false;
            }
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentStart = i;
            i = skipDigits(text, exponentStart);
            if (i == exponentStart) {
                return false;
            }
        }
        return i == length;
    }

    private static int skipDigits(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static boolean isBlank(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return false;
            }
        }
        return true;
    }
}
