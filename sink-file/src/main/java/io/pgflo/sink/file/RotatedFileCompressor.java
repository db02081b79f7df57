package io.pgflo.sink.file;

import io.pgflo.sink.file.LogFileName.Kind;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gzips rotated files on a background thread, so that streaming does not wait for it, crash-safely:
 * {@code X.jsonl} is compressed to {@code X.jsonl.gz.tmp}, which is forced to disk and renamed to {@code X.jsonl.gz};
 * only then is {@code X.jsonl} deleted. A crash leaves either a temporary file (deleted and redone on the next start)
 * or both {@code X.jsonl} and a complete {@code X.jsonl.gz} (the next start deletes {@code X.jsonl}). The
 * {@code .jsonl.gz} has the configured file mode, like every file the sink writes.
 *
 * <p>Only files the checkpoint has moved past are handed here, so nothing else touches them.
 */
final class RotatedFileCompressor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RotatedFileCompressor.class);
    private static final int BUFFER_BYTES = 1 << 16;

    private final LogDirectory directory;
    private final ExecutorService executor;

    RotatedFileCompressor(LogDirectory directory) {
        this.directory = directory;
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-file-compress");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Compresses {@code name} in the background; a failure is logged and the next start tries again. */
    void submit(LogFileName name) {
        executor.execute(() -> {
            try {
                compress(directory, name);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot gzip {} ({}): it stays uncompressed, and the next start tries again",
                        directory.resolve(name, Kind.JSONL), FileSink.describe(e));
            }
        });
    }

    /** Compresses {@code X.jsonl} to {@code X.jsonl.gz} and deletes it, on the calling thread. */
    static void compress(LogDirectory directory, LogFileName name) throws IOException {
        Path source = directory.resolve(name, Kind.JSONL);
        Path temporary = directory.resolve(name, Kind.GZ_TEMP);
        Path target = directory.resolve(name, Kind.GZ);
        long started = System.nanoTime();
        long size;
        // Made anew, not reused: an interrupted run's temporary file may have a wider mode, which the rename would keep.
        Files.deleteIfExists(temporary);
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = directory.create(name, Kind.GZ_TEMP)) {
            size = in.size();
            InputStream input = Channels.newInputStream(in);
            // The gzip stream's close must not close the channel, which is forced after it.
            try (GZIPOutputStream gzip = new GZIPOutputStream(
                    new BufferedOutputStream(nonClosing(Channels.newOutputStream(out)), BUFFER_BYTES), BUFFER_BYTES)) {
                byte[] buffer = new byte[BUFFER_BYTES];
                for (int read; (read = input.read(buffer)) >= 0; ) {
                    gzip.write(buffer, 0, read);
                }
            }
            out.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        directory.force();
        Files.delete(source);
        directory.force();
        log.info("gzipped {} ({} bytes) in {} ms", target.getFileName(), size, (System.nanoTime() - started) / 1_000_000);
    }

    /** Waits for the compressions handed over so far. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.MINUTES)) {
                log.warn("gzip of rotated files still running after 10 minutes; the next start finishes it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while waiting for the gzip of rotated files; the next start finishes it");
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
            }
        };
    }
}
