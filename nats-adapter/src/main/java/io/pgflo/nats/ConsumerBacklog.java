package io.pgflo.nats;

import io.nats.client.Connection;
import io.nats.client.api.ConsumerInfo;

/**
 * How far a worker's consumer is behind the stream, for its metrics: messages not yet delivered plus those delivered
 * and not yet acknowledged. Asks the server at most every few seconds, on a connection of its own; -1 when it cannot.
 */
public final class ConsumerBacklog implements AutoCloseable {
    private static final long MAX_AGE_NANOS = 5_000_000_000L;

    private final NatsSettings nats;
    private final WorkerSettings worker;
    private Connection connection;
    private long value = -1;
    private long readAt;

    public ConsumerBacklog(NatsSettings nats, WorkerSettings worker) {
        this.nats = nats;
        this.worker = worker;
    }

    public synchronized long messages() {
        if (readAt != 0 && System.nanoTime() - readAt < MAX_AGE_NANOS) {
            return value;
        }
        readAt = System.nanoTime();
        try {
            if (connection == null) {
                connection = NatsConnector.connect(nats, "pg_flo worker metrics " + worker.consumerName());
            }
            ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(worker.streamName(),
                    worker.consumerName());
            value = info.getNumPending() + info.getNumAckPending();
        } catch (Exception e) {
            value = -1;
        }
        return value;
    }

    @Override
    public synchronized void close() {
        NatsConnector.closeQuietly(connection);
    }
}
