package io.pgflo.sink.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads what a file sink wrote: its files in name order, plain or gzipped, as lines and as JSON. */
final class OutputFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    private OutputFiles() {}

    /** The log files (.jsonl and .jsonl.gz, and anything else named pg_flo_log_*), sorted by name. */
    static List<Path> list(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().startsWith("pg_flo_log_")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> names(Path directory) {
        return list(directory).stream().map(file -> file.getFileName().toString()).toList();
    }

    /** A file's content, decompressed when it is a .gz. */
    static String content(Path file) {
        try {
            if (file.getFileName().toString().endsWith(".gz")) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Every event of every file, in name order then line order. */
    static List<JsonNode> events(Path directory) {
        List<JsonNode> events = new ArrayList<>();
        for (Path file : list(directory)) {
            events.addAll(events(file, content(file)));
        }
        return events;
    }

    static List<JsonNode> events(Path file, String content) {
        List<JsonNode> events = new ArrayList<>();
        if (content.isEmpty()) {
            return events;
        }
        if (!content.endsWith("\n")) {
            throw new AssertionError(file + " does not end with a line end: ..." + content.substring(Math.max(0, content.length() - 80)));
        }
        for (String line : content.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                events.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError(file + " has a line that is not JSON: " + line, e);
            }
        }
        return events;
    }

    /** The {@code data.id} of every event, in order. */
    static List<Long> ids(Path directory) {
        return events(directory).stream().map(event -> event.get("data").get("id").asLong()).toList();
    }

    static List<Long> ids(Path file, String content) {
        return events(file, content).stream().map(event -> event.get("data").get("id").asLong()).toList();
    }

    /** The status file as JSON. */
    static JsonNode status(Path statusDir) {
        try {
            return JSON.readTree(statusDir.resolve(FileSinkConfig.STATUS_FILE).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
