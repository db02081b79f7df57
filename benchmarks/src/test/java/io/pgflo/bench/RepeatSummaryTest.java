package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepeatSummaryTest {
    @Test
    void countsTheRunsThatMetEachTargetWithTheFigureItIsStatedOn() {
        List<ContenderResult> first = Targets.evaluate(List.of(row("recvlogical", 100_000), row("webhook", 30_000),
                row("debezium", 4_000), row("postgres", 60_000), row("native", 75_000)));
        List<ContenderResult> second = Targets.evaluate(List.of(row("native", 70_000), row("postgres", 90_000),
                row("debezium", 5_000), row("webhook", 20_000), row("recvlogical", 90_000)));
        List<ContenderResult> third = Targets.evaluate(List.of(row("recvlogical", 95_000), row("webhook", 26_000),
                row("debezium", 5_000), row("postgres", 48_000), row("native", 80_000)));

        String summary = RepeatSummary.render(List.of(first, second, third));

        assertThat(line(summary, "webhook")).contains("26,000", "30,000 20,000 26,000", ">= 5x debezium",
                "2 of 3 (7.50x, 4.00x, 5.20x)");
        assertThat(line(summary, "postgres")).contains("60,000", ">= 1.2x native", "1 of 3 (0.80x native, 1.29x native, 0.60x native)");
        assertThat(line(summary, "recvlogical")).contains("95,000", "100,000 90,000 95,000").endsWith("-");
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(RepeatSummary.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(RepeatSummary.median(List.of(5.0))).isEqualTo(5.0);
    }

    private static String line(String summary, String contender) {
        return summary.lines().filter(l -> l.startsWith(contender + " ")).findFirst().orElseThrow().strip();
    }

    private static ContenderResult row(String id, double eventsPerSecond) {
        return new ContenderResult(id, id, "bulk", 1_000_000, ContenderResult.OK, 1_000_000 / eventsPerSecond, 1.0,
                eventsPerSecond, eventsPerSecond, null, null, 1.0, 1.0, 100L, 100L, 1L, 1.0, 0, 1_000_000L, 1.0, null, null,
                null, "", "/tmp");
    }
}
