package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.WriteMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the ApplicationMaster and the workers need to run one job, fixed before
 * submission. Serialized as JSON into the job's staging directory.
 *
 * @param specVersion the format of this record as JSON ({@value #SPEC_VERSION} here); an AM or a
 *     worker reading a spec of another version fails with one line saying so
 * @param name the job's command name ({@code csv-to-avro}); shown in YARN as the application name
 * @param taskClass the {@link BlockTask} implementation the AM and workers instantiate
 * @param inputs input patterns: files, directories or globs, as fully qualified locations
 * @param output the output directory, fully qualified
 * @param blockSize planned block size in bytes; 0 means one block per storage block
 * @param containers how many worker containers to run at most, each running as many blocks at once as it has vcores
 *     ({@link YarnAppConfig#WORKER_VCORES})
 * @param maxAttempts attempts per block before the job fails
 * @param writeMode what to do when the output exists
 * @param task what the {@link BlockTask} reads (dialect, schema, filter, format...), as its own record
 */
public record JobSpec(
        int specVersion,
        String name,
        String taskClass,
        List<String> inputs,
        String output,
        long blockSize,
        int containers,
        int maxAttempts,
        WriteMode writeMode,
        TaskSpec task) {

    /** The spec format this Spindle writes and reads. */
    public static final int SPEC_VERSION = 2;
    /**
     * Worker containers by default: one, which with {@link YarnAppConfig#WORKER_VCORES_DEFAULT}
     * vcores runs two blocks at once in one JVM.
     */
    public static final int CONTAINERS_DEFAULT = 1;

    public JobSpec {
        if (specVersion != SPEC_VERSION) {
            throw new IllegalArgumentException("Job spec version " + specVersion + " cannot be read by Spindle " + SpindleVersion.current()
                    + ", which reads version " + SPEC_VERSION + ": submit the job with the Spindle jar the cluster runs");
        }
        requireNonNull(name, "name is null");
        requireNonNull(taskClass, "taskClass is null");
        requireNonNull(output, "output is null");
        requireNonNull(writeMode, "writeMode is null");
        requireNonNull(task, "task is null");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("A job needs at least one input");
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("blockSize must not be negative: " + blockSize + " bytes");
        }
        if (containers < 1) {
            throw new IllegalArgumentException("containers must be at least 1: " + containers);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
    }

    public static Builder builder(String name, Class<? extends BlockTask<?>> taskClass) {
        return new Builder(name, taskClass.getName());
    }

    public static Builder builder(String name, String taskClassName) {
        return new Builder(name, taskClassName);
    }

    /** Builds a {@link JobSpec}; defaults: storage block size, {@link #CONTAINERS_DEFAULT} containers, 3 attempts, {@link WriteMode#ERROR}; the task spec has no default. */
    public static final class Builder {
        private final String name;
        private final String taskClass;
        private final List<String> inputs = new ArrayList<>();
        private String output;
        private long blockSize;
        private int containers = CONTAINERS_DEFAULT;
        private int maxAttempts = 3;
        private WriteMode writeMode = WriteMode.ERROR;
        private TaskSpec task;

        private Builder(String name, String taskClass) {
            this.name = requireNonNull(name, "name is null");
            this.taskClass = requireNonNull(taskClass, "taskClass is null");
        }

        public Builder input(String input) {
            inputs.add(requireNonNull(input, "input is null"));
            return this;
        }

        public Builder inputs(List<String> values) {
            values.forEach(this::input);
            return this;
        }

        public Builder output(String value) {
            this.output = value;
            return this;
        }

        public Builder blockSize(long bytes) {
            this.blockSize = bytes;
            return this;
        }

        public Builder containers(int value) {
            this.containers = value;
            return this;
        }

        public Builder maxAttempts(int value) {
            this.maxAttempts = value;
            return this;
        }

        public Builder writeMode(WriteMode value) {
            this.writeMode = requireNonNull(value, "writeMode is null");
            return this;
        }

        public Builder task(TaskSpec value) {
            this.task = requireNonNull(value, "task is null");
            return this;
        }

        public JobSpec build() {
            if (output == null) {
                throw new IllegalArgumentException("A job needs an output directory");
            }
            if (task == null) {
                throw new IllegalArgumentException("A job needs its task's spec");
            }
            return new JobSpec(SPEC_VERSION, name, taskClass, inputs, output, blockSize, containers, maxAttempts, writeMode, task);
        }
    }
}
