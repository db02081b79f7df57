package io.pgflo.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.pgflo.domain.ChangeSource;
import io.pgflo.domain.Pipeline;
import io.pgflo.domain.Sink;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one stream until it is stopped (SIGTERM, SIGINT, or {@link #stop()}) or fails. A stop writes and checkpoints
 * the committed changes held, acknowledges them to the slot, and exits 0; if that takes longer than
 * {@code --stop-timeout}, the process halts with status 1 and the next run resumes from the last checkpoint.
 */
final class StreamRunner {
    private static final Logger log = LoggerFactory.getLogger(StreamRunner.class);

    private final SourceOptions options;
    private final SelectedSink selected;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile Pipeline pipeline;
    private volatile boolean stopRequested;
    private volatile boolean succeeded;

    StreamRunner(SourceOptions options, SelectedSink selected) {
        this.options = options;
        this.selected = selected;
    }

    /** Builds and runs the stream on the calling thread; returns when it ends. Exceptions carry the reason. */
    void run() throws InterruptedException {
        Injector injector;
        ChangeSource source = null;
        Sink sink = null;
        try {
            injector = Guice.createInjector(new StreamModule(options, selected));
            source = injector.getInstance(ChangeSource.class);
            sink = injector.getInstance(Sink.class);
            pipeline = injector.getInstance(Pipeline.class);
            if (stopRequested) {
                return;
            }
            try (ProgressReporter ignored = new ProgressReporter(pipeline.stats(), Duration.ofSeconds(options.progressSeconds))) {
                pipeline.run();
            }
            log.info("stopped cleanly at checkpoint {} after {} events", pipeline.stats().checkpoint(),
                    pipeline.stats().eventsWritten());
            succeeded = true;
        } catch (ProvisionException e) {
            throw unwrap(e);
        } finally {
            closeQuietly(sink);
            closeQuietly(source);
            finished.countDown();
        }
    }

    /** Whether {@link #run()} returned after a clean stop. */
    boolean succeeded() {
        return succeeded;
    }

    /** Asks the stream to stop; returns at once. A watchdog halts the process if the stop takes too long. */
    void stop() {
        stopRequested = true;
        Pipeline current = pipeline;
        if (current != null) {
            current.stop();
        }
        Thread watchdog = new Thread(() -> {
            try {
                if (!finished.await(options.stopTimeoutSeconds, TimeUnit.SECONDS)) {
                    log.error("stop did not finish within --stop-timeout {}s; exiting without a final checkpoint "
                            + "(the next run resumes from the last one)", options.stopTimeoutSeconds);
                    Runtime.getRuntime().halt(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pg_flo-stop-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static RuntimeException unwrap(ProvisionException e) {
        Throwable cause = e;
        while (cause instanceof ProvisionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        return e;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            log.warn("closing {}: {}", closeable.getClass().getSimpleName(), e.getMessage());
        }
    }
}
