package io.pgflo.nats;

import io.pgflo.sink.api.ConfigurationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An {@link SSLContext} from PEM files, as NATS servers are usually configured, without a Java key store. */
final class TlsContexts {
    private static final char[] NO_PASSWORD = new char[0];

    private TlsContexts() {}

    static SSLContext create(NatsSettings settings) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (settings.tlsCa() == null) {
                trust.init((KeyStore) null);
            } else {
                KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
                roots.load(null, null);
                int n = 0;
                for (Certificate certificate : certificates(settings.tlsCa(), "--nats-tls-ca")) {
                    roots.setCertificateEntry("ca-" + n++, certificate);
                }
                trust.init(roots);
            }
            KeyManagerFactory keys = null;
            if (settings.tlsCert() != null) {
                KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
                own.load(null, null);
                Collection<? extends Certificate> chain = certificates(settings.tlsCert(), "--nats-tls-cert");
                own.setKeyEntry("client", privateKey(settings.tlsKey(), chain.iterator().next()), NO_PASSWORD,
                        chain.toArray(Certificate[]::new));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(own, NO_PASSWORD);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigurationException("cannot set up TLS for NATS: " + e.getMessage(), e);
        }
    }

    private static Collection<? extends Certificate> certificates(Path file, String flag)
            throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> found = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (found.isEmpty()) {
                throw new ConfigurationException(flag + " " + file + " holds no PEM certificate");
            }
            return found;
        }
    }

    private static PrivateKey privateKey(Path file, Certificate certificate) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new ConfigurationException("--nats-tls-key " + file + " is not a PKCS#8 PEM key (BEGIN PRIVATE KEY); "
                    + "convert it with 'openssl pkcs8 -topk8 -nocrypt'");
        }
        String body = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----"))
                .replaceAll("\\s", "");
        return KeyFactory.getInstance(certificate.getPublicKey().getAlgorithm())
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
