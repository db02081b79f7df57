package io.pgflo.sink.webhook;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.pgflo.sink.api.ConfigurationException;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs requests as the Standard Webhooks specification says: {@code webhook-signature: v1,<base64 HMAC-SHA256>}
 * over {@code <webhook-id>.<webhook-timestamp>.<body>}.
 *
 * <p>The key: a secret written {@code whsec_<base64>} (the specification's form, what its libraries take) is the
 * base64-decoded bytes; any other text is its own UTF-8 bytes. Thread-safe: each thread keeps its own {@link Mac}.
 */
final class StandardWebhooksSigner {
    static final String SECRET_PREFIX = "whsec_";
    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    StandardWebhooksSigner(String secret) {
        SecretKeySpec key = new SecretKeySpec(keyOf(secret), ALGORITHM);
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK cannot compute " + ALGORITHM, e);
            }
        });
    }

    /** The HMAC key a secret stands for; a malformed secret is a {@link ConfigurationException} that never quotes it. */
    static byte[] keyOf(String secret) {
        if (secret.isEmpty()) {
            throw new ConfigurationException("--webhook-secret is empty; leave it out to send unsigned requests");
        }
        if (!secret.startsWith(SECRET_PREFIX)) {
            return secret.getBytes(UTF_8);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("--webhook-secret starts with whsec_ but the rest is not base64 "
                    + "(Standard Webhooks secrets are whsec_ followed by the base64 of the key bytes)");
        }
        if (key.length == 0) {
            throw new ConfigurationException("--webhook-secret is whsec_ with no key after it");
        }
        return key;
    }

    /** The {@code webhook-signature} header value, {@code v1,<base64>}, of a body that is {@code body[0..length)}. */
    String sign(String id, long timestampSeconds, byte[] body, int length) {
        Mac mac = macs.get();
        mac.update((id + '.' + timestampSeconds + '.').getBytes(US_ASCII));
        mac.update(body, 0, length);
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal());
    }
}
