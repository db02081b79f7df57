package io.pgflo.bench;

import io.pgflo.sink.api.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Runs one contender on one workload and measures it: launch, poll the slot every 20 ms until its confirmed
 * position reaches the workload's end (sampling the process's memory and CPU meanwhile), stop it, check what it
 * delivered.
 */
final class ContenderRunner {
    private static final long POLL_MILLIS = 20;

    private final BenchContext context;

    ContenderRunner(BenchContext context) {
        this.context = context;
    }

    ContenderResult run(Contender contender, RunSpec run) {
        Workload workload = run.workload();
        List<String> notes = new ArrayList<>();
        Double load = ProcessStats.loadAverage();
        ProcessStats stats = new ProcessStats();
        ProcessStats walSender = new ProcessStats();
        long harnessPid = ProcessHandle.current().pid();
        ProcessStats harnessBefore = new ProcessStats();
        harnessBefore.sample(harnessPid);
        String slot = contender.names().slot();
        Lsn end = run.endLsn();
        long started = System.nanoTime();
        Launch launch;
        try {
            launch = contender.launch(context, run);
        } catch (Exception e) {
            return failed(contender, run, load, "cannot start: " + e.getMessage());
        }
        long active = -1;
        long done = -1;
        String failure = null;
        long deadline = started + context.options().timeout().toNanos();
        try {
            while (true) {
                launch.sample(stats);
                SourceDatabase.SlotState state = run.source().slotState(slot);
                long now = System.nanoTime();
                if (active < 0 && state.active()) {
                    active = now;
                }
                if (state.walSenderPid() != 0) {
                    walSender.sample(state.walSenderPid());
                }
                if (!state.confirmedFlush().isBefore(end) && contender.arrived(context, run)) {
                    done = now;
                    break;
                }
                OptionalInt exit = launch.exitCode();
                if (exit.isPresent()) {
                    if (contender.exitsWhenDone() && exit.getAsInt() == 0) {
                        done = now;
                        Lsn confirmed = awaitConfirmed(run, slot, end);
                        if (confirmed.isBefore(end)) {
                            failure = "exited with its slot confirmed at " + confirmed + ", short of the end " + end;
                        }
                    } else {
                        failure = "exited with status " + exit.getAsInt() + explain(launch);
                    }
                    break;
                }
                if (now > deadline) {
                    failure = "timed out after " + context.options().timeout().toSeconds() + " s at " + state.confirmedFlush()
                            + " of " + end;
                    break;
                }
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (Exception e) {
            failure = "monitoring failed: " + e.getMessage();
        } finally {
            if (contender.exitsWhenDone() && failure == null) {
                awaitExit(launch); // it is about to exit by itself: let it, so that its own report is complete
            }
            launch.sample(stats);
            try {
                launch.stop();
            } catch (Exception e) {
                notes.add("stop failed: " + e.getMessage());
            }
        }
        Integer exitCode = launch.exitCode().isPresent() ? launch.exitCode().getAsInt() : null;
        if (contender instanceof PgFloWebhookContender || contender instanceof DebeziumContender) {
            ProcessStats harnessAfter = new ProcessStats();
            harnessAfter.sample(harnessPid);
            if (harnessAfter.cpuSeconds() != null && harnessBefore.cpuSeconds() != null) {
                notes.add(String.format(java.util.Locale.ROOT, "receiver %.1f cpu s",
                        harnessAfter.cpuSeconds() - harnessBefore.cpuSeconds()));
            }
        }
        if (failure == null && exitCode != null && !contender.stoppedCleanly(exitCode)) {
            notes.add("stopped with status " + exitCode + explain(launch));
        }
        GcLog gc = launch.gcLog() == null ? null : GcLog.read(launch.gcLog());
        Long delivered = null;
        if (failure == null) {
            try {
                Delivery delivery = contender.verify(context, run);
                delivered = delivery.events();
                if (!delivery.note().isEmpty()) {
                    notes.add(delivery.note());
                }
                if (!delivery.ok()) {
                    failure = "incomplete delivery";
                }
            } catch (Exception e) {
                notes.add("check failed: " + e.getMessage());
            }
        }
        try {
            contender.cleanup(context, run);
        } catch (RuntimeException e) {
            notes.add("clean-up failed: " + e.getMessage());
        }
        if (failure != null) {
            notes.add(0, failure);
        }
        Double wall = done < 0 ? null : (done - started) / 1e9;
        Double startup = active < 0 || done < 0 ? null : (Math.min(active, done) - started) / 1e9;
        Double rate = wall == null ? null : workload.events() / wall;
        Double streamRate = wall == null || startup == null || wall - startup <= 0 ? null : workload.events() / (wall - startup);
        return new ContenderResult(contender.displayName(), contender.id(), workload.name(), workload.events(),
                failure == null ? ContenderResult.OK : ContenderResult.FAILED,
                failure == null ? wall : null, failure == null ? startup : null,
                failure == null ? rate : null, failure == null ? streamRate : null, null, null,
                stats.cpuSeconds(), walSender.cpuSeconds(),
                stats.peakRssMb().isPresent() ? stats.peakRssMb().getAsLong() : null,
                gc == null ? null : gc.peakHeapMb(), gc == null ? null : gc.collections(),
                gc == null ? null : Math.round(gc.pauseMillis() * 10) / 10.0,
                exitCode, delivered, load, null, null, null, String.join("; ", notes), run.workDirectory().toString());
    }

    /** pg_recvlogical confirms its last position as it exits; the server records it a moment later. */
    private static Lsn awaitConfirmed(RunSpec run, String slot, Lsn end) throws Exception {
        Lsn confirmed = Lsn.ZERO;
        for (int i = 0; i < 100; i++) {
            confirmed = run.source().slotState(slot).confirmedFlush();
            if (!confirmed.isBefore(end)) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return confirmed;
    }

    private static void awaitExit(Launch launch) {
        try {
            for (int i = 0; i < 500 && launch.exitCode().isEmpty(); i++) {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String explain(Launch launch) {
        String tail = launch.logTail();
        if (tail.contains("OutOfMemoryError") || tail.contains("pg_flo: out of memory")) {
            return " (OutOfMemoryError: the heap limit was too small)";
        }
        return tail.isEmpty() ? "" : ": " + tail;
    }

    private static ContenderResult failed(Contender contender, RunSpec run, Double load, String reason) {
        Workload workload = run.workload();
        return new ContenderResult(contender.displayName(), contender.id(), workload.name(), workload.events(),
                ContenderResult.FAILED, null, null, null, null, null, null, null, null, null, null, null, null, null, null, load,
                null, null, null, reason, run.workDirectory().toString());
    }
}
