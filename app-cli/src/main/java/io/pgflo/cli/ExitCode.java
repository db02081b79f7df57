package io.pgflo.cli;

/** The process's exit statuses. */
final class ExitCode {
    /** Finished or stopped cleanly. */
    static final int OK = 0;
    /** The stream failed while running (sink or source error); a restart resumes from the last checkpoint. */
    static final int FAILED = 1;
    /** Bad flags or an unusable environment; nothing was streamed or acknowledged. */
    static final int USAGE = 2;
    /** Out of memory; one line on stderr names the checkpoint a restart resumes from and the heap option to raise. */
    static final int OUT_OF_MEMORY = 3;

    private ExitCode() {}
}
