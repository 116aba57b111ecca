package dev.spindle.jobs;

/** Exit codes of the {@code spindle} command; schedulers and scripts rely on them. */
public enum ExitCode {
    /** The command did what it was asked; for a job: committed. */
    OK(0),
    /** The job ran and failed; nothing of it is visible in the output. */
    JOB_FAILED(1),
    /** Bad command line or options; nothing was submitted. */
    USAGE(2),
    /** The job was killed. */
    JOB_KILLED(3),
    /** The cluster or storage could not be reached, or the job could not be submitted. */
    ENVIRONMENT(4);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
