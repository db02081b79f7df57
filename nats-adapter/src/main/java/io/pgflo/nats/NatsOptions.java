package io.pgflo.nats;

import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags of the replicator and of workers, declared as data like a sink's: each also reads {@code PGFLO_<FLAG>}
 * (so secrets need not be on the command line: {@code PGFLO_NATS_PASSWORD}, {@code PGFLO_NATS_TOKEN}).
 */
public final class NatsOptions {
    public static final Option<String> URL = Option.text("nats-url").required()
            .description("NATS server(s) to connect to, e.g. nats://127.0.0.1:4222 (comma-separated for a cluster)")
            .build();
    public static final Option<String> USER = Option.text("nats-user").description("NATS user name").build();
    public static final Option<String> PASSWORD = Option.text("nats-password").secret()
            .description("NATS password (prefer PGFLO_NATS_PASSWORD)").build();
    public static final Option<String> TOKEN = Option.text("nats-token").secret()
            .description("NATS authentication token (prefer PGFLO_NATS_TOKEN)").build();
    public static final Option<Path> CREDENTIALS = Option.path("nats-creds")
            .description("NATS credentials file (JWT and NKey seed, as 'nsc' writes it)").build();
    public static final Option<Path> TLS_CA = Option.path("nats-tls-ca")
            .description("PEM file of the certificate authorities that signed the NATS server's certificate").build();
    public static final Option<Path> TLS_CERT = Option.path("nats-tls-cert")
            .description("PEM file of this client's certificate, for servers that verify clients").build();
    public static final Option<Path> TLS_KEY = Option.path("nats-tls-key")
            .description("PEM file of this client's PKCS#8 private key").build();

    public static final Option<Integer> PARTITIONS = Option.wholeNumber("partitions", 1, 1024).defaultValue(1)
            .description("publish to N subjects pgflo.<group>.<p> by a hash of table and replication key; each row's "
                    + "changes stay in order, but a transaction spanning partitions is no longer applied whole")
            .build();
    public static final Option<String> STORAGE = Option.choice("nats-stream-storage", "file", "memory")
            .defaultValue("file").description("where JetStream keeps the stream: file (survives a restart) or memory")
            .build();
    public static final Option<Integer> REPLICAS = Option.wholeNumber("nats-stream-replicas", 1, 5).defaultValue(1)
            .description("copies of the stream in a JetStream cluster (3 survives the loss of a node)").build();
    public static final Option<Duration> MAX_AGE = Option.duration("nats-stream-max-age")
            .defaultValue(StreamSettings.DEFAULT_MAX_AGE)
            .description("how long the stream keeps a message: a worker stopped longer than this misses changes")
            .build();
    public static final Option<Long> MAX_BYTES = Option.byteSize("nats-stream-max-bytes")
            .description("most bytes the stream keeps (default: no limit but --nats-stream-max-age)").build();

    public static final Option<Boolean> CAPTURE_DDL = Option.bool("capture-ddl")
            .description("capture schema changes on the source and publish them as DDL events, for PostgreSQL "
                    + "workers with --track-ddl").build();

    public static final Option<String> WORKER_NAME = Option.text("worker-name")
            .description("the worker's durable consumer name (default: the sink's name); workers of different "
                    + "names each get every change").build();
    public static final Option<Integer> PARTITION = Option.wholeNumber("partition", 0, 1023)
            .description("the partition this worker reads, when the replicator runs with --partitions").build();
    public static final Option<Duration> LEASE_TTL = Option.duration("worker-lease-ttl")
            .defaultValue(WorkerSettings.DEFAULT_LEASE_TTL)
            .description("how long a worker's name stays held after it dies; a second worker of the same name is "
                    + "refused").build();
    public static final Option<Boolean> ACCEPT_GAP = Option.bool("accept-gap")
            .description("go on past messages the stream dropped before this worker read them (after a backfill "
                    + "made up for them) instead of stopping").build();

    private NatsOptions() {}

    /** The connection's flags. */
    public static List<Option<?>> connection() {
        return List.of(URL, USER, PASSWORD, TOKEN, CREDENTIALS, TLS_CA, TLS_CERT, TLS_KEY);
    }

    /** The login flags, without the server's URL: for a command whose {@code --nats-url} is optional. */
    public static OptionSet login() {
        return OptionSet.of(USER, PASSWORD, TOKEN, CREDENTIALS, TLS_CA, TLS_CERT, TLS_KEY);
    }

    /** The replicator's flags beside the common ones. */
    public static OptionSet replicator() {
        List<Option<?>> all = new ArrayList<>(connection());
        all.addAll(List.of(PARTITIONS, STORAGE, REPLICAS, MAX_AGE, MAX_BYTES, CAPTURE_DDL));
        return OptionSet.of(all.toArray(Option<?>[]::new));
    }

    /** A worker's flags beside its sink's. */
    public static OptionSet worker() {
        List<Option<?>> all = new ArrayList<>(connection());
        all.addAll(List.of(WORKER_NAME, PARTITION, LEASE_TTL, ACCEPT_GAP));
        return OptionSet.of(all.toArray(Option<?>[]::new));
    }

    public static NatsSettings natsSettings(OptionValues values) {
        return new NatsSettings(values.get(URL), values.get(USER), values.get(PASSWORD), values.get(TOKEN),
                values.get(CREDENTIALS), values.get(TLS_CA), values.get(TLS_CERT), values.get(TLS_KEY));
    }

    /** {@code url} with the {@link #login()} values. */
    public static NatsSettings natsSettings(String url, OptionValues login) {
        return new NatsSettings(url, login.get(USER), login.get(PASSWORD), login.get(TOKEN), login.get(CREDENTIALS),
                login.get(TLS_CA), login.get(TLS_CERT), login.get(TLS_KEY));
    }

    public static StreamSettings streamSettings(String group, OptionValues values) {
        Long maxBytes = values.get(MAX_BYTES);
        return new StreamSettings(group, values.get(PARTITIONS), "file".equals(values.get(STORAGE)),
                values.get(REPLICAS), values.get(MAX_AGE), maxBytes == null ? -1 : maxBytes);
    }

    public static WorkerSettings workerSettings(String group, String sinkName, OptionValues values) {
        String name = values.get(WORKER_NAME);
        return new WorkerSettings(group, name == null ? sinkName : name, values.get(PARTITION), values.get(LEASE_TTL),
                values.get(ACCEPT_GAP));
    }
}
