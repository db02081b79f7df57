package io.pgflo.nats;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StreamInfo;
import io.pgflo.domain.SourceChange;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.TransientSinkException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicator's sink: publishes each batch to the group's JetStream stream and moves its checkpoint only once
 * JetStream has acknowledged every message of it, so the slot is acknowledged no further than the stream durably holds.
 * On start it reads the stream's last message, which says how far everything was published: the source then skips
 * what the stream already has, whatever JetStream's duplicate window.
 *
 * <p>Messages go one after the other, each waiting for its acknowledgement: a failed one is never followed by a later
 * one that succeeds, so the stream has no hole. A batch is usually one message per partition.
 */
public final class JetStreamPublisher implements Sink {
    private static final Logger log = LoggerFactory.getLogger(JetStreamPublisher.class);
    /** What a message may carry beyond its values (names, types, positions), per change, for the size estimate. */
    private static final int OVERHEAD_PER_EVENT = 160;

    private final Connection connection;
    private final JetStream jetStream;
    private final StreamSettings settings;
    private final Partitioner partitioner;
    private final PublishOptions publishOptions;
    private final long maxMessageBytes;
    private final long[] counters;
    private final Position[] ends;
    /** Per partition, the transaction a message left open (more of it to come), or null. */
    private final WireTransaction[] open;
    private volatile Position checkpoint;
    private volatile long publishedMessages;

    private JetStreamPublisher(Connection connection, StreamSettings settings, GroupStream.Published published) {
        this.connection = connection;
        this.settings = settings;
        this.partitioner = new Partitioner(settings.partitions());
        try {
            this.jetStream = connection.jetStream();
        } catch (IOException e) {
            throw new TransientSinkException("cannot use JetStream on " + connection.getConnectedUrl(), e);
        }
        this.publishOptions = PublishOptions.builder().expectedStream(settings.streamName())
                .streamTimeout(Duration.ofSeconds(10)).build();
        // Half the server's limit: the estimate below is rough, and a message over the limit is refused.
        this.maxMessageBytes = Math.max(64 * 1024, connection.getServerInfo().getMaxPayload() / 2);
        int partitions = settings.partitions();
        this.counters = new long[partitions];
        this.ends = new Position[partitions];
        this.open = new WireTransaction[partitions];
        for (int p = 0; p < partitions; p++) {
            counters[p] = published.marks().get(p).counter();
            ends[p] = published.marks().get(p).end();
        }
        this.checkpoint = published.progress();
    }

    /** Connects, makes or checks the stream, and reads how far it goes. The connection is the sink's to close. */
    public static JetStreamPublisher open(NatsSettings nats, StreamSettings settings) {
        Connection connection = NatsConnector.connect(nats, "pg_flo replicator " + settings.group());
        try {
            JetStreamManagement management = connection.jetStreamManagement();
            StreamInfo info = GroupStream.ensure(management, settings);
            GroupStream.Published published = GroupStream.lastPublished(management, settings, info);
            log.info("publishing to JetStream stream {} ({} partition(s)) on {}; it holds everything up to {}",
                    settings.streamName(), settings.partitions(), connection.getConnectedUrl(), published.progress());
            return new JetStreamPublisher(connection, settings, published);
        } catch (IOException | RuntimeException e) {
            NatsConnector.closeQuietly(connection);
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new TransientSinkException("cannot use JetStream at " + nats.url(), e);
        }
    }

    @Override
    public Position lastCheckpoint() {
        return checkpoint;
    }

    /** How many messages this sink has published (for logs and tests). */
    public long publishedMessages() {
        return publishedMessages;
    }

    @Override
    public void writeBatch(Batch batch) {
        List<List<WireTransaction>> drafts = new ArrayList<>(settings.partitions());
        for (int p = 0; p < settings.partitions(); p++) {
            drafts.add(new ArrayList<>());
        }
        List<ChangeEvent> events = batch.events();
        int start = 0;
        while (start < events.size()) {
            Lsn commit = events.get(start).commitLsn();
            int end = start;
            while (end < events.size() && events.get(end).commitLsn().equals(commit)) {
                end++;
            }
            closeOpenBefore(commit, drafts);
            boolean lastRun = end == events.size();
            boolean complete = !lastRun || batch.endsTransaction();
            Lsn endLsn = !complete ? null
                    : lastRun && batch.checkpoint().wholeTransaction() ? batch.checkpoint().lsn() : after(commit);
            addRun(events.subList(start, end), endLsn, drafts);
            start = end;
        }
        if (batch.checkpoint().wholeTransaction()) {
            // A transaction whose last changes came in an earlier batch (an initial copy's, say) ends here.
            closeOpenBefore(Lsn.MAX, drafts);
        }
        publish(drafts, batch.checkpoint());
    }

    /** Where a transaction is taken to end when its real end LSN is not at hand: just after its commit's start. */
    private static Lsn after(Lsn commit) {
        return Lsn.of(commit.value() + 1);
    }

    private void closeOpenBefore(Lsn commit, List<List<WireTransaction>> drafts) {
        for (int p = 0; p < open.length; p++) {
            WireTransaction pending = open[p];
            if (pending != null && !pending.commitLsn().equals(commit)) {
                drafts.get(p).add(new WireTransaction(pending.xid(), pending.commitLsn(), pending.commitTime(),
                        after(pending.commitLsn()), List.of()));
                open[p] = null;
            }
        }
    }

    private void addRun(List<ChangeEvent> run, Lsn endLsn, List<List<WireTransaction>> drafts) {
        ChangeEvent first = run.get(0);
        List<List<SourceChange>> byPartition = new ArrayList<>(settings.partitions());
        for (int p = 0; p < settings.partitions(); p++) {
            byPartition.add(new ArrayList<>());
        }
        for (ChangeEvent event : run) {
            byPartition.get(partitioner.partitionOf(event)).add(asSourceChange(event));
        }
        for (int p = 0; p < settings.partitions(); p++) {
            List<SourceChange> mine = byPartition.get(p);
            boolean wasOpen = open[p] != null;
            if (mine.isEmpty() && !(wasOpen && endLsn != null)) {
                continue;
            }
            drafts.get(p).add(new WireTransaction(first.xid(), first.commitLsn(), first.commitTime(), endLsn, mine));
            open[p] = endLsn == null ? new WireTransaction(first.xid(), first.commitLsn(), first.commitTime(), null,
                    List.of()) : null;
        }
    }

    private static SourceChange asSourceChange(ChangeEvent event) {
        if (event instanceof SourceChange change) {
            return change;
        }
        return new SourceChange(event.operation(), event.schema(), event.table(), event.lsn(), event.commitLsn(),
                event.xid(), event.commitTime(), event.ordinal(), event.keyColumns(), event.newRow(), event.oldRow(),
                event.ddl());
    }

    private void publish(List<List<WireTransaction>> drafts, Position batchCheckpoint) {
        List<Integer> partitions = new ArrayList<>();
        List<List<WireTransaction>> contents = new ArrayList<>();
        for (int p = 0; p < drafts.size(); p++) {
            for (List<WireTransaction> content : split(drafts.get(p))) {
                partitions.add(p);
                contents.add(content);
            }
        }
        Position before = checkpoint;
        for (int m = 0; m < contents.size(); m++) {
            int p = partitions.get(m);
            List<WireTransaction> content = contents.get(m);
            WireTransaction last = content.get(content.size() - 1);
            Position end = last.ends() ? Position.afterTransaction(last.endLsn())
                    : Position.of(last.commitLsn(), last.events().get(last.events().size() - 1).ordinal());
            boolean final_ = m == contents.size() - 1;
            // With one partition, messages are in stream order and each says exactly how far it goes; with several,
            // only the batch's last one covers every partition's part of it.
            Position progress = final_ ? batchCheckpoint : settings.partitions() == 1 ? end : before;
            counters[p]++;
            Position previous = ends[p];
            ends[p] = end;
            List<PartitionMark> marks = new ArrayList<>();
            if (settings.partitions() > 1) {
                for (int q = 0; q < settings.partitions(); q++) {
                    marks.add(new PartitionMark(counters[q], ends[q]));
                }
            }
            WireMessage message = new WireMessage(p, counters[p], previous, end, progress, marks, content);
            send(message);
            checkpoint = Position.max(checkpoint, progress);
        }
        checkpoint = Position.max(checkpoint, batchCheckpoint);
    }

    /** A partition's transactions cut into messages of about {@link #maxMessageBytes}, large transactions split. */
    private List<List<WireTransaction>> split(List<WireTransaction> transactions) {
        List<List<WireTransaction>> messages = new ArrayList<>();
        List<WireTransaction> current = new ArrayList<>();
        long size = 0;
        for (WireTransaction transaction : transactions) {
            List<SourceChange> part = new ArrayList<>();
            for (SourceChange event : transaction.events()) {
                long bytes = event.valueBytes() * 2 + OVERHEAD_PER_EVENT;
                if (size + bytes > maxMessageBytes && (!part.isEmpty() || !current.isEmpty())) {
                    if (!part.isEmpty()) {
                        current.add(new WireTransaction(transaction.xid(), transaction.commitLsn(),
                                transaction.commitTime(), null, part));
                    }
                    messages.add(current);
                    current = new ArrayList<>();
                    part = new ArrayList<>();
                    size = 0;
                }
                part.add(event);
                size += bytes;
            }
            current.add(new WireTransaction(transaction.xid(), transaction.commitLsn(), transaction.commitTime(),
                    transaction.endLsn(), part));
            size += OVERHEAD_PER_EVENT;
        }
        if (!current.isEmpty()) {
            messages.add(current);
        }
        return messages;
    }

    private void send(WireMessage message) {
        byte[] data = WireFormat.encode(message);
        String subject = settings.subject(message.partition());
        PublishOptions options = PublishOptions.builder().expectedStream(settings.streamName())
                .streamTimeout(publishOptions.getStreamTimeout()).messageId(message.messageId()).build();
        try {
            PublishAck ack = jetStream.publish(subject, data, options);
            if (ack.isDuplicate()) {
                log.debug("message {} was already in stream {} (sequence {})", message.messageId(),
                        settings.streamName(), ack.getSeqno());
            }
            publishedMessages++;
        } catch (IOException | JetStreamApiException e) {
            throw new TransientSinkException("JetStream did not accept message " + message.counter() + " of "
                    + subject + " (changes up to " + message.end() + ", " + data.length + " bytes): " + e.getMessage(),
                    e);
        } catch (RuntimeException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new TransientSinkException("JetStream did not acknowledge message " + message.counter() + " of "
                        + subject + " in time", e);
            }
            throw e;
        }
    }

    @Override
    public void close() {
        NatsConnector.closeQuietly(connection);
    }
}
