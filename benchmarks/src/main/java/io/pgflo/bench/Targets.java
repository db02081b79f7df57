package io.pgflo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The speed targets, checked against one workload's results: file sink at least pg_recvlogical's rate, stdout at
 * least 0.95 of it, batch mode at least 0.9 of it, PostgreSQL sink at least 1.2 times the native subscription, the
 * per-event webhook at least 0.8 of what the receiver takes from {@code wrk} with as many connections as the sink has
 * lanes (the {@code receiver-wrk} row; without it, at least 5 times Debezium Server's HTTP sink when that ran, else
 * at least 15,000 events/s, a figure measured elsewhere), and every pg_flo run within a 512 MB heap.
 */
final class Targets {
    static final double FILE_RATIO = 1.0;
    static final double STDOUT_RATIO = 0.95;
    static final double WEBHOOK_CEILING_RATIO = 0.8;
    static final double WEBHOOK_DEBEZIUM_RATIO = 5;
    /** 5 x Debezium Server's HTTP sink as measured on two cores elsewhere (3,000 to 3,700 ev/s): the fallback. */
    static final double WEBHOOK_EVENTS_PER_SECOND = 15_000;
    static final double WEBHOOK_BATCH_RATIO = 0.9;
    static final double POSTGRES_NATIVE_RATIO = 1.2;
    static final long HEAP_MB = 512;
    /** The rows that are not pg_flo: the server's limit, PostgreSQL's and Debezium's replication, the receiver's ceiling. */
    private static final java.util.Set<String> NOT_PG_FLO = java.util.Set.of("recvlogical", "recvlogical-binary",
            "native", "debezium", ContenderResult.RECEIVER_CEILING);

    private Targets() {}

    /** Adds the ratios to pg_recvlogical and Debezium and the target verdict to each result of one workload. */
    static List<ContenderResult> evaluate(List<ContenderResult> results) {
        Double limit = rateOf(results, "recvlogical");
        Double nativeRate = rateOf(results, "native");
        Double debezium = rateOf(results, "debezium");
        Double receiverCeiling = rateOf(results, ContenderResult.RECEIVER_CEILING);
        boolean debeziumRan = results.stream().anyMatch(r -> r.id().equals("debezium")
                && !r.status().equals(ContenderResult.NOT_AVAILABLE));
        List<ContenderResult> evaluated = new ArrayList<>();
        for (ContenderResult result : results) {
            Double ratio = result.ok() && limit != null ? result.eventsPerSecond() / limit : null;
            Double debeziumRatio = result.ok() && debezium != null ? result.eventsPerSecond() / debezium : null;
            String target = null;
            Boolean met = null;
            boolean pgFlo = !NOT_PG_FLO.contains(result.id());
            Boolean heapMet = pgFlo && result.ok() ? Boolean.valueOf(result.peakHeapMb() == null || result.peakHeapMb() <= HEAP_MB) : null;
            switch (result.id().replaceFirst("@.*", "")) { // one of several heaps: postgres@launcher
                case "file" -> {
                    target = String.format(Locale.ROOT, ">= %.2fx recv", FILE_RATIO);
                    met = ratio == null ? null : ratio >= FILE_RATIO;
                }
                case "stdout" -> {
                    target = String.format(Locale.ROOT, ">= %.2fx recv", STDOUT_RATIO);
                    met = ratio == null ? null : ratio >= STDOUT_RATIO;
                }
                case "webhook-batch" -> {
                    target = String.format(Locale.ROOT, ">= %.2fx recv", WEBHOOK_BATCH_RATIO);
                    met = ratio == null ? null : ratio >= WEBHOOK_BATCH_RATIO;
                }
                case "webhook" -> {
                    if (receiverCeiling != null) {
                        target = String.format(Locale.ROOT, ">= %.2fx wrk", WEBHOOK_CEILING_RATIO);
                        met = result.ok() ? result.eventsPerSecond() / receiverCeiling >= WEBHOOK_CEILING_RATIO : null;
                    } else if (debeziumRan) {
                        // Measured here, same machine, workload and receiver; a failed Debezium run leaves no verdict.
                        target = String.format(Locale.ROOT, ">= %.0fx debezium", WEBHOOK_DEBEZIUM_RATIO);
                        met = debeziumRatio == null ? null : debeziumRatio >= WEBHOOK_DEBEZIUM_RATIO;
                    } else {
                        target = String.format(Locale.ROOT, ">= %,.0f ev/s", WEBHOOK_EVENTS_PER_SECOND);
                        met = result.ok() ? result.eventsPerSecond() >= WEBHOOK_EVENTS_PER_SECOND : null;
                    }
                }
                case "postgres" -> {
                    target = String.format(Locale.ROOT, ">= %.1fx native", POSTGRES_NATIVE_RATIO);
                    met = result.ok() && nativeRate != null
                            ? result.eventsPerSecond() >= POSTGRES_NATIVE_RATIO * nativeRate : null;
                }
                default -> { }
            }
            if (target != null && result.status().equals(ContenderResult.FAILED)) {
                met = Boolean.FALSE;
            }
            if (pgFlo && result.status().equals(ContenderResult.FAILED) && result.note().contains("OutOfMemoryError")) {
                heapMet = Boolean.FALSE;
            }
            evaluated.add(result.withComparison(ratio, debeziumRatio, target, met, heapMet));
        }
        return evaluated;
    }

    /** The rate of contender {@code id} among one workload's results, when it ran to the end. */
    static Double rateOf(List<ContenderResult> results, String id) {
        return results.stream().filter(r -> r.id().equals(id) && r.ok()).map(ContenderResult::eventsPerSecond)
                .findFirst().orElse(null);
    }
}
