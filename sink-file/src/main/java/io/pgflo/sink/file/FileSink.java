package io.pgflo.sink.file;

import static java.util.Objects.requireNonNull;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.BatchCompletionListener;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import io.pgflo.json.JsonLinesWriter;
import io.pgflo.sink.file.FileSinkCheckpoint.Saved;
import io.pgflo.sink.file.LogFileName.Entry;
import io.pgflo.sink.file.LogFileName.Kind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes change events as JSON lines (the shared event encoding, one event a line) to rotating files
 * {@code pg_flo_log_<UTC timestamp>.jsonl} in an output directory, and keeps its checkpoint, with the file and byte
 * offset it covers, in {@code pg_flo_file_last_lsn.json} in a status directory.
 *
 * <p>Exactly once across crashes: a batch whose checkpoint moves is written, forced to disk, and only then recorded
 * as (checkpoint, file, offset). Forcing and recording run on a thread of their own ({@link CheckpointSyncer}) while
 * the next batch is encoded; {@link #lastCheckpoint()} moves when they are done, and {@link #flush()} waits for them. On start, the checkpointed file is truncated back to that offset and files newer than
 * it are deleted: whatever they held was written after the checkpoint, and the source delivers it again. A batch cut
 * inside a transaction does not move the checkpoint, so its events stay past the recorded offset until the
 * transaction's last batch is written.
 *
 * <p>Rotation (by size or age) happens only between batches and only when the saved checkpoint covers the whole
 * current file (the sink waits for that), so a rotated file holds whole transactions, ends with a line end, is durable, and is never written
 * again. A file may therefore pass the size limit by up to one batch, or by the rest of a transaction larger than a
 * batch. With compression on, rotated files are gzipped in the background.
 *
 * <p>Used from one thread, as every {@link Sink}. The output directory belongs to one stream.
 */
public final class FileSink implements Sink {
    private static final Logger log = LoggerFactory.getLogger(FileSink.class);
    /** Between the JSON generator's buffer and the file: one write call for this many bytes. */
    private static final int BUFFER_BYTES = 1 << 18;

    private final FileSinkConfig config;
    private final LogDirectory directory;
    private final FileSinkCheckpoint checkpoints;
    private final RotatedFileCompressor compressor;

    /** The newest file name in the directory: a new file's name is always newer. */
    private LogFileName newestName;
    private LogFileName currentName;
    private Path currentPath;
    private FileChannel channel;
    private JsonLinesWriter writer;
    /** The file's length when {@link #writer} was created on it. */
    private long baseOffset;
    /** When the current file is due for rotation by age, in {@link java.time.Clock#millis()}. */
    private long rotateAtMillis;

    /** The checkpoint of the last batch written that moved it (durable, or handed to the syncer). */
    private Position writtenCheckpoint;
    /** How much of the current file {@link #writtenCheckpoint} covers. */
    private long coveredLength;
    private CheckpointSyncer syncer;
    private String failure;
    private boolean closed;

    /**
     * Prepares the output directory and resumes from the saved checkpoint: truncates the checkpointed file to the
     * checkpoint's offset, deletes newer files, finishes interrupted compressions, and continues that file (or starts
     * the next, if it is due for rotation).
     *
     * @throws ConfigurationException with a one-line message when the output or status directory cannot be used, the
     *     status file is corrupt, or the files do not match it
     */
    public FileSink(FileSinkConfig config) {
        this(config, BatchCompletionListener.NONE);
    }

    /** A sink that tells {@code completions} each time its checkpoint is made durable (or that failed). */
    public FileSink(FileSinkConfig config, BatchCompletionListener completions) {
        this.config = requireNonNull(config, "config is null");
        requireNonNull(completions, "completions is null");
        this.directory = LogDirectory.open(config.outputDir(), config.fileMode());
        this.checkpoints = new FileSinkCheckpoint(config.statusFile());
        Optional<Saved> saved = checkpoints.load();
        this.compressor = config.compress() ? new RotatedFileCompressor(directory) : null;
        try {
            List<Entry> entries = directory.list();
            Saved start = saved.isPresent() ? resume(saved.get(), entries) : startFresh(entries);
            writtenCheckpoint = start.checkpoint();
            coveredLength = start.offset();
            syncer = new CheckpointSyncer(checkpoints, start, "pg_flo-file-sync", completions);
            rotateIfDue();
        } catch (IOException e) {
            release();
            throw new ConfigurationException("cannot prepare --output-dir " + directory + " (" + describe(e)
                    + "); check that it is a writable directory with free space", e);
        } catch (IllegalStateException e) {
            release();
            throw new ConfigurationException(e.getMessage(), e);
        } catch (RuntimeException e) {
            release();
            throw e;
        }
        log.info("writing {} from checkpoint {} at byte {}", currentPath, writtenCheckpoint, coveredLength);
    }

    @Override
    public Position lastCheckpoint() {
        return syncer.durable().checkpoint();
    }

    /**
     * Appends the batch's events; if its checkpoint is newer than the last one, hands the file to the syncer, which
     * forces it to disk and then saves the checkpoint with the file and offset; rotates when the file is due.
     *
     * @throws UncheckedIOException naming the file and LSNs when the file cannot be written or forced (disk full), or
     *     {@link IllegalStateException} when the checkpoint cannot be saved (this batch's, or an earlier one's that the
     *     syncer was making durable); the checkpoint then stays where it was, and the sink accepts no more batches
     */
    @Override
    public void writeBatch(Batch batch) {
        requireNonNull(batch, "batch is null");
        ensureUsable();
        Position target = batch.checkpoint();
        boolean advances = target.isAfter(writtenCheckpoint);
        try {
            rotateIfDue();
        } catch (IOException | IllegalStateException | UncheckedIOException e) {
            throw fail("cannot rotate " + currentPath + " (" + describe(e) + "): the batch up to " + target
                    + " is not written; the checkpoint stays at " + lastCheckpoint(), e);
        }
        long length;
        try {
            List<ChangeEvent> events = batch.events();
            for (int i = 0, n = events.size(); i < n; i++) {
                writer.write(events.get(i));
            }
            writer.flush();
            length = baseOffset + writer.bytesWritten();
        } catch (IOException e) {
            throw fail("cannot write " + currentPath + " (" + describe(e) + "): the batch up to " + target
                    + " is not checkpointed; the checkpoint stays at " + lastCheckpoint() + " and a restart streams the rest again", e);
        }
        if (!advances) {
            // A provisional part of a transaction: nothing becomes durable, a restart truncates this and streams it again.
            return;
        }
        try {
            syncer.submit(new CheckpointSyncer.Request(channel, currentPath, new Saved(target, currentName, length)));
        } catch (RuntimeException e) {
            failure = e.getMessage();
            throw e;
        }
        writtenCheckpoint = target;
        coveredLength = length;
        try {
            rotateIfDue();
        } catch (IOException | IllegalStateException | UncheckedIOException e) {
            throw fail("cannot rotate " + currentPath + " (" + describe(e) + "); checkpoint " + lastCheckpoint()
                    + " is saved and a restart continues from it", e);
        }
    }

    /** Waits until every batch written is on disk and checkpointed. */
    @Override
    public void flush() {
        ensureUsable();
        try {
            syncer.awaitDurable();
        } catch (RuntimeException e) {
            failure = e.getMessage();
            throw e;
        }
    }

    /**
     * Waits for background compressions, removes from the current file anything past the checkpoint (the events of a
     * transaction whose end had not arrived; the next run streams them again), and closes it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            syncer.awaitDurable();
        } catch (RuntimeException e) {
            log.warn("the last batches were not made durable ({}); the next run writes them again", e.getMessage());
        }
        syncer.close();
        Saved durable = syncer.durable();
        try {
            long size = channel.size();
            if (durable.file().equals(currentName) && size > durable.offset()) {
                channel.truncate(durable.offset());
                channel.force(false);
                log.info("removed {} bytes past checkpoint {} from {}: a transaction that had not ended; the next run "
                        + "writes it again", size - durable.offset(), durable.checkpoint(), currentPath.getFileName());
            }
        } catch (IOException e) {
            log.warn("cannot trim {} to its checkpoint at byte {} ({}); the next start does it", currentPath,
                    durable.offset(), describe(e));
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return "FileSink[" + directory + "]";
    }

    /** The current file, for tests and messages. */
    Path currentFile() {
        return currentPath;
    }

    /** Starts without a status file: a new file, newer than any already in the directory, which stays untouched. */
    private Saved startFresh(List<Entry> entries) throws IOException {
        if (!entries.isEmpty()) {
            newestName = entries.get(entries.size() - 1).name();
            log.info("no checkpoint in {}: starting a new file; the {} files already in {} are left as they are",
                    checkpoints.path(), entries.size(), directory);
        }
        LogFileName name = nextName();
        FileChannel created = createFile(name);
        startWriter(name, created, 0);
        // Named before anything is written to it, so that a crash before the first checkpoint empties it again.
        Saved start = new Saved(Position.START, name, 0);
        checkpoints.save(start);
        return start;
    }

    private Saved resume(Saved saved, List<Entry> entries) throws IOException {
        LogFileName current = saved.file();
        Path path = directory.resolve(current, Kind.JSONL);
        // The checkpointed file is checked before anything is deleted: files that do not match the status (another
        // stream's directory, a restored backup) stop the start, untouched.
        FileChannel opened = null;
        if (Files.exists(path)) {
            opened = FileChannel.open(path, StandardOpenOption.WRITE);
            long size = opened.size();
            if (size < saved.offset()) {
                closeQuietly(opened);
                throw new ConfigurationException("file " + path + " has " + size + " bytes, but checkpoint " + saved.checkpoint()
                        + " in " + checkpoints.path() + " covers " + saved.offset() + " of them: it was cut or replaced "
                        + "outside pg_flo; restore it, or delete the status file to restart from the replication slot's position");
            }
        } else if (saved.offset() > 0) {
            throw new ConfigurationException("file " + path + " is missing, but checkpoint " + saved.checkpoint() + " in "
                    + checkpoints.path() + " covers its first " + saved.offset() + " bytes: restore it (was --output-dir "
                    + "changed?), or delete the status file to restart from the replication slot's position");
        }
        try {
            deleteNewerThan(current, saved.checkpoint(), entries);
            finishCompressions(entries, current);
            newestName = current;
            if (opened == null) {
                opened = createFile(current);
            } else {
                truncateToCheckpoint(opened, path, saved);
            }
            startWriter(current, opened, saved.offset());
            return saved;
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
    }

    /** Deletes what was written after the checkpoint: files newer than its file, and a stray compression of that file. */
    private void deleteNewerThan(LogFileName current, Position lsn, List<Entry> entries) throws IOException {
        boolean changed = false;
        for (Entry entry : entries) {
            boolean newer = entry.name().compareTo(current) > 0;
            boolean strayTemporary = entry.name().equals(current) && entry.kind() == Kind.GZ_TEMP;
            if (newer || strayTemporary) {
                Path path = directory.resolve(entry.name(), entry.kind());
                Files.deleteIfExists(path);
                changed = true;
                if (newer) {
                    log.warn("deleted {}: it was written after checkpoint {}, whose events are streamed again",
                            path.getFileName(), lsn);
                }
            }
        }
        if (changed) {
            directory.force();
        }
    }

    private void truncateToCheckpoint(FileChannel file, Path path, Saved saved) throws IOException {
        long size = file.size();
        if (size > saved.offset()) {
            file.truncate(saved.offset());
            file.force(false);
            log.warn("truncated {} from {} to {} bytes, the end of checkpoint {}: the rest was written after it, and its "
                    + "events are streamed again", path.getFileName(), size, saved.offset(), saved.checkpoint());
        }
    }

    /**
     * For the files older than {@code current}: deletes interrupted compressions' temporary files,
     * deletes a {@code .jsonl} whose {@code .jsonl.gz} is complete, and with compression on compresses the rest.
     */
    private void finishCompressions(List<Entry> entries, LogFileName current) throws IOException {
        Map<LogFileName, EnumSet<Kind>> kinds = new TreeMap<>();
        for (Entry entry : entries) {
            if (entry.name().compareTo(current) < 0) {
                kinds.computeIfAbsent(entry.name(), name -> EnumSet.noneOf(Kind.class)).add(entry.kind());
            }
        }
        boolean changed = false;
        for (Map.Entry<LogFileName, EnumSet<Kind>> file : kinds.entrySet()) {
            LogFileName name = file.getKey();
            EnumSet<Kind> present = file.getValue();
            if (present.contains(Kind.GZ_TEMP)) {
                Files.deleteIfExists(directory.resolve(name, Kind.GZ_TEMP));
                changed = true;
            }
            if (present.contains(Kind.JSONL) && present.contains(Kind.GZ)) {
                Files.deleteIfExists(directory.resolve(name, Kind.JSONL));
                changed = true;
                log.info("finished the gzip of {}", name.fileName(Kind.GZ));
            } else if (present.contains(Kind.JSONL) && compressor != null) {
                compressor.submit(name);
            }
        }
        if (changed) {
            directory.force();
        }
    }

    private void rotateIfDue() throws IOException {
        long length = baseOffset + writer.bytesWritten();
        if (length == 0 || length != coveredLength || !writtenCheckpoint.wholeTransaction()) {
            // Empty, or holding part of a transaction: a transaction is never split across files, so that a reader of
            // one closed file sees whole transactions.
            return;
        }
        if (length < config.maxFileSize() && config.clock().millis() < rotateAtMillis) {
            return;
        }
        syncer.awaitDurable();
        rotate(length);
    }

    /** Closes the current file, which the saved checkpoint covers entirely (and is durable), and continues in a new one. */
    private void rotate(long length) throws IOException {
        LogFileName previous = currentName;
        LogFileName next = nextName();
        FileChannel created = createFile(next);
        Saved start = new Saved(writtenCheckpoint, next, 0);
        try {
            checkpoints.save(start);
            syncer.saved(start);
        } catch (RuntimeException e) {
            closeQuietly(created);
            deleteQuietly(directory.resolve(next, Kind.JSONL));
            throw e;
        }
        FileChannel full = channel;
        startWriter(next, created, 0);
        coveredLength = 0;
        // Forced and covered by checkpoints already: nothing is left in the old writer's buffers to lose.
        closeQuietly(full);
        log.info("rotated {} at {} bytes; now writing {}", previous, length, next);
        if (compressor != null) {
            compressor.submit(previous);
        }
    }

    private LogFileName nextName() {
        LogFileName name = LogFileName.at(config.clock().instant());
        if (newestName != null && name.compareTo(newestName) <= 0) {
            name = newestName.next();
        }
        newestName = name;
        return name;
    }

    /** Creates an empty file, with the configured mode, and makes its name durable. */
    private FileChannel createFile(LogFileName name) throws IOException {
        FileChannel created = directory.create(name, Kind.JSONL);
        try {
            directory.force();
        } catch (IOException e) {
            closeQuietly(created);
            throw e;
        }
        return created;
    }

    private void startWriter(LogFileName name, FileChannel file, long offset) throws IOException {
        file.position(offset);
        currentName = name;
        currentPath = directory.resolve(name, Kind.JSONL);
        channel = file;
        writer = new JsonLinesWriter(new BufferedOutputStream(Channels.newOutputStream(file), BUFFER_BYTES));
        baseOffset = offset;
        try {
            rotateAtMillis = name.startedAt().plus(config.maxFileAge()).toEpochMilli();
        } catch (ArithmeticException | DateTimeException e) {
            rotateAtMillis = Long.MAX_VALUE;
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException("file sink in " + directory + " is closed");
        }
        if (failure != null) {
            throw new IllegalStateException("file sink stopped after an earlier failure (" + failure
                    + "); restart it to resume from checkpoint " + lastCheckpoint());
        }
    }

    private RuntimeException fail(String message, Exception cause) {
        failure = message;
        return cause instanceof IOException io ? new UncheckedIOException(message, io) : new IllegalStateException(message, cause);
    }

    /** Closes the file without flushing what is buffered (nothing past the checkpoint needs to reach it). */
    private void release() {
        if (syncer != null) {
            syncer.close();
        }
        closeQuietly(channel);
        if (compressor != null) {
            compressor.close();
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A file newer than the checkpoint's: the next start deletes it.
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing after a failure or a truncation: nothing more to save.
        }
    }

    /** An exception as one line: its kind and message. */
    static String describe(Exception e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message;
    }
}
