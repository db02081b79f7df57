package io.pgflo.plugintestkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A pg_flo process started by {@link PgFloRun}. Every wait fails the test (an {@link AssertionError} carrying the end of
 * pg_flo's log) when the process exits first or the run's timeout passes. Close it, with try-with-resources: a process
 * still running is then killed, so a failed test leaves no JVM behind.
 */
public final class PgFloProcess implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int TAIL = 4000;

    private final Process process;
    private final String description;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final Slot slot;
    private final Duration timeout;

    PgFloProcess(Process process, String description, Path stdoutFile, Path stderrFile, Slot slot, Duration timeout) {
        this.process = process;
        this.description = description;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.slot = slot;
        this.timeout = timeout;
    }

    /**
     * Waits until pg_flo streams: the group's slot exists and a walsender serves it. Changes committed from then on
     * reach the sink. (Right after a restart the previous process's walsender may still hold the slot for a moment;
     * {@link #awaitCaughtUp()} is what tells that the new one has delivered.)
     */
    public void awaitStreaming() {
        Slot streamed = streamSlot();
        await("the slot " + streamed.name() + " to be streamed from", streamed::isStreamed);
    }

    /**
     * Waits until the sink has made durable every transaction committed before this call: pg_flo confirms a position to
     * PostgreSQL only when the sink's checkpoint covers it. Then the sink's output can be checked.
     */
    public void awaitCaughtUp() {
        Slot streamed = streamSlot();
        String end = streamed.currentWalEnd();
        await("pg_flo to confirm " + end + " on the slot " + streamed.name(), () -> streamed.hasConfirmed(end));
    }

    /** Waits until {@code text} appears in pg_flo's log (its stderr, where the plugin's SLF4J lines go too). */
    public void awaitLog(String text) {
        await("'" + text + "' in the log", () -> stderr().contains(text));
    }

    /**
     * Waits until {@code condition} holds, checking every 100 ms; {@code what} names it in the failure. An exception
     * from the condition fails the wait at once.
     */
    public void await(String what, Callable<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            boolean alive = process.isAlive();
            // Checked after reading the state: a condition met just before the exit (a last log line) still counts.
            if (holds(condition, what)) {
                return;
            }
            if (!alive) {
                throw failure(this + " exited with status " + process.exitValue() + " while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                throw failure("waited " + timeout.toSeconds() + " s for " + what + " from " + this);
            }
            sleep(POLL);
        }
    }

    /** Waits for the process to end on its own (a command, or a stream that fails) and returns its exit status. */
    public int awaitExit() {
        if (!waitFor(timeout)) {
            throw failure(this + " still runs after " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /**
     * Stops pg_flo as a supervisor does, with SIGTERM: it writes what is committed, closes the sink and exits. Returns
     * the exit status, 0 for a clean stop. A process that does not exit in time is killed, and the test fails.
     */
    public int stop() {
        process.destroy();
        if (!waitFor(timeout)) {
            process.destroyForcibly();
            waitFor(timeout);
            throw failure(this + " did not stop within " + timeout.toSeconds() + " s of SIGTERM; killed it");
        }
        return process.exitValue();
    }

    /**
     * Kills pg_flo with SIGKILL, as a crash or the OOM killer would: nothing is flushed, no shutdown hook runs, the
     * sink is not closed. Returns the exit status, 137 unless the process had exited already.
     */
    public int kill() {
        process.destroyForcibly();
        if (!waitFor(timeout)) {
            throw failure(this + " survived SIGKILL for " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Everything pg_flo wrote to stdout so far (the output of a command; empty for a plugin sink's stream). */
    public String stdout() {
        return read(stdoutFile);
    }

    /** Everything pg_flo wrote to stderr so far: its log, and its error messages. */
    public String stderr() {
        return read(stderrFile);
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return description + " (pid " + process.pid() + ")";
    }

    private Slot streamSlot() {
        if (slot == null) {
            throw new IllegalStateException(this + " is not a stream: start it with PgFloRun.start()");
        }
        return slot;
    }

    private boolean waitFor(Duration duration) {
        try {
            return process.waitFor(duration.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + this, e);
        }
    }

    private boolean holds(Callable<Boolean> condition, String what) {
        try {
            return Boolean.TRUE.equals(condition.call());
        } catch (Exception e) {
            throw failure("checking " + what + " failed: " + e, e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private AssertionError failure(String message) {
        return failure(message, null);
    }

    private AssertionError failure(String message, Throwable cause) {
        String log = stderr();
        String tail = log.length() <= TAIL ? log : "..." + log.substring(log.length() - TAIL);
        return new AssertionError(message + "\n--- pg_flo's stderr (" + stderrFile + ")\n" + tail, cause);
    }

    private static String read(Path file) {
        try {
            // Not Files.readString: it throws on a character the process is halfway through writing.
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
