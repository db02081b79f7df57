package io.pgflo.json;

import static io.pgflo.json.TestEvents.arrayOf;
import static io.pgflo.json.TestEvents.type;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pgflo.sink.api.ColumnType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** How each column's PostgreSQL text becomes a JSON value. */
class ColumnValueMappingTest {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final int TEXT = 25;
    private static final int VARCHAR = 1043;
    private static final int DATE = 1082;
    private static final int UUID = 2950;
    private static final int INTERVAL = 1186;
    private static final int MONEY = 790;
    private static final int NUMRANGE = 3906;
    private static final int INET = 869;
    private static final int TIMETZ = 1266;

    /** The exact JSON text the encoder writes for one value. */
    static String json(ColumnType type, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator generator = EventJsonEncoder.FACTORY.createGenerator(out)) {
            PgValueWriter.write(generator, type, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(UTF_8);
    }

    static String json(int oid, String text) {
        return json(type(oid), text);
    }

    static JsonNode parsed(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(json, e);
        }
    }

    @Test
    void sqlNullIsJsonNullForEveryType() {
        for (int oid : new int[] {PgTypeOids.INT4, PgTypeOids.BOOL, PgTypeOids.JSONB, PgTypeOids.BYTEA, TEXT}) {
            assertThat(json(oid, null)).isEqualTo("null");
        }
        assertThat(json(arrayOf(PgTypeOids.INT4), null)).isEqualTo("null");
    }

    @ParameterizedTest
    @CsvSource({
        "21, -32768",
        "21, 0",
        "23, 2147483647",
        "23, -2147483648",
        "20, 9223372036854775807",
        "20, -9223372036854775808",
        "26, 4294967295",
    })
    void integersAreJsonNumbersWithTheServersDigits(int oid, String text) {
        assertThat(json(oid, text)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "700, 1.5",
        "700, -0",
        "700, 3.4028235e+38",
        "701, 1e+20",
        "701, 1.2345678901234567e-300",
        "701, 0.1",
        "701, -123.456",
    })
    void floatsAreJsonNumbersWithTheServersDigits(int oid, String text) {
        assertThat(json(oid, text)).isEqualTo(text);
        assertThat(parsed(json(oid, text)).isNumber()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "700, NaN",
        "700, Infinity",
        "700, -Infinity",
        "701, NaN",
        "701, Infinity",
        "701, -Infinity",
        "1700, NaN",
        "1700, Infinity",
        "1700, -Infinity",
    })
    void notANumberAndInfinitiesAreStrings(int oid, String text) {
        assertThat(json(oid, text)).isEqualTo('"' + text + '"');
    }

    @Test
    void numericKeepsEveryDigit() {
        String huge = "12345678901234567890.000000000001";
        assertThat(json(PgTypeOids.NUMERIC, huge)).isEqualTo(huge);
        assertThat(parsed(json(PgTypeOids.NUMERIC, huge)).decimalValue()).isEqualTo(new BigDecimal(huge));
        assertThat(json(PgTypeOids.NUMERIC, "-0.00100")).isEqualTo("-0.00100");
        String manyDigits = "9".repeat(1000) + "." + "1".repeat(1000);
        assertThat(json(PgTypeOids.NUMERIC, manyDigits)).isEqualTo(manyDigits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "1.", ".5", "01", "+1", "1e", "1e+", "0x10", "1,5", "1 ", " 1", "--1", "1.5.2"})
    void numberTextThatIsNotAJsonNumberBecomesAString(String text) {
        assertThat(parsed(json(PgTypeOids.NUMERIC, text)).textValue()).isEqualTo(text);
        assertThat(parsed(json(PgTypeOids.INT4, text)).textValue()).isEqualTo(text);
    }

    @Test
    void domainOverANumberIsANumber() {
        ColumnType positiveInt = new ColumnType(91_234, "public.positive_int", PgTypeOids.INT4, 0);
        assertThat(json(positiveInt, "42")).isEqualTo("42");
    }

    @Test
    void booleansAreJsonBooleans() {
        assertThat(json(PgTypeOids.BOOL, "t")).isEqualTo("true");
        assertThat(json(PgTypeOids.BOOL, "f")).isEqualTo("false");
        assertThat(json(PgTypeOids.BOOL, "maybe")).isEqualTo("\"maybe\"");
    }

    @Test
    void jsonAndJsonbAreEmbeddedAsJson() {
        String document = "{\"a\": [1, 2.50, {\"b\": null}], \"c\": \"x\\\"y\"}";
        assertThat(json(PgTypeOids.JSONB, document)).isEqualTo(document);
        assertThat(json(PgTypeOids.JSON, document)).isEqualTo(document);
        assertThat(parsed(json(PgTypeOids.JSONB, document)).get("a").get(2).get("b").isNull()).isTrue();
        assertThat(json(PgTypeOids.JSONB, "\"just a string\"")).isEqualTo("\"just a string\"");
        assertThat(json(PgTypeOids.JSONB, "42")).isEqualTo("42");
        assertThat(json(PgTypeOids.JSONB, "null")).isEqualTo("null");
    }

    @Test
    void jsonWithLineBreaksIsWrittenOnOneLine() {
        String document = "{\n  \"a\": 1,\r\n  \"b\": \"line\\nbreak\"\n}";
        String written = json(PgTypeOids.JSON, document);
        assertThat(written).doesNotContain("\n", "\r");
        assertThat(parsed(written)).isEqualTo(parsed(document));
    }

    @Test
    void byteaHexBecomesBase64() {
        assertThat(json(PgTypeOids.BYTEA, "\\x0102ab")).isEqualTo(base64(new byte[] {1, 2, (byte) 0xab}));
        assertThat(json(PgTypeOids.BYTEA, "\\x0102AB")).isEqualTo(base64(new byte[] {1, 2, (byte) 0xab}));
        assertThat(json(PgTypeOids.BYTEA, "\\x")).isEqualTo("\"\"");
        byte[] all = new byte[256];
        StringBuilder hex = new StringBuilder("\\x");
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
            hex.append(String.format("%02x", i));
        }
        assertThat(json(PgTypeOids.BYTEA, hex.toString())).isEqualTo(base64(all));
    }

    @Test
    void byteaEscapeFormatBecomesBase64() {
        assertThat(json(PgTypeOids.BYTEA, "ab\\000\\\\\\377")).isEqualTo(base64(new byte[] {'a', 'b', 0, '\\', -1}));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\x0", "\\x0g", "\\xé1", "\\9", "ab\\"})
    void byteaTextInNeitherFormatStaysText(String text) {
        assertThat(parsed(json(PgTypeOids.BYTEA, text)).textValue()).isEqualTo(text);
    }

    @Test
    void textIsEscapedSoThatItRoundTrips() {
        String text = "Zoë \"quoted\" back\\slash 🐘 tab\t newline\n cr\r bell\u0007 nul-free \u001f \u2028 end";
        String written = json(TEXT, text);
        assertThat(written).doesNotContain("\n", "\r", "\t", "\u0007", "\u001f");
        assertThat(parsed(written).textValue()).isEqualTo(text);
        assertThat(written).contains("Zoë", "\\uD83D\\uDC18");
    }

    @Test
    void loneSurrogateIsEscapedNotMergedIntoAnotherCharacter() {
        String text = "lone \uD83D x \uDC18 end \uD83D";
        String written = json(TEXT, text);
        assertThat(written).isEqualTo("\"lone \\uD83D x \\uDC18 end \\uD83D\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1043 | plain varchar",
        "2950 | a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
        "1082 | 2026-11-24",
        "1186 | 1 year 2 mons 3 days 04:05:06.789",
        "790  | $1,234.56",
        "3906 | [1.5,2.5)",
        "869  | 192.168.0.1/24",
        "1266 | 12:00:00+02",
        "142  | <a>b</a>",
        "600  | (1,2)",
        "16700 | (1,\"two\")",
    })
    void otherTypesStayPostgresText(int oid, String text) {
        assertThat(parsed(json(oid, text)).textValue()).isEqualTo(text);
    }

    @Test
    void enumOrCompositeTypeUnknownToTheEncoderStaysText() {
        assertThat(json(new ColumnType(16_500, "public.mood", 16_500, 0), "happy")).isEqualTo("\"happy\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-24 12:00:00.123+00    | 2026-11-24T12:00:00.123Z",
        "2026-11-24 12:00:00+00        | 2026-11-24T12:00:00Z",
        "2026-11-24 12:00:00.123456+00 | 2026-11-24T12:00:00.123456Z",
        "2026-11-24 12:00:00+05:30     | 2026-11-24T12:00:00+05:30",
        "2026-11-24 12:00:00-08        | 2026-11-24T12:00:00-08:00",
        "2026-11-24 12:00:00+00:00     | 2026-11-24T12:00:00Z",
    })
    void timestamptzBecomesIso8601(String text, String iso) {
        assertThat(parsed(json(PgTypeOids.TIMESTAMPTZ, text)).textValue()).isEqualTo(iso);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2026-11-24 12:00:00.123    | 2026-11-24T12:00:00.123",
        "2026-11-24 12:00:00        | 2026-11-24T12:00:00",
        "0001-01-01 00:00:00.000001 | 0001-01-01T00:00:00.000001",
    })
    void timestampBecomesIso8601WithoutZone(String text, String iso) {
        assertThat(parsed(json(PgTypeOids.TIMESTAMP, text)).textValue()).isEqualTo(iso);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1184 | infinity",
        "1184 | -infinity",
        "1184 | 0044-03-15 12:00:00+00 BC",
        "1184 | 10000-01-01 00:00:00+00",
        "1184 | 1850-01-01 00:00:00+00:53:28",
        "1184 | 2026-11-24 12:00:00",
        "1184 | 2026-11-24 12:00:00.+00",
        "1114 | infinity",
        "1114 | 0044-03-15 12:00:00 BC",
        "1114 | 2026-11-24 12:00:00+00",
        "1114 | 2026-11-24T12:00:00",
        "1114 | 2026-11-24",
    })
    void timestampsWithoutAnIso8601FormStayPostgresText(int oid, String text) {
        assertThat(parsed(json(oid, text)).textValue()).isEqualTo(text);
    }

    @Test
    void integerArrayBecomesJsonArrayOfNumbers() {
        assertThat(json(arrayOf(PgTypeOids.INT4), "{1,-2,NULL,2147483647}")).isEqualTo("[1,-2,null,2147483647]");
        assertThat(json(arrayOf(PgTypeOids.INT8), "{}")).isEqualTo("[]");
    }

    @Test
    void textArrayHandlesQuotesEscapesAndTheWordNull() {
        String text = "{\"a b\",\"x\\\"y\",NULL,\"NULL\",plain,\"\",\"back\\\\slash\",\"{braces}\",\"comma,inside\",null}";
        assertThat(parsed(json(arrayOf(TEXT), text)).toString())
                .isEqualTo("[\"a b\",\"x\\\"y\",null,\"NULL\",\"plain\",\"\",\"back\\\\slash\",\"{braces}\","
                        + "\"comma,inside\",null]");
    }

    @Test
    void unquotedArrayElementsMayCarryEscapesAndSurroundingSpace() {
        assertThat(parsed(json(arrayOf(TEXT), "{ a b , c\\,d ,\\NULL}")).toString())
                .isEqualTo("[\"a b\",\"c,d\",\"NULL\"]");
        assertThat(json(arrayOf(PgTypeOids.INT4), "{ 1 , 2 }")).isEqualTo("[1,2]");
    }

    @Test
    void arrayElementsKeepUnicode() {
        assertThat(parsed(json(arrayOf(TEXT), "{Zoë,\"🐘 \\\" x\"}")).toString()).isEqualTo("[\"Zoë\",\"🐘 \\\" x\"]");
    }

    @Test
    void multiDimensionalArrayBecomesNestedArrays() {
        assertThat(json(arrayOf(PgTypeOids.INT4), "{{1,2},{3,4}}")).isEqualTo("[[1,2],[3,4]]");
        assertThat(json(arrayOf(TEXT), "{{{a,NULL}},{{\"c d\",e}}}")).isEqualTo("[[[\"a\",null]],[[\"c d\",\"e\"]]]");
        assertThat(json(arrayOf(PgTypeOids.INT4), "{{{{{{1}}}}}}")).isEqualTo("[[[[[[1]]]]]]");
    }

    @Test
    void arrayBoundsPrefixIsDropped() {
        assertThat(json(arrayOf(PgTypeOids.INT4), "[0:1]={1,2}")).isEqualTo("[1,2]");
        assertThat(json(arrayOf(PgTypeOids.INT4), "[-1:0][2:3]={{1,2},{3,4}}")).isEqualTo("[[1,2],[3,4]]");
    }

    @Test
    void arrayElementsFollowTheirElementTypesRules() {
        assertThat(json(arrayOf(PgTypeOids.BOOL), "{t,f,NULL}")).isEqualTo("[true,false,null]");
        assertThat(json(arrayOf(PgTypeOids.FLOAT8), "{1.5,NaN,-Infinity,1e+20}"))
                .isEqualTo("[1.5,\"NaN\",\"-Infinity\",1e+20]");
        assertThat(json(arrayOf(PgTypeOids.NUMERIC), "{12345678901234567890.000000000001,NaN}"))
                .isEqualTo("[12345678901234567890.000000000001,\"NaN\"]");
        assertThat(json(arrayOf(PgTypeOids.JSONB), "{\"{\\\"a\\\": 1}\",\"[1, 2]\",\"null\",NULL,7}"))
                .isEqualTo("[{\"a\": 1},[1, 2],null,null,7]");
        assertThat(json(arrayOf(PgTypeOids.BYTEA), "{\"\\\\x0102\",\"\\\\xff\"}"))
                .isEqualTo("[" + base64(new byte[] {1, 2}) + "," + base64(new byte[] {-1}) + "]");
        assertThat(json(arrayOf(PgTypeOids.TIMESTAMPTZ), "{\"2026-11-24 12:00:00+00\",infinity}"))
                .isEqualTo("[\"2026-11-24T12:00:00Z\",\"infinity\"]");
        assertThat(json(arrayOf(DATE), "{2026-11-24,NULL}")).isEqualTo("[\"2026-11-24\",null]");
        assertThat(json(arrayOf(UUID), "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"))
                .isEqualTo("[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"]");
        assertThat(json(arrayOf(PgTypeOids.INT4), "{1,x2}")).isEqualTo("[1,\"x2\"]");
    }

    @Test
    void compositeArrayElementsStayText() {
        assertThat(parsed(json(arrayOf(16_600), "{\"(1,\\\"a b\\\")\",\"(2,)\"}")).toString())
                .isEqualTo("[\"(1,\\\"a b\\\")\",\"(2,)\"]");
    }

    @Test
    void boxArrayStaysOneString() {
        String boxes = "{(1,1),(0,0);(2,2),(1,1)}";
        assertThat(json(arrayOf(PgTypeOids.BOX), boxes)).isEqualTo('"' + boxes + '"');
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "{", "{1,2", "1,2}", "{1,,2}", "{1,}", "{,1}", "{\"open}", "{1}x", "{1}{2}", "[1:2]{1,2}", "[1:2={1}",
        "{a\"b}", "{{1},2", "{{{{{{{1}}}}}}}", "{1\\", "not an array",
    })
    void textThatIsNotAnArrayLiteralStaysText(String text) {
        assertThat(parsed(json(arrayOf(PgTypeOids.INT4), text)).textValue()).isEqualTo(text);
    }

    private static String base64(byte[] bytes) {
        return '"' + Base64.getEncoder().encodeToString(bytes) + '"';
    }
}
