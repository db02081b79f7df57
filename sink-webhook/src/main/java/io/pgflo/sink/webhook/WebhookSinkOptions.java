package io.pgflo.sink.webhook;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.converters.IParameterSplitter;
import io.pgflo.sink.api.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The flags of {@code pg_flo stream webhook}, filled by JCommander. Every flag can also come from the environment
 * ({@code --webhook-secret} from {@code PGFLO_WEBHOOK_SECRET}, and so on), which keeps secrets out of {@code ps}.
 */
public final class WebhookSinkOptions {

    @Parameter(names = "--webhook-url", required = true,
            description = "endpoint that receives a POST per event (http:// or https://)")
    String url;

    @Parameter(names = "--webhook-header", splitter = WholeValue.class,
            description = "extra request header 'Name: value', e.g. 'Authorization: Bearer ...'; repeat for more")
    List<String> headers = new ArrayList<>();

    @Parameter(names = "--webhook-secret", password = false,
            description = "sign requests (Standard Webhooks): whsec_<base64 key>, or any text used as the key's UTF-8 "
                    + "bytes; prefer the PGFLO_WEBHOOK_SECRET environment variable")
    String secret;

    @Parameter(names = "--webhook-batch-size",
            description = "events per request: 1 posts each event as a JSON object, more posts a JSON array of up to this many")
    int batchSize = WebhookSinkConfig.DEFAULT_BATCH_SIZE;

    @Parameter(names = "--webhook-max-attempts",
            description = "attempts per request, the first included; network errors, timeouts, 408, 429 and 5xx are retried")
    int maxAttempts = WebhookSinkConfig.DEFAULT_MAX_ATTEMPTS;

    @Parameter(names = "--webhook-backoff-ms",
            description = "wait before the first retry; doubles for each further retry, with jitter")
    long backoffMillis = WebhookSinkConfig.DEFAULT_INITIAL_BACKOFF.toMillis();

    @Parameter(names = "--webhook-max-backoff-ms",
            description = "longest wait between attempts, also the cap on a receiver's Retry-After")
    long maxBackoffMillis = WebhookSinkConfig.DEFAULT_MAX_BACKOFF.toMillis();

    @Parameter(names = "--webhook-timeout-ms",
            description = "longest one attempt may take: connect, send, and read the answer")
    long timeoutMillis = WebhookSinkConfig.DEFAULT_REQUEST_TIMEOUT.toMillis();

    @Parameter(names = "--webhook-lanes",
            description = "requests in flight at once; changes to one row always share a lane and keep commit order, "
                    + "1 delivers everything in commit order")
    int lanes = WebhookSinkConfig.DEFAULT_LANES;

    /** The configuration these flags describe; a {@link io.pgflo.sink.api.ConfigurationException} when they are wrong. */
    public WebhookSinkConfig toConfig() {
        if (url == null) {
            throw new io.pgflo.sink.api.ConfigurationException("--webhook-url is required");
        }
        WebhookSinkConfig.Builder builder = WebhookSinkConfig.builder(url)
                .secret(secret == null || secret.isEmpty() ? null : secret)
                .batchSize(batchSize)
                .maxAttempts(maxAttempts)
                .initialBackoff(Duration.ofMillis(backoffMillis))
                .maxBackoff(Duration.ofMillis(maxBackoffMillis))
                .requestTimeout(Duration.ofMillis(timeoutMillis))
                .lanes(lanes);
        for (String header : headers) {
            builder.header(header);
        }
        return builder.build();
    }

    /** Keeps a flag's value whole: a header value may contain commas ({@code Accept: a, b}). */
    public static final class WholeValue implements IParameterSplitter {
        @Override
        public List<String> split(String value) {
            return List.of(value);
        }
    }
}
