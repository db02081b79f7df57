package io.pgflo.sink.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.pgflo.json.FileModes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code --webhook-dead-letter DIR}: one file per request the receiver refused with a 4xx (other than 408 and 429),
 * named for its idempotency key ({@code 0_16B3800-3.json}: the key with {@code /} as {@code _}), holding the URL, the
 * answer and the request's body as sent. Each file is written to a temporary name, fsync'd, renamed and the directory
 * fsync'd before {@link #write} returns, which is before the events count as delivered: the checkpoint never passes an
 * event that is neither delivered nor dead-lettered. The same event refused again after a restart replaces its file.
 * Files are 0600: they hold row data.
 */
final class DeadLetterDirectory {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path directory;

    /** Creates the directory (0700) if need be. */
    DeadLetterDirectory(Path directory) {
        this.directory = directory.toAbsolutePath();
        try {
            FileModes.createDirectories(this.directory, FileModes.OWNER_DIRECTORY);
        } catch (IOException e) {
            throw new IllegalStateException("--webhook-dead-letter " + directory + " cannot be created (" + e + ")", e);
        }
        if (!Files.isDirectory(this.directory) || !Files.isWritable(this.directory)) {
            throw new IllegalStateException("--webhook-dead-letter " + directory + " is not a writable directory");
        }
    }

    Path directory() {
        return directory;
    }

    /**
     * Writes the refused request durably and returns its file.
     *
     * @param key the request's idempotency key
     * @param body the request body as sent: an event's JSON, or a JSON array of them
     * @param batch whether {@code body} is an array
     */
    Path write(String url, String key, byte[] body, boolean batch, AttemptOutcome.Rejected refusal) {
        Path file = directory.resolve(key.replace('/', '_') + ".json");
        Path temporary = directory.resolve("." + file.getFileName() + ".tmp");
        byte[] content = render(url, key, body, batch, refusal);
        try {
            Files.deleteIfExists(temporary);
            try (FileChannel channel = FileModes.createFile(temporary, FileModes.OWNER_FILE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("--webhook-dead-letter " + directory + " does not support atomic renames", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write dead letter " + file + " (" + e + "); the stream stops "
                    + "before the refused event", e);
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Platforms that cannot open a directory (Windows) cannot sync it either; the rename is as durable as they allow.
        }
        return file;
    }

    private static byte[] render(String url, String key, byte[] body, boolean batch, AttemptOutcome.Rejected refusal) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(body.length + 512);
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("url", url);
            json.writeNumberField("status", refusal.status());
            json.writeStringField("reason", refusal.message());
            json.writeStringField("response", refusal.body());
            json.writeStringField("idempotency_key", key);
            json.writeStringField("rejected_at", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            json.writeFieldName(batch ? "events" : "event");
            json.writeRawValue(new String(body, StandardCharsets.UTF_8));
            json.writeEndObject();
            json.writeRaw('\n');
        } catch (IOException e) {
            throw new IllegalStateException("cannot render dead letter for " + key, e);
        }
        return bytes.toByteArray();
    }
}
