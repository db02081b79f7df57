package io.pgflo.sink.api;

/**
 * The plugin SPI: a named kind of sink, its flags, and a factory for it.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.pgflo.sink.api.SinkProvider}), for the built-in sinks and for plugin jars alike.
 *
 * @param <O> the options type: a class whose fields carry JCommander {@code @Parameter} annotations, so that
 *     {@code pg_flo stream NAME --help} lists them; use {@link NoOptions} for a sink without flags
 */
public interface SinkProvider<O> {

    /**
     * The SPI version this interface describes. A plugin jar declares the version it was built against in its
     * manifest ({@code PgFlo-Spi-Version}), because a constant read at run time would always be the host's.
     */
    int SPI_VERSION = 2;

    /** The subcommand name: {@code pg_flo stream NAME}. Lower case letters, digits and '-'. */
    String name();

    /** One line for {@code pg_flo sinks} and the help text. */
    String description();

    /** A fresh options object with defaults, for the command line to fill. */
    O newOptions();

    /**
     * Makes the sink. Validates the options and the environment (directories writable, target reachable) and
     * throws {@link ConfigurationException} (or {@link IllegalArgumentException}) with a one-line message that says
     * what to fix when they are wrong; the command line then exits with status 2.
     */
    Sink create(O options, SinkContext context);


    /**
     * Whether this sink, with these options, wants schema changes (DDL) on the replicated tables captured on the source
     * and delivered as {@link Operation#DDL} events in WAL order. Capture needs an event trigger on the source.
     */
    default boolean capturesDdl(O options) {
        return false;
    }

    /**
     * Whether this sink, with these options, takes provisional changes: those of a large transaction that the source
     * streams while the server is still decoding it (pgoutput's streaming of in-progress transactions), before it is
     * known to commit. The server then sends such a transaction as it decodes it, instead of spilling it to disk and
     * sending it only after the commit. Only a sink that keeps a transaction's changes invisible until its checkpoint
     * moves, and can undo them ({@link Sink#discardOpenTransaction()}), may say yes.
     */
    default boolean acceptsProvisionalChanges(O options) {
        return false;
    }
}
