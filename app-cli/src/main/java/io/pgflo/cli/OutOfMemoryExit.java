package io.pgflo.cli;

import io.pgflo.domain.Pipeline;
import io.pgflo.domain.PipelineStats;
import io.pgflo.sink.api.Position;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends the process when memory runs out, in whichever thread: one line on stderr naming the checkpoint a restart
 * resumes from and the heap option to raise, then exit status 3 ({@link ExitCode#OUT_OF_MEMORY}).
 *
 * <p>Exiting, rather than carrying on: a pipeline thread lost to an {@link OutOfMemoryError} can leave the others
 * waiting for it for ever, while a process that exits is restarted by its supervisor and resumes from its checkpoint,
 * nothing lost. Not {@code -XX:+ExitOnOutOfMemoryError}: that exits at the failed allocation, before any Java code
 * could say where the stream stands or what to change.
 *
 * <p>It hears of the error three ways: a thread that dies of it (the default uncaught-exception handler), the main
 * thread that it reaches ({@link Main}, {@link #run}), and a failure that carries it as a cause, which is how the
 * stream's threads hand their errors to the pipeline (the WAL reader, the sinks' workers and checkpoint writers;
 * {@link #run}, and {@link StreamRunner} for a stream's set-up). Whichever comes first prints and halts; the others
 * wait for the halt.
 */
final class OutOfMemoryExit {
    /** Given back first, so that the line can be put together in a heap that something else filled. */
    private static final int RESERVE_BYTES = 1 << 20;
    private static final AtomicBoolean exiting = new AtomicBoolean();
    private static volatile byte[] reserve;
    /** Set by {@link #describeHeap()}, off the main thread: the platform MBeans cost 30 ms of a cold start. */
    private static volatile Line line;
    private static volatile PipelineStats stream;

    private OutOfMemoryExit() {}

    /** Sets the default uncaught-exception handler (keeping the one before for other errors); once per process. */
    static synchronized void install() {
        if (reserve != null) {
            return;
        }
        reserve = new byte[RESERVE_BYTES];
        Thread.setDefaultUncaughtExceptionHandler(new Handler(Thread.getDefaultUncaughtExceptionHandler()));
    }

    /** Reads the heap's limit and the option that set it, for the line; off the main thread (see StartupWarmUp). */
    static void describeHeap() {
        long max = Runtime.getRuntime().maxMemory();
        try {
            max = Long.parseLong(ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .getVMOption("MaxHeapSize").getValue());
        } catch (RuntimeException | LinkageError e) {
            // Not HotSpot: what Runtime says is close (short of a survivor space).
        }
        line = Line.of(HeapSetting.of(ManagementFactory.getRuntimeMXBean().getInputArguments(), max));
    }

    /**
     * Runs the pipeline, whose last durable checkpoint the line names (each attempt of a stream brings its own), and
     * exits on an OutOfMemoryError it throws or that its failure carries as a cause (the stream's threads hand theirs
     * on that way): at once, not after closing the sink, which would report the error once more and may not manage.
     */
    static void run(Pipeline pipeline) throws InterruptedException {
        stream = pipeline.stats();
        try {
            pipeline.run();
        } catch (RuntimeException | Error e) {
            exitIfCausedBy(e);
            throw e;
        }
    }

    /** Exits if {@code error} is an {@link OutOfMemoryError} or has one among its causes; returns otherwise. */
    static void exitIfCausedBy(Throwable error) {
        int depth = 0;
        for (Throwable cause = error; cause != null && depth < 100; cause = cause.getCause(), depth++) {
            if (cause instanceof OutOfMemoryError) {
                exit();
            }
        }
    }

    /** Prints the line and halts with status 3; never returns. */
    static void exit() {
        reserve = null;
        if (!exiting.compareAndSet(false, true)) {
            while (true) {
                LockSupport.park(); // another thread is printing, and halts the process next
            }
        }
        try {
            Line known = line;
            if (known == null) { // before the warm-up thread read it: the limit, without the option behind it
                known = Line.of(new HeapSetting(Runtime.getRuntime().maxMemory(), null));
            }
            System.err.println(known.text(stream));
            System.err.flush();
        } catch (Throwable ignored) {
            // Out of memory for the line too: the status still says it.
        } finally {
            Runtime.getRuntime().halt(ExitCode.OUT_OF_MEMORY);
        }
    }

    /**
     * The line's parts that do not change, put together ahead so that little is left to allocate when the heap is
     * full: a StringBuilder, not string concatenation, whose first use would link a call site then.
     */
    record Line(String head, String tail) {
        static Line of(HeapSetting heap) {
            return new Line("pg_flo: out of memory (" + heap.describe() + ")",
                    "; raise the heap with PGFLO_JAVA_OPTS=" + heap.larger());
        }

        String text(PipelineStats stats) {
            StringBuilder text = new StringBuilder(200).append(head);
            if (stats != null) {
                Position checkpoint = stats.checkpoint();
                if (checkpoint.equals(Position.START)) {
                    // Nothing made durable yet (or the stream not started): a restart reads the slot from where it is.
                    text.append("; the stream resumes from the replication slot's position when restarted");
                } else {
                    text.append("; the stream resumes from checkpoint ").append(checkpoint).append(" when restarted");
                }
            }
            return text.append(tail).toString();
        }
    }

    /** Exits on an OutOfMemoryError; any other error goes where it went before. */
    private record Handler(Thread.UncaughtExceptionHandler previous) implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread thread, Throwable error) {
            exitIfCausedBy(error);
            if (previous != null) {
                previous.uncaughtException(thread, error);
            } else {
                // What ThreadGroup prints when there is no default handler (it would call this one, so not it).
                System.err.print("Exception in thread \"" + thread.getName() + "\" ");
                error.printStackTrace(System.err);
            }
        }
    }
}
