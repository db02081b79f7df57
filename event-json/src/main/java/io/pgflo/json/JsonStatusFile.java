package io.pgflo.json;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import io.pgflo.domain.CheckpointStore;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint a file or webhook sink keeps in {@code --status-dir}: one small JSON file,
 * {@code {"lsn":"0/16B3748","updated_at":"2026-11-24T12:00:00Z","file":"...","offset":"123"}}, with the
 * checkpoint's LSN, when it was written, and the sink's own string attributes as further fields, in the order given.
 * A checkpoint inside a transaction ({@link Position#of}) adds {@code "ordinal":"12"} after the LSN, which is then
 * that transaction's commit LSN.
 *
 * <p>A save is atomic and durable: the new content goes to a temporary file in the same directory, is forced to
 * disk, replaces the old file with an atomic rename, and the directory is forced too, so that after a crash the file
 * holds either the old checkpoint or the new one, never a mix or nothing. Saves are serialized; the file belongs to
 * one process.
 *
 * <p>The file is 0600 and the directories it creates 0700, whatever the umask: only the owner reads a checkpoint.
 * The mode is the temporary file's, given when it is created, so the rename brings it along.
 */
public final class JsonStatusFile implements CheckpointStore {
    private static final String LSN_FIELD = "lsn";
    private static final String ORDINAL_FIELD = "ordinal";
    private static final String UPDATED_AT_FIELD = "updated_at";

    private final Path file;
    private final Path directory;
    private final Path temporary;

    /**
     * A checkpoint and the string attributes a sink keeps with it (for example its current file and offset).
     * Attributes keep their order; {@code lsn}, {@code ordinal} and {@code updated_at} are reserved.
     */
    public record StatusRecord(Position position, Map<String, String> attributes) {
        public StatusRecord {
            requireNonNull(position, "position is null");
            requireNonNull(attributes, "attributes is null");
            Map<String, String> copy = new LinkedHashMap<>(attributes);
            copy.forEach((name, value) -> {
                requireNonNull(name, "attribute name is null");
                requireNonNull(value, "attribute " + name + " is null");
                if (name.equals(LSN_FIELD) || name.equals(ORDINAL_FIELD) || name.equals(UPDATED_AT_FIELD)) {
                    throw new IllegalArgumentException("attribute name '" + name + "' is reserved by the status file");
                }
            });
            attributes = Collections.unmodifiableMap(copy);
        }

        /** After the whole transaction ending at {@code lsn}. */
        public StatusRecord(Lsn lsn, Map<String, String> attributes) {
            this(Position.afterTransaction(lsn), attributes);
        }

        StatusRecord(Position position) {
            this(position, Map.of());
        }
    }

    /** Creates the file's directory (0700) when it is missing; fails when it cannot, or cannot write there. */
    public JsonStatusFile(Path file) {
        this.file = requireNonNull(file, "file is null").toAbsolutePath();
        this.directory = this.file.getParent();
        this.temporary = directory.resolve(this.file.getFileName() + ".tmp");
        try {
            FileModes.createDirectories(directory, FileModes.OWNER_DIRECTORY);
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot create status directory " + directory + " (" + describe(e) + "): check the --status-dir path",
                    e);
        }
        if (!Files.isWritable(directory)) {
            throw new IllegalStateException("status directory " + directory + " is not writable");
        }
    }

    /** The saved checkpoint, or {@link Position#START} when the file does not exist yet. */
    @Override
    public Position load() {
        return loadRecord().position();
    }

    /** The saved record, or {@link Position#START} with no attributes when the file does not exist yet. */
    public StatusRecord loadRecord() {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new StatusRecord(Position.START);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read status file " + file + " (" + describe(e) + ")", e);
        }
        return parse(content);
    }

    /** Saves the checkpoint alone, without attributes. */
    @Override
    public void save(Position checkpoint) {
        save(new StatusRecord(checkpoint));
    }

    /** Replaces the file's content with this record, durably, before returning. */
    public synchronized void save(StatusRecord record) {
        requireNonNull(record, "record is null");
        byte[] content = render(record);
        try (FileChannel channel = createTemporary()) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            deleteTemporary();
            throw new IllegalStateException("status directory " + directory + " cannot be written (" + describe(e)
                    + "): check that it exists and is writable", e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            deleteTemporary();
            throw new IllegalStateException("status directory " + directory
                    + " does not support atomic renames, so the checkpoint cannot be saved safely there", e);
        } catch (IOException e) {
            deleteTemporary();
            throw new IllegalStateException("cannot replace status file " + file + " (" + describe(e) + ")", e);
        }
        forceDirectory();
    }

    /**
     * A new, empty temporary file, 0600. One left over by a crash is replaced rather than reused: it may have been
     * made with a wider mode, which the rename would pass on to the status file.
     */
    private FileChannel createTemporary() throws IOException {
        try {
            return FileModes.createFile(temporary, FileModes.OWNER_FILE);
        } catch (FileAlreadyExistsException e) {
            Files.delete(temporary);
            return FileModes.createFile(temporary, FileModes.OWNER_FILE);
        }
    }

    /** Makes the rename itself durable; some platforms (Windows) refuse to open a directory, and need not. */
    private void forceDirectory() {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException ignored) {
            // Nothing better to do where directories cannot be synced; the rename is as durable as the platform allows.
        }
    }

    private void deleteTemporary() {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
            // The next save truncates it, and the status file itself is untouched.
        }
    }

    private static byte[] render(StatusRecord record) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(128);
        try (JsonGenerator generator = EventJsonEncoder.FACTORY.createGenerator(bytes)) {
            generator.writeStartObject();
            generator.writeStringField(LSN_FIELD, record.position().lsn().toString());
            if (!record.position().wholeTransaction()) {
                generator.writeStringField(ORDINAL_FIELD, Integer.toString(record.position().ordinal()));
            }
            generator.writeStringField(UPDATED_AT_FIELD, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
            for (Map.Entry<String, String> attribute : record.attributes().entrySet()) {
                generator.writeStringField(attribute.getKey(), attribute.getValue());
            }
            generator.writeEndObject();
            generator.writeRaw('\n');
        } catch (IOException e) {
            throw new IllegalStateException("cannot render status record " + record, e);
        }
        return bytes.toByteArray();
    }

    private StatusRecord parse(byte[] content) {
        Lsn lsn = null;
        String ordinal = null;
        Map<String, String> attributes = new LinkedHashMap<>();
        try (JsonParser parser = EventJsonEncoder.FACTORY.createParser(content)) {
            parser.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw corrupt(content.length == 0 ? "it is empty" : "it is not a JSON object");
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (!value.isScalarValue() || value == JsonToken.VALUE_NULL) {
                    throw corrupt("field '" + name + "' is not a string");
                }
                String text = parser.getText();
                if (name.equals(LSN_FIELD)) {
                    lsn = parseLsn(text);
                } else if (name.equals(ORDINAL_FIELD)) {
                    ordinal = text;
                } else if (!name.equals(UPDATED_AT_FIELD)) {
                    attributes.put(name, text);
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw corrupt("it is not a JSON object");
            }
            if (parser.nextToken() != null) {
                throw corrupt("there is more after the JSON object");
            }
        } catch (JsonProcessingException e) {
            throw corrupt("not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read status file " + file + " (" + describe(e) + ")", e);
        }
        if (lsn == null) {
            throw corrupt("it has no \"lsn\" field");
        }
        return new StatusRecord(position(lsn, ordinal), attributes);
    }

    private Position position(Lsn lsn, String ordinal) {
        if (ordinal == null) {
            return Position.afterTransaction(lsn);
        }
        try {
            return Position.parse(lsn + "#" + ordinal);
        } catch (IllegalArgumentException e) {
            throw corrupt("ordinal '" + ordinal + "' is not a whole number like 12", e);
        }
    }

    private Lsn parseLsn(String text) {
        try {
            return Lsn.parse(text);
        } catch (IllegalArgumentException e) {
            throw corrupt("lsn '" + text + "' is not an LSN like 0/16B3748", e);
        }
    }

    private IllegalStateException corrupt(String reason) {
        return corrupt(reason, null);
    }

    private IllegalStateException corrupt(String reason, Throwable cause) {
        return new IllegalStateException("status file " + file + " is corrupt (" + reason
                + "): fix it or delete it to restart from the replication slot's position", cause);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }

    @Override
    public String toString() {
        return "JsonStatusFile[" + file + "]";
    }
}
