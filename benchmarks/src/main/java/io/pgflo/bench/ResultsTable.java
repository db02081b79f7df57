package io.pgflo.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The plain, aligned results table. */
final class ResultsTable {
    private static final String[] HEADERS = {"contender", "workload", "events", "wall s", "start s", "events/s",
        "stream ev/s", "x recv", "x dbz", "cpu s", "wal cpu s", "RSS MB", "heap MB", "heap ok", "target", "met", "note"};
    private static final boolean[] RIGHT = {false, false, true, true, true, true, true, true, true, true, true, true, true, false,
        false, false, false};

    private ResultsTable() {}

    static String render(List<ContenderResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (ContenderResult r : results) {
            rows.add(new String[] {
                r.contender(),
                r.workload(),
                String.format(Locale.ROOT, "%,d", r.events()),
                number(r.wallSeconds(), "%.2f"),
                number(r.startSeconds(), "%.2f"),
                number(r.eventsPerSecond(), "%,.0f"),
                number(r.streamEventsPerSecond(), "%,.0f"),
                number(r.ratioToRecvLogical(), "%.2f"),
                number(r.ratioToDebezium(), "%.2f"),
                number(r.cpuSeconds(), "%.1f"),
                number(r.walSenderCpuSeconds(), "%.1f"),
                r.peakRssMb() == null ? "-" : Long.toString(r.peakRssMb()),
                r.peakHeapMb() == null ? "-" : Long.toString(r.peakHeapMb()),
                yesNo(r.heapWithinLimit()),
                r.target() == null ? "-" : r.target(),
                yesNo(r.targetMet()),
                (r.ok() ? "" : r.status().toUpperCase(Locale.ROOT) + (r.note().isEmpty() ? "" : ": ")) + r.note(),
            });
        }
        int[] widths = new int[HEADERS.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean last = i == row.length - 1;
                String cell = row[i];
                String padding = " ".repeat(widths[i] - cell.length());
                line.append(RIGHT[i] ? padding + cell : last ? cell : cell + padding);
                if (!last) {
                    line.append("  ");
                }
            }
            text.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                int total = 0;
                for (int width : widths) {
                    total += width + 2;
                }
                text.append("-".repeat(total - 2)).append('\n');
            }
        }
        return text.toString();
    }

    private static String yesNo(Boolean value) {
        return value == null ? "-" : value ? "yes" : "NO";
    }

    private static String number(Double value, String format) {
        return value == null ? "-" : String.format(Locale.ROOT, format, value);
    }
}
