package io.pgflo.example.counts;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.PackageVersion;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts events per {@code schema.table operation}. The counts and the checkpoint live in one file, replaced atomically
 * per batch, so they can never disagree: after any crash the counts are exactly those of the events up to the
 * checkpoint, and the engine redelivers everything after it. That is the whole trick of an exactly-once sink.
 */
final class TableCountsSink implements Sink {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final Map<String, Long> pending = new TreeMap<>();
    private Map<String, Long> counts = new TreeMap<>();
    private Position checkpoint = Position.START;

    TableCountsSink(Path file) {
        this.file = file.toAbsolutePath();
        if (Files.exists(this.file)) {
            load();
        }
    }

    @Override
    public Position lastCheckpoint() {
        return checkpoint;
    }

    @Override
    public void writeBatch(Batch batch) {
        for (ChangeEvent event : batch.events()) {
            pending.merge(event.qualifiedTable() + " " + event.operation(), 1L, Long::sum);
        }
        // The counts and the checkpoint that covers them reach the file together, so a restart resumes exactly after
        // what was counted, inside a large transaction too (a batch cut there checkpoints at its last change).
        if (!batch.checkpoint().isAfter(checkpoint)) {
            return;
        }
        Map<String, Long> next = new TreeMap<>(counts);
        pending.forEach((key, count) -> next.merge(key, count, Long::sum));
        save(next, batch.checkpoint());
        counts = next;
        pending.clear();
        checkpoint = batch.checkpoint();
    }

    @Override
    public void close() {}

    private void save(Map<String, Long> values, Position position) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(temp);
                    JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartObject();
                json.writeStringField("position", position.toString());
                // Which Jackson this plugin runs with: its own, whatever version pg_flo uses.
                json.writeStringField("jackson", PackageVersion.VERSION.toString());
                json.writeObjectFieldStart("counts");
                for (Map.Entry<String, Long> entry : values.entrySet()) {
                    json.writeNumberField(entry.getKey(), entry.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save counts to " + file + " at " + position + ": " + e.getMessage(), e);
        }
    }

    private void load() {
        try (JsonParser json = JSON.createParser(file.toFile())) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.getCurrentName();
                json.nextToken();
                if (field.equals("position")) {
                    checkpoint = Position.parse(json.getText());
                } else if (field.equals("counts")) {
                    while (json.nextToken() == JsonToken.FIELD_NAME) {
                        String key = json.getCurrentName();
                        json.nextToken();
                        counts.put(key, json.getLongValue());
                    }
                } else {
                    json.skipChildren();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("counts file " + file + " is corrupt (" + e.getMessage()
                    + "); fix or delete it", e);
        }
    }
}
