package io.pgflo.cli;

import java.io.PrintStream;

/**
 * A stream run as the command's own work: SIGTERM and SIGINT stop it, and how it ended becomes the exit status, with
 * one line on stderr unless it stopped cleanly ({@link CommandOutcome}).
 */
final class ForegroundStream {
    private ForegroundStream() {}

    static int run(StreamRunner runner, PrintStream err) {
        try (SignalHandlers ignored = SignalHandlers.stopping(runner::stop)) {
            return CommandOutcome.of("stream", runner::run, runner::streamed, err);
        }
    }
}
