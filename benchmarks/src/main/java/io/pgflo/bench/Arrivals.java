package io.pgflo.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * When each row of the latency workload became durable in a sink, in microseconds since the epoch, by row id (ids
 * run from 1 without gaps). Written from any thread; the first arrival of an id counts.
 */
final class Arrivals {
    private final AtomicLongArray micros;
    private final LongAdder count = new LongAdder();

    Arrivals(long maxId) {
        micros = new AtomicLongArray(Math.toIntExact(maxId + 1));
    }

    static long nowMicros() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    }

    void arrived(long id, long atMicros) {
        if (id > 0 && id < micros.length() && micros.compareAndSet((int) id, 0, atMicros)) {
            count.increment();
        }
    }

    /** Every id in {@code text} after {@code "data":{"id":}, arrived at {@code atMicros}. */
    void arrivedIn(CharSequence text, long atMicros) {
        String marker = "\"data\":{\"id\":";
        String body = text.toString();
        for (int at = body.indexOf(marker); at >= 0; at = body.indexOf(marker, at + 1)) {
            long id = 0;
            for (int i = at + marker.length(); i < body.length() && Character.isDigit(body.charAt(i)); i++) {
                id = id * 10 + (body.charAt(i) - '0');
            }
            arrived(id, atMicros);
        }
    }

    long at(long id) {
        return micros.get((int) id);
    }

    long count() {
        return count.sum();
    }

    long countBetween(long first, long last) {
        long n = 0;
        for (long id = first; id <= last; id++) {
            if (micros.get((int) id) != 0) {
                n++;
            }
        }
        return n;
    }
}
