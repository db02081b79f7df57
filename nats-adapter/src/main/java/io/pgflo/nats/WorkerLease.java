package io.pgflo.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.StorageType;
import io.pgflo.sink.api.ConfigurationException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's hold on its consumer name, in the group's JetStream key-value bucket: one key per consumer, created only if
 * absent, renewed (compare-and-set on its revision) three times per TTL, expiring a TTL after its holder dies. A second
 * worker with the same name waits out one TTL (its predecessor may just have died) and is then refused: two workers
 * never split one consumer between them.
 */
final class WorkerLease {
    private static final Logger log = LoggerFactory.getLogger(WorkerLease.class);
    private static final long POLL_MILLIS = 250;

    private final KeyValue bucket;
    private final String key;
    private final byte[] holder;
    private final ScheduledExecutorService renewer;
    private volatile long revision;
    private volatile String lost;

    private WorkerLease(KeyValue bucket, String key, byte[] holder, long revision, Duration ttl) {
        this.bucket = bucket;
        this.key = key;
        this.holder = holder;
        this.revision = revision;
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-worker-lease");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(200, ttl.toMillis() / 3);
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    static WorkerLease acquire(Connection connection, WorkerSettings worker) throws IOException, JetStreamApiException {
        KeyValue bucket = bucket(connection, worker);
        String key = worker.consumerName();
        byte[] holder = (hostName() + " pid " + ProcessHandle.current().pid() + " " + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + worker.leaseTtl().toNanos() + Duration.ofSeconds(1).toNanos();
        String current = null;
        boolean waited = false;
        while (true) {
            try {
                long revision = bucket.create(key, holder);
                return new WorkerLease(bucket, key, holder, revision, worker.leaseTtl());
            } catch (JetStreamApiException held) {
                KeyValueEntry entry = bucket.get(key);
                current = entry == null || entry.getValue() == null ? current : entry.getValueAsString();
            }
            if (System.nanoTime() > deadline) {
                throw new ConfigurationException("worker name " + key + " of group " + worker.group()
                        + " is held by another running worker (" + current + "): stop that one, or give this one "
                        + "another --worker-name (each name is one JetStream consumer)");
            }
            if (!waited) {
                log.info("worker name {} is held ({}); waiting up to {} s for the lease of a stopped worker to expire",
                        key, current, worker.leaseTtl().toSeconds() + 1);
                waited = true;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for worker name " + key, e);
            }
        }
    }

    private static KeyValue bucket(Connection connection, WorkerSettings worker) throws IOException, JetStreamApiException {
        KeyValueManagement management = connection.keyValueManagement();
        try {
            management.getStatus(worker.leaseBucket());
        } catch (JetStreamApiException missing) {
            try {
                management.create(KeyValueConfiguration.builder().name(worker.leaseBucket()).maxHistoryPerKey(1)
                        .ttl(worker.leaseTtl()).storageType(StorageType.File).build());
            } catch (JetStreamApiException raced) {
                // Another worker made it just now.
                management.getStatus(worker.leaseBucket());
            }
        }
        return connection.keyValue(worker.leaseBucket());
    }

    private void renew() {
        try {
            revision = bucket.update(key, holder, revision);
        } catch (JetStreamApiException e) {
            try {
                KeyValueEntry entry = bucket.get(key);
                if (entry != null && entry.getValue() != null
                        && !entry.getValueAsString().equals(new String(holder, StandardCharsets.UTF_8))) {
                    lost = "worker name " + key + " was taken over by " + entry.getValueAsString()
                            + " while this worker could not renew its lease; stopping";
                }
            } catch (IOException | JetStreamApiException | RuntimeException ignored) {
                // Try again at the next renewal.
            }
        } catch (IOException | RuntimeException e) {
            log.debug("renewing lease {}: {}", key, e.getMessage());
        }
    }

    /** Throws once another worker holds the name. */
    void check() {
        String reason = lost;
        if (reason != null) {
            throw new ConfigurationException(reason);
        }
    }

    void release() {
        renewer.shutdownNow();
        try {
            bucket.delete(key, revision);
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            log.debug("releasing lease {}: {}", key, e.getMessage());
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
