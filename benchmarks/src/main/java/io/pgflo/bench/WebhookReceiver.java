package io.pgflo.bench;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

/**
 * The webhook contenders' endpoint: a minimal HTTP/1.1 server on the loopback interface that reads each request
 * (Content-Length or chunked body, keep-alive) and answers {@code 200} with an empty body at once, so the receiver
 * costs as little as a receiver can. It counts requests and events: a body that is a JSON array counts one event
 * per {@code {"type":"} object start, a Debezium heartbeat ({@code {"ts_ms":...}} and nothing else) none (it is
 * counted as a heartbeat), any other body one.
 */
final class WebhookReceiver implements AutoCloseable {
    private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK_CLOSE = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_START = "{\"type\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEARTBEAT_START = "{\"ts_ms\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LSN_FIELD = "\"lsn\":".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "webhook-receiver");
        thread.setDaemon(true);
        return thread;
    });
    private final LongAdder requests = new LongAdder();
    private final LongAdder events = new LongAdder();
    private final LongAdder heartbeats = new LongAdder();
    private final LongAdder unpositioned = new LongAdder();
    /** Null unless a contender asked for redeliveries to be told apart ({@link #trackPositions}). */
    private volatile PositionSet positions;
    private volatile boolean closed;

    WebhookReceiver() throws IOException {
        server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        threads.execute(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/events";
    }

    long requests() {
        return requests.sum();
    }

    long events() {
        return events.sum();
    }

    /** Debezium's heartbeat records, which its HTTP sink posts like events (see {@link DebeziumServerConfig}). */
    long heartbeats() {
        return heartbeats.sum();
    }

    /**
     * From now until {@link #reset()}, also keeps the WAL position of each single-event body (a Debezium envelope's
     * last {@code "lsn":}, its {@code source.lsn}), so that an event delivered twice counts once in
     * {@link #distinctPositions()}. A few microseconds per request; pg_flo's rows do not ask for it.
     */
    void trackPositions(long expectedEvents) {
        positions = new PositionSet((int) Math.min(expectedEvents, 1 << 22));
    }

    /** Distinct positions seen since {@link #trackPositions}, or -1 when not tracking. */
    long distinctPositions() {
        PositionSet set = positions;
        return set == null ? -1 : set.size();
    }

    /** Single-event bodies without an {@code "lsn":} number while tracking positions. */
    long unpositionedEvents() {
        return unpositioned.sum();
    }

    void reset() {
        requests.reset();
        events.reset();
        heartbeats.reset();
        unpositioned.reset();
        positions = null;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("webhook receiver: accept failed: " + e.getMessage());
                }
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            Input in = new Input(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] body = new byte[64 * 1024];
            while (true) {
                String requestLine = readLine(in);
                if (requestLine == null) {
                    return;
                }
                long contentLength = 0;
                boolean chunked = false;
                boolean close = requestLine.endsWith("HTTP/1.0");
                boolean expectContinue = false;
                for (String header = readLine(in); header != null && !header.isEmpty(); header = readLine(in)) {
                    int colon = header.indexOf(':');
                    if (colon < 0) {
                        continue;
                    }
                    if (isHeader(header, colon, "content-length")) {
                        contentLength = Long.parseLong(header.substring(colon + 1).trim());
                    } else if (isHeader(header, colon, "transfer-encoding")) {
                        chunked = header.toLowerCase(Locale.ROOT).contains("chunked");
                    } else if (isHeader(header, colon, "connection")) {
                        close = header.toLowerCase(Locale.ROOT).contains("close");
                    } else if (isHeader(header, colon, "expect")) {
                        expectContinue = header.toLowerCase(Locale.ROOT).contains("100-continue");
                    }
                }
                if (expectContinue) {
                    out.write(CONTINUE);
                    out.flush();
                }
                int length;
                if (chunked) {
                    ByteArrayOutputStream collected = new ByteArrayOutputStream();
                    for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
                        body = ensure(body, (int) size);
                        readFully(in, body, (int) size);
                        collected.write(body, 0, (int) size);
                        readLine(in);
                    }
                    for (String trailer = readLine(in); trailer != null && !trailer.isEmpty(); trailer = readLine(in)) {
                        // Trailers carry nothing we need.
                    }
                    byte[] all = collected.toByteArray();
                    body = ensure(body, all.length);
                    System.arraycopy(all, 0, body, 0, all.length);
                    length = all.length;
                } else {
                    body = ensure(body, (int) contentLength);
                    readFully(in, body, (int) contentLength);
                    length = (int) contentLength;
                }
                requests.increment();
                if (isHeartbeat(body, length)) {
                    heartbeats.increment();
                } else {
                    long count = countEvents(body, length);
                    events.add(count);
                    PositionSet set = positions;
                    if (set != null && count == 1) {
                        long lsn = lastLsn(body, length);
                        if (lsn < 0) {
                            unpositioned.increment();
                        } else {
                            set.add(lsn);
                        }
                    }
                }
                out.write(close ? OK_CLOSE : OK);
                out.flush();
                if (close) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away (a sink stopping): nothing to answer.
        }
    }

    private static boolean isHeader(String header, int colon, String name) {
        return colon == name.length() && header.regionMatches(true, 0, name, 0, colon);
    }

    /**
     * A Debezium heartbeat as its JSON converter writes it without schemas: {@code {"ts_ms":1796106476575}}, one
     * field. A change event's envelope has {@code ts_ms} too, but among others (so a comma), and pg_flo's events
     * start with {@code "type"}.
     */
    static boolean isHeartbeat(byte[] body, int length) {
        int first = firstNonSpace(body, length);
        if (!matchesAt(body, length, first, HEARTBEAT_START)) {
            return false;
        }
        for (int i = first + HEARTBEAT_START.length; i < length; i++) {
            if (body[i] == ',' || body[i] == '{') {
                return false;
            }
        }
        return true;
    }

    /** The number after the body's last {@code "lsn":} (Debezium's {@code source} block is near the end), or -1. */
    static long lastLsn(byte[] body, int length) {
        for (int i = length - LSN_FIELD.length; i >= 0; i--) {
            if (!matchesAt(body, length, i, LSN_FIELD)) {
                continue;
            }
            long value = 0;
            int digits = 0;
            for (int k = i + LSN_FIELD.length; k < length && body[k] >= '0' && body[k] <= '9' && digits < 19; k++, digits++) {
                value = value * 10 + (body[k] - '0');
            }
            return digits == 0 ? -1 : value;
        }
        return -1;
    }

    static long countEvents(byte[] body, int length) {
        int first = firstNonSpace(body, length);
        if (first == length) {
            return 0;
        }
        if (body[first] != '[') {
            return 1;
        }
        long count = 0;
        for (int i = first; i <= length - EVENT_START.length; i++) {
            if (matchesAt(body, length, i, EVENT_START)) {
                count++;
            }
        }
        return count;
    }

    private static int firstNonSpace(byte[] body, int length) {
        int first = 0;
        while (first < length && Character.isWhitespace(body[first])) {
            first++;
        }
        return first;
    }

    /** Whether {@code pattern} stands in the body's first {@code length} bytes at {@code at}. */
    private static boolean matchesAt(byte[] body, int length, int at, byte[] pattern) {
        if (at < 0 || length - at < pattern.length) {
            return false;
        }
        for (int j = 0; j < pattern.length; j++) {
            if (body[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    private static long chunkSize(Input in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("connection closed inside a chunked body");
        }
        int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private static byte[] ensure(byte[] buffer, int size) {
        return buffer.length >= size ? buffer : Arrays.copyOf(buffer, Math.max(size, buffer.length * 2));
    }

    private static void readFully(Input in, byte[] buffer, int length) throws IOException {
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                throw new EOFException("connection closed inside a request body");
            }
            read += n;
        }
    }

    /** A CRLF-terminated line without its terminator, or null at the end of the stream before any byte. */
    private static String readLine(Input in) throws IOException {
        return in.readLine();
    }

    /**
     * The connection's bytes through a buffer of its own: unlike {@code BufferedInputStream} it takes no lock per byte,
     * and a line is cut from the buffer at once. The receiver's time is the benchmark machine's time, which the
     * contender it serves would otherwise lose.
     */
    private static final class Input {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;

        Input(InputStream in) {
            this.in = in;
        }

        int read(byte[] target, int offset, int length) throws IOException {
            if (position == limit) {
                if (length >= buffer.length) {
                    return in.read(target, offset, length);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(length, limit - position);
            System.arraycopy(buffer, position, target, offset, n);
            position += n;
            return n;
        }

        String readLine() throws IOException {
            StringBuilder longLine = null;
            while (true) {
                if (position == limit && !fill()) {
                    return longLine == null || longLine.length() == 0 ? null : longLine.toString();
                }
                for (int i = position; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        int end = i > position && buffer[i - 1] == '\r' ? i - 1 : i;
                        String part = new String(buffer, position, end - position, StandardCharsets.ISO_8859_1);
                        position = i + 1;
                        if (longLine == null) {
                            return part;
                        }
                        longLine.append(part);
                        int last = longLine.length() - 1;
                        if (end == i && last >= 0 && longLine.charAt(last) == '\r') {
                            longLine.setLength(last);
                        }
                        return longLine.toString();
                    }
                }
                if (longLine == null) {
                    longLine = new StringBuilder();
                }
                longLine.append(new String(buffer, position, limit - position, StandardCharsets.ISO_8859_1));
                position = limit;
            }
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n <= 0) {
                return false;
            }
            position = 0;
            limit = n;
            return true;
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // Closing: nothing to do.
        }
        threads.shutdownNow();
    }
}
