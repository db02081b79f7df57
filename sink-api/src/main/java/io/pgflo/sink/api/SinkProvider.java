package io.pgflo.sink.api;

/**
 * The plugin SPI: a named kind of sink, the options it takes, and a factory for it.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.pgflo.sink.api.SinkProvider}), for the built-in sinks and for plugin jars alike. The
 * host renders the options as flags ({@code --name}), environment variables ({@code PGFLO_NAME}) and help text, parses
 * and checks the values before anything is created on the source, and hands them to {@link #create}.
 */
public interface SinkProvider {

    /**
     * The SPI version this interface describes. A plugin jar declares the version it was built against in its
     * manifest ({@code PgFlo-Spi-Version}), because a constant read at run time would always be the host's.
     */
    int SPI_VERSION = 2;

    /** The subcommand name: {@code pg_flo stream NAME}. Lower-case letters, digits and '-', starting with a letter. */
    String name();

    /** One line for {@code pg_flo sinks} and the help text. */
    String description();

    /**
     * The options this sink takes, in the order its help lists them. Their names must not be the host's own flags
     * ({@code --host}, {@code --batch-size}, ...): a provider whose options clash is refused, naming its jar.
     */
    default OptionSet options() {
        return OptionSet.NONE;
    }

    /**
     * Makes the sink from checked option values. Checks the environment (directories writable, target reachable) and
     * throws {@link ConfigurationException} (or {@link IllegalArgumentException}) with a one-line message that says
     * what to fix when it is wrong; the command line then exits with status 2.
     */
    Sink create(OptionValues options, SinkContext context);

    /**
     * Whether this sink, with these options, wants schema changes (DDL) on the replicated tables captured on the source
     * and delivered as {@link Operation#DDL} events in WAL order. Capture needs an event trigger on the source.
     */
    default boolean capturesDdl(OptionValues options) {
        return false;
    }

    /**
     * Whether this sink, with these options, takes provisional changes: those of a large transaction that the source
     * streams while the server is still decoding it, before it is known to commit. Only a sink that keeps a
     * transaction's changes invisible until its checkpoint moves, and can undo them
     * ({@link Sink#discardOpenTransaction()}), may say yes.
     */
    default boolean acceptsProvisionalChanges(OptionValues options) {
        return false;
    }
}
