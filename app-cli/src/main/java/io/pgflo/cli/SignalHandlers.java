package io.pgflo.cli;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT handlers that stop a stream, in place until closed. Closing puts back the handlers that were
 * there before: a signal after the stream ended is not this stream's to handle (the launcher's training run executes
 * several commands in one JVM, and must stop at once on Ctrl-C).
 */
final class SignalHandlers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("pg_flo");

    private final List<Signal> signals = List.of(new Signal("TERM"), new Signal("INT"));
    private final List<SignalHandler> previous = new ArrayList<>();

    private SignalHandlers(Runnable stop) {
        for (Signal signal : signals) {
            previous.add(Signal.handle(signal, s -> {
                log.info("SIG{} received: writing what is committed, then stopping", s.getName());
                stop.run();
            }));
        }
    }

    /** Until {@link #close}, SIGTERM and SIGINT run {@code stop}, which must return at once. */
    static SignalHandlers stopping(Runnable stop) {
        return new SignalHandlers(stop);
    }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
