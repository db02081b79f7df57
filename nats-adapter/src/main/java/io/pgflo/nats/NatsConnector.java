package io.pgflo.nats;

import io.nats.client.AuthenticationException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.pgflo.sink.api.ConfigurationException;
import java.io.IOException;
import java.time.Duration;

/** Opens connections to NATS as {@link NatsSettings} say, reconnecting for ever once connected. */
public final class NatsConnector {
    private NatsConnector() {}

    private static final Duration FIRST_CONNECT_PATIENCE = Duration.ofSeconds(15);
    private static final Duration FIRST_CONNECT_RETRY = Duration.ofMillis(250);

    /**
     * Connects, or throws {@link ConfigurationException} naming the URL (never a secret) when no server has answered
     * for 15 s or the login is refused.
     */

    public static Connection connect(NatsSettings settings, String connectionName) {
        Options.Builder options = new Options.Builder()
                .servers(settings.url().split(","))
                .connectionName(connectionName)
                .connectionTimeout(Duration.ofSeconds(5))
                // A restarting server (or a cluster's failover) is waited for; JetStream calls fail meanwhile, and the
                // pipeline's own retries take it from there.
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .errorListener(new QuietErrorListener());
        if (settings.user() != null) {
            options.userInfo(settings.user(), settings.password() == null ? "" : settings.password());
        }
        if (settings.token() != null) {
            options.token(settings.token().toCharArray());
        }
        if (settings.credentials() != null) {
            options.authHandler(Nats.credentials(settings.credentials().toString()));
        }
        if (settings.usesTls()) {
            options.sslContext(TlsContexts.create(settings));
        }
        // A process started while the server restarts (a supervisor brings both back) waits for it a while, as the
        // client waits for a server it has lost; a refused login is final at once.
        Options built = options.build();
        long deadline = System.nanoTime() + FIRST_CONNECT_PATIENCE.toNanos();
        try {
            while (true) {
                try {
                    return Nats.connect(built);
                } catch (AuthenticationException e) {
                    throw cannotConnect(settings, e);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw cannotConnect(settings, e);
                    }
                    Thread.sleep(FIRST_CONNECT_RETRY.toMillis());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS at " + settings.url(), e);
        }
    }

    private static ConfigurationException cannotConnect(NatsSettings settings, IOException e) {
        return new ConfigurationException("cannot connect to NATS at " + settings.url() + ": " + e.getMessage(), e);
    }

    /** Closes {@code connection} (null is fine), keeping the thread's interrupt. */
    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
