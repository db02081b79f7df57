package io.pgflo.sink.webhook;

import static io.pgflo.sink.webhook.TestEvents.batch;
import static io.pgflo.sink.webhook.TestEvents.inserts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS against a real TLS server with a self-signed certificate for localhost (made with the JDK's keytool): the
 * default client trusts only the JDK trust store and says so clearly; a client that trusts the certificate delivers.
 */
class WebhookHttpsTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    static Path keys;

    private static KeyStore keyStore;
    private static SSLContext serverContext;
    private static RecordingReceiver receiver;

    @BeforeAll
    static void startTlsReceiver() throws Exception {
        Path store = keys.resolve("localhost.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD))
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keyStore, PASSWORD);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(keyManagers.getKeyManagers(), null, null);
        receiver = new RecordingReceiver(server -> server.useHttps(serverContext.getSocketFactory(), false));
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static String httpsUrl(String host) {
        return "https://" + host + ":" + receiver.port() + "/hook";
    }

    @Test
    void anUntrustedCertificateFailsAtOnceWithAClearTlsError() {
        int before = receiver.exchanges().size();
        WebhookSinkConfig config = WebhookSinkConfig.builder(httpsUrl("localhost")).maxAttempts(5)
                .initialBackoff(Duration.ofMillis(5)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints())) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(inserts(1))))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("webhook POST " + httpsUrl("localhost"))
                    .hasMessageContaining("TLS: the server's certificate is not trusted by the JDK trust store")
                    .hasMessageNotContaining("after")
                    .satisfies(e -> {
                        WebhookDeliveryException failure = (WebhookDeliveryException) e;
                        assertThat(failure.attempts()).as("not retried").isEqualTo(1);
                        assertThat(failure.retriesExhausted()).isFalse();
                    });
        }
        assertThat(receiver.exchanges()).hasSize(before);
    }

    @Test
    void deliversOverHttpsWithAClientThatTrustsTheServer() throws Exception {
        try (WebhookSink sink = new WebhookSink(WebhookSinkConfig.builder(httpsUrl("localhost")).build(),
                new RecordingReceiver.MemoryCheckpoints(), trustingClient())) {
            TestEvents.write(sink, batch(inserts(3)));
        }

        assertThat(receiver.delivered()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aCertificateForAnotherHostIsRefusedWithoutRetries() throws Exception {
        // The certificate names localhost only; 127.0.0.1 reaches the same server under another name.
        WebhookSinkConfig config = WebhookSinkConfig.builder(httpsUrl("127.0.0.1")).maxAttempts(3)
                .initialBackoff(Duration.ofMillis(5)).build();
        try (WebhookSink sink = new WebhookSink(config, new RecordingReceiver.MemoryCheckpoints(), trustingClient())) {
            assertThatThrownBy(() -> TestEvents.write(sink, batch(inserts(1))))
                    .isInstanceOf(WebhookDeliveryException.class)
                    .hasMessageContaining("TLS: the server's certificate does not match host 127.0.0.1")
                    .satisfies(e -> assertThat(((WebhookDeliveryException) e).attempts()).isEqualTo(1));
        }
    }

    private static OkHttpClient trustingClient() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore);
        X509TrustManager trustManager = (X509TrustManager) List.of(trust.getTrustManagers()).get(0);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new javax.net.ssl.TrustManager[] {trustManager}, null);
        return new OkHttpClient.Builder().sslSocketFactory(context.getSocketFactory(), trustManager).build();
    }
}
