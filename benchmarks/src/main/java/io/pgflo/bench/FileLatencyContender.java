package io.pgflo.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * pg_flo's file sink. A row is durable when the sink's checkpoint covers it: the status file names the current file
 * and the offset up to which it is forced to disk. A tail thread reads the checkpoint every millisecond and the bytes
 * it newly covers, and stamps their rows with the time it saw them.
 */
final class FileLatencyContender extends ArrivingLatencyContender {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Thread tail;
    private volatile boolean closed;
    private volatile String tailFailure = "";

    @Override
    public String id() {
        return "file";
    }

    @Override
    public void start(LatencyContext context) throws Exception {
        Path output = context.directory().resolve("output");
        Files.createDirectories(output);
        arrivals = new Arrivals(context.maxId());
        process = PgFloLatencyProcess.start(context, id(), "file", List.of("--output-dir", output.toString()), Map.of());
        tail = new Thread(() -> tail(context.directory().resolve("status"), output), "latency-file-tail");
        tail.setDaemon(true);
        tail.start();
        SlotWait.untilActive(context.source(), context.sourceDb(),
                PgFloLatencyProcess.slot(id()), this::failure);
    }

    private void tail(Path statusDirectory, Path output) {
        String file = null;
        long read = 0;
        try {
            while (!closed) {
                JsonNode status = readStatus(statusDirectory);
                if (status != null && status.hasNonNull("file") && status.hasNonNull("offset")) {
                    String current = status.get("file").asText();
                    long offset = Long.parseLong(status.get("offset").asText());
                    long now = Arrivals.nowMicros();
                    if (file != null && !file.equals(current)) {
                        readRange(output.resolve(file), read, Long.MAX_VALUE, now); // a rotated file is complete
                        read = 0;
                    }
                    file = current;
                    if (offset > read) {
                        readRange(output.resolve(file), read, offset, now);
                        read = offset;
                    }
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            tailFailure = "reading the file sink's output failed: " + e;
        }
    }

    private static JsonNode readStatus(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return null;
        }
        try (Stream<Path> files = Files.list(directory)) {
            Path status = files.filter(f -> f.getFileName().toString().endsWith(".json")).findFirst().orElse(null);
            if (status == null) {
                return null;
            }
            try {
                return JSON.readTree(Files.readAllBytes(status));
            } catch (IOException e) {
                return null; // replaced while read: the next poll reads the new one
            }
        }
    }

    private void readRange(Path file, long from, long to, long atMicros) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long end = Math.min(to, in.length());
            if (end <= from) {
                return;
            }
            byte[] bytes = new byte[Math.toIntExact(end - from)];
            in.seek(from);
            in.readFully(bytes);
            arrivals.arrivedIn(new String(bytes, StandardCharsets.UTF_8), atMicros);
        }
    }

    @Override
    public String failure() {
        return tailFailure.isEmpty() ? super.failure() : tailFailure;
    }

    @Override
    public void close() throws Exception {
        closed = true;
        if (tail != null) {
            tail.join(5_000);
        }
        if (process != null) {
            process.stop();
        }
    }
}
