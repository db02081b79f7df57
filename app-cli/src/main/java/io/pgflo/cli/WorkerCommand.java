package io.pgflo.cli;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import io.pgflo.domain.BackfillMerger;
import io.pgflo.domain.BatchPolicy;
import io.pgflo.domain.ChangeShaper;
import io.pgflo.domain.ChangeSource;
import io.pgflo.domain.DatabaseEndpoint;
import io.pgflo.domain.Pipeline;
import io.pgflo.domain.TableRoutes;
import io.pgflo.json.EventJsonEncoder;
import io.pgflo.metrics.Health;
import io.pgflo.nats.ConsumerBacklog;
import io.pgflo.nats.JetStreamSinkProvider;
import io.pgflo.nats.NatsOptions;
import io.pgflo.nats.NatsSettings;
import io.pgflo.nats.WorkerSettings;
import io.pgflo.nats.WorkerSources;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.EventEncoder;
import io.pgflo.sink.api.Option;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.sink.api.TableName;
import io.pgflo.sink.api.TransientSinkException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pg_flo worker <sink> --group G --nats-url URL [sink flags]}: a pipeline from the group's JetStream stream to
 * any sink, through the rules and routes of {@code --rules-config}, {@code --routing-config} or the config file, as
 * for {@code pg_flo stream}. The sink's checkpoint decides what is skipped and when JetStream is acknowledged (see
 * the NATS adapter's README). A lost destination ({@link TransientSinkException}) is retried with a back-off.
 */
final class WorkerCommand {
    private static final Logger log = LoggerFactory.getLogger("pg_flo");

    private final SettingLayers layers;
    private final ConfigFile configFile;
    private final PrintStream out;
    private final PrintStream err;
    private volatile Pipeline pipeline;
    private volatile WorkerMonitoring monitoring;
    private volatile boolean stopRequested;
    private final CountDownLatch stopSignal = new CountDownLatch(1);

    /**
     * @param layers where flags not on the command line come from: {@code PGFLO_<FLAG>}, then the config file
     * @param configFile the {@code --config} file (for its inline {@code rules:} and {@code routing:}); null without one
     */
    WorkerCommand(SettingLayers layers, ConfigFile configFile, PrintStream out, PrintStream err) {
        this.layers = layers;
        this.configFile = configFile;
        this.out = out;
        this.err = err;
    }

    /** @param args the whole command line, {@code args[command]} being {@code worker} */
    int run(String[] args, int command, SinkRegistry registry) {
        String[] translated = PgFloWorkerSpellings.translate(args);
        if (command + 1 >= translated.length || translated[command + 1].startsWith("-")) {
            err.println("pg_flo: name a sink: pg_flo worker <sink> --group G --nats-url URL [flags], one of "
                    + String.join(", ", workerSinks(registry)));
            return ExitCode.USAGE;
        }
        String sinkName = translated[command + 1];
        SinkProvider provider = registry.find(sinkName).filter(found -> !found.name().equals(JetStreamSinkProvider.NAME))
                .orElse(null);
        if (provider == null) {
            err.println("pg_flo: no sink '" + sinkName + "' for a worker; one of " + String.join(", ", workerSinks(registry)));
            return ExitCode.USAGE;
        }
        WorkerFlags flags = new WorkerFlags();
        OptionValues sinkValues;
        OptionValues natsValues;
        Map<String, String> lookup = layers.lookup();
        JCommander commander = JCommander.newBuilder().programName("pg_flo worker " + sinkName)
                .allowParameterOverwriting(true).addObject(flags)
                .defaultProvider(new EnvironmentDefaults(lookup)).build();
        try {
            SinkFlags.Split sink = SinkFlags.split(translated, command + 2, provider.options(), layers.environment(),
                    layers.fileValues());
            SinkFlags.Split nats = SinkFlags.split(sink.rest(), command + 2, NatsOptions.worker(), layers.environment(),
                    layers.fileValues());
            sinkValues = sink.values();
            natsValues = nats.values();
            String[] rest = Arrays.copyOfRange(nats.rest(), command + 2, nats.rest().length);
            commander.parse(rest);
            ListDefaults.repair(commander, lookup, rest);
        } catch (ParameterException e) {
            if (Arrays.asList(translated).contains("--help") || Arrays.asList(translated).contains("-h")) {
                return help(commander, provider);
            }
            err.println("pg_flo: " + layers.locate(ErrorMessages.describe(e), translated) + "; see 'pg_flo worker "
                    + sinkName + " --help'");
            return ExitCode.USAGE;
        } catch (IllegalArgumentException e) {
            if (Arrays.asList(translated).contains("--help") || Arrays.asList(translated).contains("-h")) {
                return help(commander, provider);
            }
            err.println("pg_flo: " + layers.locate(ErrorMessages.oneLine(e.getMessage()), translated)
                    + "; see 'pg_flo worker " + sinkName + " --help'");
            return ExitCode.USAGE;
        }
        if (flags.help) {
            return help(commander, provider);
        }
        flags.configFile = configFile;
        if (flags.printConfig) {
            EffectiveSettings.print(out, "pg_flo worker " + sinkName, List.of(
                    new EffectiveSettings.Declared(provider.options(), sinkValues),
                    new EffectiveSettings.Declared(NatsOptions.worker(), natsValues)),
                    commander, CommonFlags.namesOf(new WorkerFlags()), layers, configFile, translated);
            return ExitCode.OK;
        }
        return CommandOutcome.of("worker", () -> {
            LogConfigurator.setLevel(flags.log.level);
            NatsSettings nats = NatsOptions.natsSettings(natsValues);
            WorkerSettings worker = NatsOptions.workerSettings(flags.group, sinkName, natsValues);
            BatchPolicy policy = flags.batch.policy();
            // Checked before anything is consumed: a bad rules or routing file is one line and status 2.
            Shaping shaping = Shaping.of(flags.shapingSettings());
            try (WorkerMonitoring started = WorkerMonitoring.start(flags, sinkName, worker.consumerName(),
                    this::lagSeconds, new ConsumerBacklog(nats, worker));
                    SignalHandlers ignored = SignalHandlers.stopping(this::stop)) {
                monitoring = started;
                runWithRetries(flags, provider, new SelectedSink(provider, sinkValues), nats, worker, policy, shaping);
            }
        }, () -> pipeline != null, err);
    }

    /** The shaper the pipeline applies, and the routes the built-in sinks are told of. */
    private record Shaping(ChangeShaper shaper, TableRoutes routes) {
        static Shaping of(ShapingSettings settings) {
            try {
                Injector injector = Guice.createInjector(new ShapingModule(settings));
                return new Shaping(injector.getInstance(ChangeShaper.class), injector.getInstance(TableRoutes.class));
            } catch (ProvisionException e) {
                throw StreamRunner.unwrap(e);
            }
        }
    }

    private void runWithRetries(WorkerFlags flags, SinkProvider provider, SelectedSink selected, NatsSettings nats,
            WorkerSettings worker, BatchPolicy policy, Shaping shaping) throws InterruptedException {
        int attempts = 0;
        while (!stopRequested) {
            boolean streamed = false;
            try {
                streamed = runOnce(flags, provider, selected, nats, worker, policy, shaping);
                return;
            } catch (TransientSinkException e) {
                if (attempts >= flags.reconnectAttempts) {
                    throw e;
                }
                attempts = streamed ? 1 : attempts + 1;
                long delay = Math.min(30_000L, 500L * (1L << Math.min(attempts - 1, 16)));
                log.warn("sink's destination lost ({}); starting again in {} ms, attempt {} of {}",
                        ErrorMessages.oneLine(e.getMessage()), delay, attempts, flags.reconnectAttempts);
                if (stopSignal.await(delay, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        }
    }

    private boolean runOnce(WorkerFlags flags, SinkProvider provider, SelectedSink selected, NatsSettings nats,
            WorkerSettings worker, BatchPolicy policy, Shaping shaping) throws InterruptedException {
        List<TableName> tables = new ArrayList<>();
        for (String table : flags.tables) {
            int dot = table.indexOf('.');
            tables.add(dot > 0 ? new TableName(table.substring(0, dot), table.substring(dot + 1))
                    : new TableName(flags.schema, table));
        }
        SinkContext context = new SinkContext(flags.group, WritableDirectory.prepare("--status-dir", flags.statusDir),
                tables).withCapability(EventEncoder.class, new EventJsonEncoder());
        DatabaseEndpoint source = flags.sourceEndpoint();
        if (!(provider instanceof PluginSinkProvider)) {
            // Routes too: the PostgreSQL sink creates and alters the routed tables (plugins see the routed events alone).
            context = context.withCapability(TableRoutes.class, shaping.routes());
            if (source != null) {
                context = context.withCapability(DatabaseEndpoint.class, source);
            }
        }
        Sink sink;
        try {
            sink = selected.create(context);
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new ConfigurationException(provider.name() + " sink: " + e.getMessage(), e);
        }
        try (Sink ignored = sink; ChangeSource changes = WorkerSources.jetStream(nats, worker)) {
            Pipeline current = new Pipeline(changes, sink, policy, new BackfillMerger(), monitoring.listener(),
                    shaping.shaper());
            pipeline = current;
            if (stopRequested) {
                return false;
            }
            monitoring.health().enter(Health.Phase.STREAMING, null);
            current.run();
            log.info("worker {} stopped cleanly at checkpoint {} after {} events", worker.consumerName(),
                    current.stats().checkpoint(), current.stats().eventsWritten());
            return true;
        }
    }

    /** The running pipeline's lag in seconds; 0 before it runs. */
    private double lagSeconds() {
        Pipeline current = pipeline;
        return current == null ? 0 : current.stats().lag(Instant.now()).toNanos() / 1e9;
    }

    private void stop() {
        stopRequested = true;
        stopSignal.countDown();
        Pipeline current = pipeline;
        if (current != null) {
            current.stop();
        }
    }

    private int help(JCommander commander, SinkProvider provider) {
        StringBuilder text = new StringBuilder();
        commander.getUsageFormatter().usage(text);
        out.print(text);
        printOptions("NATS flags:", NatsOptions.worker(), out);
        printOptions(provider.name() + " flags:", provider.options(), out);
        out.println("Every flag can also be set by its environment variable, shown in brackets.");
        return ExitCode.OK;
    }

    private static void printOptions(String title, OptionSet options, PrintStream out) {
        out.println(title);
        for (Option<?> option : options) {
            out.printf("  %-28s %s%s [%s]%n", option.flag(), option.description(), option.required() ? " (required)" : "",
                    option.environmentVariable());
        }
    }

    private static List<String> workerSinks(SinkRegistry registry) {
        return registry.all().stream().map(SinkProvider::name).filter(name -> !name.equals(JetStreamSinkProvider.NAME))
                .toList();
    }
}
