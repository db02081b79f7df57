package io.pgflo.sink.webhook;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Call;

/**
 * Stops the other lanes when one fails, or the sink closes: no new requests, in-flight calls cancelled, retry waits
 * interrupted. Lanes register their thread and their current call while they work. One per sink with several lanes
 * (a failure ends the sink), one per batch with one lane.
 */
final class DeliveryAbort {
    /** Thrown in a lane that stopped because of the abort; carries nothing, the real failure is elsewhere. */
    static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Aborted() {
            super("stopped because another lane failed", null, false, false);
        }
    }

    private final Set<Call> calls = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean triggered;

    boolean triggered() {
        return triggered;
    }

    void trigger() {
        triggered = true;
        calls.forEach(Call::cancel);
        threads.forEach(Thread::interrupt);
    }

    /** Registers the current thread as working for this segment. */
    void enter() {
        threads.add(Thread.currentThread());
    }

    /** Unregisters the current thread and clears an interrupt the abort may have sent it. */
    void exit() {
        threads.remove(Thread.currentThread());
        Thread.interrupted();
    }

    /** Registers a call about to run; false (and not registered) when the abort already happened. */
    boolean register(Call call) {
        calls.add(call);
        if (triggered) {
            calls.remove(call);
            return false;
        }
        return true;
    }

    void unregister(Call call) {
        calls.remove(call);
    }
}
