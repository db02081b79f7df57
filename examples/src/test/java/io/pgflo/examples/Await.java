package io.pgflo.examples;

import java.util.function.BooleanSupplier;

/** Polling for a condition that something else makes true. */
final class Await {
    private Await() {}

    /** Waits up to {@link ExampleRun#PATIENCE} for {@code condition}; {@code check} runs each round and may fail early. */
    static void until(String what, BooleanSupplier condition, Runnable check) {
        long deadline = System.nanoTime() + ExampleRun.PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            check.run();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + ExampleRun.PATIENCE);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }
}
