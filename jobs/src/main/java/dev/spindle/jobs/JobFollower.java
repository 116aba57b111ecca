package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.yarn.JobHandle;
import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobState;
import dev.spindle.yarn.JobStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * Follows a job to its end for a command: progress lines, the summary, the exit code, and a
 * kill of the job when the driver is interrupted (Ctrl-C, SIGTERM: schedulers' {@code on_kill}).
 * Shared by the job commands and {@code spindle wait}, so both end the same way.
 */
final class JobFollower {

    private final PrintStream out;
    private final PrintStream err;

    JobFollower(PrintStream out, PrintStream err) {
        this.out = requireNonNull(out, "out is null");
        this.err = requireNonNull(err, "err is null");
    }

    /** A failure message's "in the log of container_..." (a block that failed every attempt). */
    private static final java.util.regex.Pattern CONTAINER_LOG = java.util.regex.Pattern.compile("in the log of (container_[0-9_e]+)");

    ExitCode follow(String command, JobHandle handle, boolean quiet) throws IOException, InterruptedException {
        return follow(command, handle, quiet, null);
    }

    /** {@link #follow(String, JobHandle, boolean)}, telling {@code resultFile} (when not null) how the job ended. */
    ExitCode follow(String command, JobHandle handle, boolean quiet, ResultFile resultFile) throws IOException, InterruptedException {
        // a bar redrawn in place on a terminal; plain lines through a pipe (Airflow, Oozie, | tee)
        Optional<TerminalProgress> bar = quiet ? Optional.empty() : TerminalProgress.onStderr(System.nanoTime());
        if (bar.isPresent()) {
            handle.addListener(bar.get()::update);
        } else if (!quiet) {
            ProgressPrinter progress = new ProgressPrinter(err, System.nanoTime());
            handle.addListener(progress::update);
        }
        Thread killOnExit = new Thread(() -> {
            if (!handle.result().isDone()) {
                err.println("Interrupted: killing " + handle.applicationId());
                try {
                    handle.kill();
                } catch (IOException e) {
                    err.println("Could not kill " + handle.applicationId() + ": " + e.getMessage());
                }
            }
        }, "spindle-kill-on-exit");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        JobResult result;
        try {
            result = handle.await();
        } finally {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
            bar.ifPresent(TerminalProgress::close);
        }
        if (resultFile != null) {
            resultFile.ended(result, handle.lastStatus().map(JobStatus::phases).orElse(Map.of()),
                    handle.lastStatus().map(JobStatus::uber).orElse(false));
        }
        new JobSummary(out).print(command, handle.spec(), result, handle.lastStatus());
        if (result.state() == JobState.SUCCEEDED) {
            return ExitCode.OK;
        }
        err.printf("spindle %s: job %s %s: %s%n", command, result.applicationId(), result.state(), result.message());
        java.util.regex.Matcher container = CONTAINER_LOG.matcher(result.message());
        if (container.find()) {
            err.printf("The error's log: spindle logs %s --container %s%n", result.applicationId(), container.group(1));
        }
        return result.state() == JobState.KILLED ? ExitCode.JOB_KILLED : ExitCode.JOB_FAILED;
    }
}
