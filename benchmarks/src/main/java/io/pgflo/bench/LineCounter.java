package io.pgflo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Counts JSON lines (newline bytes) in a file, or in every regular file of a directory tree; gzip-aware. */
final class LineCounter {
    private LineCounter() {}

    static long count(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            byte[] buffer = new byte[1 << 16];
            long lines = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
            return lines;
        }
    }

    /** Lines in every regular file below {@code directory}, except hidden files and status or temporary files. */
    static long countTree(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("."))
                    .filter(file -> !file.getFileName().toString().endsWith(".tmp"))
                    .filter(file -> !file.getFileName().toString().contains("status"))
                    .toList();
        }
        long lines = 0;
        for (Path file : files) {
            lines += count(file);
        }
        return lines;
    }
}
