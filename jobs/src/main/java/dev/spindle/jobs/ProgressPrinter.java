package dev.spindle.jobs;

import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.BlockStatus;
import dev.spindle.yarn.JobState;
import dev.spindle.yarn.JobStatus;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;

/** Prints a job's progress as blocks finish: one line per finished block and a running total. */
final class ProgressPrinter {

    private final PrintStream out;
    private final long startedNanos;
    private final Set<String> printed = new HashSet<>();
    private JobState lastState;
    private int planned = -1;

    ProgressPrinter(PrintStream out, long startedNanos) {
        this.out = out;
        this.startedNanos = startedNanos;
    }

    synchronized void update(JobStatus status) {
        if (status.state() != lastState) {
            lastState = status.state();
            out.printf("[%6.1fs] %s%n", seconds(), status.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (planned != status.blocks().size() && !status.blocks().isEmpty()) {
            planned = status.blocks().size();
            long bytes = status.blocks().stream().mapToLong(BlockStatus::plannedBytes).sum();
            out.printf("[%6.1fs] planned %d blocks, %,d bytes%n", seconds(), planned, bytes);
        }
        long read = 0;
        long written = 0;
        long rejected = 0;
        int done = 0;
        boolean changed = false;
        for (BlockStatus block : status.blocks()) {
            BlockResult result = block.result();
            if (result == null) {
                continue;
            }
            done++;
            read += result.outcome().rowsRead();
            written += result.outcome().rowsWritten();
            rejected += result.outcome().rowsRejected();
            String key = block.block() + "/" + result.attempt();
            if (printed.add(key)) {
                changed = true;
                out.printf("[%6.1fs]   block %d%s done on %s in %.1f s: %,d rows read, %,d written%n", seconds(), block.block(),
                        result.rerun() ? " (re-run)" : "", result.host(), result.elapsedMillis() / 1000.0,
                        result.outcome().rowsRead(), result.outcome().rowsWritten());
            }
        }
        if (changed) {
            out.printf("[%6.1fs] %d/%d blocks done: %,d rows read, %,d written, %,d rejected%n", seconds(), done,
                    status.blocks().size(), read, written, rejected);
        }
    }

    private double seconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
