package io.pgflo.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.domain.SourceMessage;
import io.pgflo.sink.api.Position;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What a worker's source hands its pipeline, read in a test. */
final class WorkerReads {
    private WorkerReads() {}

    /**
     * The first {@code count} messages after {@code after} (fewer if they do not come within 10 s), and then nothing
     * more.
     */
    static List<SourceMessage> read(NatsSettings nats, WorkerSettings worker, Position after, int count)
            throws Exception {
        try (JetStreamChangeSource source = new JetStreamChangeSource(nats, worker)) {
            source.start(after);
            List<SourceMessage> got = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (got.size() < count && System.nanoTime() < deadline) {
                SourceMessage message = source.poll(Duration.ofMillis(100));
                if (message != null) {
                    got.add(message);
                }
            }
            assertThat(source.poll(Duration.ofMillis(300))).as("nothing more").isNull();
            return got;
        }
    }
}
