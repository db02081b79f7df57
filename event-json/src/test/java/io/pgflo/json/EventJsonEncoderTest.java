package io.pgflo.json;

import static io.pgflo.json.TestEvents.COMMIT_LSN;
import static io.pgflo.json.TestEvents.COMMIT_TIME;
import static io.pgflo.json.TestEvents.LSN;
import static io.pgflo.json.TestEvents.event;
import static io.pgflo.json.TestEvents.insert;
import static io.pgflo.json.TestEvents.row;
import static io.pgflo.json.TestEvents.sqlNull;
import static io.pgflo.json.TestEvents.unchangedToast;
import static io.pgflo.json.TestEvents.value;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The envelope around the values: which fields, in which order, when. */
class EventJsonEncoderTest {
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final int TEXT = 25;

    private final EventJsonEncoder encoder = new EventJsonEncoder();

    @Test
    void insertIsOneCompactObjectWithFieldsInEnvelopeOrder() {
        ChangeEvent insert = insert(value("id", PgTypeOids.INT4, "1"), value("name", TEXT, "Ada"));

        assertThat(new String(encoder.encode(insert), UTF_8)).isEqualTo(
                "{\"type\":\"INSERT\",\"schema\":\"public\",\"table\":\"users\",\"lsn\":\"0/16B3748\","
                        + "\"commit_lsn\":\"0/16B3800\",\"xid\":123,\"commit_time\":\"2026-11-24T12:00:00.123456Z\","
                        + "\"ordinal\":0,\"key\":[\"id\"],\"data\":{\"id\":1,\"name\":\"Ada\"}}");
    }

    @Test
    void updateCarriesNewAndOldRows() {
        ChangeEvent update = event(Operation.UPDATE,
                row(value("id", PgTypeOids.INT4, "2"), value("name", TEXT, "new")),
                row(value("id", PgTypeOids.INT4, "1"), value("name", TEXT, "old")), null);

        JsonNode json = parse(encoder.encode(update));

        assertThat(fieldNames(json)).containsExactly(
                "type", "schema", "table", "lsn", "commit_lsn", "xid", "commit_time", "ordinal", "key", "data",
                "old_data");
        assertThat(json.get("type").textValue()).isEqualTo("UPDATE");
        assertThat(json.get("data").toString()).isEqualTo("{\"id\":2,\"name\":\"new\"}");
        assertThat(json.get("old_data").toString()).isEqualTo("{\"id\":1,\"name\":\"old\"}");
    }

    @Test
    void deleteCarriesOnlyTheOldRow() {
        ChangeEvent delete = event(Operation.DELETE, null, row(value("id", PgTypeOids.INT4, "7"), sqlNull("name", TEXT)),
                null);

        JsonNode json = parse(encoder.encode(delete));

        assertThat(json.get("type").textValue()).isEqualTo("DELETE");
        assertThat(json.has("data")).isFalse();
        assertThat(json.get("old_data").toString()).isEqualTo("{\"id\":7,\"name\":null}");
        assertThat(json.has("unchanged_toast")).isFalse();
        assertThat(json.has("ddl")).isFalse();
    }

    @Test
    void truncateCarriesNeitherRow() {
        JsonNode json = parse(encoder.encode(event(Operation.TRUNCATE, null, null, null)));

        assertThat(json.get("type").textValue()).isEqualTo("TRUNCATE");
        assertThat(fieldNames(json)).doesNotContain("data", "old_data", "unchanged_toast", "ddl");
    }

    @Test
    void theEndOfATablesCopyCarriesNoRow() {
        JsonNode json = parse(encoder.encode(event(Operation.COPY_DONE, null, null, null)));

        assertThat(json.get("type").textValue()).isEqualTo("COPY_DONE");
        assertThat(fieldNames(json)).doesNotContain("data", "old_data", "unchanged_toast", "ddl");
    }

    @Test
    void ddlEventCarriesItsStatement() {
        String statement = "CREATE TABLE \"Odd \"\"name\"\"\" (id int PRIMARY KEY,\n  note text)";
        JsonNode json = parse(encoder.encode(event(Operation.DDL, null, null, statement)));

        assertThat(json.get("type").textValue()).isEqualTo("DDL");
        assertThat(json.get("ddl").textValue()).isEqualTo(statement);
        assertThat(fieldNames(json)).doesNotContain("data", "old_data");
    }

    @Test
    void ddlFieldAppearsOnlyOnDdlEvents() {
        ChangeEvent insertWithStray = event(Operation.INSERT, row(value("id", PgTypeOids.INT4, "1")), null, "ignored");

        assertThat(parse(encoder.encode(insertWithStray)).has("ddl")).isFalse();
    }

    @Test
    void unchangedToastColumnsAreLeftOutOfDataAndListed() {
        ChangeEvent update = event(Operation.UPDATE,
                row(value("id", PgTypeOids.INT4, "1"), unchangedToast("big_col", TEXT), value("name", TEXT, "x"),
                        unchangedToast("big_doc", PgTypeOids.JSONB)),
                null, null);

        JsonNode json = parse(encoder.encode(update));

        assertThat(json.get("data").toString()).isEqualTo("{\"id\":1,\"name\":\"x\"}");
        assertThat(json.get("unchanged_toast").toString()).isEqualTo("[\"big_col\",\"big_doc\"]");
        assertThat(fieldNames(json)).endsWith("data", "unchanged_toast");
    }

    @Test
    void sqlNullIsWrittenAsNullNotLeftOut() {
        JsonNode json = parse(encoder.encode(insert(value("id", PgTypeOids.INT4, "1"), sqlNull("note", TEXT))));

        assertThat(json.get("data").has("note")).isTrue();
        assertThat(json.get("data").get("note").isNull()).isTrue();
    }

    @Test
    void tableWithoutKeyHasEmptyKeyArrayAndKeyColumnsKeepTheirOrder() {
        ChangeEvent noKey = new SourceChange(Operation.INSERT, "s", "t", LSN, COMMIT_LSN, 1, COMMIT_TIME, 0, List.of(),
                row(value("a", TEXT, "x")), null, null);
        ChangeEvent compositeKey = new SourceChange(Operation.INSERT, "s", "t", LSN, COMMIT_LSN, 1, COMMIT_TIME, 0,
                List.of("tenant", "id"), row(value("a", TEXT, "x")), null, null);

        assertThat(parse(encoder.encode(noKey)).get("key").toString()).isEqualTo("[]");
        assertThat(parse(encoder.encode(compositeKey)).get("key").toString()).isEqualTo("[\"tenant\",\"id\"]");
    }

    @Test
    void lsnsAreWrittenTheWayTheServerPrintsThem() {
        for (long value : new long[] {0L, 1L, 0xFL, 0x16B3748L, 0x1_0000_0000L, 0xABCDEF01_23456789L, -1L}) {
            Lsn lsn = Lsn.of(value);
            ChangeEvent event = new SourceChange(Operation.TRUNCATE, "s", "t", lsn, lsn, 1, COMMIT_TIME, 0, List.of(),
                    null, null, null);
            JsonNode json = parse(encoder.encode(event));
            assertThat(json.get("lsn").textValue()).isEqualTo(lsn.toString());
            assertThat(Lsn.parse(json.get("commit_lsn").textValue())).isEqualTo(lsn);
        }
    }

    @Test
    void commitTimeIsIso8601InUtcAndNumbersAreExact() {
        Instant whole = Instant.parse("2026-11-24T12:00:00Z");
        ChangeEvent event = new SourceChange(Operation.TRUNCATE, "s", "t", LSN, COMMIT_LSN, 4_294_967_295L, whole,
                1_000_000, List.of(), null, null, null);

        JsonNode json = parse(encoder.encode(event));

        assertThat(json.get("commit_time").textValue()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(json.get("xid").longValue()).isEqualTo(4_294_967_295L);
        assertThat(json.get("ordinal").intValue()).isEqualTo(1_000_000);
    }

    @Test
    void schemaTableAndColumnNamesAreEscaped() {
        ChangeEvent event = new SourceChange(Operation.INSERT, "My \"Schema\"", "tåble\n", LSN, COMMIT_LSN, 1,
                COMMIT_TIME, 0, List.of("we\"ird"), row(value("we\"ird", TEXT, "v"), value("🐘", TEXT, "w")), null,
                null);

        JsonNode json = parse(encoder.encode(event));

        assertThat(json.get("schema").textValue()).isEqualTo("My \"Schema\"");
        assertThat(json.get("table").textValue()).isEqualTo("tåble\n");
        assertThat(json.get("data").get("we\"ird").textValue()).isEqualTo("v");
        assertThat(json.get("data").get("🐘").textValue()).isEqualTo("w");
    }

    @Test
    void everyKindOfValueInOneEvent() {
        JsonNode data = parse(encoder.encode(TestEvents.insertWithEveryKindOfValue())).get("data");

        assertThat(data.get("id").isIntegralNumber()).isTrue();
        assertThat(data.get("small").intValue()).isEqualTo(-32768);
        assertThat(data.get("ratio").textValue()).isEqualTo("NaN");
        assertThat(data.get("amount").decimalValue()).isEqualTo(new BigDecimal("12345678901234567890.000000000001"));
        assertThat(data.get("active").booleanValue()).isTrue();
        assertThat(data.get("doc").toString()).isEqualTo("{\"a\":[1,2,{\"b\":null}]}");
        assertThat(data.get("raw").textValue()).isEqualTo("AQKr");
        assertThat(data.get("created").textValue()).isEqualTo("2026-11-24T12:00:00.123Z");
        assertThat(data.get("name").textValue()).isEqualTo("Zoë \"the\" 🐘\n");
        assertThat(data.get("nickname").isNull()).isTrue();
        assertThat(data.get("tags").toString()).isEqualTo("[\"a b\",null,\"NULL\"]");
        assertThat(data.get("grid").toString()).isEqualTo("[[1,2],[3,null]]");
    }

    @Test
    void writeToStreamAddsNoNewlineAndLeavesTheStreamOpen() throws IOException {
        ChangeEvent insert = insert(value("id", PgTypeOids.INT4, "1"));
        ClosingAwareStream out = new ClosingAwareStream();

        encoder.write(insert, out);
        encoder.write(insert, out);

        byte[] one = encoder.encode(insert);
        assertThat(out.closed).isFalse();
        assertThat(out.toString(UTF_8)).isEqualTo(new String(one, UTF_8) + new String(one, UTF_8));
        assertThat(one[one.length - 1]).isEqualTo((byte) '}');
    }

    @Test
    void batchIsAJsonArrayOfEventsInOrder() {
        List<ChangeEvent> events = List.of(TestEvents.numberedInsert(0, "a"), TestEvents.numberedInsert(1, "b"),
                TestEvents.numberedInsert(2, "c"));

        String array = new String(encoder.encodeArray(events), UTF_8);

        StringBuilder expected = new StringBuilder("[");
        for (ChangeEvent event : events) {
            expected.append(expected.length() > 1 ? "," : "").append(new String(encoder.encode(event), UTF_8));
        }
        assertThat(array).isEqualTo(expected.append(']').toString());
        assertThat(parse(array.getBytes(UTF_8)).get(2).get("data").get("name").textValue()).isEqualTo("c");
    }

    @Test
    void writeArrayWritesTheBytesOfEncodeArrayToTheCallersStream() throws IOException {
        List<ChangeEvent> events = List.of(TestEvents.numberedInsert(0, "a"), TestEvents.numberedInsert(1, "b"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('>');

        encoder.writeArray(events, out);

        assertThat(out.toString(UTF_8)).isEqualTo(">" + new String(encoder.encodeArray(events), UTF_8));
    }

    @Test
    void emptyBatchIsAnEmptyArray() {
        assertThat(new String(encoder.encodeArray(List.of()), UTF_8)).isEqualTo("[]");
    }

    @Test
    void oneEncoderServesManyThreadsAtOnce() throws Exception {
        ChangeEvent event = TestEvents.insertWithEveryKindOfValue();
        byte[] expected = encoder.encode(event);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int task = 0; task < 32; task++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        if (!java.util.Arrays.equals(encoder.encode(event), expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(new String(json, UTF_8), e);
        }
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static final class ClosingAwareStream extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
