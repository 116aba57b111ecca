package dev.spindle.yarn;

/**
 * What a job does, as the ApplicationMaster and the workers see it. yarn-app knows nothing of
 * CSV or Avro: it plans blocks, calls {@link #prepare} once in the AM, then {@link #run} once
 * per block attempt in worker containers, checks the record ranges tile every file, and commits.
 *
 * <p>A task reads its own typed spec {@code S}: the client puts it into {@link JobSpec#task()},
 * {@link #prepare} may complete it (an inferred schema, say) and returns the completed one in
 * {@link JobPreparation#task()}, which every {@link #run} and {@link #beforeCommit} then sees.
 *
 * <p>Implementations need a public no-argument constructor and hold no state between calls.
 *
 * @param <S> the task's spec record
 */
public interface BlockTask<S extends TaskSpec> {

    /** The spec record this task reads; a job whose {@link JobSpec#task()} is another type fails at once. */
    Class<S> specType();

    /**
     * Runs once in the ApplicationMaster after blocks are planned and before any is scheduled:
     * validates the job against its input (schema inference, filter binding) and returns what
     * every block attempt needs, including the spec the attempts run with. An exception fails
     * the job before any worker starts; its message becomes the job's diagnostics.
     */
    JobPreparation prepare(PrepareContext<S> context) throws Exception;

    /**
     * Runs one attempt at one block in a worker container: reads the block's record ranges and
     * writes at most one part file, named {@link TaskContext#partFileName()}, in
     * {@link TaskContext#attemptDirectory()}. Throwing fails this attempt; the AM retries the
     * block up to the job's attempt limit.
     */
    BlockOutcome run(TaskContext<S> context) throws Exception;

    /**
     * Runs once in the ApplicationMaster after every block succeeded and the record ranges tile
     * every file, before the winning attempts are promoted: the place to finish what only the
     * whole job knows, such as the line number each block starts at. Changes stay inside the
     * attempt directories. Throwing fails the job and nothing is committed. Does nothing by default.
     */
    default void beforeCommit(CommitContext<S> context) throws Exception {}
}
