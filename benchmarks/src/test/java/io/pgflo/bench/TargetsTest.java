package io.pgflo.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TargetsTest {
    @Test
    void judgesPerEventWebhookAgainstFiveTimesDebeziumWhenItRan() {
        List<ContenderResult> results = Targets.evaluate(List.of(row("recvlogical", 40_000), row("webhook", 16_000),
                row("debezium", 3_000)));

        ContenderResult webhook = results.get(1);
        assertThat(webhook.ratioToDebezium()).isCloseTo(16_000 / 3_000.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(webhook.target()).isEqualTo(">= 5x debezium");
        assertThat(webhook.targetMet()).isTrue();
        assertThat(results.get(2).heapWithinLimit()).as("the heap target is pg_flo's").isNull();
        assertThat(results.get(2).ratioToRecvLogical()).isEqualTo(3_000 / 40_000.0);
    }

    @Test
    void missesWhenBelowFiveTimesDebezium() {
        List<ContenderResult> results = Targets.evaluate(List.of(row("webhook", 14_000), row("debezium", 3_000)));

        assertThat(results.get(0).targetMet()).isFalse();
    }

    @Test
    void fallsBackToTheFixedRateWithoutADebeziumRow() {
        List<ContenderResult> results = Targets.evaluate(List.of(row("recvlogical", 40_000), row("webhook", 16_000)));

        assertThat(results.get(1).target()).isEqualTo(">= 15,000 ev/s");
        assertThat(results.get(1).targetMet()).isTrue();
        assertThat(results.get(1).ratioToDebezium()).isNull();
    }

    @Test
    void aContenderRunOnOneOfSeveralHeapsHasItsSinksTarget() {
        List<ContenderResult> results = Targets.evaluate(List.of(row("postgres@launcher", 80_000), row("postgres@jvm", 60_000),
                row("native", 70_000)));

        assertThat(results.get(0).target()).isEqualTo(">= 1.2x native");
        assertThat(results.get(0).targetMet()).as("80,000 < 1.2 x 70,000").isFalse();
        assertThat(results.get(1).targetMet()).isFalse();
    }

    @Test
    void judgesPerEventWebhookAgainstTheReceiversCeilingWhenWrkMeasuredIt() {
        List<ContenderResult> results = Targets.evaluate(List.of(row("recvlogical", 40_000), row("webhook", 12_500),
                ContenderResult.receiverCeiling("bulk", 4, ContenderResult.OK, 15_000.0, ""), row("debezium", 3_000)));

        assertThat(results.get(1).target()).isEqualTo(">= 0.80x wrk");
        assertThat(results.get(1).targetMet()).as("12,500 / 15,000 = 0.83").isTrue();
        assertThat(results.get(2).heapWithinLimit()).as("wrk's row is not pg_flo's").isNull();
    }

    @Test
    void theReceiversCeilingStaysInTheTableRightAfterThePerEventWebhook() {
        ContenderResult ceiling = ContenderResult.receiverCeiling("bulk", 4, ContenderResult.OK, 50_000.0, "");
        List<ContenderResult> ordered = BenchmarkRun.inTableOrder(List.of("recvlogical", "webhook", "postgres"),
                List.of(row("postgres", 60_000), row("webhook", 20_000), ceiling, row("recvlogical", 50_000)));

        assertThat(ordered).extracting(ContenderResult::id)
                .containsExactly("recvlogical", "webhook", ContenderResult.RECEIVER_CEILING, "postgres");
        assertThat(Targets.evaluate(ordered).get(1).target()).isEqualTo(">= 0.80x wrk");
    }

    @Test
    void judgesStdoutFileBatchAndPostgresByTheirRatios() {
        List<ContenderResult> results = Targets.evaluate(List.of(row("recvlogical", 100_000), row("native", 50_000),
                row("stdout", 95_000), row("file", 99_000), row("webhook-batch", 90_000), row("postgres", 60_000),
                row("recvlogical-binary", 101_000)));

        assertThat(results).extracting(ContenderResult::targetMet)
                .containsExactly(null, null, true, false, true, true, null);
        assertThat(results.get(6).heapWithinLimit()).isNull();
    }

    private static ContenderResult row(String id, double eventsPerSecond) {
        return new ContenderResult(id, id, "bulk", 1_000_000, ContenderResult.OK, 1_000_000 / eventsPerSecond, 1.0,
                eventsPerSecond, eventsPerSecond, null, null, 1.0, 1.0, 100L, 100L, 1L, 1.0, 0, 1_000_000L, 1.0, null, null,
                null, "", "/tmp");
    }
}
