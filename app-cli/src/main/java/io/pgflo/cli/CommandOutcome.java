package io.pgflo.cli;

import io.pgflo.sink.api.ConfigurationException;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a command's work ended, as its exit status, with one line on stderr unless it ended cleanly: bad input
 * ({@link ConfigurationException}, and {@link IllegalArgumentException} before the work got going) is status 2,
 * anything else status 1. One mapping for {@code stream}, {@code worker}, {@code backfill}, {@code status} and
 * {@code drop}.
 */
final class CommandOutcome {
    private static final Logger log = LoggerFactory.getLogger("pg_flo");

    /** The command's work. */
    @FunctionalInterface
    interface Work {
        void run() throws InterruptedException;
    }

    private CommandOutcome() {}

    /**
     * @param what names the work in the line about its failure: {@code stream} gives "pg_flo: stream failed: ..."
     * @param started whether the work got going (a stream streamed): an {@link IllegalArgumentException} thrown after
     *     that is not about the input
     */
    static int of(String what, Work work, BooleanSupplier started, PrintStream err) {
        try {
            work.run();
            return ExitCode.OK;
        } catch (ConfigurationException e) {
            err.println("pg_flo: " + ErrorMessages.oneLine(e.getMessage()));
            return ExitCode.USAGE;
        } catch (IllegalArgumentException e) {
            if (started.getAsBoolean()) {
                return failed(what, e, err);
            }
            err.println("pg_flo: " + ErrorMessages.oneLine(e.getMessage()));
            return ExitCode.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pg_flo: interrupted");
            return ExitCode.FAILED;
        } catch (RuntimeException e) {
            return failed(what, e, err);
        }
    }

    private static int failed(String what, RuntimeException e, PrintStream err) {
        log.debug("{} failed", what, e);
        err.println("pg_flo: " + what + " failed: " + ErrorMessages.oneLine(ErrorMessages.rootMessage(e)));
        return ExitCode.FAILED;
    }
}
