package io.pgflo.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import io.pgflo.testkit.NatsServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The publisher and the worker's source against a real nats-server, one per class; each test a group of its own. */
class JetStreamIT {
    private static NatsServer nats;

    @BeforeAll
    static void startNats() {
        nats = NatsServer.start();
    }

    @AfterAll
    static void stopNats() {
        nats.close();
    }

    private static NatsSettings settings() {
        return NatsSettings.plain(nats.url());
    }

    private static WorkerSettings worker(String group, String name) {
        return new WorkerSettings(group, name, null, Duration.ofSeconds(1), false);
    }

    @Test
    void aRestartedPublisherResumesAfterWhatTheStreamHolds() {
        StreamSettings stream = StreamSettings.defaults("resume");
        Batch first = Changes.transactions(0, 3, 2);
        Batch second = Changes.transactions(3, 2, 2);
        try (JetStreamPublisher publisher = JetStreamPublisher.open(settings(), stream)) {
            assertThat(publisher.lastCheckpoint()).isEqualTo(Position.START);
            publisher.writeBatch(first);
            publisher.writeBatch(second);
            assertThat(publisher.lastCheckpoint()).isEqualTo(second.checkpoint());
        }
        try (JetStreamPublisher again = JetStreamPublisher.open(settings(), stream)) {
            assertThat(again.lastCheckpoint()).as("read from the stream's last message").isEqualTo(second.checkpoint());
        }
    }

    @Test
    void aWorkerGetsWholeTransactionsAndSkipsWhatItsCheckpointCovers() throws Exception {
        StreamSettings stream = StreamSettings.defaults("skip");
        try (JetStreamPublisher publisher = JetStreamPublisher.open(settings(), stream)) {
            publisher.writeBatch(Changes.transactions(0, 4, 3));
        }
        // Resume inside the second transaction (commit 2000) after its change 1.
        List<SourceMessage> got = WorkerReads.read(settings(), worker("skip", "w"), Position.of(Lsn.of(2000), 1), 10);
        assertThat(got.get(0)).isInstanceOfSatisfying(SourceChange.class,
                change -> assertThat(change.position()).isEqualTo(Position.of(Lsn.of(2000), 2)));
        assertThat(got.get(1)).isInstanceOfSatisfying(TransactionCommit.class,
                commit -> assertThat(commit.commitLsn()).isEqualTo(Lsn.of(2000)));
        assertThat(got.stream().filter(m -> m instanceof SourceChange).count()).isEqualTo(1 + 3 + 3);
        assertThat(got.get(got.size() - 1)).isInstanceOfSatisfying(TransactionCommit.class,
                commit -> assertThat(commit.endLsn()).as("the batch's real end").isEqualTo(Lsn.of(4050)));
    }

    @Test
    void aTransactionLargerThanAMessageSpansSeveralWithItsEndMarked() throws Exception {
        StreamSettings stream = StreamSettings.defaults("large");
        List<SourceChange> events = new ArrayList<>();
        String big = "x".repeat(50_000);
        for (int i = 0; i < 40; i++) {
            SourceChange small = Changes.insert(5000, i, i);
            events.add(new SourceChange(small.operation(), small.schema(), small.table(), small.lsn(), small.commitLsn(),
                    small.xid(), small.commitTime(), i, small.keyColumns(), new io.pgflo.sink.api.Row(List.of(
                    io.pgflo.sink.api.ColumnValue.text(Changes.ID, Integer.toString(i)),
                    io.pgflo.sink.api.ColumnValue.text(Changes.V, big))), null, null));
        }
        try (JetStreamPublisher publisher = JetStreamPublisher.open(settings(), stream)) {
            publisher.writeBatch(Batch.of(events.subList(0, 25), Position.of(Lsn.of(5000), 24)));
            publisher.writeBatch(Batch.of(events.subList(25, 40), Position.afterTransaction(Lsn.of(5100))));
            assertThat(publisher.publishedMessages()).as("over the 1 MB limit: several messages").isGreaterThan(2);
        }
        List<SourceMessage> got = WorkerReads.read(settings(), worker("large", "w"), Position.START, 41);
        assertThat(got).hasSize(41);
        assertThat(got.subList(0, 40)).allMatch(m -> m instanceof SourceChange);
        assertThat(got.get(40)).isEqualTo(new TransactionCommit(5000, Lsn.of(5000), Lsn.of(5100),
                events.get(0).commitTime()));
    }

    @Test
    void aWorkerThatMissedMessagesStopsNamingTheFirstMissingOne() throws Exception {
        StreamSettings stream = StreamSettings.defaults("gap");
        try (JetStreamPublisher publisher = JetStreamPublisher.open(settings(), stream)) {
            for (int i = 0; i < 5; i++) {
                publisher.writeBatch(Changes.transactions(i, 1, 2));
            }
        }
        try (Connection connection = NatsConnector.connect(settings(), "test")) {
            JetStreamManagement management = connection.jetStreamManagement();
            // What a retention limit does to a worker that fell behind: message 3 is gone.
            management.deleteMessage(stream.streamName(), 3);
        }
        JetStreamChangeSource source = new JetStreamChangeSource(settings(), worker("gap", "w"));
        try {
            source.start(Position.START);
            assertThatThrownBy(() -> {
                for (int i = 0; i < 20; i++) {
                    source.poll(Duration.ofMillis(200));
                }
            }).isInstanceOf(StreamGapException.class)
                    .hasMessageContaining("missed message 3 to 3 of pgflo.gap")
                    .hasMessageContaining("first missing change is after 0/802") // the end of message 2: 2050
                    .hasMessageContaining("pg_flo backfill --group gap");
        } finally {
            source.close();
        }

        JetStreamChangeSource late = new JetStreamChangeSource(settings(), worker("gap", "late"));
        try (Connection connection = NatsConnector.connect(settings(), "test")) {
            connection.jetStreamManagement().purgeStream(stream.streamName(),
                    io.nats.client.PurgeOptions.builder().sequence(5).build());
            late.start(Position.START);
            assertThatThrownBy(() -> late.poll(Duration.ofSeconds(2))).isInstanceOf(StreamGapException.class)
                    .hasMessageContaining("missed the messages before message 5");
        } finally {
            late.close();
        }
    }

    @Test
    void aSecondWorkerOfTheSameNameIsRefused() throws Exception {
        try (JetStreamPublisher publisher = JetStreamPublisher.open(settings(), StreamSettings.defaults("fence"))) {
            publisher.writeBatch(Changes.transactions(0, 1, 1));
        }
        JetStreamChangeSource first = new JetStreamChangeSource(settings(), worker("fence", "archive"));
        first.start(Position.START);
        JetStreamChangeSource second = new JetStreamChangeSource(settings(), worker("fence", "archive"));
        try {
            assertThatThrownBy(() -> second.start(Position.START)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("worker name archive of group fence is held by another running worker")
                    .hasMessageContaining("--worker-name");
        } finally {
            second.close();
        }
        JetStreamChangeSource other = new JetStreamChangeSource(settings(), worker("fence", "replica"));
        other.start(Position.START); // another name: its own consumer, no conflict
        other.close();
        first.close();
        JetStreamChangeSource after = new JetStreamChangeSource(settings(), worker("fence", "archive"));
        after.start(Position.START); // released on close: taken at once
        after.close();
    }

    @Test
    void statusShowsTheStreamTheReplicatorsProgressAndEachWorkersPendingCount() throws Exception {
        Batch batch = Changes.transactions(0, 3, 1);
        try (JetStreamPublisher publisher = JetStreamPublisher.open(settings(), StreamSettings.defaults("status"))) {
            publisher.writeBatch(Changes.transactions(0, 1, 1));
            JetStreamChangeSource source = new JetStreamChangeSource(settings(), worker("status", "archive"));
            source.start(Position.START);
            source.close();
            publisher.writeBatch(Changes.transactions(1, 2, 1));
        }
        StreamStatus status = StreamStatus.read(settings(), "status");
        assertThat(status.messages()).isEqualTo(2);
        assertThat(status.published()).isEqualTo(batch.checkpoint());
        assertThat(status.consumers()).singleElement().satisfies(consumer -> {
            assertThat(consumer.name()).isEqualTo("archive");
            // The closed worker's client had pulled the first: delivered, never acknowledged.
            assertThat(consumer.pending() + consumer.unacknowledged()).isEqualTo(2);
        });
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        status.print(new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8),
                status.lastPublished().plusSeconds(3), io.pgflo.sink.api.Lsn.of(batch.checkpoint().lsn().value() + 100));
        assertThat(status.replicatorLagBytes(batch.checkpoint().lsn())).isZero();
        assertThat(text.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("stream pgflo_status_stream: 2 messages")
                .contains("replicator: published up to " + batch.checkpoint() + ", 100 bytes behind the server, "
                        + "last message 3 s ago")
                .contains("worker archive (pgflo.status): 2 behind (");
        assertThatThrownBy(() -> StreamStatus.read(settings(), "nosuchgroup"))
                .hasMessageContaining("no JetStream stream pgflo_nosuchgroup_stream");
    }
}
