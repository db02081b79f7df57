package io.pgflo.bench;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code --repeat N} prints after its runs: per workload and contender, the rate of every run and their median,
 * and for a row with a target how many runs met it, with the figure the target is stated on (its ratio, or its rate).
 * One run's verdict follows the machine's speed in the minute each contender ran; the count over runs does less so.
 */
final class RepeatSummary {
    private RepeatSummary() {}

    static String render(List<List<ContenderResult>> runs) {
        Map<String, List<ContenderResult>> rows = new LinkedHashMap<>();
        // Each result's neighbours: the rows of its run and workload, which hold the rates its target is stated on.
        Map<ContenderResult, List<ContenderResult>> sameRun = new IdentityHashMap<>();
        for (List<ContenderResult> run : runs) {
            for (ContenderResult result : run) {
                rows.computeIfAbsent(result.workload() + "\u0000" + result.contender(), key -> new ArrayList<>()).add(result);
                sameRun.put(result, run.stream().filter(other -> other.workload().equals(result.workload())).toList());
            }
        }
        // As wide as the longest name: a contender run on several heaps is named after its heap too.
        int width = Math.max(20, rows.values().stream().mapToInt(r -> r.get(0).contender().length()).max().orElse(0));
        String format = "%-" + width + "s %-8s %-10s  %-40s %-16s %s%n";
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, format,
                "contender", "workload", "median/s", "events/s of each run", "target", "met"));
        for (List<ContenderResult> results : rows.values()) {
            ContenderResult first = results.get(0);
            List<Double> rates = new ArrayList<>();
            List<String> each = new ArrayList<>();
            String target = null;
            int met = 0;
            int judged = 0;
            List<String> figures = new ArrayList<>();
            for (ContenderResult result : results) {
                each.add(result.ok() && result.eventsPerSecond() != null
                        ? String.format(Locale.ROOT, "%,.0f", result.eventsPerSecond()) : result.status());
                if (result.ok() && result.eventsPerSecond() != null) {
                    rates.add(result.eventsPerSecond());
                }
                if (result.target() != null) {
                    target = result.target();
                    if (result.targetMet() != null) {
                        judged++;
                        met += result.targetMet() ? 1 : 0;
                    }
                    figures.add(figureOf(result, sameRun.get(result)));
                }
            }
            String verdict = target == null ? "-" : met + " of " + judged + " (" + String.join(", ", figures) + ")";
            out.append(String.format(Locale.ROOT, format, first.contender(), first.workload(),
                    rates.isEmpty() ? "-" : String.format(Locale.ROOT, "%,.0f", median(rates)), String.join(" ", each),
                    target == null ? "-" : target, verdict));
        }
        return out.toString();
    }

    /** The number a target is stated on: x dbz, x recv, x native, x wrk, or the rate; "-" when the run gave none. */
    private static String figureOf(ContenderResult result, List<ContenderResult> sameRun) {
        String target = result.target();
        if (target.contains("native")) {
            return ratioTo(result, Targets.rateOf(sameRun, "native"), "native");
        }
        if (target.contains("wrk")) {
            return ratioTo(result, Targets.rateOf(sameRun, ContenderResult.RECEIVER_CEILING), "wrk");
        }
        if (target.contains("debezium")) {
            return result.ratioToDebezium() == null ? "-" : String.format(Locale.ROOT, "%.2fx", result.ratioToDebezium());
        }
        if (target.contains("recv")) {
            return result.ratioToRecvLogical() == null ? "-" : String.format(Locale.ROOT, "%.2fx", result.ratioToRecvLogical());
        }
        return result.eventsPerSecond() == null ? "-" : String.format(Locale.ROOT, "%,.0f/s", result.eventsPerSecond());
    }

    private static String ratioTo(ContenderResult result, Double base, String baseName) {
        return base == null || result.eventsPerSecond() == null ? "-"
                : String.format(Locale.ROOT, "%.2fx %s", result.eventsPerSecond() / base, baseName);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
