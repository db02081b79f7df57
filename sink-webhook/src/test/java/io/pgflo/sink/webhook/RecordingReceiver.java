package io.pgflo.sink.webhook;

import io.pgflo.domain.CheckpointStore;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.Headers;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/**
 * A real HTTP server (OkHttp's MockWebServer) that records every request with the answer it got, in arrival order.
 * The answer is a function of the request number (1-based) and the request; by default 200.
 */
final class RecordingReceiver implements AutoCloseable {

    /** One request and what the receiver did with it. */
    record Exchange(int number, Headers headers, String body, int status, boolean answered, long receivedAtNanos) {
        boolean delivered() {
            return answered && status >= 200 && status <= 299;
        }

        String header(String name) {
            return headers.get(name);
        }

        String idempotencyKey() {
            return headers.get("Idempotency-Key");
        }
    }

    interface Answer {
        MockResponse answer(int number, RecordedRequest request, String body);
    }

    final MockWebServer server = new MockWebServer();
    private final List<Exchange> exchanges = new ArrayList<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile Answer answer = (number, request, body) -> ok();
    private volatile Duration delay = Duration.ZERO;

    RecordingReceiver() {
        this(server -> {});
    }

    /** A receiver whose server is set up (for example for HTTPS) before it starts. */
    RecordingReceiver(java.util.function.Consumer<MockWebServer> setUp) {
        setUp.accept(server);
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                if (request.getMethod() == null) {
                    return ok(); // MockWebServer's bookkeeping for a connection it dropped, not a request
                }
                long at = System.nanoTime();
                int now = inFlight.incrementAndGet();
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                    Duration pause = delay;
                    if (!pause.isZero()) {
                        Thread.sleep(pause.toMillis(), (int) (Math.random() * 1_000_000));
                    }
                    String body = request.getBody().readUtf8();
                    MockResponse response;
                    synchronized (exchanges) {
                        int number = exchanges.size() + 1;
                        response = answer.answer(number, request, body);
                        boolean answered = response.getSocketPolicy() == SocketPolicy.KEEP_OPEN;
                        exchanges.add(new Exchange(number, request.getHeaders(), body, statusOf(response), answered, at));
                    }
                    return response;
                } finally {
                    inFlight.decrementAndGet();
                }
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static MockResponse ok() {
        return new MockResponse().setResponseCode(200);
    }

    static MockResponse status(int code) {
        return new MockResponse().setResponseCode(code).setBody("status " + code);
    }

    String url() {
        return server.url("/hook").toString();
    }

    int port() {
        return server.getPort();
    }

    void answer(Answer answer) {
        this.answer = answer;
    }

    /** Each request waits up to this long (plus a random fraction of a millisecond) before it is answered. */
    void delay(Duration delay) {
        this.delay = delay;
    }

    List<Exchange> exchanges() {
        synchronized (exchanges) {
            return List.copyOf(exchanges);
        }
    }

    List<Exchange> delivered() {
        return exchanges().stream().filter(Exchange::delivered).toList();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    @Override
    public void close() {
        try {
            server.shutdown();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int statusOf(MockResponse response) {
        String[] parts = response.getStatus().split(" ", 3);
        return Integer.parseInt(parts[1]);
    }

    /** A checkpoint store in memory that counts its saves and keeps each saved checkpoint, in order. */
    static final class MemoryCheckpoints implements CheckpointStore {
        private volatile Position lsn;
        private final AtomicInteger saves = new AtomicInteger();
        private final List<Position> saved = new java.util.concurrent.CopyOnWriteArrayList<>();

        MemoryCheckpoints(Position start) {
            this.lsn = start;
        }

        MemoryCheckpoints() {
            this(Position.START);
        }

        @Override
        public Position load() {
            return lsn;
        }

        @Override
        public void save(Position checkpoint) {
            saves.incrementAndGet();
            saved.add(checkpoint);
            lsn = checkpoint;
        }

        int saves() {
            return saves.get();
        }

        List<Position> saved() {
            return List.copyOf(saved);
        }
    }
}
