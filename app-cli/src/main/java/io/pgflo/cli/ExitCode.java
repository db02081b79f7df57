package io.pgflo.cli;

/** The process's exit statuses. */
final class ExitCode {
    /** Finished or stopped cleanly. */
    static final int OK = 0;
    /** The stream failed while running (sink or source error); a restart resumes from the last checkpoint. */
    static final int FAILED = 1;
    /** Bad flags or an unusable environment; nothing was streamed or acknowledged. */
    static final int USAGE = 2;

    private ExitCode() {}
}
