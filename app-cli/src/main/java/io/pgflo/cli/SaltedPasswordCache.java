package io.pgflo.cli;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.SecretKeyFactorySpi;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives each SCRAM salted password once per process. A stream opens four or five connections to the same servers as
 * the same users, and every SCRAM-SHA-256 handshake derives the same key from the password with PBKDF2 (4,096 rounds of
 * HMAC-SHA-256 by default, more where the server asks): at start-up, with the JIT still cold, each costs tens of
 * milliseconds and makes the compiler work on the JDK's PBKDF2 again.
 *
 * <p>A security provider ahead of the JDK's answers {@code PBKDF2WithHmacSHA256}, which pgjdbc's SCRAM client asks for
 * by name: it hands the first derivation of a (password, salt, rounds, length) to the JDK's own implementation and
 * keeps the result, keyed by a SHA-256 digest of those inputs rather than by the password. The salted password is as
 * secret as the password itself, which the process holds anyway. Nothing else in pg_flo uses PBKDF2.
 *
 * <p>A JDK that refuses the provider (one that insists on signed JCE providers) passes over it to its own: the
 * handshakes then work as before, one derivation each.
 */
final class SaltedPasswordCache {
    static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String PROVIDER = "pg_flo-scram-cache";

    private SaltedPasswordCache() {}

    /** Puts the provider first, once; later calls do nothing. */
    static synchronized void install() {
        if (Security.getProvider(PROVIDER) == null) {
            Security.insertProviderAt(new CacheProvider(), 1);
        }
    }

    private static final class CacheProvider extends Provider {
        CacheProvider() {
            super(PROVIDER, "1", "derives each SCRAM salted password (" + ALGORITHM + ") once per process");
            putService(new Service(this, "SecretKeyFactory", ALGORITHM, CachingFactory.class.getName(), null, null) {
                @Override
                public Object newInstance(Object parameter) {
                    return new CachingFactory();
                }
            });
        }
    }

    /** How many derivations went to the JDK (for tests). */
    static long derivations() {
        return CachingFactory.DERIVATIONS.get();
    }

    /** One per {@code SecretKeyFactory.getInstance(ALGORITHM)}; the derived keys are shared. */
    static final class CachingFactory extends SecretKeyFactorySpi {
        /** A few entries: one per server and user a stream connects to. Evicted oldest first beyond that. */
        private static final int ENTRIES = 16;
        private static final Map<String, byte[]> DERIVED = Collections.synchronizedMap(
                new LinkedHashMap<>(ENTRIES * 2, 0.75f, true) {
                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                        return size() > ENTRIES;
                    }
                });
        private static final AtomicLong DERIVATIONS = new AtomicLong();

        @Override
        protected SecretKey engineGenerateSecret(KeySpec spec) throws InvalidKeySpecException {
            if (!(spec instanceof PBEKeySpec pbe) || pbe.getSalt() == null) {
                return jdkFactory().generateSecret(spec);
            }
            String key = cacheKey(pbe);
            byte[] derived = DERIVED.get(key);
            if (derived == null) {
                SecretKey secret = jdkFactory().generateSecret(spec);
                DERIVATIONS.incrementAndGet();
                derived = secret.getEncoded();
                DERIVED.putIfAbsent(key, derived.clone());
            }
            return new SecretKeySpec(derived.clone(), ALGORITHM);
        }

        @Override
        protected KeySpec engineGetKeySpec(SecretKey key, Class<?> keySpec) throws InvalidKeySpecException {
            return jdkFactory().getKeySpec(key, keySpec);
        }

        @Override
        protected SecretKey engineTranslateKey(SecretKey key) throws InvalidKeyException {
            try {
                return jdkFactory().translateKey(key);
            } catch (InvalidKeySpecException e) {
                throw new InvalidKeyException(e.getMessage(), e);
            }
        }

        /** The JDK's own PBKDF2, from whichever provider offers it after this one. */
        private static SecretKeyFactory jdkFactory() throws InvalidKeySpecException {
            for (Provider provider : Security.getProviders("SecretKeyFactory." + ALGORITHM)) {
                if (!PROVIDER.equals(provider.getName())) {
                    try {
                        return SecretKeyFactory.getInstance(ALGORITHM, provider);
                    } catch (NoSuchAlgorithmException e) {
                        // Try the next one.
                    }
                }
            }
            throw new InvalidKeySpecException("no provider but " + PROVIDER + " offers " + ALGORITHM);
        }

        private static String cacheKey(PBEKeySpec spec) throws InvalidKeySpecException {
            char[] password = spec.getPassword();
            ByteBuffer utf8 = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
            try {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                // Lengths first, so that no two different (password, salt) pairs feed the digest the same bytes.
                digest.update(ByteBuffer.allocate(8).putInt(utf8.remaining()).putInt(spec.getSalt().length).flip());
                digest.update(utf8.duplicate());
                digest.update(spec.getSalt());
                byte[] hash = digest.digest();
                return spec.getIterationCount() + ":" + spec.getKeyLength() + ":" + HexFormat.of().formatHex(hash);
            } catch (GeneralSecurityException e) {
                throw new InvalidKeySpecException("SHA-256 is missing from this JDK", e);
            } finally {
                Arrays.fill(password, '\0');
                if (utf8.hasArray()) {
                    Arrays.fill(utf8.array(), (byte) 0);
                }
            }
        }
    }
}
