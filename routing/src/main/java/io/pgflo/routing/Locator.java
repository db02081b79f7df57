package io.pgflo.routing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Names a place in the routing text for an error: {@code file:line:column} when the text was read from a file, else
 * the origin and the path of keys.
 */
interface Locator {
    /** Where the node at {@code pointer} (a JSON pointer, relative to the routing section) is. */
    String at(String pointer);

    /** For a tree handed over without positions: {@code origin (routing → users → operations[0])}. */
    static Locator ofTree(String origin, String prefix) {
        return pointer -> {
            String path = (prefix + pointer).replaceFirst("^/", "").replaceAll("/(\\d+)(?=/|$)", "[$1]")
                    .replace("/", " → ").replace("~1", "/").replace("~0", "~");
            return path.isEmpty() ? origin : origin + " (" + path + ")";
        };
    }

    /**
     * For text read by {@code parser}: remembers where each key and value starts, reading every token of the section
     * at {@code prefix} (a JSON pointer, empty for the whole text).
     */
    static Locator ofParser(String file, JsonParser parser, String prefix) throws IOException {
        Map<String, JsonLocation> places = new HashMap<>();
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            String pointer = parser.getParsingContext().pathAsPointer().toString();
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                // The context is the new container's; its place is its parent's entry.
                pointer = parser.getParsingContext().getParent().pathAsPointer().toString();
            }
            if (pointer.startsWith(prefix)) {
                places.putIfAbsent(pointer.substring(prefix.length()), parser.currentTokenLocation());
            }
        }
        return pointer -> {
            JsonLocation place = nearest(places, pointer);
            return place == null ? file : file + ":" + place.getLineNr() + ":" + place.getColumnNr();
        };
    }

    private static JsonLocation nearest(Map<String, JsonLocation> places, String pointer) {
        for (String at = pointer; ; at = at.substring(0, at.lastIndexOf('/'))) {
            JsonLocation place = places.get(at);
            if (place != null || at.isEmpty()) {
                return place;
            }
        }
    }
}
