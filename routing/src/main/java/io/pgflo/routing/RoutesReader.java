package io.pgflo.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Operation;
import io.pgflo.routing.RouteSpec.ColumnMapping;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads pg_flo's routing format: a mapping from each source table to {@code source_table}, {@code destination_table},
 * {@code column_mappings: [{source, destination}]} and {@code operations}. Every key outside these is an error, not
 * ignored: a misspelt key would otherwise route nothing and say nothing.
 */
final class RoutesReader {
    private static final Set<String> ROUTE_KEYS = Set.of("source_table", "destination_table", "column_mappings",
            "operations");
    private static final Set<String> MAPPING_KEYS = Set.of("source", "destination");
    private static final Set<Operation> ALL = EnumSet.of(Operation.INSERT, Operation.UPDATE, Operation.DELETE,
            Operation.TRUNCATE);

    private final Locator locator;

    /** Null, or a key written with nothing after it ({@code operations:}), which YAML reads as empty text. */
    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty());
    }

    RoutesReader(Locator locator) {
        this.locator = locator;
    }

    List<RouteSpec> read(JsonNode root) {
        List<RouteSpec> routes = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return routes;
        }
        if (!root.isObject()) {
            throw error("", "the routing configuration must map each source table to its route (users: "
                    + "{destination_table: customers, ...}), not be a " + kind(root));
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            routes.add(route(field.getKey(), field.getValue(), "/" + escape(field.getKey())));
        }
        return routes;
    }

    private RouteSpec route(String key, JsonNode node, String pointer) {
        TableRef source = table(key, pointer);
        if (absent(node)) {
            node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw error(pointer, "the route of " + key + " must be a mapping (destination_table, column_mappings, "
                    + "operations), not a " + kind(node));
        }
        checkKeys(node, pointer, ROUTE_KEYS, "route of " + key);
        String sourceTable = text(node, "source_table", pointer);
        if (sourceTable != null && !table(sourceTable, pointer + "/source_table").equals(source)) {
            throw error(pointer + "/source_table", "source_table '" + sourceTable + "' differs from the key '" + key
                    + "' it is written under; the key names the source table, so make them the same");
        }
        String destinationTable = text(node, "destination_table", pointer);
        TableRef destination = destinationTable == null ? null
                : table(destinationTable, pointer + "/destination_table");
        return new RouteSpec(source, destination, mappings(node.get("column_mappings"), pointer + "/column_mappings"),
                operations(node.get("operations"), pointer + "/operations"), locator.at(pointer));
    }

    private List<ColumnMapping> mappings(JsonNode node, String pointer) {
        List<ColumnMapping> mappings = new ArrayList<>();
        if (absent(node)) {
            return mappings;
        }
        if (!node.isArray()) {
            throw error(pointer, "column_mappings must be a list of {source: ..., destination: ...}, not a " + kind(node));
        }
        Map<String, String> sources = new HashMap<>();
        Map<String, String> destinations = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode mapping = node.get(i);
            String at = pointer + "/" + i;
            if (!mapping.isObject()) {
                throw error(at, "each column mapping must be {source: ..., destination: ...}, not a " + kind(mapping));
            }
            checkKeys(mapping, at, MAPPING_KEYS, "column mapping");
            String source = required(mapping, "source", at);
            String destination = required(mapping, "destination", at);
            String earlier = sources.putIfAbsent(source, locator.at(at));
            if (earlier != null) {
                throw error(at + "/source", "column " + source + " is mapped twice (also at " + earlier
                        + "); keep one mapping");
            }
            earlier = destinations.putIfAbsent(destination, locator.at(at));
            if (earlier != null) {
                throw error(at + "/destination", "two columns are mapped to " + destination + " (also at " + earlier
                        + "); a destination column can take one source column");
            }
            mappings.add(new ColumnMapping(source, destination, locator.at(at)));
        }
        return mappings;
    }

    /** Missing, null or empty means every operation (pg_flo's README says so; its code dropped everything). */
    private Set<Operation> operations(JsonNode node, String pointer) {
        if (absent(node) || (node.isArray() && node.isEmpty())) {
            return ALL;
        }
        if (!node.isArray()) {
            throw error(pointer, "operations must be a list such as [INSERT, UPDATE, DELETE], not a " + kind(node));
        }
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        for (int i = 0; i < node.size(); i++) {
            JsonNode value = node.get(i);
            String name = value.isTextual() ? value.asText().trim().toUpperCase(Locale.ROOT) : "";
            switch (name) {
                case "INSERT", "UPDATE", "DELETE", "TRUNCATE" -> operations.add(Operation.valueOf(name));
                // pg_flo's name for schema changes, which routing always lets through.
                case "DDL" -> { }
                default -> throw error(pointer + "/" + i, "unknown operation '" + value.asText() + "'; use INSERT, "
                        + "UPDATE, DELETE or TRUNCATE");
            }
        }
        return operations;
    }

    private void checkKeys(JsonNode node, String pointer, Set<String> allowed, String what) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw error(pointer + "/" + escape(name), "unknown key '" + name + "' in the " + what + "; the keys are "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private String text(JsonNode node, String field, String pointer) {
        JsonNode value = node.get(field);
        if (absent(value)) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw error(pointer + "/" + field, field + " must be a table name, not " + describe(value));
        }
        return value.asText();
    }

    private String required(JsonNode node, String field, String pointer) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw error(pointer, "the column mapping has no " + field + "; write {source: <source column>, "
                    + "destination: <destination column>}");
        }
        if (!value.isValueNode() || value.asText().isEmpty()) {
            throw error(pointer + "/" + field, field + " must be a column name, not " + describe(value));
        }
        return value.asText();
    }

    private TableRef table(String text, String pointer) {
        try {
            return TableRef.parse(text);
        } catch (IllegalArgumentException e) {
            throw error(pointer, e.getMessage());
        }
    }

    private ConfigurationException error(String pointer, String message) {
        return new ConfigurationException(locator.at(pointer) + ": " + message);
    }

    private static String describe(JsonNode value) {
        return value.isValueNode() ? "'" + value.asText() + "'" : "a " + kind(value);
    }

    private static String kind(JsonNode node) {
        return node.isArray() ? "list" : node.isObject() ? "mapping" : node.isTextual() ? "text" : node.getNodeType()
                .name().toLowerCase(Locale.ROOT);
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
