package io.pgflo.cli;

import io.pgflo.sink.api.ConfigurationException;
import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream run as the command's own work: SIGTERM and SIGINT stop it, and how it ended becomes the exit status, with
 * one line on stderr unless it stopped cleanly.
 */
final class ForegroundStream {
    private static final Logger log = LoggerFactory.getLogger("pg_flo");

    private ForegroundStream() {}

    static int run(StreamRunner runner, PrintStream err) {
        try (SignalHandlers ignored = SignalHandlers.stopping(runner::stop)) {
            return runUntilStopped(runner, err);
        }
    }

    private static int runUntilStopped(StreamRunner runner, PrintStream err) {
        try {
            runner.run();
            return ExitCode.OK;
        } catch (ConfigurationException | IllegalArgumentException e) {
            if (runner.streamed() && !(e instanceof ConfigurationException)) {
                // Thrown while streaming, so not about the flags: a failure like any other.
                log.debug("stream failed", e);
                err.println("pg_flo: stream failed: " + ErrorMessages.oneLine(ErrorMessages.rootMessage(e)));
                return ExitCode.FAILED;
            }
            err.println("pg_flo: " + ErrorMessages.oneLine(e.getMessage()));
            return ExitCode.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("pg_flo: interrupted");
            return ExitCode.FAILED;
        } catch (RuntimeException e) {
            log.debug("stream failed", e);
            err.println("pg_flo: stream failed: " + ErrorMessages.oneLine(ErrorMessages.rootMessage(e)));
            return ExitCode.FAILED;
        }
    }
}
