package io.pgflo.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.testkit.NatsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A worker that stops with messages delivered but not acknowledged (killed, or its sink not yet durable): the next
 * worker of that name must get them at once and in order, not newer ones first and these after JetStream's ack wait.
 */
class WorkerRestartIT {
    @Test
    void theNextWorkerGetsWhatTheLastLeftUnacknowledgedFirstAndAtOnce() throws Exception {
        try (NatsServer nats = NatsServer.start()) {
            NatsSettings settings = NatsSettings.plain(nats.url());
            WorkerSettings worker = new WorkerSettings("restart", "file", null, Duration.ofSeconds(1), false);
            try (JetStreamPublisher publisher = JetStreamPublisher.open(settings, StreamSettings.defaults("restart"))) {
                for (int i = 0; i < 5; i++) {
                    publisher.writeBatch(Changes.transactions(i, 1, 2)); // message i + 1: commit (i + 1) * 1000
                }
            }

            JetStreamChangeSource first = new JetStreamChangeSource(settings, worker);
            try {
                first.start(Position.START);
                assertThat(commits(poll(first, 15))).as("all five delivered").hasSize(5);
                first.acknowledge(Lsn.of(2050)); // the sink made the first two transactions durable, then stopped
            } finally {
                first.close();
            }

            JetStreamChangeSource next = new JetStreamChangeSource(settings, worker);
            try {
                next.start(Position.afterTransaction(Lsn.of(2050)));
                List<SourceMessage> got = poll(next, 9);
                assertThat(got.get(0)).isInstanceOfSatisfying(SourceChange.class,
                        change -> assertThat(change.commitLsn()).as("the first unacknowledged").isEqualTo(Lsn.of(3000)));
                assertThat(commits(got)).as("within seconds, not the 60 s ack wait")
                        .containsExactly(Lsn.of(3000), Lsn.of(4000), Lsn.of(5000));
            } finally {
                next.close();
            }
        }
    }

    /** Up to {@code count} messages, polling for at most 10 s (JetStream's ack wait is 60 s). */
    private static List<SourceMessage> poll(JetStreamChangeSource source, int count) throws InterruptedException {
        List<SourceMessage> got = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (got.size() < count && System.nanoTime() < deadline) {
            SourceMessage message = source.poll(Duration.ofMillis(100));
            if (message != null) {
                got.add(message);
            }
        }
        return got;
    }

    private static List<Lsn> commits(List<SourceMessage> messages) {
        return messages.stream().filter(m -> m instanceof TransactionCommit)
                .map(m -> ((TransactionCommit) m).commitLsn()).toList();
    }
}
