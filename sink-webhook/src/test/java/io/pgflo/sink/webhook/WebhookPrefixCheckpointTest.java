package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.inserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Lsn;
import io.pgflo.json.JsonStatusFile;
import io.pgflo.sink.webhook.RecordingReceiver.Exchange;
import io.pgflo.sink.webhook.RecordingReceiver.MemoryCheckpoints;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checkpoint follows the longest delivered prefix of a batch, at transaction boundaries: the commit LSN of the
 * first transaction not delivered in full, which the source resumes at (it skips exactly the transactions whose commit
 * starts before the checkpoint; {@code WebhookSinkIT} shows that on a real replication stream).
 */
class WebhookPrefixCheckpointTest {
    private static final Duration SAVE_INTERVAL = Duration.ofMillis(100);

    private final RecordingReceiver receiver = new RecordingReceiver();

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private WebhookSinkConfig.Builder config() {
        return WebhookSinkConfig.builder(receiver.url()).lanes(1).maxAttempts(2).initialBackoff(Duration.ofMillis(5))
                .maxBackoff(Duration.ofMillis(20));
    }

    private static WebhookSink sink(WebhookSinkConfig config, io.pgflo.domain.CheckpointStore checkpoints) {
        return new WebhookSink(config, checkpoints, new OkHttpClient(), Clock.systemUTC(), SAVE_INTERVAL);
    }

    /** {@code transactions} transactions of {@code size} inserts each; row ids count up from 0. */
    private static List<ChangeEvent> transactions(int transactions, int size) {
        List<ChangeEvent> events = new ArrayList<>();
        for (int t = 0; t < transactions; t++) {
            for (int ordinal = 0; ordinal < size; ordinal++) {
                int id = t * size + ordinal;
                events.add(TestEvents.insert(t, ordinal, id, "user " + id));
            }
        }
        return events;
    }

    @Test
    void aReceiverFailingForGoodFromTheNthRequestLeavesTheCheckpointAtTheDeliveredPrefixAndANewSinkGoesOnFromThere(
            @TempDir Path statusDir) {
        int failingFrom = 8;
        receiver.answer((number, request, body) -> number >= failingFrom ? RecordingReceiver.status(503)
                : RecordingReceiver.ok());
        JsonStatusFile status = new JsonStatusFile(statusDir.resolve(WebhookSinkProvider.STATUS_FILE));
        status.save(Position.parse("0/1000"));
        List<ChangeEvent> events = inserts(20); // one transaction each
        ChangeEvent firstUndelivered = events.get(failingFrom - 1);
        Position lastDelivered = events.get(failingFrom - 2).position();

        try (WebhookSink sink = sink(config().build(), status)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events)))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("LSN " + firstUndelivered.lsn())
                    .hasMessageContaining("checkpoint stays at " + lastDelivered)
                    .satisfies(e -> assertThat(((WebhookDeliveryException) e).checkpoint()).isEqualTo(lastDelivered));
            assertThat(sink.lastCheckpoint()).isEqualTo(lastDelivered);
        }
        assertThat(status.load()).as("saved: everything before request %d, nothing from it on", failingFrom)
                .isEqualTo(lastDelivered);

        // Restarted on the saved checkpoint, the source hands over the transactions whose commit does not start before
        // it: from the first undelivered event on.
        receiver.answer((number, request, body) -> RecordingReceiver.ok());
        int requestsBefore = receiver.exchanges().size();
        try (WebhookSink restarted = sink(config().build(), status)) {
            Position resumeAfter = restarted.lastCheckpoint();
            List<ChangeEvent> resent = events.stream().filter(e -> !resumeAfter.covers(e)).toList();
            TestEvents.write(restarted, batch(resent));
        }
        List<String> afterRestart = receiver.exchanges().subList(requestsBefore, receiver.exchanges().size()).stream()
                .map(Exchange::idempotencyKey).toList();
        assertThat(afterRestart).containsExactlyElementsOf(
                events.subList(failingFrom - 1, events.size()).stream().map(IdempotencyKeys::of).toList());
        assertThat(receiver.delivered()).extracting(Exchange::idempotencyKey).as("each event delivered once")
                .containsExactlyElementsOf(events.stream().map(IdempotencyKeys::of).toList());
    }

    @ParameterizedTest(name = "batch size {0}, failing from request {1}")
    @CsvSource({"1, 8", "2, 5"})
    void aTransactionDeliveredInPartHoldsTheCheckpointAtItsLastDeliveredEvent(int batchSize, int failingFrom) {
        // Transactions of three events: 0 1 2 | 3 4 5 | 6 7 8 | ... Either way events 0 to 6 or 7 get a 2xx,
        // transaction 2 is delivered in part, and the checkpoint stops inside it: a restart sends only the rest.
        receiver.answer((number, request, body) -> number >= failingFrom ? RecordingReceiver.status(400)
                : RecordingReceiver.ok());
        List<ChangeEvent> events = transactions(6, 3);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));
        try (WebhookSink sink = sink(config().batchSize(batchSize).build(), checkpoints)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events))).isInstanceOf(WebhookDeliveryException.class);
        }

        int delivered = receiver.delivered().size() * batchSize;
        assertThat(delivered).as("events delivered").isBetween(7, 8);
        Position lastDelivered = events.get(delivered - 1).position();
        assertThat(lastDelivered.lsn()).as("inside transaction 2, the first one not delivered in full")
                .isEqualTo(TestEvents.commitLsn(2));
        assertThat(checkpoints.load()).isEqualTo(lastDelivered);
        assertThat(checkpoints.saved()).containsExactly(lastDelivered);
    }

    @Test
    void aBatchInsideALargeTransactionCheckpointsTheEventsItDelivered() {
        // A batch the pipeline cut inside a large transaction: its events up to the failure are delivered, and a
        // restart sends the transaction's rest.
        receiver.answer((number, request, body) -> number >= 4 ? RecordingReceiver.status(400) : RecordingReceiver.ok());
        List<ChangeEvent> events = transactions(1, 10);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));
        try (WebhookSink sink = sink(config().build(), checkpoints)) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(events))).isInstanceOf(WebhookDeliveryException.class);
        }

        assertThat(receiver.delivered()).hasSize(3);
        assertThat(checkpoints.load()).isEqualTo(events.get(2).position());
        assertThat(checkpoints.saves()).isOne();
    }

    @Test
    void aLaneThatFinishesFirstDoesNotTakeTheCheckpointPastAnEarlierEventStillInFlight() {
        // Transaction 5 changes the only row of its lane, and its request is answered only after 2 s; the other lanes
        // deliver all 39 other events meanwhile, 34 of them after transaction 5.
        List<ChangeEvent> events = new ArrayList<>();
        ChangeEvent slow = TestEvents.insert(5, 0, 5, "slow");
        int slowLane = LaneRouter.laneOf(slow, 4);
        int id = 100;
        for (int t = 0; t < 40; t++) {
            if (t == 5) {
                events.add(slow);
                continue;
            }
            while (LaneRouter.laneOf(TestEvents.insert(t, 0, id, "x"), 4) == slowLane) {
                id++;
            }
            events.add(TestEvents.insert(t, 0, id++, "x"));
        }
        receiver.answer((number, request, body) -> body.contains("\"id\":5,")
                ? RecordingReceiver.ok().setHeadersDelay(2, TimeUnit.SECONDS)
                : RecordingReceiver.ok());
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));
        try (WebhookSink sink = sink(config().lanes(4).build(), checkpoints)) {
            TestEvents.write(sink, batch(events));
            assertThat(sink.lastCheckpoint()).isEqualTo(Position.afterTransaction(events.get(39).commitLsn()));
        }

        Exchange slowRequest = exchangeOf(slow);
        assertThat(receiver.exchanges()).hasSize(40).allSatisfy(exchange -> assertThat(exchange.receivedAtNanos())
                .as("every other lane was done while transaction 5 waited for its answer")
                .isLessThan(slowRequest.receivedAtNanos() + TimeUnit.SECONDS.toNanos(2)));
        List<Position> saved = checkpoints.saved();
        Position beforeSlow = events.get(4).position();
        assertThat(saved.subList(0, saved.size() - 1))
                .as("while transaction 5 was in flight: the transactions before it, never any after it")
                .isNotEmpty()
                .allSatisfy(position -> assertThat(position).isLessThanOrEqualTo(beforeSlow))
                .contains(beforeSlow);
        assertThat(saved.get(saved.size() - 1)).as("then the batch's own")
                .isEqualTo(Position.afterTransaction(events.get(39).commitLsn()));
    }

    @Test
    void aLongBatchSavesItsDeliveredPrefixAboutOncePerIntervalNotPerEvent() {
        receiver.delay(Duration.ofMillis(15));
        List<ChangeEvent> events = inserts(60);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));
        long start = System.nanoTime();
        try (WebhookSink sink = sink(config().build(), checkpoints)) {
            TestEvents.write(sink, batch(events));
        }
        long intervals = (System.nanoTime() - start) / SAVE_INTERVAL.toNanos();

        List<Position> saved = checkpoints.saved();
        assertThat(saved).as("prefix saves during the batch, then the batch's own").hasSizeGreaterThan(2)
                .hasSizeLessThanOrEqualTo((int) intervals + 1)
                .isSorted()
                .doesNotHaveDuplicates()
                .endsWith(Position.afterTransaction(events.get(59).commitLsn()));
        List<Position> positions = events.stream().map(ChangeEvent::position).toList();
        assertThat(positions).containsAll(saved.subList(0, saved.size() - 1));
    }

    @Test
    void closingTheSinkInTheMiddleOfABatchSavesWhatWasDelivered() throws Exception {
        // The sixth request is never answered; the sink is closed while it waits (a stop that cannot wait for it).
        receiver.answer((number, request, body) -> number == 6
                ? RecordingReceiver.ok().setSocketPolicy(SocketPolicy.NO_RESPONSE)
                : RecordingReceiver.ok());
        List<ChangeEvent> events = inserts(10);
        MemoryCheckpoints checkpoints = new MemoryCheckpoints(Position.parse("0/1000"));
        WebhookSink sink = sink(config().build(), checkpoints);
        try {
            sink.writeBatch(batch(events));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (receiver.exchanges().size() < 6) {
                assertThat(System.nanoTime()).as("the sixth request arrived").isLessThan(deadline);
                Thread.sleep(5);
            }
        } finally {
            sink.close();
        }

        assertThat(checkpoints.load()).as("the first five transactions, delivered before the stop")
                .isEqualTo(events.get(4).position());
        try (WebhookSink restarted = sink(config().build(), checkpoints)) {
            assertThat(restarted.lastCheckpoint()).isEqualTo(events.get(4).position());
        }
    }

    private Exchange exchangeOf(ChangeEvent event) {
        return receiver.exchanges().stream().filter(e -> e.idempotencyKey().equals(IdempotencyKeys.of(event)))
                .findFirst().orElseThrow();
    }
}
