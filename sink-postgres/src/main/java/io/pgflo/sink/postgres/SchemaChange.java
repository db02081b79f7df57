package io.pgflo.sink.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.postgres.TableDefinition.ColumnDefinition;
import io.pgflo.sink.postgres.TableDefinition.ConstraintDefinition;
import io.pgflo.sink.postgres.TableDefinition.IndexDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * A DDL event's content: the table's definitions before the change (null when the capture had none) and after it,
 * as the source's capture wrote them ({@code {"previous":...,"definition":...}}).
 */
record SchemaChange(TableDefinition previous, TableDefinition definition) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static SchemaChange parse(String content) {
        JsonNode root;
        try {
            root = JSON.readTree(content);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a schema change from pg_flo's capture: " + e.getMessage(), e);
        }
        if (root == null || !root.path("definition").isObject()) {
            throw new IllegalArgumentException("not a schema change from pg_flo's capture: no definition");
        }
        JsonNode previous = root.path("previous");
        return new SchemaChange(previous.isObject() ? definition(previous) : null, definition(root.get("definition")));
    }

    private static TableDefinition definition(JsonNode node) {
        List<ColumnDefinition> columns = new ArrayList<>();
        for (JsonNode column : node.path("columns")) {
            JsonNode sequence = column.path("sequence");
            columns.add(new ColumnDefinition(column.path("num").asInt(), required(column, "name"), required(column, "type"),
                    column.path("not_null").asBoolean(), text(column, "default"), text(column, "generated"),
                    text(column, "identity"), sequence.isObject()
                            ? new TableName(required(sequence, "schema"), required(sequence, "name")) : null));
        }
        List<ConstraintDefinition> constraints = new ArrayList<>();
        for (JsonNode constraint : node.path("constraints")) {
            constraints.add(new ConstraintDefinition(constraint.path("oid").asLong(), required(constraint, "name"),
                    required(constraint, "type"), required(constraint, "definition")));
        }
        List<IndexDefinition> indexes = new ArrayList<>();
        for (JsonNode index : node.path("indexes")) {
            indexes.add(new IndexDefinition(index.path("oid").asLong(), required(index, "name"),
                    index.path("unique").asBoolean(), text(index, "using")));
        }
        return new TableDefinition(required(node, "schema"), required(node, "table"), columns, constraints, indexes);
    }

    private static String required(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null) {
            throw new IllegalArgumentException("not a schema change from pg_flo's capture: '" + field + "' missing");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
