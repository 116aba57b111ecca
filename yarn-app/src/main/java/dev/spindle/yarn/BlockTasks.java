package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Creates the {@link BlockTask} a job names and calls it with its own spec type: the one place
 * where a {@link TaskSpec} read from JSON is checked against the type the task reads.
 */
final class BlockTasks {

    private BlockTasks() {}

    /** The task of {@link JobSpec#taskClass()}, checked to read the type of {@link JobSpec#task()}. */
    static Typed<?> instantiate(JobSpec spec) {
        Typed<?> task = typed(instantiate(spec.taskClass()));
        task.cast(spec.task(), "job spec");
        return task;
    }

    static BlockTask<?> instantiate(String className) {
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("Block task class not found on the container classpath: " + className, e);
        }
        if (!BlockTask.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException("Class %s does not implement %s".formatted(className, BlockTask.class.getName()));
        }
        try {
            return (BlockTask<?>) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("Cannot create block task %s: it needs a public no-argument constructor".formatted(className), e);
        }
    }

    private static <S extends TaskSpec> Typed<S> typed(BlockTask<S> task) {
        return new Typed<>(task, requireNonNull(task.specType(), "specType() is null"));
    }

    /** A task with the spec type it reads. */
    static final class Typed<S extends TaskSpec> {
        private final BlockTask<S> task;
        private final Class<S> specType;

        private Typed(BlockTask<S> task, Class<S> specType) {
            this.task = task;
            this.specType = specType;
        }

        JobPreparation prepare(Configuration conf, FileStore store, JobSpec spec, List<FileEntry> files, List<Block> blocks)
                throws Exception {
            JobPreparation preparation = task.prepare(new PrepareContext<>(conf, store, spec, cast(spec.task(), "job spec"), files, blocks));
            cast(preparation.task(), "prepared spec");
            return preparation;
        }

        TaskContext<S> context(Configuration conf, FileStore store, JobSpec spec, JobPreparation preparation, Block block, int attempt,
                String attemptDirectory, String partFileName, Map<Integer, Long> knownRecordStarts) {
            return new TaskContext<>(conf, store, spec, preparation, cast(preparation.task(), "prepared spec"), block, attempt,
                    attemptDirectory, partFileName, knownRecordStarts);
        }

        BlockOutcome run(TaskContext<S> context) throws Exception {
            return task.run(context);
        }

        void beforeCommit(Configuration conf, FileStore store, JobSpec spec, JobPreparation preparation, List<Block> blocks,
                List<BlockResult> results, Map<Integer, String> attemptDirectories) throws Exception {
            task.beforeCommit(new CommitContext<>(conf, store, spec, preparation, cast(preparation.task(), "prepared spec"), blocks,
                    results, attemptDirectories));
        }

        private S cast(TaskSpec value, String what) {
            if (!specType.isInstance(value)) {
                throw new IllegalArgumentException("The %s holds a %s, but %s reads a %s".formatted(what,
                        value.getClass().getName(), task.getClass().getName(), specType.getName()));
            }
            return specType.cast(value);
        }
    }
}
