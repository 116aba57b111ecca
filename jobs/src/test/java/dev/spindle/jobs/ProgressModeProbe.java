package dev.spindle.jobs;

import dev.spindle.yarn.JobState;
import dev.spindle.yarn.JobStatus;
import java.util.Optional;

/**
 * Run by {@link TerminalProgressTest} in a JVM of its own, under a pseudo-terminal or with
 * stderr piped: says on stdout which progress mode the driver would pick, and draws the bar twice.
 */
public final class ProgressModeProbe {

    private ProgressModeProbe() {}

    public static void main(String[] args) throws Exception {
        Optional<TerminalProgress> bar = TerminalProgress.onStderr(System.nanoTime());
        System.out.println(bar.isPresent() ? "mode=bar" : "mode=lines");
        System.out.flush();
        if (bar.isPresent()) {
            try (TerminalProgress progress = bar.get()) {
                JobStatus half = TerminalProgressTest.status(JobState.RUNNING, 4, 2);
                progress.update(half);
                progress.update(TerminalProgressTest.status(JobState.RUNNING, 4, 4));
            }
        }
        System.err.println("done");
    }
}
