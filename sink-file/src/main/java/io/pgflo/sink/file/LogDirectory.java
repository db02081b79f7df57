package io.pgflo.sink.file;

import io.pgflo.domain.ConfigurationException;
import io.pgflo.sink.file.LogFileName.Entry;
import io.pgflo.sink.file.LogFileName.Kind;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The output directory: where the log files are, which of its files are ours, and making its entries durable. */
final class LogDirectory {
    private static final Comparator<Entry> ORDER =
            Comparator.comparing(Entry::name).thenComparing(Entry::kind);

    private final Path path;

    private LogDirectory(Path path) {
        this.path = path;
    }

    /** Creates the directory when missing; a one-line {@link ConfigurationException} when it cannot be used. */
    static LogDirectory open(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new ConfigurationException("--output-dir " + absolute + " is a file, not a directory; choose a directory");
        }
        try {
            Files.createDirectories(absolute);
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
        return new LogDirectory(absolute);
    }

    Path path() {
        return path;
    }

    Path resolve(LogFileName name, Kind kind) {
        return path.resolve(name.fileName(kind));
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
