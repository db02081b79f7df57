package io.pgflo.rules;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads YAML into {@link Node}s that remember their line and column; Jackson's own tree forgets them. */
final class YamlNodes {
    private static final YAMLFactory YAML = new YAMLFactory();

    private YamlNodes() {}

    static Node read(Path file) {
        String name = file.toString();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                JsonParser parser = YAML.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new RulesException(name + ":1:1: the file is empty; write a 'tables:' mapping of table names to "
                        + "lists of rules");
            }
            return value(parser, name);
        } catch (NoSuchFileException e) {
            throw new RulesException(name + ": no such file; check --rules-config", e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? name : name + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new RulesException(where + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
        } catch (IOException e) {
            throw new RulesException(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Node value(JsonParser parser, String file) throws IOException {
        JsonLocation at = parser.currentTokenLocation();
        String where = file + ":" + at.getLineNr() + ":" + at.getColumnNr();
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, Node> map = new LinkedHashMap<>();
                Map<String, String> keys = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    JsonLocation keyAt = parser.currentTokenLocation();
                    String key = parser.currentName();
                    keys.put(key, file + ":" + keyAt.getLineNr() + ":" + keyAt.getColumnNr());
                    parser.nextToken();
                    Node child = value(parser, file);
                    if (map.put(key, child) != null) {
                        throw new RulesException(file + ":" + keyAt.getLineNr() + ":" + keyAt.getColumnNr()
                                + ": key '" + key + "' is written twice in this mapping; keep one");
                    }
                }
                return new Node(map, where, keys);
            }
            case START_ARRAY -> {
                List<Node> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(value(parser, file));
                }
                return new Node(list, where);
            }
            case VALUE_STRING -> {
                return new Node(parser.getText(), where);
            }
            case VALUE_NUMBER_INT -> {
                return new Node(parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? new BigDecimal(parser.getBigIntegerValue()) : (Object) parser.getLongValue(), where);
            }
            case VALUE_NUMBER_FLOAT -> {
                return new Node(new BigDecimal(parser.getText()), where);
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return new Node(token == JsonToken.VALUE_TRUE, where);
            }
            case VALUE_NULL -> {
                return new Node(null, where);
            }
            default -> throw new RulesException(where + ": unexpected " + token + " in YAML");
        }
    }

    /** A tree parsed elsewhere (the config file's inline section): places are its path under {@code source}. */
    static Node fromTree(JsonNode tree, String source) {
        return fromTree(tree, source, "");
    }

    private static Node fromTree(JsonNode tree, String source, String path) {
        String where = source + (path.isEmpty() ? "" : " at " + path);
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return new Node(null, where);
        }
        if (tree.isObject()) {
            Map<String, Node> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = tree.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), fromTree(field.getValue(), source,
                        path.isEmpty() ? field.getKey() : path + "." + field.getKey()));
            }
            return new Node(map, where);
        }
        if (tree.isArray()) {
            List<Node> list = new ArrayList<>();
            for (int i = 0; i < tree.size(); i++) {
                list.add(fromTree(tree.get(i), source, path + "[" + i + "]"));
            }
            return new Node(list, where);
        }
        if (tree.isBoolean()) {
            return new Node(tree.booleanValue(), where);
        }
        if (tree.isIntegralNumber() && tree.canConvertToLong()) {
            return new Node(tree.longValue(), where);
        }
        if (tree.isNumber()) {
            return new Node(tree.decimalValue(), where);
        }
        return new Node(tree.asText(), where);
    }

    private static String firstLine(String message) {
        int newline = message == null ? -1 : message.indexOf('\n');
        return newline < 0 ? String.valueOf(message) : message.substring(0, newline);
    }
}
