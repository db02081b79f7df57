package io.pgflo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The file sink with its metrics endpoint on ({@code --metrics-port}) and scraped every second, five times as often
 * as Prometheus's default: what the endpoint costs is this row's rate against the file row's.
 */
final class PgFloFileMetricsContender extends PgFloFileContender {
    private static final Duration SCRAPE_INTERVAL = Duration.ofSeconds(1);
    private int port;

    @Override
    String baseId() {
        return "file-metrics";
    }

    @Override
    String baseName() {
        return "pg_flo file +metrics";
    }

    @Override
    public String measures() {
        return "pg_flo's file sink with --metrics-port, /metrics scraped every second";
    }

    @Override
    List<String> sinkArguments(BenchContext context, RunSpec run) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> arguments = new ArrayList<>(super.sinkArguments(context, run));
        arguments.addAll(List.of("--metrics-port", Integer.toString(port)));
        return arguments;
    }

    @Override
    public Launch launch(BenchContext context, RunSpec run) throws Exception {
        Launch launch = super.launch(context, run);
        return new Scraped(launch, URI.create("http://127.0.0.1:" + port + "/metrics"));
    }

    /** A launch with a thread that scrapes its metrics until it stops; counts the scrapes that answered 200. */
    private static final class Scraped implements Launch {
        private final Launch launch;
        private final Thread scraper;
        private final AtomicLong scrapes = new AtomicLong();

        Scraped(Launch launch, URI uri) {
            this.launch = launch;
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            this.scraper = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofInputStream());
                        try (InputStream body = response.body()) {
                            body.transferTo(java.io.OutputStream.nullOutputStream());
                        }
                        if (response.statusCode() == 200) {
                            scrapes.incrementAndGet();
                        }
                        Thread.sleep(SCRAPE_INTERVAL.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    } catch (IOException e) {
                        try {
                            Thread.sleep(100); // not listening yet
                        } catch (InterruptedException stop) {
                            return;
                        }
                    }
                }
            }, "bench-metrics-scraper");
            scraper.setDaemon(true);
            scraper.start();
        }

        @Override
        public OptionalLong pid() {
            return launch.pid();
        }

        @Override
        public void sample(ProcessStats stats) {
            launch.sample(stats);
        }

        @Override
        public OptionalInt exitCode() {
            return launch.exitCode();
        }

        @Override
        public void stop() throws Exception {
            scraper.interrupt();
            launch.stop();
        }

        @Override
        public String logTail() {
            return launch.logTail() + (scrapes.get() == 0 ? " | no scrape of /metrics answered" : "");
        }

        @Override
        public java.nio.file.Path gcLog() {
            return launch.gcLog();
        }
    }
}
