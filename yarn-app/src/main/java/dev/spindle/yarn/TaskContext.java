package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileStore;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@link BlockTask#run} sees for one block attempt in a worker.
 *
 * @param <S> the task's spec record
 *
 * @param conf the job's Hadoop configuration
 * @param store the store the inputs and output live in
 * @param spec the job
 * @param preparation what {@link BlockTask#prepare} returned
 * @param task the prepared task spec ({@link JobPreparation#task()}) as the task's own type
 * @param block the block to read
 * @param attempt the attempt number, from 1
 * @param attemptDirectory where this attempt writes its part file
 * @param partFileName the part file's name ({@code part-00042.avro})
 * @param knownRecordStarts for a re-run after a failed tiling check: per range index, the offset
 *     that is known to be a record start (the previous block's stop offset)
 */
public record TaskContext<S extends TaskSpec>(
        Configuration conf,
        FileStore store,
        JobSpec spec,
        JobPreparation preparation,
        S task,
        Block block,
        int attempt,
        String attemptDirectory,
        String partFileName,
        Map<Integer, Long> knownRecordStarts) {

    public TaskContext {
        requireNonNull(conf, "conf is null");
        requireNonNull(store, "store is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(preparation, "preparation is null");
        requireNonNull(task, "task is null");
        requireNonNull(block, "block is null");
        requireNonNull(attemptDirectory, "attemptDirectory is null");
        requireNonNull(partFileName, "partFileName is null");
        knownRecordStarts = Map.copyOf(knownRecordStarts);
    }

    /** The known record start for range {@code rangeIndex}, if this attempt is a re-run. */
    public OptionalLong knownRecordStart(int rangeIndex) {
        Long offset = knownRecordStarts.get(rangeIndex);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** Location of the part file inside the attempt directory. */
    public String partFileLocation() {
        return attemptDirectory + "/" + partFileName;
    }
}
