package io.pgflo.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP endpoint of {@code --metrics-port}: {@code /metrics} (Prometheus text), {@code /health/live} and
 * {@code /health/ready} (200, or 503 with a JSON body saying why). The JDK's HTTP server, on a thread of its own.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving on {@code bind}:{@code port} (0: any free port); the JVM's own metrics are registered too, as the
     * first task of the server's one thread: their MXBeans take 130 to 170 ms to set up, which a stream's start need
     * not wait for, and every request queues behind that task, so every scrape has them.
     */
    public static MetricsServer start(String bind, int port, PrometheusRegistry registry, Health health)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.createContext("/metrics", new MetricsHandler(registry));
        server.createContext("/health/live", exchange -> answer(exchange, health.alive(), health));
        server.createContext("/health/ready", exchange -> answer(exchange, health.ready() && health.alive(), health));
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "pg_flo-metrics");
            thread.setDaemon(true);
            return thread;
        });
        executor.execute(() -> {
            try {
                JvmMetrics.builder().register(registry);
            } catch (RuntimeException e) {
                // Without the JVM's MXBeans (a trimmed runtime) the scrape still has pg_flo's own metrics.
            }
        });
        server.setExecutor(executor);
        server.start();
        return new MetricsServer(server, executor);
    }

    /** The port it listens on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, boolean ok, Health health) throws IOException {
        String body = "{\"status\":\"" + (ok ? "ok" : "unavailable") + "\",\"phase\":\""
                + health.phase().name().toLowerCase(java.util.Locale.ROOT) + "\",\"reason\":\""
                + health.reason().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + "\"}\n";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(ok ? 200 : 503, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
