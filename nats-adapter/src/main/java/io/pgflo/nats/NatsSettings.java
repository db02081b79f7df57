package io.pgflo.nats;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * How to reach and log in to NATS. At most one way to authenticate: user and password, a token, or a credentials file
 * (a JWT and its NKey seed, {@code --nats-creds}); TLS is independent of it.
 *
 * @param tlsCa PEM file of the certificate authorities to trust, or null for the JVM's default trust store
 * @param tlsCert PEM file of the client's certificate chain, for servers that verify clients; with {@code tlsKey}
 * @param tlsKey PEM file of the client's PKCS#8 private key
 */
public record NatsSettings(String url, String user, String password, String token, Path credentials, Path tlsCa,
        Path tlsCert, Path tlsKey) {
    public NatsSettings {
        requireNonNull(url, "url is null");
        if (url.isBlank()) {
            throw new IllegalArgumentException("--nats-url is empty: give the server, e.g. nats://127.0.0.1:4222");
        }
        int ways = (user != null ? 1 : 0) + (token != null ? 1 : 0) + (credentials != null ? 1 : 0);
        if (ways > 1) {
            throw new IllegalArgumentException("give one of --nats-user/--nats-password, --nats-token and --nats-creds");
        }
        if (password != null && user == null) {
            throw new IllegalArgumentException("--nats-password needs --nats-user");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--nats-tls-cert and --nats-tls-key go together: give both or neither");
        }
    }

    /** A server without authentication or TLS. */
    public static NatsSettings plain(String url) {
        return new NatsSettings(url, null, null, null, null, null, null, null);
    }

    public boolean usesTls() {
        return tlsCa != null || tlsCert != null || url.startsWith("tls://");
    }

    @Override
    public String toString() {
        // Never the password or token.
        return "NatsSettings[url=" + url + ", user=" + user + ", credentials=" + credentials + ", tls=" + usesTls() + "]";
    }
}
