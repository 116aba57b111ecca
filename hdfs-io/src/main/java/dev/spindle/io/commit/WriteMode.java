package dev.spindle.io.commit;

/**
 * What a job does when its output directory already holds something ({@code --write-mode}).
 *
 * <p>There is no {@code APPEND} yet: every job names its parts {@code part-00000...} from block
 * 0 and writes one {@code _SUCCESS} manifest for the whole directory, so appending needs
 * job-unique part names and a manifest that merges the previous one. Until then a second job
 * into the same directory must replace it or fail.
 */
public enum WriteMode {
    /** Fail before the job starts if the output directory holds anything (the default). */
    ERROR,
    /**
     * Replace the output directory's content. The old content is deleted at commit, after every
     * block succeeded, never before: a failed job leaves the old output as it was.
     */
    OVERWRITE
}
