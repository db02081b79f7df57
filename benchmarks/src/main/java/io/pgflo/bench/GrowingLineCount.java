package io.pgflo.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON lines in the {@code .jsonl} files of a directory another process is writing, counted as they grow: each
 * call reads only the bytes added since the last one, so polling it every few milliseconds costs one pass over the
 * output in all.
 */
final class GrowingLineCount {
    private final Path directory;
    private final Map<Path, Long> read = new HashMap<>();
    private final byte[] buffer = new byte[1 << 16];
    private long lines;

    GrowingLineCount(Path directory) {
        this.directory = directory;
    }

    /** The lines written so far (a line counts once its newline is written). */
    long lines() throws IOException {
        if (!Files.isDirectory(directory)) {
            return lines;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".jsonl")).toList();
        }
        for (Path file : files) {
            long from = read.getOrDefault(file, 0L);
            try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
                in.seek(from);
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            lines++;
                        }
                    }
                    from += n;
                }
            } catch (java.io.FileNotFoundException e) {
                continue; // rotated and compressed meanwhile: its lines were counted before
            }
            read.put(file, from);
        }
        return lines;
    }
}
