package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import io.pgflo.json.JsonStatusFile.StatusRecord;
import io.pgflo.json.JsonStatusFile;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Position;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The file sink's checkpoint in {@code --status-dir/pg_flo_file_last_lsn.json}:
 * {@code {"lsn":"0/16B3800","updated_at":"...","file":"pg_flo_log_20261124T120000.123456Z.jsonl","offset":"123"}}.
 *
 * <p>It says: every event the checkpoint covers ({@code lsn}, and {@code ordinal} inside a transaction) is in
 * {@code file} before byte {@code offset}, or in an older file, and nothing else is there. Bytes of {@code file} past
 * {@code offset}, and files newer than {@code file}, hold only events that the source will deliver again.
 */
final class FileSinkCheckpoint {
    private static final String FILE = "file";
    private static final String OFFSET = "offset";

    /** A saved checkpoint: the stream position, and the file and byte count that hold everything up to it. */
    record Saved(Position checkpoint, LogFileName file, long offset) {
        Saved {
            requireNonNull(checkpoint, "checkpoint is null");
            requireNonNull(file, "file is null");
            if (offset < 0) {
                throw new IllegalArgumentException("offset must not be negative, got " + offset);
            }
        }
    }

    private final Path path;
    private final JsonStatusFile status;

    /** Creates the status directory when missing; a {@link ConfigurationException} when that fails. */
    FileSinkCheckpoint(Path statusFile) {
        this.path = requireNonNull(statusFile, "statusFile is null").toAbsolutePath();
        try {
            this.status = new JsonStatusFile(path);
        } catch (IllegalStateException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    Path path() {
        return path;
    }

    /** The saved position, or empty when no status file exists yet; a {@link ConfigurationException} when corrupt. */
    Optional<Saved> load() {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        StatusRecord record;
        try {
            record = status.loadRecord();
        } catch (IllegalStateException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
        String file = record.attributes().get(FILE);
        String offset = record.attributes().get(OFFSET);
        if (file == null || offset == null) {
            throw corrupt("it has no \"" + (file == null ? FILE : OFFSET) + "\" field, so it was not written by the file sink");
        }
        LogFileName name = LogFileName.parseJsonl(file)
                .orElseThrow(() -> corrupt("file '" + file + "' is not a pg_flo_log_<UTC timestamp>.jsonl name"));
        long bytes;
        try {
            bytes = Long.parseLong(offset);
        } catch (NumberFormatException e) {
            bytes = -1;
        }
        if (bytes < 0) {
            throw corrupt("offset '" + offset + "' is not a byte count");
        }
        return Optional.of(new Saved(record.position(), name, bytes));
    }

    /** Saves durably and atomically before returning; an {@link IllegalStateException} with the path when that fails. */
    void save(Saved position) {
        Map<String, String> attributes = new LinkedHashMap<>(4);
        attributes.put(FILE, position.file().jsonl());
        attributes.put(OFFSET, Long.toString(position.offset()));
        status.save(new StatusRecord(position.checkpoint(), attributes));
    }

    private ConfigurationException corrupt(String reason) {
        return new ConfigurationException("status file " + path + " is corrupt (" + reason
                + "): fix it or delete it to restart from the replication slot's position");
    }
}
