package io.pgflo.wal;

import io.pgflo.domain.SourceChange;
import io.pgflo.domain.SourceMessage;
import io.pgflo.domain.TransactionCommit;
import io.pgflo.sink.api.ChangeEvent;
import io.pgflo.sink.api.Lsn;
import io.pgflo.sink.api.Position;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

/**
 * Reads and decodes the replication stream on a thread of its own, into a bounded queue, so the server keeps sending
 * while the sink writes or fsyncs; the pipeline then pays for the slower of the two, not for both.
 *
 * <p>pgjdbc's stream is not thread-safe, so this thread alone touches it: positions to acknowledge are handed over and
 * reported from here. While the queue is full it still reports its position at the status interval, so a slow sink
 * does not make the server drop the connection as silent.
 */
final class StreamReader implements Runnable {
    /** Messages handed over at a time: one wake-up of the pipeline per chunk, not per message. */
    private static final int CHUNK = 256;
    /** Chunks held: at most {@code CHUNKS * CHUNK} = 8192 messages. */
    private static final int CHUNKS = 32;
    /**
     * Value bytes ({@link ChangeEvent#valueBytes()}) held in the queue, besides: 8192 rows with 1 MB documents would be
     * 8 GB. A chunk goes out early once its values reach {@link #CHUNK_BYTES}; one chunk goes into an empty queue
     * whatever its size, so a single huge row still passes.
     */
    static final long MAX_QUEUED_BYTES = 32L << 20;
    static final long CHUNK_BYTES = 4L << 20;
    /**
     * How long a silent stream is read again at once, with no pause: pgjdbc's readPending itself waits up to a
     * millisecond for data (a 1 ms socket timeout, with a status interval set) and returns as soon as data comes, so
     * the gaps between transactions of a steady load cost no latency and little CPU. After that the reader pauses
     * between reads, longer and longer, up to {@link #MAX_IDLE_PAUSE_NANOS}, so an idle stream costs almost nothing.
     */
    private static final long READ_AT_ONCE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Silent reads closer together than this did not wait for data, so reading again at once would spin. */
    private static final long WAITED_READ_NANOS = TimeUnit.MICROSECONDS.toNanos(500);
    private static final long MIN_IDLE_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_IDLE_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** How long a waiting pipeline waits for the committed messages of a chunk being filled. */
    private static final Duration CHUNK_WAIT = Duration.ofMillis(1);
    /**
     * A commit this close to the reader's clock (either way, for a source clock a little ahead) was read as the server
     * sent it, not from a backlog: it goes to a waiting pipeline at once, though the transaction before it came just
     * before. Waiting for a silent read instead costs a millisecond (pgjdbc's read waits that long for data), which
     * one transaction in a hundred paid at 5,000 changes/s. A backlog's commits are older, and still fill chunks; a
     * source clock off by more than this only falls back to the silence rule.
     */
    private static final Duration LIVE_COMMIT = Duration.ofMillis(10);
    /**
     * Handed over to wake a waiting pipeline: the stream fell silent with nothing left to hand over, or the sink
     * finished a batch.
     */
    private static final Chunk WAKE_UP = new Chunk(List.of(), 0);

    private final PGReplicationStream stream;
    private final ChangeEventAssembler assembler;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(CHUNKS);
    /** Set by this thread when the server had nothing more to send, after handing over what it read. */
    private volatile boolean idle;
    /**
     * Set by the pipeline while it waits for a chunk. A commit then goes at once, not when the next read finds the
     * stream silent (a millisecond later), if its transaction came after a silence (the server sends such a
     * transaction as it commits, so the next is likely some time away) or its chunk has been filling for
     * {@link #CHUNK_WAIT}: the pipeline has nothing else to do.
     */
    private volatile boolean consumerWaiting;
    /** Set by {@link #wakeUp} for a pipeline that was not waiting yet: its next wait ends at once. */
    private volatile boolean wakeUpRequested;
    /**
     * Whether the last commit read was live (written by this thread when it changes). Only then does a sink's finished
     * batch wake the pipeline: in a backlog the next chunk is a chunk's decoding away, and waiting for it lets the
     * batches grow while the sink is busy. Waking at each finished batch there cut the oltp million into four times as
     * many webhook requests, at two thirds of the rate.
     */
    private volatile boolean readingLive;
    /**
     * Whether a read found the stream silent since the last commit (this thread only). Transactions of a backlog, read
     * back to back, fill chunks instead: one hand-over each would cut the batches of a sink that takes whatever is
     * committed into pieces a transaction large. Yet a chunk does not wait longer than {@link #CHUNK_WAIT} for a
     * waiting pipeline, and a live commit ({@link #LIVE_COMMIT}) does not wait at all.
     */
    private boolean silenceSinceCommit = true;
    private final long chunkWaitNanos;
    private final long liveCommitMillis;
    /** When the first message went into the chunk being filled. */
    private long fillingSince;
    /** What the pipeline last learnt of {@link #idle} (its thread only): whether it still has to hear of it. */
    private boolean consumerSawIdle;
    /** The value bytes of the chunks in the queue. */
    private final AtomicLong queuedBytes = new AtomicLong();
    /** The reader's chunk being filled, and its value bytes. */
    private List<SourceMessage> filling = new ArrayList<>(CHUNK);
    private long fillingBytes;
    /** The consumer's chunk being taken, and the position in it. */
    private List<SourceMessage> taking = List.of();
    private int taken;
    private final AtomicReference<Lsn> pendingAcknowledgement = new AtomicReference<>();
    private final String description;
    private final long statusIntervalNanos;
    private final Thread thread;
    private volatile RuntimeException failure;
    private volatile boolean stopping;
    /** Opened by {@link #release}: until then nothing is read, so nothing is decoded before the checkpoint is known. */
    private final CountDownLatch released = new CountDownLatch(1);

    StreamReader(PGReplicationStream stream, ChangeEventAssembler assembler, String description, Duration statusInterval) {
        this(stream, assembler, description, statusInterval, CHUNK_WAIT, LIVE_COMMIT);
    }

    /**
     * A reader whose waiting pipeline waits at most {@code chunkWait} for the commits of a chunk being filled, and
     * which takes a commit within {@code liveCommit} of its clock for live.
     */
    StreamReader(PGReplicationStream stream, ChangeEventAssembler assembler, String description,
            Duration statusInterval, Duration chunkWait, Duration liveCommit) {
        this.chunkWaitNanos = chunkWait.toNanos();
        this.liveCommitMillis = liveCommit.toMillis();
        this.stream = stream;
        this.assembler = assembler;
        this.description = description;
        this.statusIntervalNanos = statusInterval.toNanos();
        this.thread = new Thread(this, "pg_flo-wal-reader");
        thread.setDaemon(true);
    }

    /** Starts the thread; it reads nothing until {@link #release}. */
    void start() {
        thread.start();
    }

    /** Lets the thread read, and skip the transactions at or before {@code resumeAfter} (the sink's checkpoint). */
    void release(Position resumeAfter) {
        // Set before the latch opens, read by this thread only after it: the latch orders the two.
        assembler.resumeAfter(resumeAfter);
        released.countDown();
    }

    /**
     * The next message, or null after the timeout or when the stream fell silent meanwhile. A failure of the reader is
     * thrown once the messages it handed over before it are taken; any it read but could not hand over are not lost,
     * since nothing past what the sink made durable is acknowledged: the reconnect reads them again.
     */
    SourceMessage poll(Duration timeout) throws InterruptedException {
        if (taken == taking.size()) {
            Chunk next = queue.poll();
            if (next == null) {
                throwIfFailed();
                next = awaitChunk(timeout);
                if (next == null) {
                    throwIfFailed();
                    return null;
                }
            }
            queuedBytes.addAndGet(-next.bytes);
            taking = next.messages;
            taken = 0;
            if (taking.isEmpty()) { // WAKE_UP: the stream fell silent, or the sink finished a batch
                // This null is the wake-up: a flag left by the same one must not end the next wait too. Whatever
                // the sink finished, the pipeline sees after any null (it then checks the sink's checkpoint).
                wakeUpRequested = false;
                return null;
            }
        }
        return taking.get(taken++);
    }

    /**
     * Whether everything the server has sent is taken: the queue is empty and the thread found nothing more to read.
     * Not merely an empty queue, which a pipeline faster than the decoding sees between two chunks of a backlog.
     */
    boolean caughtUp() {
        consumerSawIdle = idle;
        return consumerSawIdle && taken == taking.size() && queue.isEmpty();
    }

    /**
     * Ends the pipeline's wait for a chunk now, or its next wait at once: the sink has finished a batch. From any
     * thread; only while the stream is live ({@link #readingLive}). The flag and {@link #consumerWaiting} are each set
     * before the other is read, so one side always sees the other.
     */
    void wakeUp() {
        if (!readingLive) {
            return;
        }
        wakeUpRequested = true;
        wakeIfWaiting();
    }

    /** Ends the pipeline's wait for a chunk, if it is waiting: its poll returns null. */
    private void wakeIfWaiting() {
        if (consumerWaiting) {
            queue.offer(WAKE_UP);
        }
    }

    private Chunk awaitChunk(Duration timeout) throws InterruptedException {
        consumerWaiting = true;
        try {
            if (wakeUpRequested) {
                wakeUpRequested = false;
                return null;
            }
            // The reader wakes a waiting pipeline when the stream falls silent; if it did so just before the flag was
            // up, the pipeline learns of it here instead of at the end of the timeout.
            if (idle && !consumerSawIdle) {
                consumerSawIdle = true;
                return null;
            }
            return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } finally {
            consumerWaiting = false;
        }
    }

    void acknowledge(Lsn durable) {
        pendingAcknowledgement.accumulateAndGet(durable, (previous, next) -> previous == null ? next : Lsn.max(previous, next));
    }

    /**
     * Stops the thread, then reports the last acknowledged position from the caller's thread. Returns whether the
     * thread has ended (it is given 10 s).
     */
    boolean stop() throws SQLException {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            return false;
        }
        reportAcknowledgement();
        return true;
    }

    @Override
    public void run() {
        long pause = MIN_IDLE_PAUSE_NANOS;
        long silentSince = 0;
        long silentReadFrom = 0; // when the read after a silent one began (near enough: after it and any pause)
        try {
            if (!awaitRelease()) {
                return;
            }
            while (!stopping) {
                reportAcknowledgement();
                ByteBuffer buffer = stream.readPending();
                if (buffer != null) {
                    if (idle) { // per message: a volatile write only when it changes
                        idle = false;
                    }
                    Lsn lsn = Lsn.of(stream.getLastReceiveLSN().asLong());
                    assembler.accept(buffer, lsn, this::put);
                    pause = MIN_IDLE_PAUSE_NANOS;
                    continue;
                }
                silenceSinceCommit = true;
                // Timed only between silent reads, so reading data costs no clock.
                long now = System.nanoTime();
                if (!idle) {
                    // Nothing more to read now: what was read goes to the pipeline, and idle is set first. The
                    // hand-over wakes the pipeline, which checks caughtUp() as soon as it has taken the chunk; set
                    // after, it would often still read false, and the pipeline would hold the last transaction until
                    // the next one or the batch delay. With nothing left to hand over (the commit went at once), a
                    // waiting pipeline is woken all the same, to cut what it holds.
                    idle = true;
                    if (!handOver()) {
                        wakeIfWaiting();
                    }
                    silentSince = now;
                } else if (now - silentReadFrom < WAITED_READ_NANOS || now - silentSince > READ_AT_ONCE_NANOS) {
                    // parkNanos, not Thread.sleep: on JDK 17 a sleep with nanoseconds rounds up to a whole millisecond.
                    LockSupport.parkNanos(pause);
                    pause = Math.min(pause * 2, MAX_IDLE_PAUSE_NANOS);
                    now = System.nanoTime();
                }
                silentReadFrom = now;
            }
        } catch (SQLException e) {
            fail(streamFailure(e));
        } catch (RuntimeException e) {
            fail(e);
        } catch (Error e) {
            // An Error ends this thread as surely as an exception; without a failure kept for poll, the pipeline would
            // take the silence for an idle source and wait for ever. Rethrown for the thread's uncaught-exception
            // handler (pg_flo's ends the process on an OutOfMemoryError, with a line naming the checkpoint).
            fail(new SourceException(description + " stopped: " + e, e));
            throw e;
        }
    }

    /**
     * Waits for {@link #release}, sending status messages meanwhile so the server does not drop a connection that
     * reads nothing while the sink gets ready (a long schema sync, say). False when stopped first.
     */
    private boolean awaitRelease() throws SQLException {
        // Nothing reads the server's keep-alive requests meanwhile: a status message at least every second answers
        // them for any wal_sender_timeout above that, and at most ten a second whatever the status interval.
        long wait = Math.min(Math.max(statusIntervalNanos / 2, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.SECONDS.toNanos(1));
        try {
            while (!released.await(wait, TimeUnit.NANOSECONDS)) {
                if (stopping) {
                    return false;
                }
                stream.forceUpdateStatus();
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                fail(new SourceException(description + " was interrupted before it started", e));
            }
            return false;
        }
        return !stopping;
    }

    private void put(SourceMessage message) {
        if (filling.isEmpty()) {
            fillingSince = System.nanoTime();
        }
        filling.add(message);
        if (message instanceof SourceChange event) {
            fillingBytes += event.valueBytes();
        }
        boolean commitForWaitingPipeline = false;
        if (message instanceof TransactionCommit commit) {
            boolean live = live(commit);
            if (live != readingLive) {
                readingLive = live;
            }
            commitForWaitingPipeline = consumerWaiting
                    && (silenceSinceCommit || live || System.nanoTime() - fillingSince >= chunkWaitNanos);
            silenceSinceCommit = false;
        }
        if (filling.size() == CHUNK || fillingBytes >= CHUNK_BYTES || commitForWaitingPipeline) {
            handOver();
        }
    }

    private boolean live(TransactionCommit commit) {
        return Math.abs(System.currentTimeMillis() - commit.commitTime().toEpochMilli()) <= liveCommitMillis;
    }

    /**
     * Hands the chunk read so far to the pipeline, waiting while the queue is full (and still reporting status).
     * Returns whether there was one.
     */
    private boolean handOver() {
        if (filling.isEmpty()) {
            return false;
        }
        Chunk chunk = new Chunk(filling, fillingBytes);
        filling = new ArrayList<>(CHUNK);
        fillingBytes = 0;
        long lastStatus = System.nanoTime();
        try {
            while (!stopping) {
                if (offer(chunk)) {
                    return true;
                }
                reportAcknowledgement();
                if (System.nanoTime() - lastStatus > statusIntervalNanos) {
                    stream.forceUpdateStatus();
                    lastStatus = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            stopping = true;
        } catch (SQLException e) {
            throw streamFailure(e);
        }
        return false;
    }

    /** Puts the chunk into the queue within 10 ms, if there is room for it and for its bytes. */
    private boolean offer(Chunk chunk) throws InterruptedException {
        long queued = queuedBytes.get();
        if (queued > 0 && queued + chunk.bytes > MAX_QUEUED_BYTES) {
            Thread.sleep(1);
            return false;
        }
        return enqueue(chunk, 10, TimeUnit.MILLISECONDS);
    }

    /** Puts the chunk into the queue within the timeout, its bytes counted when it is there. */
    private boolean enqueue(Chunk chunk, long timeout, TimeUnit unit) throws InterruptedException {
        // Counted before it is in the queue, so that the consumer never takes away bytes not yet added.
        queuedBytes.addAndGet(chunk.bytes);
        if (queue.offer(chunk, timeout, unit)) {
            return true;
        }
        queuedBytes.addAndGet(-chunk.bytes);
        return false;
    }

    private SourceException streamFailure(SQLException e) {
        return new SourceException(description + " failed: " + PgConnections.firstLine(e.getMessage()), e);
    }

    private void reportAcknowledgement() throws SQLException {
        // Runs once per message: a plain read first, the atomic swap only when there is something to report.
        if (pendingAcknowledgement.get() == null) {
            return;
        }
        Lsn durable = pendingAcknowledgement.getAndSet(null);
        if (durable != null) {
            LogSequenceNumber lsn = LogSequenceNumber.valueOf(durable.value());
            stream.setFlushedLSN(lsn);
            stream.setAppliedLSN(lsn);
            stream.forceUpdateStatus();
        }
    }

    /** Keeps the failure for the pipeline, after the messages read before it (when there is room for them). */
    private void fail(RuntimeException error) {
        if (!stopping) {
            try {
                if (!filling.isEmpty() && enqueue(new Chunk(filling, fillingBytes), 1, TimeUnit.SECONDS)) {
                    filling = new ArrayList<>(CHUNK);
                    fillingBytes = 0;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            failure = error;
        }
    }

    private void throwIfFailed() {
        RuntimeException error = failure;
        if (error != null) {
            throw error;
        }
    }

    /** Messages handed over together, and their value bytes. */
    private record Chunk(List<SourceMessage> messages, long bytes) {}
}
