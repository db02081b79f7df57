package io.pgflo.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.pgflo.domain.BackfillMerger;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.ChangeSource;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.domain.Pipeline;
import io.pgflo.domain.CopyStats;
import io.pgflo.metrics.Health;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.TransientSinkException;
import io.pgflo.wal.SlotInvalidatedException;
import io.pgflo.wal.SourceException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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
    private volatile CopyPhase copyPhase;
    private volatile Monitoring monitoring;
    private volatile boolean stopRequested;
    private volatile boolean succeeded;
    private volatile boolean streamedBefore;
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    StreamRunner(SourceOptions options, SelectedSink selected) {
        this.options = options;
        this.selected = selected;
    }

    /**
     * Builds and runs the stream on the calling thread; returns when it ends. Exceptions carry the reason.
     *
     * <p>Once the stream has run, losing the source (the server restarting, the connection cut) is survived: the
     * source and sink are built again and the stream resumes from the sink's checkpoint, after a back-off that doubles
     * up to 30 s, at most {@code --reconnect-attempts} times in a row; so is a sink's {@link TransientSinkException},
     * and a target that cannot be reached when the sink is built again. Failures before the first start (bad flags, a
     * missing table) and other sink failures are not retried here.
     */
    void run() throws InterruptedException {
        try (Monitoring started = Monitoring.start(options, selected.provider().name(), this::lagSeconds,
                this::copyStats)) {
            monitoring = started;
            runWithRetries();
        } finally {
            finished.countDown();
        }
    }

    /** The running pipeline's lag in seconds (see PipelineStats#lag); 0 before it runs. */
    private double lagSeconds() {
        Pipeline current = pipeline;
        return current == null ? 0 : current.stats().lag(java.time.Instant.now()).toNanos() / 1e9;
    }

    /** The running copy's figures, for the metrics; null without one. */
    private CopyStats copyStats() {
        CopyPhase copying = copyPhase;
        return copying == null ? null : copying.stats();
    }

    private void runWithRetries() throws InterruptedException {
        int attempts = 0;
        while (true) {
            Attempt attempt = new Attempt();
            try {
                runOnce(attempt);
                succeeded = !attempt.interruptedBeforeStart;
                return;
            } catch (RuntimeException e) {
                OutOfMemoryExit.exitIfCausedBy(e); // one in a stream's set-up: status 3, not a retry
                // After a first stream, the flags are known to be good: a source or target that cannot be
                // reached now is one that went away.
                boolean sourceLost = e instanceof SourceException
                        || (streamedBefore && !attempt.sinkOpened && e instanceof ConfigurationException
                                && !(e instanceof SlotInvalidatedException));
                boolean sinkLost = causedBy(e, TransientSinkException.class);
                if (!(sourceLost || sinkLost) || stopRequested || attempts >= options.reconnectAttempts) {
                    monitoring.failed(sourceLost ? "source" : sinkLost ? "sink" : "other");
                    throw e;
                }
                monitoring.retried(sinkLost ? "sink" : "source");
                if (attempt.streamed) {
                    attempts = 0;
                }
                attempts++;
                long delay = Math.min(30_000L, options.reconnectBackoffMillis * (1L << Math.min(attempts - 1, 16)));
                log.warn("{} lost ({}); reconnecting in {} ms, attempt {} of {}", sinkLost ? "sink's destination" : "source",
                        ErrorMessages.oneLine(e.getMessage()), delay, attempts, options.reconnectAttempts);
                monitoring.health().enter(Health.Phase.RECONNECTING, (sinkLost ? "sink's destination" : "source")
                        + " lost (" + ErrorMessages.oneLine(e.getMessage()) + ")");
                if (stopSignal.await(delay, TimeUnit.MILLISECONDS)) {
                    succeeded = true;
                    return;
                }
            }
        }
    }

    /** What one attempt got to, so that a failure can be judged. */
    private static final class Attempt {
        boolean sinkOpened;
        boolean streamed;
        boolean interruptedBeforeStart;
    }

    private void runOnce(Attempt attempt) throws InterruptedException {
        ChangeSource source = null;
        Sink sink = null;
        try {
            StartupWarmUp.awaitDone(); // the SCRAM cache in place before the first connection
            Injector injector = Guice.createInjector(new StreamModule(options, selected, streamedBefore,
                    monitoring.listener(), monitoring.delivery()), new ShapingModule(ShapingSettings.of(options)));
            ChangeShaper shaper = injector.getInstance(ChangeShaper.class); // checked before the source is touched
            source = injector.getInstance(ChangeSource.class);
            if (!options.copies()) {
                // The server starts decoding while the sink connects; the sink's checkpoint then says what to skip.
                // Outside the try below: a source failure here is retried, and the retry needs the slot it created.
                // (Not before a copy, which may take hours: the stream starts once it is done.)
                source.prepareToStart();
            }
            Pipeline current;
            try {
                sink = injector.getInstance(Sink.class);
                attempt.sinkOpened = true;
                current = injector.getInstance(Pipeline.class);
            } catch (RuntimeException e) {
                // A start that fails leaves the source as it found it: no slot holding WAL, no publication, no triggers.
                if (!streamedBefore) {
                    source.abandonIfNotStarted();
                }
                throw e;
            }
            if (options.copies() && !streamedBefore) {
                SinkContext context = injector.getInstance(SinkContext.class);
                CopyPhase phase = new CopyPhase(options, source, sink, context.tables(), context.statusDir(),
                        shaper, monitoring.listener());
                monitoring.health().enter(Health.Phase.COPYING, null);
                copyPhase = phase;
                boolean complete;
                try {
                    complete = !stopRequested && phase.run();
                } catch (RuntimeException e) {
                    // A copy that cannot run (a table it may not read, say) is bad input: the slot it made goes.
                    source.abandonIfNotStarted();
                    throw e;
                }
                if (!complete) {
                    attempt.interruptedBeforeStart = true;
                    return;
                }
                if (options.copyOnly) {
                    // Copy and exit: the slot and publication this run made are not needed, and a slot left behind
                    // would make the server keep WAL for a stream that never comes.
                    source.abandonIfNotStarted();
                    return;
                }
            }
            pipeline = current;
            if (stopRequested) {
                attempt.interruptedBeforeStart = !streamedBefore;
                return;
            }
            attempt.streamed = true;
            streamedBefore = true;
            monitoring.health().enter(Health.Phase.STREAMING, null);
            try (ProgressReporter ignored = new ProgressReporter(current.stats(), Duration.ofSeconds(options.progressSeconds));
                    BackfillThread backfills = BackfillThread.start(options, injector.getInstance(BackfillMerger.class),
                            current.stats()::checkpoint)) {
                OutOfMemoryExit.run(current); // current.run(), ending in status 3 on an OutOfMemoryError
            }
            try (MDC.MDCCloseable ignored = MDC.putCloseable("lsn", current.stats().checkpoint().lsn().toString())) {
                log.info("stopped cleanly at checkpoint {} after {} events in {} batches", current.stats().checkpoint(),
                        current.stats().eventsWritten(), current.stats().batchesWritten());
            }
        } catch (ProvisionException e) {
            throw unwrap(e);
        } finally {
            closeQuietly(sink);
            closeQuietly(source);
        }
    }

    private static boolean causedBy(Throwable error, Class<? extends Throwable> type) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the stream got as far as streaming; failures before that are bad input, after it are not. */
    boolean streamed() {
        return streamedBefore;
    }

    /** Whether {@link #run()} returned after a clean stop. */
    boolean succeeded() {
        return succeeded;
    }

    /** Asks the stream to stop; returns at once. A watchdog halts the process if the stop takes too long. */
    void stop() {
        stopRequested = true;
        Monitoring current0 = monitoring;
        if (current0 != null) {
            current0.health().enter(Health.Phase.STOPPING, null);
        }
        stopSignal.countDown();
        Pipeline current = pipeline;
        if (current != null) {
            current.stop();
        }
        CopyPhase copying = copyPhase;
        if (copying != null) {
            copying.stop();
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

    /** What a Guice provider threw, without Guice's wrapping. */
    static RuntimeException unwrap(ProvisionException e) {
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
