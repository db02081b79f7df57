package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import javax.crypto.SecretKeyFactory;
import org.junit.jupiter.api.Test;

class StartupWarmUpTest {

    @Test
    void installsTheScramCacheBeforeAwaitDoneReturnsWithoutCachingItsOwnDerivation() throws Exception {
        long derivations = SaltedPasswordCache.derivations();
        StartupWarmUp.start();
        StartupWarmUp.start();
        StartupWarmUp.awaitDone();

        assertThat(Security.getProviders()).filteredOn(p -> p.getName().equals("pg_flo-scram-cache")).hasSize(1);
        assertThat(SecretKeyFactory.getInstance(SaltedPasswordCache.ALGORITHM).getProvider().getName())
                .isEqualTo("pg_flo-scram-cache");
        assertThat(SaltedPasswordCache.derivations()).as("the warm-up derives through the JDK, not the cache")
                .isEqualTo(derivations);
        assertThat(Thread.getAllStackTraces().keySet()).as("one warm-up thread, finished")
                .noneMatch(thread -> thread.getName().equals("pg_flo-warm-up"));
    }
}
