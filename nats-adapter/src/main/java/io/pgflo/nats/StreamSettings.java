package io.pgflo.nats;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A group's JetStream stream: its names (pg_flo's: stream {@code pgflo_<group>_stream}, subject {@code pgflo.<group>},
 * or {@code pgflo.<group>.<p>} for each of several partitions) and how the replicator creates it.
 *
 * @param fileStorage file storage (survives a server restart) rather than memory
 * @param maxAge how long a message is kept at most; {@link Duration#ZERO} for no limit
 * @param maxBytes how many bytes the stream keeps at most; -1 for no limit
 */
public record StreamSettings(String group, int partitions, boolean fileStorage, int replicas, Duration maxAge,
        long maxBytes) {
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_-]+");

    /** File storage, one replica, kept 7 days: a week's outage of a worker loses nothing. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);

    public StreamSettings {
        requireNonNull(group, "group is null");
        requireNonNull(maxAge, "maxAge is null");
        if (!GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("--group '" + group + "' cannot name a NATS subject: use letters, "
                    + "digits, '_' and '-'");
        }
        if (partitions < 1 || partitions > 1024) {
            throw new IllegalArgumentException("--partitions must be 1 to 1024, got " + partitions);
        }
        if (replicas < 1 || replicas > 5) {
            throw new IllegalArgumentException("--nats-replicas must be 1 to 5, got " + replicas);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("--nats-max-age must not be negative, got " + maxAge);
        }
    }

    /** One partition, file storage, one replica, 7 days, no byte limit. */
    public static StreamSettings defaults(String group) {
        return new StreamSettings(group, 1, true, 1, DEFAULT_MAX_AGE, -1);
    }

    public StreamSettings withPartitions(int count) {
        return new StreamSettings(group, count, fileStorage, replicas, maxAge, maxBytes);
    }

    public String streamName() {
        return "pgflo_" + group + "_stream";
    }

    /** The subject of partition {@code p}: {@code pgflo.<group>} when there is one partition. */
    public String subject(int partition) {
        return partitions == 1 ? "pgflo." + group : "pgflo." + group + "." + partition;
    }

    /** Every subject of the group, what the stream captures. */
    public String subjectFilter() {
        return partitions == 1 ? "pgflo." + group : "pgflo." + group + ".*";
    }

    /** The key-value bucket where workers hold their leases. */
    public String leaseBucket() {
        return "pgflo_" + group + "_workers";
    }
}
