package io.pgflo.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.pgflo.json.JsonCopyProgress;
import io.pgflo.sink.api.Lsn;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint files sinks keep in {@code --status-dir} ({@code pg_flo_<sink>_last_lsn.json}, a plugin's too, and
 * {@code pg_flo_copy_progress.json}), read for {@code pg_flo status}. Read here rather than through the sinks' own
 * {@code JsonStatusFile}, which belongs to the process that writes the file: that creates the directory and wants it
 * writable, while a status only looks, and shows every field (when it was written, the file sink's file and offset).
 */
final class CheckpointFiles {
    private static final String PREFIX = "pg_flo_";
    private static final String SUFFIX = "_last_lsn.json";
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * One file: its sink ({@code copy} for the copy's progress), and its fields as written, or why it cannot be read.
     *
     * @param lsn the checkpoint's LSN (the copy's consistent point), or null when {@code problem} says why not
     */
    record Checkpoint(String sink, String file, Lsn lsn, Map<String, String> fields, String problem) {
        Checkpoint {
            fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    private CheckpointFiles() {}

    /** The checkpoints in {@code directory}, sinks by name and the copy's progress last; empty when there is none. */
    static List<Checkpoint> read(Path directory) {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
                entries.forEach(files::add);
            } catch (IOException e) {
                return List.of(new Checkpoint("?", directory.toString(), null, Map.of(),
                        "cannot list the directory: " + e.getMessage()));
            }
        }
        files.sort(null);
        Path copy = directory.resolve(JsonCopyProgress.FILE);
        if (Files.exists(copy)) {
            files.add(copy);
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (Path file : files) {
            checkpoints.add(read(file, sinkOf(file.getFileName().toString())));
        }
        return checkpoints;
    }

    private static String sinkOf(String name) {
        return name.equals(JsonCopyProgress.FILE) ? "copy"
                : name.substring(PREFIX.length(), name.length() - SUFFIX.length());
    }

    private static Checkpoint read(Path file, String sink) {
        String name = file.getFileName().toString();
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(Files.readAllBytes(file))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return new Checkpoint(sink, name, null, Map.of(), "not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isStructStart()) {
                    parser.skipChildren();
                    continue;
                }
                fields.put(field, parser.getText());
            }
        } catch (JsonProcessingException e) {
            return new Checkpoint(sink, name, null, Map.of(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Checkpoint(sink, name, null, Map.of(), "cannot read it: " + e.getMessage());
        }
        String lsn = fields.get("lsn");
        if (lsn == null) {
            return new Checkpoint(sink, name, null, fields, "it has no \"lsn\" field");
        }
        try {
            return new Checkpoint(sink, name, Lsn.parse(lsn), fields, null);
        } catch (IllegalArgumentException e) {
            return new Checkpoint(sink, name, null, fields, "lsn '" + lsn + "' is not an LSN");
        }
    }
}
