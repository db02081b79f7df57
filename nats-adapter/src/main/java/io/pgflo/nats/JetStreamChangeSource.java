package io.pgflo.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.IterableConsumer;
import io.nats.client.ConsumeOptions;
import io.nats.client.Message;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.pgflo.domain.ChangeSource;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's source: the group's stream read through a durable pull consumer, as the changes and commits the replicator
 * published. JetStream messages are acknowledged only once the sink's checkpoint covers them ({@link #acknowledge}), so
 * a worker killed at any point gets again what its sink did not make durable, and the changes its sink's checkpoint
 * already covers are skipped: a sink that is exactly-once in one process stays so behind JetStream.
 *
 * <p>Messages carry a counter per partition and where the partition's previous message ended: a message that does not
 * follow on from what the worker has seen means the stream dropped messages (retention) it never read, and the source
 * stops with a {@link StreamGapException} rather than skip their changes.
 */
public final class JetStreamChangeSource implements ChangeSource {
    private static final Logger log = LoggerFactory.getLogger(JetStreamChangeSource.class);
    /** Messages the client pulls ahead: each holds a whole batch of the replicator's (up to half a MB), so few. */
    private static final int FETCH_BATCH = 16;
    /**
     * How long one pull request waits on the server. The client sends heartbeats for half of it and pulls again after
     * missing some: a pull request lost with a node (a consumer leader killed in a cluster) is noticed within seconds
     * instead of the client's default 30 s pull and 15 s heartbeats, which left a worker idle for a minute or more.
     */
    private static final long PULL_EXPIRES_MILLIS = 5_000;
    private static final Duration ACK_WAIT = Duration.ofSeconds(60);
    /** How long a cluster may take to elect its leaders (a start, a node's restart) before a start gives up. */
    private static final Duration UNAVAILABLE_WAIT = Duration.ofSeconds(30);
    /** JetStream's error code for "consumer not found". */
    private static final int NO_CONSUMER = 10014;

    private final NatsSettings nats;
    private final WorkerSettings worker;
    private final Deque<SourceMessage> ready = new ArrayDeque<>();
    /** Messages handed over (or skipped) but not yet acknowledged, with where their content ends, in order. */
    private final Deque<Received> unacknowledged = new ArrayDeque<>();
    private Connection connection;
    private IterableConsumer consumer;
    private WorkerLease lease;
    private Position delivered;
    private long lastCounter;
    private Position lastEnd;
    private boolean caughtUp;

    private record Received(Message message, Position end) {}

    JetStreamChangeSource(NatsSettings nats, WorkerSettings worker) {
        this.nats = nats;
        this.worker = worker;
    }

    @Override
    public void start(Position resumeAfter) {
        delivered = resumeAfter;
        lastEnd = resumeAfter;
        connection = NatsConnector.connect(nats, "pg_flo worker " + worker.consumerName());
        long deadline = System.nanoTime() + UNAVAILABLE_WAIT.toNanos();
        while (true) {
            try {
                JetStreamManagement management = connection.jetStreamManagement();
                awaitStream(management);
                if (lease == null) {
                    lease = WorkerLease.acquire(connection, worker);
                }
                long from = resetConsumer(management);
                // The client pulls in the background (and again after a reconnect); poll() only takes what arrived.
                consumer = connection.getConsumerContext(worker.streamName(), worker.consumerName())
                        .iterate(ConsumeOptions.builder().batchSize(FETCH_BATCH).expiresIn(PULL_EXPIRES_MILLIS).build());
                log.info("worker {} reading {} of stream {} on {} from stream sequence {}, after {}",
                        worker.consumerName(), worker.subject(), worker.streamName(), connection.getConnectedUrl(),
                        from, resumeAfter);
                return;
            } catch (IOException | JetStreamApiException e) {
                if (!GroupStream.unavailable(e) || System.nanoTime() - deadline > 0) {
                    throw new ConfigurationException("cannot read stream " + worker.streamName() + " as consumer "
                            + worker.consumerName() + ": " + e.getMessage(), e);
                }
                log.debug("JetStream not ready for consumer {} yet: {}", worker.consumerName(), e.getMessage());
                pause(e);
            }
        }
    }

    /**
     * Makes the durable consumer deliver from the first message it has not had acknowledged, now. A killed worker leaves
     * messages delivered and not acknowledged; JetStream would send them again only after the ack wait, and newer ones
     * first, which would look like a gap. The lease makes this worker the consumer's only reader, so it may recreate it.
     * Returns the stream sequence it starts from.
     */
    private long resetConsumer(JetStreamManagement management) throws IOException, JetStreamApiException {
        long from = 1;
        ConsumerInfo existing = existingConsumer(management);
        if (existing != null) {
            from = existing.getAckFloor().getStreamSequence() + 1;
            management.deleteConsumer(worker.streamName(), worker.consumerName());
        }
        ConsumerConfiguration.Builder configuration = ConsumerConfiguration.builder()
                .durable(worker.consumerName())
                .filterSubject(worker.subject())
                .ackPolicy(AckPolicy.All)
                .ackWait(ACK_WAIT)
                .maxAckPending(100_000);
        if (from > 1) {
            configuration.deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(from);
        } else {
            configuration.deliverPolicy(DeliverPolicy.All);
        }
        management.addOrUpdateConsumer(worker.streamName(), configuration.build());
        return from;
    }

    private ConsumerInfo existingConsumer(JetStreamManagement management) throws IOException, JetStreamApiException {
        try {
            return management.getConsumerInfo(worker.streamName(), worker.consumerName());
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_CONSUMER || e.getErrorCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static void pause(Exception cause) {
        try {
            Thread.sleep(250);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for JetStream", cause);
        }
    }

    /** Workers may start before the replicator: they wait for it to make the stream. */
    private void awaitStream(JetStreamManagement management) throws IOException, JetStreamApiException {
        long nextLog = 0;
        while (findStream(management) == null) {
            if (System.nanoTime() - nextLog > 0) {
                log.info("no JetStream stream {} on {} yet: waiting for 'pg_flo replicator --group {}' to make it",
                        worker.streamName(), nats.url(), worker.group());
                nextLog = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for stream " + worker.streamName(), e);
            }
        }
    }

    /** The stream's info, or null while it is missing or JetStream cannot answer yet (a cluster electing leaders). */
    private Object findStream(JetStreamManagement management) throws JetStreamApiException {
        try {
            return GroupStream.find(management, worker.streamName());
        } catch (IOException e) {
            return null;
        } catch (JetStreamApiException e) {
            if (e.getErrorCode() == 503) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public boolean caughtUp() {
        return ready.isEmpty() && caughtUp;
    }

    @Override
    public SourceMessage poll(Duration timeout) throws InterruptedException {
        if (!ready.isEmpty()) {
            return ready.poll();
        }
        lease.check();
        Message message;
        try {
            // Never 0: to the client, that means waiting for ever.
            message = consumer.nextMessage(Math.max(1, timeout.toMillis()));
        } catch (JetStreamStatusCheckedException | IllegalStateException e) {
            // A status from the server or a lost connection: the client pulls again once it is back.
            log.debug("reading {}: {}", worker.subject(), e.getMessage());
            return null;
        }
        if (message == null) {
            caughtUp = true;
            return null;
        }
        if (message.isJetStream()) {
            caughtUp = message.metaData().pendingCount() == 0;
            take(message);
        }
        return ready.poll();
    }

    private void take(Message message) {
        WireMessage decoded;
        try {
            decoded = WireFormat.decode(message.getData());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("message " + message.metaData().streamSequence() + " of stream "
                    + worker.streamName() + " is " + e.getMessage() + "; only pg_flo replicator may publish on "
                    + worker.subject(), e);
        }
        if (!decoded.end().isAfter(delivered)) {
            // A redelivery, or a message published again after the replicator restarted: already handed over.
            unacknowledged.addLast(new Received(message, decoded.end()));
            return;
        }
        checkFollowsOn(decoded);
        for (WireTransaction transaction : decoded.transactions()) {
            for (SourceChange event : transaction.events()) {
                if (!delivered.covers(event)) {
                    ready.addLast(event);
                    delivered = event.position();
                }
            }
            if (transaction.ends()) {
                Position end = Position.afterTransaction(transaction.endLsn());
                if (end.isAfter(delivered)) {
                    ready.addLast(new TransactionCommit(transaction.xid(), transaction.commitLsn(),
                            transaction.endLsn(), transaction.commitTime()));
                    delivered = end;
                }
            }
        }
        lastCounter = decoded.counter();
        lastEnd = decoded.end();
        unacknowledged.addLast(new Received(message, decoded.end()));
    }

    private void checkFollowsOn(WireMessage message) {
        // A counter lower than the last one is a renumbering (the stream was emptied): positions tell.
        boolean counterGap = lastCounter > 0 && message.counter() > lastCounter + 1;
        boolean positionGap = message.previous().isAfter(Position.max(lastEnd, delivered));
        if (!(counterGap || positionGap)) {
            return;
        }
        String missing = lastCounter > 0 ? "message " + (lastCounter + 1) + " to " + (message.counter() - 1)
                : "the messages before message " + message.counter();
        String text = "worker " + worker.consumerName() + " missed " + missing + " of " + worker.subject()
                + ": stream " + worker.streamName() + " no longer holds them (its --nats-max-age or --nats-max-bytes "
                + "dropped them first). The first missing change is after " + Position.max(lastEnd, delivered)
                + " and the stream resumes after " + message.previous() + ". To recover, have the replicator read the "
                + "tables again (pg_flo backfill --group " + worker.group() + " ...) and start this worker with "
                + "--accept-gap once the backfill is requested";
        if (!worker.acceptGap()) {
            throw new StreamGapException(text);
        }
        log.warn("{} (going on: --accept-gap)", text);
    }

    @Override
    public void acknowledge(Lsn durable) {
        Position covered = Position.afterTransaction(durable);
        Received last = null;
        while (!unacknowledged.isEmpty() && !unacknowledged.peekFirst().end().isAfter(covered)) {
            last = unacknowledged.pollFirst();
        }
        if (last != null) {
            // AckPolicy.All: this acknowledges every earlier message of the consumer too.
            last.message().ack();
        }
    }

    /** The consumer's pending count on the server: messages not yet delivered to this worker. */
    public long pending() {
        try {
            ConsumerInfo info = connection.jetStreamManagement().getConsumerInfo(worker.streamName(),
                    worker.consumerName());
            return info.getNumPending();
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (lease != null) {
            lease.release();
        }
        if (consumer != null) {
            try {
                consumer.close();
            } catch (Exception e) {
                log.debug("closing the consumer: {}", e.getMessage());
            }
        }
        NatsConnector.closeQuietly(connection);
    }
}
