package io.pgflo.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A {@code --config} file as read: a YAML mapping of top-level keys to values, each with where it stands in the file.
 * Reading checks the YAML alone; which keys mean something, and whether their values fit, is {@link ConfigKeys}'s to
 * say. Sections that another loader understands ({@code rules:}, {@code routing:}) stay trees: {@link #section}.
 */
public final class ConfigFile {
    /**
     * One top-level key and its value.
     *
     * @param key the key as written
     * @param value its value, a Jackson tree
     * @param keyAt where the key stands
     * @param valueAt where the value starts
     */
    record Entry(String key, JsonNode value, ConfigLocation keyAt, ConfigLocation valueAt) {}

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Path path;
    private final Map<String, Entry> entries;
    /** Where every node starts, by its JSON Pointer from the file's root. */
    private final Map<String, ConfigLocation> locations;

    private ConfigFile(Path path, Map<String, Entry> entries, Map<String, ConfigLocation> locations) {
        this.path = path;
        this.entries = Collections.unmodifiableMap(entries);
        this.locations = Collections.unmodifiableMap(locations);
    }

    /**
     * Reads {@code file}.
     *
     * @throws ConfigFileException when it cannot be read, is not YAML, or is not a mapping of keys to values, naming
     *     the file, line and column
     */
    public static ConfigFile read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(file + ": no such file; check --config", e);
        } catch (MalformedInputException e) {
            throw new ConfigFileException(file + ": not UTF-8 text; save the config file as UTF-8", e);
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot be read (" + e.getMessage() + "); check --config", e);
        }
        TreeReader reader = new TreeReader(file);
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ConfigFile(file, new LinkedHashMap<>(), new HashMap<>());
            }
            if (first != JsonToken.START_OBJECT) {
                throw new ConfigFileException(reader.location(parser.currentTokenLocation()),
                        "a config file is a mapping of flag names to values, such as 'host: db.example.com'");
            }
            Map<String, Entry> entries = reader.topLevel(parser);
            return new ConfigFile(file, entries, reader.locations);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, e);
        } catch (IOException e) {
            throw new ConfigFileException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static ConfigFileException syntaxError(Path file, JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            Mark mark = yaml.getProblemMark();
            String problem = yaml.getProblem() == null ? "not valid YAML" : yaml.getProblem();
            String context = yaml.getContext() == null ? "" : " " + yaml.getContext();
            return new ConfigFileException(new ConfigLocation(file, mark.getLine() + 1, mark.getColumn() + 1)
                    + ": YAML syntax error: " + ErrorMessages.oneLine(problem + context)
                    + "; fix the YAML there (indentation, a missing ':' or quote)", e);
        }
        JsonLocation at = e.getLocation();
        ConfigLocation location = new ConfigLocation(file, at == null ? 1 : Math.max(1, at.getLineNr()),
                at == null ? 1 : Math.max(1, at.getColumnNr()));
        return new ConfigFileException(location + ": YAML syntax error: " + ErrorMessages.oneLine(e.getOriginalMessage())
                + "; fix the YAML there", e);
    }

    /** The file as the user named it. */
    public Path path() {
        return path;
    }

    /**
     * The section under the top-level {@code name} ({@code rules}, {@code routing}), as written; empty when the file has
     * none.
     */
    public Optional<ConfigSection> section(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            return Optional.empty();
        }
        String prefix = TreeReader.pointer("", name);
        Map<String, ConfigLocation> within = new HashMap<>();
        for (Map.Entry<String, ConfigLocation> location : locations.entrySet()) {
            String pointer = location.getKey();
            if (pointer.equals(prefix) || pointer.startsWith(prefix + "/")) {
                within.put(pointer.substring(prefix.length()), location.getValue());
            }
        }
        return Optional.of(new ConfigSection(name, entry.value(), path, within));
    }

    /** Where the node at {@code pointer} (from the file's root, as JSON Pointer) starts, if it is in the file. */
    Optional<ConfigLocation> locate(String pointer) {
        return Optional.ofNullable(locations.get(pointer));
    }

    /** The top-level entries, in the file's order. */
    Map<String, Entry> entries() {
        return entries;
    }

    /** Builds the trees and notes where each node starts. */
    private static final class TreeReader {
        private final Path file;
        final Map<String, ConfigLocation> locations = new HashMap<>();

        TreeReader(Path file) {
            this.file = file;
        }

        Map<String, Entry> topLevel(JsonParser parser) throws IOException {
            Map<String, Entry> entries = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                ConfigLocation keyAt = location(parser.currentTokenLocation());
                Entry earlier = entries.get(key);
                if (earlier != null) {
                    throw new ConfigFileException(keyAt, "'" + key + "' is given twice (first at line "
                            + earlier.keyAt().line() + "); keep one");
                }
                parser.nextToken();
                ConfigLocation valueAt = location(parser.currentTokenLocation());
                entries.put(key, new Entry(key, value(parser, pointer("", key)), keyAt, valueAt));
            }
            return entries;
        }

        private JsonNode value(JsonParser parser, String pointer) throws IOException {
            locations.put(pointer, location(parser.currentTokenLocation()));
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            switch (parser.currentToken()) {
                case START_OBJECT -> {
                    ObjectNode object = nodes.objectNode();
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String name = parser.currentName();
                        if (object.has(name)) {
                            throw new ConfigFileException(location(parser.currentTokenLocation()),
                                    "'" + name + "' is given twice in this mapping; keep one");
                        }
                        parser.nextToken();
                        object.set(name, value(parser, pointer(pointer, name)));
                    }
                    return object;
                }
                case START_ARRAY -> {
                    ArrayNode array = nodes.arrayNode();
                    int index = 0;
                    while (parser.nextToken() != JsonToken.END_ARRAY) {
                        array.add(value(parser, pointer + "/" + index++));
                    }
                    return array;
                }
                case VALUE_STRING -> {
                    return nodes.textNode(parser.getText());
                }
                case VALUE_NUMBER_INT -> {
                    return nodes.numberNode(parser.getBigIntegerValue());
                }
                case VALUE_NUMBER_FLOAT -> {
                    return nodes.numberNode(parser.getDecimalValue());
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    return nodes.booleanNode(parser.getBooleanValue());
                }
                case VALUE_NULL -> {
                    return nodes.nullNode();
                }
                default -> {
                    return nodes.textNode(parser.getText());
                }
            }
        }

        ConfigLocation location(JsonLocation at) {
            return new ConfigLocation(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()));
        }

        /** {@code parent} and one more step, escaped as JSON Pointer (RFC 6901) escapes it. */
        static String pointer(String parent, String name) {
            return parent + "/" + name.replace("~", "~0").replace("/", "~1");
        }
    }
}
