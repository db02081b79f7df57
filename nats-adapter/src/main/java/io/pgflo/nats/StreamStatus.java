package io.pgflo.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StreamInfo;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A group's stream as {@code pg_flo status --nats-url} shows it: its size, how far the replicator has published (and
 * how long ago), and each worker's consumer with its pending count. Reads only.
 *
 * @param published where the replicator's last message says everything is published, or null for an empty stream
 * @param lastPublished when the last message was stored, or null
 */
public record StreamStatus(String stream, long messages, long bytes, long firstSequence, long lastSequence,
        String storage, int replicas, Position published, Instant lastPublished, List<Consumer> consumers) {

    /** One worker's consumer: messages not yet delivered to it, and delivered but not yet acknowledged. */
    public record Consumer(String name, String subject, long pending, long unacknowledged, long acknowledgedUpTo) {}

    /** Reads the stream of {@code group}; throws {@link ConfigurationException} when there is none. */
    public static StreamStatus read(NatsSettings nats, String group) {
        String stream = StreamSettings.defaults(group).streamName();
        try (Connection connection = NatsConnector.connect(nats, "pg_flo status " + group)) {
            JetStreamManagement management = connection.jetStreamManagement();
            StreamInfo info = GroupStream.find(management, stream);
            if (info == null) {
                throw new ConfigurationException("no JetStream stream " + stream + " on " + nats.url()
                        + ": no replicator of group " + group + " has run against this server");
            }
            Position published = null;
            Instant lastPublished = null;
            long last = info.getStreamState().getLastSequence();
            if (last > 0) {
                try {
                    MessageInfo message = management.getMessage(stream, last);
                    published = WireFormat.decode(message.getData()).progress();
                    lastPublished = message.getTime().toInstant();
                } catch (JetStreamApiException | IllegalArgumentException e) {
                    // Purged, or not ours: shown as unknown.
                }
            }
            List<Consumer> consumers = new ArrayList<>();
            for (ConsumerInfo consumer : management.getConsumers(stream)) {
                consumers.add(new Consumer(consumer.getName(), consumer.getConsumerConfiguration().getFilterSubject(),
                        consumer.getNumPending(), consumer.getNumAckPending(), consumer.getAckFloor().getStreamSequence()));
            }
            return new StreamStatus(stream, info.getStreamState().getMsgCount(), info.getStreamState().getByteCount(),
                    info.getStreamState().getFirstSequence(), last,
                    info.getConfiguration().getStorageType().toString().toLowerCase(java.util.Locale.ROOT),
                    info.getConfiguration().getReplicas(), published, lastPublished, consumers);
        } catch (IOException | JetStreamApiException e) {
            throw new ConfigurationException("cannot read stream " + stream + " on " + nats.url() + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading stream " + stream, e);
        }
    }

    /**
     * Bytes of WAL between where the replicator has published everything and {@code server}, the source's current
     * position; null when nothing is published yet, 0 when it is caught up.
     */
    public Long replicatorLagBytes(Lsn server) {
        return published == null ? null : Math.max(0, server.value() - published.lsn().value());
    }

    /** The text {@code pg_flo status} prints; {@code server}, the source's current position, for the replicator's lag. */
    public void print(PrintStream out, Instant now, Lsn server) {
        out.printf("stream %s: %d messages, %d bytes, sequences %d to %d, %s storage, %d replica(s)%n", stream,
                messages, bytes, firstSequence, lastSequence, storage, replicas);
        if (published == null) {
            out.println("  replicator: nothing published yet");
        } else {
            out.printf("  replicator: published up to %s, %d bytes behind the server, last message %d s ago%n",
                    published, replicatorLagBytes(server), Duration.between(lastPublished, now).toSeconds());
        }
        if (consumers.isEmpty()) {
            out.println("  workers: none yet");
        }
        for (Consumer consumer : consumers) {
            out.printf("  worker %s (%s): %d behind (%d pending, %d delivered but not yet acknowledged), acknowledged "
                    + "up to sequence %d%n", consumer.name(), consumer.subject(),
                    consumer.pending() + consumer.unacknowledged(), consumer.pending(), consumer.unacknowledged(),
                    consumer.acknowledgedUpTo());
        }
    }
}
