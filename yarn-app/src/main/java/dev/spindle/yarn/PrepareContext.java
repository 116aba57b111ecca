package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import java.util.List;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@link BlockTask#prepare} sees in the ApplicationMaster.
 *
 * @param <S> the task's spec record
 *
 * @param conf the job's Hadoop configuration
 * @param store the store the inputs and output live in
 * @param spec the job
 * @param task the job's task spec ({@link JobSpec#task()}) as the task's own type
 * @param files every input file, sorted by location
 * @param blocks the plan
 */
public record PrepareContext<S extends TaskSpec>(Configuration conf, FileStore store, JobSpec spec, S task, List<FileEntry> files, List<Block> blocks) {
    public PrepareContext {
        requireNonNull(conf, "conf is null");
        requireNonNull(store, "store is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(task, "task is null");
        files = List.copyOf(files);
        blocks = List.copyOf(blocks);
    }
}
