package io.pgflo.sink.file;

import io.pgflo.json.FileModes;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.file.LogFileName.Entry;
import io.pgflo.sink.file.LogFileName.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The output directory: where the log files are, which of its files are ours, creating them with the configured mode,
 * and making its entries durable.
 */
final class LogDirectory {
    private static final Comparator<Entry> ORDER =
            Comparator.comparing(Entry::name).thenComparing(Entry::kind);

    private final Path path;
    private final Set<PosixFilePermission> fileMode;

    private LogDirectory(Path path, Set<PosixFilePermission> fileMode) {
        this.path = path;
        this.fileMode = fileMode;
    }

    /**
     * Creates the directory, and its missing parents, when missing, with {@code fileMode} and execute where it gives
     * read; a one-line {@link ConfigurationException} when it cannot be used.
     */
    static LogDirectory open(Path directory, Set<PosixFilePermission> fileMode) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new ConfigurationException("--output-dir " + absolute + " is a file, not a directory; choose a directory");
        }
        try {
            FileModes.createDirectories(absolute, FileModes.directoryMode(fileMode));
        } catch (FileAlreadyExistsException e) {
            throw new ConfigurationException("cannot create --output-dir " + absolute + ": " + e.getFile()
                    + " is a file, not a directory; choose a writable directory", e);
        } catch (IOException e) {
            throw new ConfigurationException("cannot create --output-dir " + absolute + " (" + FileSink.describe(e)
                    + "); choose a writable directory", e);
        }
        if (!Files.isWritable(absolute)) {
            throw new ConfigurationException("--output-dir " + absolute + " is not writable; choose a writable directory");
        }
        return new LogDirectory(absolute, fileMode);
    }

    Path path() {
        return path;
    }

    Path resolve(LogFileName name, Kind kind) {
        return path.resolve(name.fileName(kind));
    }

    /** Creates a new, empty file, with the configured mode; {@link FileAlreadyExistsException} when it exists. */
    FileChannel create(LogFileName name, Kind kind) throws IOException {
        return FileModes.createFile(resolve(name, kind), fileMode);
    }

    /** Our files in the directory, oldest name first; other files are not ours and are never touched. */
    List<Entry> list() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(path, LogFileName.PREFIX + "*")) {
            for (Path file : files) {
                Optional<Entry> entry = LogFileName.parse(file.getFileName().toString());
                if (entry.isPresent() && Files.isRegularFile(file)) {
                    entries.add(entry.get());
                }
            }
        }
        entries.sort(ORDER);
        return entries;
    }

    /**
     * Makes creations, renames and deletions in the directory durable. Platforms that cannot open a directory
     * (Windows) need not, and are skipped.
     */
    void force() throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
