package dev.spindle.io.commit;

/**
 * What a job does when its output directory already holds something ({@code --write-mode}).
 * Every mode but {@link #ERROR} names the job's parts with its job id
 * ({@link PartCommitter#jobPartFileName}), so new parts never take an old part's name, and
 * changes the output only at commit, under the commit lock: a job that fails or is killed
 * before its commit leaves the previous dataset as it was.
 */
public enum WriteMode {
    /** Fail before the job starts if the output directory holds anything (the default). */
    ERROR,
    /**
     * Replace the output directory's content. The old content is deleted at commit, after every
     * block succeeded, never before: a failed job leaves the old output as it was.
     */
    OVERWRITE,
    /**
     * Add the job's parts to the dataset: the new {@code _SUCCESS} lists every old part and every
     * new one. A missing or empty output is a first write. The dataset's format, schema and
     * partition columns must be the job's; nothing old is deleted.
     */
    APPEND,
    /**
     * Replace only the partitions the job writes (Spark's dynamic partition overwrite): every
     * other partition of the dataset stays, listed in the new {@code _SUCCESS}. An output that is
     * not partitioned (or missing) is replaced whole, as {@link #OVERWRITE} does, which is what
     * Spark does to a table without partitions.
     */
    OVERWRITE_PARTITIONS;

    /** The {@code --write-mode} value: {@code error}, {@code overwrite}, {@code append}, {@code overwrite-partitions}. */
    public String optionValue() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
