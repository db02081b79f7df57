package io.pgflo.cli;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task at a fixed interval on a daemon thread of its own (none for a zero interval), until closed. An Error
 * in the task goes to the thread's uncaught-exception handler, as a thread's own would: the scheduler would keep it in
 * a future nobody reads and stop running the task in silence (pg_flo's handler ends the process on an OutOfMemoryError).
 */
final class EveryInterval implements AutoCloseable {
    private final ScheduledExecutorService scheduler;

    EveryInterval(String threadName, Duration interval, Runnable task) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        if (!interval.isZero()) {
            scheduler.scheduleAtFixedRate(() -> run(task), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (Error e) {
            Thread thread = Thread.currentThread();
            thread.getUncaughtExceptionHandler().uncaughtException(thread, e);
            throw e;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
