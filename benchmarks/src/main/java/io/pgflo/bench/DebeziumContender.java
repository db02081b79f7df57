package io.pgflo.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Debezium Server with its HTTP sink, draining its own slot like the others and posting one request per event to the
 * harness's receiver: the per-event webhook target is stated against it ("at least 5 times Debezium Server's HTTP
 * sink"). It runs with pg_flo's heap limit and JVM flags, on a Java 21+ runtime ({@link DebeziumJava}: Debezium
 * Server 3.6 needs one), from the distribution in the local Maven repository ({@link DebeziumServerDistribution}).
 * Not among the default contenders: it costs a 781 MB archive and runs at a fraction of pg_flo's rate.
 */
final class DebeziumContender implements Contender {
    private final DebeziumServerDistribution distribution;

    DebeziumContender(BenchOptions options) {
        Path target = options.repository().resolve("benchmarks/target/debezium-server");
        this.distribution = new DebeziumServerDistribution(options.repository(), target);
    }

    @Override
    public String id() {
        return "debezium";
    }

    @Override
    public String displayName() {
        return "debezium http";
    }

    @Override
    public String measures() {
        return "Debezium Server " + DebeziumServerDistribution.VERSION
                + " (PostgreSQL connector, pgoutput) with its HTTP sink, one POST per event, to the same local receiver"
                + DebeziumJava.find().map(java -> ", on Java " + java.version() + " (" + java.home() + ")").orElse("");
    }

    /** Unpacks the server on first use: before the workload, outside every contender's clock. */
    @Override
    public String unavailableReason(BenchContext context) {
        if (DebeziumJava.find().isEmpty()) {
            return DebeziumJava.describeSearch();
        }
        return distribution.prepare();
    }

    @Override
    public void prepare(BenchContext context, RunSpec run) {
        context.receiver(); // listening before the clock runs
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) throws IOException {
        Path directory = run.workDirectory();
        Path config = directory.resolve("config");
        Files.createDirectories(config);
        WebhookReceiver receiver = context.receiver();
        receiver.reset();
        receiver.trackPositions(run.workload().events()); // its sink delivers at least once: tell redeliveries apart
        Database source = run.source().database();
        DebeziumServerConfig settings = new DebeziumServerConfig(source, names(), receiver.url(), directory.resolve("offsets.dat"));
        // Debezium Server (Quarkus) reads config/application.properties from its working directory: the run's.
        Files.writeString(config.resolve("application.properties"), settings.render());
        DebeziumJava java = DebeziumJava.find().orElseThrow(() -> new IllegalStateException(DebeziumJava.describeSearch()));
        Path gcLog = directory.resolve("gc.log");
        Path home = distribution.home();
        List<String> command = new ArrayList<>();
        command.add(java.executable().toString());
        command.add("-Xmx" + context.options().sizedHeap());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Xlog:gc:file=" + gcLog);
        // Not --jvm-arg's flags: those are pg_flo's (a JFR recording, say), and apply to it alone.
        // What the runner jar's manifest asks for (it applies to java -jar only): jboss-threads resets thread locals
        // through java.lang on Java 24 and later, and fails on every executor thread without it.
        command.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
        command.add("--enable-native-access=ALL-UNNAMED");
        // The JDK HTTP client (Debezium's sink) logs its errors and retries then: costs nothing while there are none.
        command.add("-Djdk.httpclient.HttpClient.log=errors");
        // What the distribution's run.sh runs, without its optional JMX, metrics and scripting parts.
        command.addAll(List.of("-cp", String.join(":", distribution.runnerJar().toString(),
                home.resolve("config/lib").toString(), home.resolve("lib").toString() + "/*"), "io.debezium.server.Main"));
        Map<String, String> environment = new HashMap<>();
        if (source.endpoint().password() != null) {
            environment.put(DebeziumServerConfig.PASSWORD_VARIABLE, source.endpoint().password());
        }
        // Its console log goes to stderr (quarkus.log.console.stderr), so a failure's last lines are in the table.
        return ProcessLaunch.start(command, environment, new File("/dev/null"), directory.resolve("debezium.log"),
                gcLog, directory);
    }

    /** 143 is the JVM's status after SIGTERM once its shutdown hooks (Debezium's orderly stop) have run. */
    @Override
    public boolean stoppedCleanly(int exitCode) {
        return exitCode == 0 || exitCode == 143;
    }

    @Override
    public Delivery verify(BenchContext context, RunSpec run) {
        return Delivery.receivedAtLeastOnce(context.receiver(), run.workload().events());
    }
}
