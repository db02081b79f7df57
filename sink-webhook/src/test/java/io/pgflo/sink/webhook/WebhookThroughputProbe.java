package io.pgflo.sink.webhook;

import com.sun.net.httpserver.HttpServer;
import io.pgflo.sink.api.Batch;
import io.pgflo.sink.api.Position;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.domain.CheckpointStore;
import io.pgflo.sink.api.Lsn;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A quick throughput probe, not a test and not a benchmark of record: hand-built insert events through a
 * {@link WebhookSink} into the JDK's HttpServer on loopback, which answers 200 to everything.
 *
 * <p>Arguments: events, batch size, lanes..., e.g. {@code 200000 1 1 2 4 8}. Prints events/s per lane count.
 */
public final class WebhookThroughputProbe {
    private WebhookThroughputProbe() {}

    public static void main(String[] args) throws Exception {
        int events = Integer.parseInt(args[0]);
        int batchSize = Integer.parseInt(args[1]);
        AtomicLong received = new AtomicLong();
        String receiver = System.getProperty("receiver", "jdk");
        if (receiver.equals("raw")) {
            RawReceiver raw = new RawReceiver();
            run(events, batchSize, args, "http://127.0.0.1:" + raw.port() + "/hook");
            raw.close();
            return;
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService receiverThreads = Executors.newFixedThreadPool(8);
        server.setExecutor(receiverThreads);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            received.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        run(events, batchSize, args, "http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        server.stop(0);
        receiverThreads.shutdownNow();
    }

    private static void run(int events, int batchSize, String[] args, String url) {
        List<ChangeEvent> all = TestEvents.inserts(events);
        // Pipeline-sized batches: the default --batch-size of 5,000 events.
        List<Batch> batches = new ArrayList<>();
        for (int from = 0; from < all.size(); from += 5000) {
            batches.add(TestEvents.batch(all.subList(from, Math.min(all.size(), from + 5000))));
        }
        for (int i = 2; i < args.length; i++) {
            int lanes = Integer.parseInt(args[i]);
            WebhookSinkConfig config = WebhookSinkConfig.builder(url).batchSize(batchSize).lanes(lanes).build();
            for (int round = 0; round < 2; round++) { // the first round warms up the JIT
                try (WebhookSink sink = new WebhookSink(config, new MemoryCheckpoints())) {
                    long start = System.nanoTime();
                    for (Batch batch : batches) {
                        sink.writeBatch(batch);
                    }
                    sink.flush();
                    double seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("%s batch-size %d lanes %d: %d events in %.2f s = %.0f events/s%n",
                            round == 0 ? "warm-up" : "measured", batchSize, lanes, events, seconds, events / seconds);
                }
            }
        }
    }

    /** The least an HTTP/1.1 server can do: read a request with Content-Length, answer 200 with no body, keep alive. */
    private static final class RawReceiver implements AutoCloseable {
        private final ServerSocket server;

        RawReceiver() throws IOException {
            server = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "raw-receiver");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread connection = new Thread(() -> serve(socket), "raw-receiver-connection");
                    connection.setDaemon(true);
                    connection.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        /** Reads header lines byte by byte without making strings; only Content-Length matters. */
        private static void serve(Socket socket) {
            byte[] answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] name = "content-length:".getBytes(StandardCharsets.US_ASCII);
            try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
                    OutputStream out = socket.getOutputStream()) {
                long contentLength = 0;
                int lineLength = 0;
                int matched = 0;
                long value = -1;
                while (true) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    if (b == '\r') {
                        continue;
                    }
                    if (b == '\n') {
                        if (lineLength == 0) {
                            in.skipNBytes(contentLength);
                            out.write(answer);
                            out.flush();
                            contentLength = 0;
                        } else if (value >= 0) {
                            contentLength = value;
                        }
                        lineLength = 0;
                        matched = 0;
                        value = -1;
                        continue;
                    }
                    if (matched == name.length) {
                        if (b >= '0' && b <= '9') {
                            value = (value < 0 ? 0 : value * 10) + (b - '0');
                        }
                    } else if (matched == lineLength && Character.toLowerCase(b) == name[matched]) {
                        matched++;
                    }
                    lineLength++;
                }
            } catch (IOException e) {
                // connection closed
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    private static final class MemoryCheckpoints implements CheckpointStore {
        private volatile Position lsn = Position.START;

        @Override
        public Position load() {
            return lsn;
        }

        @Override
        public void save(Position checkpoint) {
            lsn = checkpoint;
        }
    }
}
