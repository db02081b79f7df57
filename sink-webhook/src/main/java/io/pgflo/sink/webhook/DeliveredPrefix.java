package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Which events of one batch got a 2xx, and how far from the batch's start every event did: a bit per event, set by
 * the lanes as their requests succeed, and a pointer past the longest delivered prefix, which only moves forward.
 * Lock-free and O(1) amortized per event: a lane sets its bits, then moves the pointer over set bits a word at a time;
 * whichever lane sets the bit the pointer waits on moves it on, so no progress is lost between lanes.
 *
 * <p>{@link #resumePoint()} turns the prefix into a checkpoint the stream can resume from: the position of the last
 * delivered event, inside its transaction. A restart delivers that transaction's later events, and nothing before.
 */
final class DeliveredPrefix {
    private static final VarHandle BITS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle PREFIX;

    static {
        try {
            PREFIX = MethodHandles.lookup().findVarHandle(DeliveredPrefix.class, "prefix", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final List<ChangeEvent> events;
    private final int size;
    private final long[] bits;
    /** Events {@code [0, prefix)} are delivered; moved only by compare-and-set through {@link #PREFIX}. */
    private volatile int prefix;

    /** @param events the batch, with constant-time {@code get} */
    DeliveredPrefix(List<ChangeEvent> events) {
        this.events = events;
        this.size = events.size();
        this.bits = new long[(size + 63) >>> 6];
    }

    /** Records entries {@code i..j} of {@code run} as delivered (their request got a 2xx). Any thread. */
    void delivered(Run run, int i, int j) {
        for (int k = i; k < j; k++) {
            int position = run.position(k);
            BITS.getAndBitwiseOr(bits, position >>> 6, 1L << position);
        }
        advance();
    }

    /** The length of the delivered prefix. */
    int length() {
        return prefix;
    }

    boolean complete() {
        return prefix == size;
    }

    /**
     * Where a restart may resume so as to repeat nothing delivered: the position of the prefix's last event. Null when
     * nothing is delivered yet (the checkpoint before the batch says as much), when the whole batch is (the batch's own
     * checkpoint says more), and for a provisional event, whose commit is not known yet.
     */
    Position resumePoint() {
        int length = prefix;
        if (length == 0 || length >= size) {
            return null;
        }
        ChangeEvent last = events.get(length - 1);
        return last.provisional() ? null : last.position();
    }

    private void advance() {
        int from = prefix;
        while (from < size) {
            int to = firstUndelivered(from);
            if (to == from) {
                return;
            }
            from = PREFIX.compareAndSet(this, from, to) ? to : prefix;
        }
    }

    private int firstUndelivered(int from) {
        int word = from >>> 6;
        long undelivered = ~(long) BITS.getVolatile(bits, word) & (-1L << from);
        while (undelivered == 0) {
            if (++word == bits.length) {
                return size;
            }
            undelivered = ~(long) BITS.getVolatile(bits, word);
        }
        return Math.min(size, (word << 6) + Long.numberOfTrailingZeros(undelivered));
    }
}
