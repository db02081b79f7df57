package io.pgflo.bench;

import io.pgflo.testkit.TestPostgres;
import java.util.function.Supplier;

/** Waits for a consumer's replication slot to be active, or for it to fail. */
final class SlotWait {
    private static final long TIMEOUT_MS = 120_000;

    private SlotWait() {}

    /**
     * @param failure what went wrong with the consumer if it stopped (empty while it runs)
     */
    static void untilActive(TestPostgres server, String db, String slot, Supplier<String> failure)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MS;
        while (server.queryLong(db, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot
                + "' AND active") == 0) {
            String failed = failure.get();
            if (!failed.isEmpty()) {
                throw new IllegalStateException("slot " + slot + " never became active: " + failed);
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("slot " + slot + " not active after " + TIMEOUT_MS / 1000 + " s");
            }
            Thread.sleep(50);
        }
    }
}
