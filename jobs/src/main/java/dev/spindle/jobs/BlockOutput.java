package dev.spindle.jobs;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.jobs.filter.BoundFilter;
import java.io.IOException;

/** Where one block attempt's rows go: one part file ({@link PartWriter}) or one per partition ({@link PartitionedPartWriter}). */
sealed interface BlockOutput extends AutoCloseable permits PartWriter, PartitionedPartWriter {

    /**
     * Writes the records left in {@code batches}' chunk that {@code filter} keeps (every record
     * when it is null) and returns how many the filter dropped.
     */
    long write(BatchBuilder batches, BoundFilter filter) throws IOException;

    long rowsWritten();

    /**
     * Closes what is open and returns the name, in the attempt directory, of what the committer
     * reads: the part file, or {@link dev.spindle.io.commit.AttemptPartitions#FILE} listing the
     * partitions' parts; null when no row was written.
     */
    String finish() throws IOException;

    /** Drops what was written: this attempt's output will not be used. */
    void discard() throws IOException;

    @Override
    void close() throws IOException;
}
