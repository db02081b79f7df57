package io.pgflo.sink.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import io.pgflo.sink.webhook.RecordingReceiver.MemoryCheckpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A lane waiting in back-off holds up its own rows only: the other lanes go on into the next batches, the row's later
 * changes wait behind it, and the checkpoint never passes its undelivered event.
 */
class WebhookLaneBackoffTest {
    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void otherLanesDeliverLaterBatchesWhileOneRowWaitsToRetry() throws InterruptedException {
        ChangeEvent stuck = TestEvents.insert(0, 0, 1, "first");
        int stuckLane = LaneRouter.laneOf(stuck, 4);
        ChangeEvent stuckLater = TestEvents.update(10, 0, 1, "second");
        AtomicInteger id = new AtomicInteger(100);
        List<ChangeEvent> first = new ArrayList<>(List.of(stuck));
        for (int t = 1; t < 10; t++) {
            first.add(otherRow(t, stuckLane, id));
        }
        List<ChangeEvent> second = new ArrayList<>(List.of(stuckLater));
        for (int t = 11; t < 20; t++) {
            second.add(otherRow(t, stuckLane, id));
        }
        List<ChangeEvent> third = new ArrayList<>();
        for (int t = 20; t < 30; t++) {
            third.add(otherRow(t, stuckLane, id));
        }
        String stuckKey = IdempotencyKeys.of(stuck);
        AtomicInteger refusals = new AtomicInteger();
        receiver.answer((number, request, body) -> stuckKey.equals(request.getHeader("Idempotency-Key"))
                && refusals.incrementAndGet() <= 6 ? RecordingReceiver.status(503) : RecordingReceiver.ok());
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).lanes(4)
                .initialBackoff(Duration.ofMillis(300)).maxBackoff(Duration.ofMillis(300)).build();
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));

        try (WebhookSink sink = new WebhookSink(config, checkpoints, new okhttp3.OkHttpClient(),
                java.time.Clock.systemUTC(), Duration.ofMillis(50))) {
            long handing = System.nanoTime();
            sink.writeBatch(Batch.of(first, first.get(first.size() - 1).commitLsn()));
            sink.writeBatch(Batch.of(second, second.get(second.size() - 1).commitLsn()));
            sink.writeBatch(Batch.of(third, third.get(third.size() - 1).commitLsn()));
            assertThat(System.nanoTime() - handing).as("handed over without waiting for the retrying lane")
                    .isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
            List<String> othersOfTheThird = third.stream().map(IdempotencyKeys::of).toList();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!receiver.delivered().stream().map(Exchange::idempotencyKey).toList().containsAll(othersOfTheThird)) {
                assertThat(System.nanoTime()).as("the third batch delivered").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(receiver.delivered()).extracting(Exchange::idempotencyKey).as("row 1 still waits to retry")
                    .doesNotContain(stuckKey);
            assertThat(sink.lastCheckpoint()).as("never past row 1's undelivered event")
                    .isEqualTo(Position.parse("0/1000"));
            sink.flush();
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(third.get(third.size() - 1).commitLsn()));
        }

        Exchange stuckDelivered = exchangeOf(stuckKey);
        for (ChangeEvent other : third) {
            assertThat(exchangeOf(IdempotencyKeys.of(other)).receivedAtNanos())
                    .as("the third batch's other rows went while row 1 waited to retry")
                    .isLessThan(stuckDelivered.receivedAtNanos());
        }
        assertThat(exchangeOf(IdempotencyKeys.of(stuckLater)).receivedAtNanos())
                .as("row 1's later change waited for its first")
                .isGreaterThan(stuckDelivered.receivedAtNanos());
        assertThat(checkpoints.saved()).last()
                .isEqualTo(Position.afterTransaction(third.get(third.size() - 1).commitLsn()));
        assertThat(receiver.delivered()).hasSize(30);
    }

    @Test
    void closingWhileOneLaneWaitsToRetryAndOthersHaveQueuedWorkReturnsPromptlyWithTheCheckpointBeforeIt() {
        ChangeEvent stuck = TestEvents.insert(0, 0, 1, "first");
        int stuckLane = LaneRouter.laneOf(stuck, 4);
        String stuckKey = IdempotencyKeys.of(stuck);
        receiver.answer((number, request, body) -> stuckKey.equals(request.getHeader("Idempotency-Key"))
                ? RecordingReceiver.status(503) : RecordingReceiver.ok().setBodyDelay(20, TimeUnit.MILLISECONDS));
        AtomicInteger id = new AtomicInteger(100);
        WebhookSinkConfig config = WebhookSinkConfig.builder(receiver.url()).lanes(4)
                .initialBackoff(Duration.ofSeconds(5)).maxBackoff(Duration.ofSeconds(5)).build();
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));
        WebhookSink sink = new WebhookSink(config, checkpoints);
        List<ChangeEvent> first = new ArrayList<>(List.of(stuck));
        for (int t = 1; t < 40; t++) {
            first.add(otherRow(t, stuckLane, id));
        }
        sink.writeBatch(Batch.of(first, first.get(first.size() - 1).commitLsn()));
        List<ChangeEvent> second = new ArrayList<>();
        for (int t = 40; t < 80; t++) {
            second.add(otherRow(t, stuckLane, id));
        }
        sink.writeBatch(Batch.of(second, second.get(second.size() - 1).commitLsn()));

        long closing = System.nanoTime();
        sink.close();
        assertThat(System.nanoTime() - closing).as("close does not wait out the back-off or the queued requests")
                .isLessThan(TimeUnit.SECONDS.toNanos(4));
        assertThat(sink.lastCheckpoint()).isEqualTo(Position.parse("0/1000"));
        assertThat(checkpoints.load()).isEqualTo(Position.parse("0/1000"));
    }

    /** An insert of a row that is not in {@code lane}. */
    private static ChangeEvent otherRow(int transaction, int lane, AtomicInteger id) {
        while (LaneRouter.laneOf(TestEvents.insert(transaction, 0, id.get(), "x"), 4) == lane) {
            id.incrementAndGet();
        }
        return TestEvents.insert(transaction, 0, id.getAndIncrement(), "x");
    }

    private Exchange exchangeOf(String key) {
        return receiver.delivered().stream().filter(exchange -> key.equals(exchange.idempotencyKey())).findFirst()
                .orElseThrow(() -> new AssertionError("never delivered: " + key));
    }
}
