package io.pgflo.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Map;

/**
 * A section of a config file kept as written ({@code rules:}, {@code routing:}), for the loader that understands it:
 * the parsed tree, and where each of its nodes stands in the file, so that the loader's messages name a line and a
 * column.
 *
 * <pre>{@code
 * ConfigSection rules = configFile.section("rules").orElseThrow();
 * JsonNode tables = rules.tree().path("tables");
 * throw new ConfigFileException(rules.at(JsonPointer.compile("/tables/users/0/type")), "unknown rule type 'mask2'");
 * }</pre>
 *
 * @param name the top-level key that holds the section
 * @param tree the section's value, a Jackson tree
 * @param file the config file
 * @param locations where each node starts, by its JSON Pointer relative to the section ({@code ""} is the section)
 */
public record ConfigSection(String name, JsonNode tree, Path file, Map<String, ConfigLocation> locations) {
    public ConfigSection {
        requireNonNull(name, "name is null");
        requireNonNull(tree, "tree is null");
        requireNonNull(file, "file is null");
        locations = Map.copyOf(locations);
    }

    /** Where the node at {@code pointer} (relative to the section) starts; for a node not in the tree, its nearest parent. */
    public ConfigLocation at(JsonPointer pointer) {
        JsonPointer current = pointer;
        while (current != null) {
            ConfigLocation location = locations.get(current.toString());
            if (location != null) {
                return location;
            }
            current = current.head();
        }
        return locations.get("");
    }

    /** Where the section itself starts. */
    public ConfigLocation location() {
        return locations.get("");
    }
}
