package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileStore;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * What {@link BlockTask#beforeCommit} sees in the AM: every block's final result (record ranges
 * tiled) and where its winning attempt wrote, before anything is promoted into the output.
 *
 * @param conf the job's Hadoop configuration
 * @param store the store the output lives in
 * @param spec the job
 * @param preparation what {@link BlockTask#prepare} returned
 * @param task the prepared task spec ({@link JobPreparation#task()}) as the task's own type
 * @param blocks the plan
 * @param results the accepted result of every block, in block order
 * @param attemptDirectories the winning attempt's directory of every block, by block index
 */
public record CommitContext<S extends TaskSpec>(
        Configuration conf,
        FileStore store,
        JobSpec spec,
        JobPreparation preparation,
        S task,
        List<Block> blocks,
        List<BlockResult> results,
        Map<Integer, String> attemptDirectories) {

    public CommitContext {
        requireNonNull(conf, "conf is null");
        requireNonNull(store, "store is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(preparation, "preparation is null");
        requireNonNull(task, "task is null");
        blocks = List.copyOf(blocks);
        results = List.copyOf(results);
        attemptDirectories = Map.copyOf(attemptDirectories);
    }
}
