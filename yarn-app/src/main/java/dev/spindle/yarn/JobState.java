package dev.spindle.yarn;

/** Where a job is in its life. */
public enum JobState {
    SUBMITTED,
    PLANNING,
    RUNNING,
    COMMITTING,
    SUCCEEDED,
    FAILED,
    KILLED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == KILLED;
    }
}
