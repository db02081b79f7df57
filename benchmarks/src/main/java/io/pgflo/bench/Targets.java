package io.pgflo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The sink issues' targets, checked against one workload's results: file sink at least 0.9 of pg_recvlogical,
 * PostgreSQL sink at least the native subscription, webhook per-event at least 15,000 events/s and batch mode at
 * least 0.8 of pg_recvlogical, and every pg_flo run within a 512 MB heap.
 */
final class Targets {
    static final double FILE_RATIO = 0.9;
    static final double WEBHOOK_EVENTS_PER_SECOND = 15_000;
    static final double WEBHOOK_BATCH_RATIO = 0.8;
    static final long HEAP_MB = 512;

    private Targets() {}

    /** Adds the ratio to pg_recvlogical and the target verdict to each result of one workload. */
    static List<ContenderResult> evaluate(List<ContenderResult> results) {
        Double limit = rateOf(results, "recvlogical");
        Double nativeRate = rateOf(results, "native");
        List<ContenderResult> evaluated = new ArrayList<>();
        for (ContenderResult result : results) {
            Double ratio = result.ok() && limit != null ? result.eventsPerSecond() / limit : null;
            String target = null;
            Boolean met = null;
            boolean pgFlo = !result.id().equals("recvlogical") && !result.id().equals("native");
            Boolean heapMet = pgFlo && result.ok() ? Boolean.valueOf(result.peakHeapMb() == null || result.peakHeapMb() <= HEAP_MB) : null;
            switch (result.id()) {
                case "file" -> {
                    target = String.format(Locale.ROOT, ">= %.2fx recv", FILE_RATIO);
                    met = ratio == null ? null : ratio >= FILE_RATIO;
                }
                case "webhook-batch" -> {
                    target = String.format(Locale.ROOT, ">= %.2fx recv", WEBHOOK_BATCH_RATIO);
                    met = ratio == null ? null : ratio >= WEBHOOK_BATCH_RATIO;
                }
                case "webhook" -> {
                    target = String.format(Locale.ROOT, ">= %,.0f ev/s", WEBHOOK_EVENTS_PER_SECOND);
                    met = result.ok() ? result.eventsPerSecond() >= WEBHOOK_EVENTS_PER_SECOND : null;
                }
                case "postgres" -> {
                    target = ">= native";
                    met = result.ok() && nativeRate != null ? result.eventsPerSecond() >= nativeRate : null;
                }
                default -> { }
            }
            if (target != null && result.status().equals(ContenderResult.FAILED)) {
                met = Boolean.FALSE;
            }
            if (pgFlo && result.status().equals(ContenderResult.FAILED) && result.note().contains("OutOfMemoryError")) {
                heapMet = Boolean.FALSE;
            }
            evaluated.add(result.withComparison(ratio, target, met, heapMet));
        }
        return evaluated;
    }

    private static Double rateOf(List<ContenderResult> results, String id) {
        return results.stream().filter(r -> r.id().equals(id) && r.ok()).map(ContenderResult::eventsPerSecond)
                .findFirst().orElse(null);
    }
}
