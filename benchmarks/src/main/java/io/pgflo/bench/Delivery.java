package io.pgflo.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * What a contender delivered, checked after it stopped.
 *
 * @param events events counted at the destination, or null when not counted
 * @param ok false when the destination shows less (or other) than the workload
 * @param note what was checked, for the table
 */
record Delivery(Long events, boolean ok, String note) {
    static final Delivery NOT_CHECKED = new Delivery(null, true, "");

    static Delivery counted(long events, long expected, String what) {
        boolean ok = events == expected;
        return new Delivery(events, ok, ok ? "" : what + " " + events + " of " + expected + " events");
    }

    /**
     * For a sink that delivers at least once (Debezium's): every event of the workload arrived, told apart by its WAL
     * position, and nothing else; events that arrived again are counted and shown, not a failure.
     */
    static Delivery receivedAtLeastOnce(WebhookReceiver receiver, long expected) {
        long distinct = receiver.distinctPositions();
        long unpositioned = receiver.unpositionedEvents();
        if (distinct < 0) {
            return received(receiver, expected);
        }
        long again = receiver.events() - distinct - unpositioned;
        boolean ok = distinct == expected && unpositioned == 0;
        List<String> notes = new ArrayList<>();
        if (!ok) {
            notes.add("receiver got " + distinct + " distinct of " + expected + " events");
        }
        if (unpositioned > 0) {
            notes.add(unpositioned + " bodies without a WAL position");
        }
        if (again > 0) {
            notes.add(again + " delivered again");
        }
        notes.add(requests(receiver));
        return new Delivery(distinct, ok, String.join(", ", notes));
    }

    /** What the webhook receiver counted, with its number of requests in the note. */
    static Delivery received(WebhookReceiver receiver, long expected) {
        Delivery delivery = counted(receiver.events(), expected, "receiver got");
        String requests = requests(receiver);
        return new Delivery(delivery.events(), delivery.ok(), delivery.note().isEmpty() ? requests : delivery.note() + ", " + requests);
    }

    /** {@code 1000578 requests (578 heartbeats)}. */
    private static String requests(WebhookReceiver receiver) {
        long heartbeats = receiver.heartbeats();
        return receiver.requests() + " requests" + (heartbeats == 0 ? "" : " (" + heartbeats + " heartbeats)");
    }
}
