package io.pgflo.bench;

/**
 * One contender on one workload: the row of the results table and of the JSON file.
 *
 * @param status {@code ok}, {@code failed}, or {@code not available}
 * @param wallSeconds from the launch until the slot confirmed the workload's end
 * @param startSeconds from the launch until the slot became active (JVM start and set-up, for pg_flo)
 * @param eventsPerSecond events over wall time: the figure the targets are about
 * @param streamEventsPerSecond events over the time the slot was active
 * @param ratioToRecvLogical events per second over pg_recvlogical's on the same workload
 * @param ratioToDebezium events per second over Debezium Server's HTTP sink's on the same workload, when it ran
 * @param cpuSeconds user + system CPU time of the contender's process
 * @param walSenderCpuSeconds CPU time of the server's walsender process serving the slot (the same work for every
 *     contender: when it differs a lot, the server was starved or waiting on the client)
 * @param peakRssMb the process's peak resident set (VmHWM)
 * @param peakHeapMb for pg_flo: the most heap in use when a collection started (from the GC log)
 * @param deliveredEvents events counted at the destination, where counted
 * @param loadAverage the machine's one-minute load average as the contender started
 * @param target the target for this contender, if any
 * @param targetMet whether this run met it
 * @param heapWithinLimit for pg_flo: whether it ran within its {@code -Xmx} (512 MB by default) without running out
 */
record ContenderResult(
        String contender,
        String id,
        String workload,
        long events,
        String status,
        Double wallSeconds,
        Double startSeconds,
        Double eventsPerSecond,
        Double streamEventsPerSecond,
        Double ratioToRecvLogical,
        Double ratioToDebezium,
        Double cpuSeconds,
        Double walSenderCpuSeconds,
        Long peakRssMb,
        Long peakHeapMb,
        Long gcCount,
        Double gcPauseMillis,
        Integer exitCode,
        Long deliveredEvents,
        Double loadAverage,
        String target,
        Boolean targetMet,
        Boolean heapWithinLimit,
        String note,
        String workDirectory) {

    static final String OK = "ok";
    static final String FAILED = "failed";
    static final String NOT_AVAILABLE = "not available";
    /** The id of the row that holds what the webhook's receiver takes from {@code wrk}, the per-event target's base. */
    static final String RECEIVER_CEILING = "receiver-wrk";

    /**
     * The receiver's ceiling as a row of its own: requests per second from {@code wrk} with {@code connections}, or
     * null with a status other than {@link #OK} and a note that says why.
     */
    static ContenderResult receiverCeiling(String workload, int connections, String status, Double requestsPerSecond,
            String note) {
        return new ContenderResult("wrk, " + connections + " connections, same receiver", RECEIVER_CEILING, workload, 0,
                status, null, null, requestsPerSecond, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, note, null);
    }

    static ContenderResult notAvailable(Contender contender, Workload workload, String reason) {
        return new ContenderResult(contender.displayName(), contender.id(), workload.name(), workload.events(),
                NOT_AVAILABLE, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, reason, null);
    }

    boolean ok() {
        return OK.equals(status);
    }

    ContenderResult withWorkDirectory(String directory) {
        return new ContenderResult(contender, id, workload, events, status, wallSeconds, startSeconds, eventsPerSecond,
                streamEventsPerSecond, ratioToRecvLogical, ratioToDebezium, cpuSeconds, walSenderCpuSeconds, peakRssMb, peakHeapMb, gcCount,
                gcPauseMillis, exitCode, deliveredEvents, loadAverage, target, targetMet, heapWithinLimit, note, directory);
    }

    /** This result with {@code more} after its note. */
    ContenderResult withMoreNote(String more) {
        return new ContenderResult(contender, id, workload, events, status, wallSeconds, startSeconds, eventsPerSecond,
                streamEventsPerSecond, ratioToRecvLogical, ratioToDebezium, cpuSeconds, walSenderCpuSeconds, peakRssMb, peakHeapMb, gcCount,
                gcPauseMillis, exitCode, deliveredEvents, loadAverage, target, targetMet, heapWithinLimit,
                note == null || note.isEmpty() ? more : note + "; " + more, workDirectory);
    }

    ContenderResult withComparison(Double ratio, Double debeziumRatio, String target, Boolean targetMet, Boolean heapWithinLimit) {
        return new ContenderResult(contender, id, workload, events, status, wallSeconds, startSeconds, eventsPerSecond,
                streamEventsPerSecond, ratio, debeziumRatio, cpuSeconds, walSenderCpuSeconds, peakRssMb, peakHeapMb, gcCount, gcPauseMillis, exitCode,
                deliveredEvents, loadAverage, target, targetMet, heapWithinLimit, note, workDirectory);
    }
}
