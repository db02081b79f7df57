package io.pgflo.sink.webhook;

import io.pgflo.sink.api.ConfigurationException;
import io.pgflo.sink.api.OptionSet;
import io.pgflo.sink.api.OptionValues;
import io.pgflo.sink.api.Sink;
import io.pgflo.sink.api.SinkContext;
import io.pgflo.sink.api.SinkProvider;
import io.pgflo.domain.DeliveryMonitor;
import io.pgflo.json.JsonStatusFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pg_flo stream webhook --webhook-url URL}: a POST per change, checkpoint in
 * {@code --status-dir/pg_flo_webhook_last_lsn.json}.
 */
public final class WebhookSinkProvider implements SinkProvider {
    public static final String STATUS_FILE = "pg_flo_webhook_last_lsn.json";
    private static final Logger log = LoggerFactory.getLogger(WebhookSink.class);

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "an HTTP POST per change (or per JSON array), retried, ordered per row, optionally signed";
    }

    /** {@link WebhookSinkOptions#ALL}: each value is checked alone while it is parsed. */
    @Override
    public OptionSet options() {
        return WebhookSinkOptions.ALL;
    }

    /** Checks that the values fit together and that the URL's host resolves, then makes the sink. */
    @Override
    public Sink create(OptionValues options, SinkContext context) {
        WebhookSinkConfig config = WebhookSinkOptions.toConfig(options);
        requireResolvableHost(config);
        // The host grants built-in sinks a monitor (requests by code, retrying as not ready); a context without one
        // (the sink used alone, a test's) reports nothing.
        WebhookSink sink = new WebhookSink(config, new JsonStatusFile(context.statusDir().resolve(STATUS_FILE)),
                context.capability(DeliveryMonitor.class).orElse(DeliveryMonitor.NONE), context.batchCompletionListener());
        log.info("webhook sink: POST to {}, {} per request, {} lane(s), retries {}, {}{}; checkpoint {}",
                config.redactedUrl(), config.batchMode() ? "up to " + config.batchSize() + " events" : "one event",
                config.lanes(), retryBounds(config), config.signs() ? "signed" : "unsigned",
                config.deadLetter() == null ? "" : ", dead letters to " + config.deadLetter(), sink.lastCheckpoint());
        return sink;
    }

    private static String retryBounds(WebhookSinkConfig config) {
        String time = config.limitsRetryTime() ? "for " + WebhookSinkOptions.RETRY_FOR.print(config.retryFor()) : null;
        String attempts = config.limitsAttempts() ? "up to " + config.maxAttempts() + " attempt(s)" : null;
        if (time != null && attempts != null) {
            return time + " or " + attempts + ", whichever ends first";
        }
        return time != null ? time : attempts != null ? attempts : "without limit";
    }

    /** A host that does not resolve now is almost always a typo; better said at start than after the first retries. */
    static void requireResolvableHost(WebhookSinkConfig config) {
        String host = okhttp3.HttpUrl.get(config.url().toString()).host();
        try {
            InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigurationException("--webhook-url host " + host + " does not resolve; check the name "
                    + "and this machine's DNS", e);
        } catch (SecurityException e) {
            throw new ConfigurationException("--webhook-url host " + host + " cannot be looked up here: " + e.getMessage(), e);
        }
    }
}
