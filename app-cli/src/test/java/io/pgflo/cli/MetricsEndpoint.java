package io.pgflo.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A pg_flo child's {@code --metrics-port} endpoint as tests read it: scrapes, samples, and waits for values. */
final class MetricsEndpoint {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private MetricsEndpoint() {}

    /** A port nothing listens on now, for {@code --metrics-port}. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code name} (with its labels, as printed) in a scrape, or NaN when absent. */
    static double value(String text, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
    }

    /** Waits up to {@code within} until {@code path} answers {@code status}; returns that answer. */
    static HttpResponse<String> awaitStatus(int port, String path, int status, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = get(port, path);
                if (last.statusCode() == status) {
                    return last;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " never answered " + status + "; last: "
                + (last == null ? "nothing" : last.statusCode() + " " + last.body()));
    }

    /** Waits up to 30 s until the sample reads {@code expected}. */
    static void awaitMetric(int port, String name, double expected) throws Exception {
        double last = awaitSample(port, name, value -> value == expected);
        assertThat(last).as(name).isEqualTo(expected);
    }

    /** Waits up to 30 s until the sample reads at least {@code least}. */
    static void awaitAtLeast(int port, String name, double least) throws Exception {
        double last = awaitSample(port, name, value -> value >= least);
        assertThat(last).as(name).isGreaterThanOrEqualTo(least);
    }

    private static double awaitSample(int port, String name, java.util.function.DoublePredicate done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = value(get(port, "/metrics").body(), name);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        return last;
    }
}
