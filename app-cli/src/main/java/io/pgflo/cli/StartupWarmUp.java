package io.pgflo.cli;

import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.TableName;
import java.lang.management.ManagementFactory;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.time.Duration;
import java.util.TimeZone;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Start-up work that does not depend on the command line, done on a second core while the main thread reads the
 * flags, sets up logging and builds the injector: installing {@link SaltedPasswordCache} (the JDK loads every
 * security provider for that, about 90 ms), and a first run of what each connection's set-up does on a cold JVM (a
 * SCRAM handshake's PBKDF2, HMAC and SASLprep, pgjdbc's classes, the platform MBeans and time zone pgjdbc asks for, and
 * the bootstrap of records' {@code equals} and {@code hashCode}). The main thread's first connection then finds that
 * code loaded and initialised instead of paying for it on the critical path. The work is moved, not added.
 *
 * <p>{@link #awaitDone()} is called before the first connection, so that the SCRAM cache is in place when pgjdbc looks
 * for it. Nothing here touches the network, reads the flags or can fail a start: a step that fails is skipped.
 */
final class StartupWarmUp {
    /** Far beyond what the work takes (about 0.2 s on a cold JVM): only a wedged JDK call would reach it. */
    private static final Duration WAIT_LIMIT = Duration.ofSeconds(10);
    private static volatile Thread running;

    private StartupWarmUp() {}

    /** Starts the warm-up on a daemon thread; once per process. */
    static synchronized void start() {
        if (running == null) {
            Thread thread = new Thread(StartupWarmUp::run, "pg_flo-warm-up");
            thread.setDaemon(true);
            thread.start();
            running = thread;
        }
    }

    /** Waits for the warm-up started by {@link #start()}, if any; returns at once when there was none. */
    static void awaitDone() throws InterruptedException {
        Thread thread = running;
        if (thread != null) {
            // Past the limit the stream goes on without it: a connection then only pays what it would have anyway.
            thread.join(WAIT_LIMIT.toMillis());
        }
    }

    /** The work itself, on the calling thread; also the class-data-sharing training's SCRAM part. */
    static void run() {
        try {
            SaltedPasswordCache.install();
            scram();
            try {
                Class.forName("org.postgresql.Driver", true, StartupWarmUp.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                // Not on the class path (a test of the CLI alone): nothing to warm.
            }
            // pgjdbc sizes its result buffer from the heap at every connection, through the platform MBeans, and sends
            // the JVM's time zone in its start-up packet.
            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
            TimeZone.getDefault().getID();
            records();
            OutOfMemoryExit.describeHeap(); // the platform MBeans again, here rather than on the main thread
        } catch (GeneralSecurityException | RuntimeException | LinkageError e) {
            // Only warming: whatever failed here fails, or not, where a stream needs it, with that stream's message.
        }
    }

    /**
     * One call of each: the classes and providers of a handshake are then loaded and initialised. No full derivation:
     * its 4,096 rounds would cost this thread as much CPU as the real one costs the main thread.
     */
    private static void scram() throws GeneralSecurityException {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        SecretKeyFactory.getInstance(SaltedPasswordCache.ALGORITHM, "SunJCE")
                .generateSecret(new PBEKeySpec("warm-up".toCharArray(), salt, 1, 256)).getEncoded();
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(salt, "HmacSHA256"));
        hmac.doFinal(salt);
        MessageDigest.getInstance("SHA-256").digest(salt);
        Normalizer.normalize("warm-up", Normalizer.Form.NFKC);
    }

    /** Records' {@code equals} and {@code hashCode} bootstrap method handles at their first call. */
    private static void records() {
        TableName table = new TableName("public", "warm_up");
        table.equals(new TableName("public", "other"));
        table.hashCode();
        Lsn lsn = Lsn.of(1);
        lsn.equals(Lsn.of(2));
        lsn.hashCode();
    }
}
