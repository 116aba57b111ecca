package dev.spindle.jobs;

/**
 * Exit codes of the {@code spindle} command; schedulers and scripts rely on them. README and
 * {@code spindle --help} print this table ({@link #meaning()}).
 */
public enum ExitCode {
    OK(0, "succeeded (for a job: committed; for status: the job succeeded or is still running)"),
    JOB_FAILED(1, "the job failed, nothing of it is visible (validate: the dataset does not match its manifest; also: an internal error of spindle, with its stack trace)"),
    USAGE(2, "usage or input error before submission: bad options, unknown columns, missing or non-CSV input"),
    JOB_KILLED(3, "the job was killed"),
    ENVIRONMENT(4, "the cluster or storage could not be reached, or the job could not be submitted");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** One line for the exit code table. */
    public String meaning() {
        return meaning;
    }
}
