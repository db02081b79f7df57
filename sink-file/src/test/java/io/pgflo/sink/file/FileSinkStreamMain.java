package io.pgflo.sink.file;

import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.Pipeline;
import io.pgflo.wal.PostgresChangeSource;
import io.pgflo.wal.WalSourceConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A stream from one table to a {@link FileSink}, as the command line runs it, for {@link FileSinkCrashIT} to kill:
 * SIGKILL stops it anywhere; SIGTERM stops the pipeline cleanly (a shutdown hook) and waits for it.
 *
 * <p>Arguments: host port database group table status-dir output-dir max-file-size batch-size compress.
 * The password comes from {@code PGFLO_PASSWORD}.
 */
public final class FileSinkStreamMain {
    static final String READY = "file sink stream ready";

    private FileSinkStreamMain() {}

    public static void main(String[] args) throws Exception {
        DatabaseEndpoint endpoint = new DatabaseEndpoint(args[0], Integer.parseInt(args[1]), args[2], "postgres",
                System.getenv("PGFLO_PASSWORD"), null, null);
        WalSourceConfig wal = WalSourceConfig.of(endpoint, args[3], "public", List.of(args[4]))
                .withHeartbeatInterval(Duration.ZERO);
        FileSinkConfig config = FileSinkConfig.of(Path.of(args[6]), Path.of(args[5]))
                .withMaxFileSize(Long.parseLong(args[7]))
                .withCompress(Boolean.parseBoolean(args[9]));
        PostgresChangeSource source = PostgresChangeSource.open(wal);
        FileSink sink = new FileSink(config);
        Pipeline pipeline = new Pipeline(source, sink, new BatchPolicy(Integer.parseInt(args[8]), Duration.ofMillis(50)));
        CountDownLatch finished = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            pipeline.stop();
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stop-pipeline"));
        try {
            System.out.println(READY + " from checkpoint " + sink.lastCheckpoint());
            System.out.flush();
            pipeline.run();
            System.out.println("stopped at checkpoint " + sink.lastCheckpoint() + " after " + pipeline.stats().eventsWritten()
                    + " events");
        } finally {
            sink.close();
            source.close();
            finished.countDown();
        }
    }
}
