package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgflo.testkit.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.Security;
import java.sql.Connection;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SaltedPasswordCacheTest {

    @BeforeAll
    static void install() {
        SaltedPasswordCache.install();
        SaltedPasswordCache.install();
    }

    @Test
    void derivesEachSaltedPasswordOnceAndExactlyAsTheJdkDoes() throws Exception {
        byte[] salt = "salt of this test".getBytes(StandardCharsets.UTF_8);
        SecretKeyFactory cached = SecretKeyFactory.getInstance(SaltedPasswordCache.ALGORITHM);
        assertThat(cached.getProvider().getName()).isEqualTo("pg_flo-scram-cache");
        assertThat(Security.getProviders()).filteredOn(p -> p.getName().equals("pg_flo-scram-cache")).hasSize(1);

        long before = SaltedPasswordCache.derivations();
        byte[] first = cached.generateSecret(new PBEKeySpec("sécret".toCharArray(), salt, 4096, 256)).getEncoded();
        byte[] second = SecretKeyFactory.getInstance(SaltedPasswordCache.ALGORITHM)
                .generateSecret(new PBEKeySpec("sécret".toCharArray(), salt, 4096, 256)).getEncoded();
        assertThat(SaltedPasswordCache.derivations() - before).as("derived once").isEqualTo(1);
        assertThat(second).isEqualTo(first);
        assertThat(first).isEqualTo(jdk().generateSecret(new PBEKeySpec("sécret".toCharArray(), salt, 4096, 256)).getEncoded());

        byte[] otherSalt = cached.generateSecret(new PBEKeySpec("sécret".toCharArray(), "other".getBytes(StandardCharsets.UTF_8),
                4096, 256)).getEncoded();
        byte[] otherRounds = cached.generateSecret(new PBEKeySpec("sécret".toCharArray(), salt, 4097, 256)).getEncoded();
        byte[] otherPassword = cached.generateSecret(new PBEKeySpec("secret".toCharArray(), salt, 4096, 256)).getEncoded();
        assertThat(SaltedPasswordCache.derivations() - before).isEqualTo(4);
        assertThat(otherSalt).isNotEqualTo(first);
        assertThat(otherRounds).isNotEqualTo(first);
        assertThat(otherPassword).isNotEqualTo(first);
    }

    @Test
    void pgjdbcsScramHandshakesToOneServerDeriveTheSaltedPasswordOnce() throws Exception {
        TestPostgres server = TestPostgres.shared();
        long before = SaltedPasswordCache.derivations();
        try (Connection first = server.connect("postgres")) {
            assertThat(first.isValid(5)).isTrue();
        }
        long afterFirst = SaltedPasswordCache.derivations();
        assertThat(afterFirst - before).as("pgjdbc derived through the cache, or found it there").isBetween(0L, 1L);
        assertThat(afterFirst).as("some handshake derived through the cache").isPositive();
        try (Connection second = server.connect("postgres"); Connection third = server.connect("postgres")) {
            assertThat(second.isValid(5) && third.isValid(5)).isTrue();
        }
        assertThat(SaltedPasswordCache.derivations()).as("no derivation after the first handshake").isEqualTo(afterFirst);
    }

    private static SecretKeyFactory jdk() throws Exception {
        for (Provider provider : Security.getProviders("SecretKeyFactory." + SaltedPasswordCache.ALGORITHM)) {
            if (!provider.getName().equals("pg_flo-scram-cache")) {
                return SecretKeyFactory.getInstance(SaltedPasswordCache.ALGORITHM, provider);
            }
        }
        throw new AssertionError("the JDK has no " + SaltedPasswordCache.ALGORITHM);
    }
}
