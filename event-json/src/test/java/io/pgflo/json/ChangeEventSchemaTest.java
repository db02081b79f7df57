package io.pgflo.json;

import static io.pgflo.json.TestEvents.event;
import static io.pgflo.json.TestEvents.row;
import static io.pgflo.json.TestEvents.unchangedToast;
import static io.pgflo.json.TestEvents.value;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The published JSON Schema describes what the encoder writes, and is strict enough to catch a drift. */
class ChangeEventSchemaTest {
    static final String SCHEMA_RESOURCE = "/io/pgflo/json/change-event.schema.json";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static JsonSchema schema;
    /** What the DDL capture sends for ALTER TABLE items ADD COLUMN price numeric(10,2) DEFAULT 0. */
    static final String ADD_COLUMN = """
            {"previous": {"schema": "public", "table": "items", "version": 1, "columns": [\
            {"num": 1, "name": "id", "type": "integer", "default": null, "identity": null, "not_null": true, \
            "sequence": null, "generated": null}], "indexes": [], "constraints": [{"oid": 16391, "name": "items_pkey", \
            "type": "p", "definition": "PRIMARY KEY (id)"}]}, \
            "definition": {"schema": "public", "table": "items", "version": 1, "columns": [\
            {"num": 1, "name": "id", "type": "integer", "default": null, "identity": null, "not_null": true, \
            "sequence": null, "generated": null}, {"num": 2, "name": "price", "type": "numeric(10,2)", "default": "0", \
            "identity": null, "not_null": false, "sequence": null, "generated": null}], "indexes": [{"oid": 16432, \
            "name": "items_price", "unique": false, "using": "btree (price)"}], "constraints": [{"oid": 16391, \
            "name": "items_pkey", "type": "p", "definition": "PRIMARY KEY (id)"}]}}""";

    private final EventJsonEncoder encoder = new EventJsonEncoder();

    @BeforeAll
    static void loadSchemaFromTheClasspath() throws IOException {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        try (InputStream in = ChangeEventSchemaTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            assertThat(in).as(SCHEMA_RESOURCE).isNotNull();
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, config);
        }
    }

    static Stream<ChangeEvent> everyKindOfEvent() {
        return Stream.of(
                TestEvents.insertWithEveryKindOfValue(),
                event(Operation.UPDATE,
                        row(value("id", PgTypeOids.INT4, "1"), unchangedToast("big", 25), value("n", 25, "x")),
                        row(value("id", PgTypeOids.INT4, "0")), null),
                event(Operation.DELETE, null, row(value("id", PgTypeOids.INT4, "7")), null),
                event(Operation.TRUNCATE, null, null, null),
                event(Operation.READ, row(value("id", PgTypeOids.INT4, "3")), null, null),
                event(Operation.COPY_DONE, null, null, null),
                event(Operation.DDL, null, null, ADD_COLUMN),
                new SourceChange(Operation.INSERT, "s", "t", Lsn.of(-1L), Lsn.of(-1L), 4_294_967_295L,
                        TestEvents.COMMIT_TIME.plusNanos(1), 12, List.of(), row(), null, null));
    }

    @ParameterizedTest
    @MethodSource("everyKindOfEvent")
    void encoderOutputMatchesTheSchema(ChangeEvent event) throws IOException {
        JsonNode json = MAPPER.readTree(encoder.encode(event));

        assertThat(schema.validate(json)).isEmpty();
    }

    @Test
    void everyEventOfABatchMatchesTheSchema() throws IOException {
        JsonNode array = MAPPER.readTree(encoder.encodeArray(everyKindOfEvent().toList()));

        assertThat(array.size()).isEqualTo(8);
        for (JsonNode event : array) {
            assertThat(schema.validate(event)).isEmpty();
        }
    }

    @Test
    void schemaRejectsEventsThatBreakTheEnvelope() throws IOException {
        ObjectNode valid = (ObjectNode) MAPPER.readTree(encoder.encode(TestEvents.numberedInsert(0, "a")));
        assertThat(schema.validate(valid)).isEmpty();

        assertThat(errors(valid, json -> json.remove("lsn"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("lsn", "0/16b3748"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("type", "UPSERT"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("xid", -1))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("commit_time", "2026-11-24 12:00:00"))).isNotEmpty();
        assertThat(errors(valid, json -> json.remove("data"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("extra", 1))).isNotEmpty();
        assertThat(errors(valid, json -> json.putArray("unchanged_toast"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("ddl", "DROP TABLE users"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("type", "DDL"))).isNotEmpty();
        assertThat(errors(valid, json -> json.put("type", "DELETE"))).isNotEmpty();
    }

    @Test
    void theDdlTextIsDescribedByTheSchemaChangeDefinition() throws IOException {
        JsonSchema schemaChange = definition("schemaChange");
        assertThat(schemaChange.validate(MAPPER.readTree(ADD_COLUMN))).isEmpty();
        ObjectNode first = (ObjectNode) MAPPER.readTree(ADD_COLUMN);
        first.putNull("previous");
        assertThat(schemaChange.validate(first)).isEmpty();
        ObjectNode broken = first.deepCopy();
        broken.remove("definition");
        assertThat(schemaChange.validate(broken)).isNotEmpty();
        ObjectNode wrongColumn = (ObjectNode) MAPPER.readTree(ADD_COLUMN);
        ((ObjectNode) wrongColumn.at("/definition/columns/1")).put("not_null", "no");
        assertThat(schemaChange.validate(wrongColumn)).isNotEmpty();
    }

    /** The schema of {@code $defs/<name>}, with the rest of the published schema around it for its references. */
    private static JsonSchema definition(String name) throws IOException {
        ObjectNode whole;
        try (InputStream in = ChangeEventSchemaTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            whole = (ObjectNode) MAPPER.readTree(in);
        }
        ObjectNode wrapper = MAPPER.createObjectNode();
        wrapper.put("$schema", whole.get("$schema").asText());
        wrapper.put("$ref", "#/$defs/" + name);
        wrapper.set("$defs", whole.get("$defs"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(wrapper);
    }

    private static Set<ValidationMessage> errors(ObjectNode valid, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode copy = valid.deepCopy();
        change.accept(copy);
        return schema.validate(copy);
    }
}
