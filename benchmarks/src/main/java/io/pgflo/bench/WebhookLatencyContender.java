package io.pgflo.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * pg_flo's webhook sink, per event or in batches, posting to a receiver on the loopback interface (the JDK's HTTP
 * server, 8 threads) that stamps each event with the time its request arrived and answers 200.
 */
final class WebhookLatencyContender extends ArrivingLatencyContender {
    private final int batchSize;
    private HttpServer receiver;
    private ExecutorService threads;

    WebhookLatencyContender(int batchSize) {
        this.batchSize = batchSize;
    }

    @Override
    public String id() {
        return batchSize == 1 ? "webhook" : "webhook-batch";
    }

    @Override
    public void start(LatencyContext context) throws Exception {
        arrivals = new Arrivals(context.maxId());
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        threads = Executors.newFixedThreadPool(8);
        receiver.setExecutor(threads);
        receiver.createContext("/events", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            arrivals.arrivedIn(body, Arrivals.nowMicros());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/events";
        process = PgFloLatencyProcess.start(context, id(), "webhook", List.of("--webhook-url", url,
                "--webhook-batch-size", Integer.toString(batchSize)), Map.of());
        SlotWait.untilActive(context.source(), context.sourceDb(),
                PgFloLatencyProcess.slot(id()), this::failure);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process != null) {
            process.stop();
        }
        if (receiver != null) {
            receiver.stop(0);
            threads.shutdownNow();
        }
    }
}
