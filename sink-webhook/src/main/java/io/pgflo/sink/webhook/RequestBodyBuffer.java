package io.pgflo.sink.webhook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

/**
 * The body of the request a thread is sending, encoded into an array the thread keeps for its next request. A batched
 * body is hundreds of KB: encoding each into a new array, copying that into another, and letting okio copy it into
 * segments more than its pool holds was a third of the batched webhook's allocation. Lanes are long-lived threads,
 * so one buffer per thread is one per lane; a buffer grown past {@link #MAX_KEPT_BYTES} (rows with huge values) is
 * dropped after its request rather than kept by an idle lane.
 *
 * <p>The body stays as it is from {@link #forThisThread()} until the thread's next call of it, so retries (and OkHttp's
 * silent resend on a stale pooled connection) send the same bytes.
 */
final class RequestBodyBuffer extends ByteArrayOutputStream {
    static final int MAX_KEPT_BYTES = 4 << 20;
    /** okio's segment size: each write fills whole segments, which go back to okio's pool once on the socket. */
    private static final int CHUNK_BYTES = 8192;
    private static final ThreadLocal<RequestBodyBuffer> PER_THREAD = ThreadLocal.withInitial(RequestBodyBuffer::new);

    private RequestBodyBuffer() {
        super(CHUNK_BYTES);
    }

    /** This thread's buffer, empty. */
    static RequestBodyBuffer forThisThread() {
        RequestBodyBuffer buffer = PER_THREAD.get();
        buffer.reset();
        return buffer;
    }

    /** The request is settled: a buffer that grew past {@link #MAX_KEPT_BYTES} is not kept for the next one. */
    void release() {
        if (buf.length > MAX_KEPT_BYTES) {
            PER_THREAD.remove();
        }
    }

    /** The bytes written so far are {@code array()[0..size())}; no copy. */
    byte[] array() {
        return buf;
    }

    /** The body for OkHttp, written to the connection a segment at a time. */
    RequestBody requestBody(MediaType type) {
        byte[] bytes = buf;
        int length = count;
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return type;
            }

            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                for (int offset = 0; offset < length; offset += CHUNK_BYTES) {
                    sink.write(bytes, offset, Math.min(CHUNK_BYTES, length - offset));
                }
            }
        };
    }
}
