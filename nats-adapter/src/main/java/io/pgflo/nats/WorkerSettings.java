package io.pgflo.nats;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One worker of a group: its durable consumer's name, the partition it reads (or null for an unpartitioned stream),
 * and how it holds its name against a second worker of the same name.
 *
 * @param leaseTtl how long a worker's lease outlives it: a worker that died holds its name this long; one that runs
 *     renews it three times as often
 * @param acceptGap go on past messages the stream no longer holds (after a backfill made up for them), instead of
 *     stopping
 */
public record WorkerSettings(String group, String workerName, Integer partition, Duration leaseTtl, boolean acceptGap) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(15);

    public WorkerSettings {
        requireNonNull(group, "group is null");
        requireNonNull(workerName, "workerName is null");
        requireNonNull(leaseTtl, "leaseTtl is null");
        if (!NAME.matcher(workerName).matches()) {
            throw new IllegalArgumentException("--worker-name '" + workerName + "' cannot name a JetStream consumer: "
                    + "use letters, digits, '_' and '-'");
        }
        if (partition != null && (partition < 0 || partition >= 1024)) {
            throw new IllegalArgumentException("--partition must be 0 to 1023, got " + partition);
        }
        if (leaseTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("--worker-lease-ttl must be at least 1 s, got " + leaseTtl);
        }
    }

    /** The durable consumer's name: the worker name, with the partition when there is one. */
    public String consumerName() {
        return partition == null ? workerName : workerName + "-p" + partition;
    }

    /** The subject this worker reads. */
    public String subject() {
        return partition == null ? "pgflo." + group : "pgflo." + group + "." + partition;
    }

    public String streamName() {
        return "pgflo_" + group + "_stream";
    }

    public String leaseBucket() {
        return "pgflo_" + group + "_workers";
    }
}
