package io.pgflo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The events the file sink wrote into a directory, in order: its {@code .jsonl} files by name, line by line. */
final class FileSinkEvents {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FileSinkEvents() {}

    static List<JsonNode> read(Path out) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(out)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
        for (Path file : files) {
            for (String line : Files.readString(file).split("\n")) {
                if (!line.isEmpty()) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        return events;
    }
}
