package io.pgflo.sink.webhook;

import io.pgflo.domain.DeliveryMonitor;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's retries told once, however many lanes retry: the log gets one line per back-off step (the first request
 * to reach step {@code n} logs it, the others are counted), and the {@link DeliveryMonitor} hears "retrying" while
 * any request waits to retry and "delivering" when none does (the health endpoint's readiness).
 *
 * <p>An episode is a run of retries with no quiet gap of {@link #QUIET} between them: a receiver failing one request
 * in three logs its first back-off step once, not once per failed request; a long outage logs each longer wait once.
 * Called on failures only: a request that gets its 2xx at once never comes here.
 */
final class RetryEpisodes {
    private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);
    /** Retries this far apart belong to different episodes, and log their steps again. */
    static final Duration QUIET = Duration.ofSeconds(30);
    /** An episode that kept requests waiting this long ends with a line saying delivery goes on. */
    private static final long WORTH_A_RECOVERY_LINE_NANOS = Duration.ofSeconds(5).toNanos();

    private final DeliveryMonitor monitor;
    private final String url;
    // All guarded by this.
    private int waiting;
    private int loggedStep;
    private long retriesSinceLogged;
    private long lastRetryNanos;
    private long waitingSinceNanos;
    private boolean everRetried;

    RetryEpisodes(DeliveryMonitor monitor, String url) {
        this.monitor = monitor;
        this.url = url;
    }

    /**
     * A request is about to wait {@code waitMillis} before retry {@code step} (1 = the first retry).
     *
     * @param what the request's events, for the log ({@code the event at LSN ...})
     * @param outcome the failed attempt's answer or error
     * @param bound what ends the retries, for the log ({@code for up to 9m58s more})
     */
    synchronized void backingOff(int step, String what, String outcome, long waitMillis, String bound) {
        long now = System.nanoTime();
        if (step == 1) {
            if (waiting++ == 0) {
                waitingSinceNanos = now;
            }
        }
        if (!everRetried || now - lastRetryNanos > QUIET.toNanos()) {
            loggedStep = 0;
        }
        everRetried = true;
        lastRetryNanos = now;
        String reason = "POST " + url + " for " + what + ": " + outcome + "; retry " + step + " in " + waitMillis + " ms";
        monitor.retrying(reason);
        if (step > loggedStep) {
            loggedStep = step;
            String others = retriesSinceLogged == 0 ? "" : " (" + retriesSinceLogged + " other retries since the last line)";
            log.warn("{}, {}; {} request(s) waiting to retry{}", reason, bound, waiting, others);
            retriesSinceLogged = 0;
        } else {
            retriesSinceLogged++;
        }
    }

    /** A request that waited to retry at least once ended: delivered, given up, or stopped. */
    synchronized void requestSettled(boolean delivered) {
        if (--waiting > 0) {
            return;
        }
        monitor.delivering();
        long waited = System.nanoTime() - waitingSinceNanos;
        if (delivered && waited >= WORTH_A_RECOVERY_LINE_NANOS) {
            log.info("POST {} delivers again after {} s of retries", url, Duration.ofNanos(waited).toSeconds());
        }
    }

    /** Nothing waits to retry any more (the sink closes): the monitor hears so. */
    synchronized void close() {
        if (waiting > 0) {
            waiting = 0;
            monitor.delivering();
        }
    }
}
