package io.pgflo.cli;

import com.beust.jcommander.JCommander;
import java.util.Set;
import java.util.HashMap;
import java.util.HashSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.nats.NatsOptions;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.Option;
import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import com.google.inject.Guice;
import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.wal.ReplicationNames;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Parses {@code pg_flo} command lines and hands each to what runs it. Sink subcommands come from the sink registry, so
 * a new sink, built in or plugged in, needs no change here.
 */
final class PgFloCommandLine {
    private static final org.slf4j.Logger log = LoggerFactory.getLogger("pg_flo");

    @Parameters(commandDescription = "stream changes to a sink: pg_flo stream <sink> [flags]")
    static final class StreamCommand {
        @Parameter(names = {"--help", "-h"}, help = true, description = "list the sinks")
        boolean help;
    }

    /**
     * {@code --help} and {@code --plugins-dir}, which {@code pg_flo} and {@code pg_flo sinks} both take. The plugins
     * directory is read before parsing (plugin sinks are subcommands); declared so that it is accepted in both places.
     */
    static final class HelpAndPlugins {
        @Parameter(names = {"--help", "-h"}, help = true, description = "show this help")
        boolean help;

        @Parameter(names = "--plugins-dir", description = "directory of sink plugin jars (default: plugins/ in the "
                + "working directory)")
        String pluginsDir;
    }

    @Parameters(commandDescription = "list the available sinks")
    static final class SinksCommand {
        @ParametersDelegate
        final HelpAndPlugins common = new HelpAndPlugins();
    }

    static final class RootOptions {
        @ParametersDelegate
        final HelpAndPlugins common = new HelpAndPlugins();

        @Parameter(names = "--version", description = "print the version")
        boolean version;
    }

    private final Map<String, String> environment;
    /**
     * What flags read when the command line does not give them: the environment over the config file's settings, as
     * {@code PGFLO_<FLAG>} names ({@link SettingLayers#lookup()}). Filled in once the file is checked.
     */
    private final Map<String, String> settings = new HashMap<>();
    private final PrintStream out;
    /** Where pg_flo's own lines about errors go: stderr, or in --log-format json, stderr through JsonErrorLines. */
    private PrintStream err;

    PgFloCommandLine(Map<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    int execute(String[] args) {
        // pg_flo replicator is pg_flo stream jetstream, for every flag, the config file's too.
        args = ReplicatorCommand.asStream(args);
        // The config file is read first, so that its log-format and plugins-dir count from the start; its keys are
        // checked once every command and sink is known.
        ConfigFile configFile = null;
        ConfigFileException unreadable = null;
        String commandName = commandIndex(args) >= 0 ? args[commandIndex(args)] : "";
        try {
            configFile = ConfigFlag.requested(commandName, args, environment).map(ConfigFile::read).orElse(null);
        } catch (ConfigFileException e) {
            unreadable = e;
        }
        settings.putAll(SettingLayers.early(environment, configFile));
        // Before anything logs: with --log-format json, every line on stderr is a JSON object, the first one too.
        LogFormat format = LogFormat.requested(args, settings);
        LogConfigurator.useFormat(format);
        if (format == LogFormat.JSON) {
            err = JsonErrorLines.around(err);
        }
        if (unreadable != null) {
            err.println("pg_flo: " + ErrorMessages.oneLine(unreadable.getMessage()));
            return ExitCode.USAGE;
        }
        SinkRegistry registry;
        try {
            Path pluginsDirectory = pluginsDirectory(args);
            PluginLoader.Scan plugins = new PluginLoader(PgFloCommandLine.class.getClassLoader()).scan(pluginsDirectory);
            registry = Guice.createInjector(new SinksModule(plugins.providers())).getInstance(SinkRegistry.class);
            for (String problem : plugins.problems()) {
                err.println("pg_flo: " + problem);
            }
            for (String problem : registry.problems()) {
                err.println("pg_flo: " + problem);
            }
        } catch (RuntimeException e) {
            err.println("pg_flo: cannot load sinks: " + ErrorMessages.oneLine(ErrorMessages.rootMessage(e)));
            return ExitCode.USAGE;
        }
        RootOptions root = new RootOptions();
        StreamCommand stream = new StreamCommand();
        DemoCommand demo = new DemoCommand();
        SinksCommand sinks = new SinksCommand();
        BackfillCommand backfill = new BackfillCommand();
        StatusCommand status = new StatusCommand();
        DropCommand drop = new DropCommand();
        JCommander commander = JCommander.newBuilder()
                .programName("pg_flo")
                // A flag given twice takes its last value, as in pg_flo and most tools (wrapper scripts add defaults).
                .allowParameterOverwriting(true)
                .addObject(root)
                .addCommand("stream", stream)
                .addCommand("sinks", sinks)
                .addCommand("demo", demo)
                .addCommand("backfill", backfill)
                .addCommand("status", status)
                .addCommand("drop", drop)
                .defaultProvider(new EnvironmentDefaults(settings))
                .build();
        JCommander streamCommander = commander.getCommands().get("stream");
        List<SinkProvider> usable = new ArrayList<>();
        for (SinkProvider provider : registry.all()) {
            String problem = addSinkCommand(streamCommander, provider);
            if (problem == null) {
                usable.add(provider);
            } else {
                err.println("pg_flo: " + problem);
            }
        }
        registry = registry.only(usable);
        String usageHint = hintFor(args);
        int command = commandIndex(args);
        SettingLayers layers;
        try {
            layers = SettingLayers.of(environment, configFile, commandName, ConfigKeys.of(commander, registry.all()));
        } catch (ConfigFileException e) {
            err.println("pg_flo: " + ErrorMessages.oneLine(e.getMessage()));
            return ExitCode.USAGE;
        }
        if (command >= 0 && args[command].equals("worker")) {
            return new WorkerCommand(layers, configFile, out, err).run(args, command, registry);
        }
        settings.clear();
        settings.putAll(layers.lookup());
        SinkProvider chosen = command >= 0 && command + 1 < args.length && args[command].equals("stream")
                ? registry.find(args[command + 1]).orElse(null) : null;
        if (chosen != null && (List.of(args).contains("--help") || List.of(args).contains("-h"))) {
            SinkHelp.print(chosen, out);
            return ExitCode.OK;
        }
        OptionValues sinkValues = null;
        String[] given = args; // args loses the sink's flags below; where a value came from is told from all of them
        try {
            if (command >= 0 && args[command].equals("status")) {
                // The NATS login flags, declared as data as a worker's are.
                SinkFlags.Split login = SinkFlags.split(args, command + 1, NatsOptions.login(), layers.environment(),
                        Map.of());
                status.natsLogin = login.values();
                args = login.rest();
            }
            if (chosen != null) {
                // The sink's flags, by its declarations; what is left is the source's and the engine's.
                SinkFlags.Split split = SinkFlags.split(args, command + 2, chosen.options(), environment,
                        layers.fileValues());
                sinkValues = split.values();
                args = split.rest();
            }
            commander.parse(args);
            ListDefaults.repair(commander, settings, args);
        } catch (ParameterException e) {
            err.println("pg_flo: " + layers.locate(ErrorMessages.describe(e), given) + "; see '" + usageHint + "'");
            return ExitCode.USAGE;
        } catch (IllegalArgumentException e) {
            err.println("pg_flo: " + layers.locate(ErrorMessages.oneLine(e.getMessage()), given) + "; see '" + usageHint
                    + "'");
            return ExitCode.USAGE;
        }
        String parsed = commander.getParsedCommand();
        if (root.version) {
            out.println("pg_flo " + version());
            return ExitCode.OK;
        }
        if (root.common.help || parsed == null) {
            printUsage(commander, root.common.help);
            return root.common.help ? ExitCode.OK : ExitCode.USAGE;
        }
        return switch (parsed) {
            case "sinks" -> sinks.common.help ? usage(commander.getCommands().get("sinks")) : listSinks(registry);
            case "demo" -> demo.help ? usage(commander.getCommands().get("demo")) : runDemo(demo);
            case "backfill" -> backfill.help ? usage(commander.getCommands().get("backfill"))
                    : runForGroup("backfill request", backfill.source, backfill.log, args, () -> backfill.run(out));
            case "status" -> status.help ? usage(commander.getCommands().get("status"))
                    : runForGroup("status", status.source, status.log, args, () -> status.run(out));
            case "drop" -> drop.help ? usage(commander.getCommands().get("drop"))
                    : runForGroup("drop", drop.source, drop.log, args, () -> drop.run(out));
            default -> stream(streamCommander, stream, registry, given, sinkValues, layers, configFile);
        };
    }

    /**
     * Adds {@code pg_flo stream <name>}; a sink whose options cannot be read or whose flags clash with pg_flo's own is
     * left out with the reason (naming its jar), so that one bad plugin never breaks the other commands.
     */
    private static String addSinkCommand(JCommander streamCommander, SinkProvider provider) {
        String origin = SinkOrigin.of(provider);
        OptionSet options;
        try {
            options = provider.options();
        } catch (RuntimeException | LinkageError e) {
            return "sink '" + provider.name() + "' from " + origin + " ignored: its options() failed: "
                    + ErrorMessages.oneLine(ErrorMessages.rootMessage(e));
        }
        if (options == null) {
            return "sink '" + provider.name() + "' from " + origin + " ignored: its options() returned null";
        }
        SourceOptions common = new SourceOptions();
        Set<String> taken = new HashSet<>(CommonFlags.names());
        for (Option<?> option : options) {
            if (taken.contains(option.flag()) && !CommonFlags.overridable(option)) {
                return "sink '" + provider.name() + "' from " + origin + " ignored: its option " + option.flag()
                        + " is one of pg_flo's own flags; rename it (see pg_flo stream stdout --help)";
            }
        }
        streamCommander.addCommand(provider.name(), common);
        return null;
    }

    private int stream(JCommander streamCommander, StreamCommand stream, SinkRegistry registry, String[] args,
            OptionValues sinkValues, SettingLayers layers, ConfigFile configFile) {
        String sinkName = streamCommander.getParsedCommand();
        if (sinkName == null) {
            if (!stream.help) {
                err.println("pg_flo: name a sink: pg_flo stream <sink>, one of " + String.join(", ", names(registry)));
            }
            (stream.help ? out : err).println("sinks:");
            listSinks(registry, stream.help ? out : err);
            return stream.help ? ExitCode.OK : ExitCode.USAGE;
        }
        JCommander sinkCommand = streamCommander.getCommands().get(sinkName);
        SourceOptions options = (SourceOptions) sinkCommand.getObjects().get(0);
        options.configFile = configFile;
        if (options.printConfig) {
            EffectiveSettings.print(out, registry.find(sinkName).orElseThrow(), sinkValues, sinkCommand, layers,
                    configFile, args);
            return ExitCode.OK;
        }
        try {
            LogConfigurator.setLevel(options.logLevel);
        } catch (IllegalArgumentException e) {
            err.println("pg_flo: " + e.getMessage());
            return ExitCode.USAGE;
        }
        nameGroupInLogs(options.group);
        if (options.copyAndStream && options.copyOnly) {
            err.println("pg_flo: --copy and --copy-and-stream exclude each other: --copy copies and exits, "
                    + "--copy-and-stream copies and then streams; give one");
            return ExitCode.USAGE;
        }
        warnAboutPasswordFlags(args);
        SinkProvider provider = registry.find(sinkName).orElseThrow();
        return ForegroundStream.run(new StreamRunner(options, new SelectedSink(provider, sinkValues)), err);
    }

    /** A password on the command line is in the process list, which every local user can read. */
    private static void warnAboutPasswordFlags(String[] args) {
        for (String arg : args) {
            if (arg.matches("--([a-z]+-)?password")) {
                log.warn("{} is visible to other local users (ps, /proc); prefer PGFLO_{} or PGPASSWORD, or ~/.pgpass",
                        arg, arg.substring(2).toUpperCase(Locale.ROOT).replace('-', '_'));
            }
        }
    }

    /**
     * Runs {@code backfill}, {@code status} or {@code drop}: short commands against a group's source. Bad input (an
     * unknown group, a slot in use) is one line and status 2, as for {@code stream}; anything else status 1.
     */
    private int runForGroup(String what, GroupSourceFlags source, LogFlags logFlags, String[] args, Runnable command) {
        return CommandOutcome.of(what, () -> {
            LogConfigurator.setLevel(logFlags.level);
            nameGroupInLogs(source.group);
            warnAboutPasswordFlags(args);
            command.run();
        }, () -> false, err);
    }

    /** The group, as its slot names it, on every JSON log line; a name that is no group's is refused later, in words. */
    private static void nameGroupInLogs(String group) {
        try {
            LogConfigurator.setGroup(ReplicationNames.forGroup(group).group());
        } catch (IllegalArgumentException e) {
            // the command itself says what is wrong with it
        }
    }

    private int runDemo(DemoCommand demo) {
        try {
            LogConfigurator.setLevel(demo.logLevel);
            demo.run(out);
            return ExitCode.OK;
        } catch (IllegalArgumentException | ConfigurationException e) {
            err.println("pg_flo: " + ErrorMessages.oneLine(e.getMessage()));
            return ExitCode.USAGE;
        } catch (Exception e) {
            log.debug("demo failed", e);
            err.println("pg_flo: demo failed: " + ErrorMessages.oneLine(ErrorMessages.rootMessage(e)));
            return ExitCode.FAILED;
        }
    }

    private int listSinks(SinkRegistry registry) {
        listSinks(registry, out);
        return ExitCode.OK;
    }

    private static void listSinks(SinkRegistry registry, PrintStream stream) {
        int width = registry.all().stream().mapToInt(provider -> provider.name().length()).max().orElse(0);
        for (SinkProvider provider : registry.all()) {
            stream.printf("  %-" + width + "s  %s  [%s]%n", provider.name(), provider.description(), SinkOrigin.of(provider));
        }
    }

    /**
     * The plugins directory: {@code --plugins-dir}, else {@code PGFLO_PLUGINS_DIR}, else {@code plugins/} in the working
     * directory. Read before the command line is parsed, because plugin sinks are subcommands.
     */
    private Path pluginsDirectory(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plugins-dir") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
        }
        String fromEnvironment = settings.get(EnvironmentDefaults.variableFor("--plugins-dir"));
        return Path.of(fromEnvironment != null ? fromEnvironment : "plugins");
    }

    private static List<String> names(SinkRegistry registry) {
        return registry.all().stream().map(SinkProvider::name).toList();
    }

    private int usage(JCommander commander) {
        StringBuilder text = new StringBuilder();
        commander.getUsageFormatter().usage(text);
        out.print(text);
        out.println("Every flag can also be set by an environment variable: --status-dir by PGFLO_STATUS_DIR, and so on.");
        return ExitCode.OK;
    }

    private void printUsage(JCommander commander, boolean asked) {
        PrintStream stream = asked ? out : err;
        stream.println("Usage: pg_flo <command> [flags]");
        stream.println("Commands:");
        stream.println("  stream <sink>  stream committed changes from PostgreSQL to a sink");
        stream.println("  sinks          list the available sinks");
        stream.println("  replicator     publish a group's changes to NATS JetStream, for workers (see README, Scaling out)");
        stream.println("  worker <sink>  apply a group's changes from NATS JetStream to a sink");
        stream.println("  backfill       ask a group's running stream to read tables again, while it streams");
        stream.println("  status         show a group's slot, publication, backfills and checkpoints");
        stream.println("  drop           remove a group's slot, publication and capture objects from its source");
        stream.println("  demo           stream a short workload from an embedded PostgreSQL to stdout");
        stream.println("Flags: --help, --version");
        stream.println("Run 'pg_flo stream --help' for the sinks and 'pg_flo stream <sink> --help' for a sink's flags.");
    }

    /** Where the command ({@code stream}, {@code sinks}, ...) stands: after the root flags; -1 when there is none. */
    private static int commandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--plugins-dir")) {
                i++;
            } else if (!args[i].startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    private static String hintFor(String[] args) {
        if (args.length >= 2 && args[0].equals("stream") && !args[1].startsWith("-")) {
            return "pg_flo stream " + args[1] + " --help";
        }
        if (args.length >= 1 && !args[0].startsWith("-")) {
            return "pg_flo " + args[0] + " --help";
        }
        return "pg_flo --help";
    }

    private static String version() {
        String version = PgFloCommandLine.class.getPackage().getImplementationVersion();
        return version == null ? "development build" : version;
    }
}
