package io.pgflo.nats;

import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.Position;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A group's stream on the server: made when missing, checked when there, and what was last published to it. */
final class GroupStream {
    /** JetStream's error code for "no message found". */
    private static final int NO_MESSAGE = 10037;
    /** JetStream's error code for "stream not found". */
    private static final int NO_STREAM = 10059;

    private GroupStream() {}

    /** What the stream already holds: where the replicator resumes, and each partition's last counter and end. */
    record Published(Position progress, List<PartitionMark> marks) {}

    /** How long a cluster may take to elect its JetStream leaders (a start, a restart) before we give up. */
    private static final long UNAVAILABLE_WAIT_NANOS = java.time.Duration.ofSeconds(30).toNanos();

    /**
     * Creates the stream when it is missing; refuses one whose subjects do not fit the partitions asked for. Waits while
     * JetStream answers that it is not available yet (a cluster electing its leaders).
     */
    static StreamInfo ensure(JetStreamManagement management, StreamSettings settings) {
        long deadline = System.nanoTime() + UNAVAILABLE_WAIT_NANOS;
        while (true) {
            try {
                return ensureOnce(management, settings);
            } catch (ConfigurationException e) {
                if (!unavailable(e.getCause()) || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** JetStream not ready yet: no meta leader, or a request that timed out meanwhile. */
    static boolean unavailable(Throwable cause) {
        if (cause instanceof JetStreamApiException api) {
            return api.getErrorCode() == 503 || api.getApiErrorCode() == 10008;
        }
        return cause instanceof IOException;
    }

    private static StreamInfo ensureOnce(JetStreamManagement management, StreamSettings settings) {
        try {
            StreamInfo info = find(management, settings.streamName());
            if (info == null) {
                StreamConfiguration config = StreamConfiguration.builder()
                        .name(settings.streamName())
                        .subjects(settings.subjectFilter())
                        .storageType(settings.fileStorage() ? StorageType.File : StorageType.Memory)
                        .replicas(settings.replicas())
                        .retentionPolicy(RetentionPolicy.Limits)
                        .maxAge(settings.maxAge())
                        .maxBytes(settings.maxBytes())
                        .build();
                return management.addStream(config);
            }
            List<String> subjects = info.getConfiguration().getSubjects();
            if (!subjects.equals(List.of(settings.subjectFilter()))) {
                throw new ConfigurationException("stream " + settings.streamName() + " takes subjects " + subjects
                        + ", but --partitions " + settings.partitions() + " publishes to " + settings.subjectFilter()
                        + ": give the --partitions it was made with, or delete it (nats stream rm "
                        + settings.streamName() + ") once every worker is done with it");
            }
            return info;
        } catch (IOException e) {
            throw new ConfigurationException("cannot reach JetStream to set up stream " + settings.streamName() + ": "
                    + e.getMessage(), e);
        } catch (JetStreamApiException e) {
            throw new ConfigurationException("JetStream refused stream " + settings.streamName() + ": "
                    + e.getMessage() + " (is the server started with JetStream, -js?)", e);
        }
    }

    /** The stream's state, or null when there is no such stream. */
    static StreamInfo find(JetStreamManagement management, String stream) throws IOException, JetStreamApiException {
        try {
            return management.getStreamInfo(stream);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_STREAM || e.getErrorCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** Reads the last message: it says how far every partition had been published. */
    static Published lastPublished(JetStreamManagement management, StreamSettings settings, StreamInfo info) {
        List<PartitionMark> marks = new ArrayList<>();
        for (int p = 0; p < settings.partitions(); p++) {
            marks.add(PartitionMark.NONE);
        }
        long last = info.getStreamState().getLastSequence();
        if (last == 0) {
            return new Published(Position.START, marks);
        }
        try {
            MessageInfo message = management.getMessage(settings.streamName(), last);
            WireMessage decoded = WireFormat.decode(message.getData());
            if (settings.partitions() == 1) {
                marks.set(0, new PartitionMark(decoded.counter(), decoded.end()));
            } else if (decoded.marks().size() == settings.partitions()) {
                marks = new ArrayList<>(decoded.marks());
            }
            return new Published(decoded.progress(), marks);
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() == NO_MESSAGE) {
                // Purged by hand: start from the slot's position, numbering anew.
                return new Published(Position.START, marks);
            }
            throw new ConfigurationException("cannot read the last message of stream " + settings.streamName() + ": "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the last message of stream " + settings.streamName() + ": "
                    + e.getMessage(), e);
        }
    }
}
