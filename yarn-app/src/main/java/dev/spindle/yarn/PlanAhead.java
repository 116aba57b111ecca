package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileEntry;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * The AM's listing, planning and (for a first attempt) schema sampling, started on a thread of
 * their own before the AM registers with the ResourceManager, so that the storage round trips
 * overlap the RM's. None of them writes: the job's staging is set up by the AM's main thread,
 * after registration, as before. Each step runs as the job's user (the AM's current user when
 * this starts), and a failure of a step comes out of its getter unwrapped, as if the caller had
 * run it.
 */
final class PlanAhead implements AutoCloseable {

    /** The steps, given the previous one's result. */
    interface Steps {
        List<FileEntry> list() throws Exception;

        List<Block> plan(List<FileEntry> files) throws Exception;

        JobPreparation prepare(List<FileEntry> files, List<Block> blocks) throws Exception;
    }

    private final ExecutorService executor;
    private final CompletableFuture<List<FileEntry>> listed;
    private final CompletableFuture<List<Block>> planned;
    private final CompletableFuture<JobPreparation> prepared;

    private PlanAhead(ExecutorService executor, CompletableFuture<List<FileEntry>> listed, CompletableFuture<List<Block>> planned,
            CompletableFuture<JobPreparation> prepared) {
        this.executor = executor;
        this.listed = listed;
        this.planned = planned;
        this.prepared = prepared;
    }

    /**
     * Starts listing, then planning, then (when {@code prepare}) preparing, one after the other on
     * one daemon thread.
     *
     * @param onPlanned called on that thread once the blocks are planned (the AM's {@code planned} phase)
     */
    static PlanAhead start(Steps steps, boolean prepare, Runnable onPlanned) throws java.io.IOException {
        requireNonNull(steps, "steps is null");
        UserGroupInformation user = UserGroupInformation.getCurrentUser();
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spindle-am-plan");
            thread.setDaemon(true);
            return thread;
        });
        CompletableFuture<List<FileEntry>> listed = CompletableFuture.supplyAsync(() -> as(user, steps::list), executor);
        CompletableFuture<List<Block>> planned = listed.thenApplyAsync(files -> {
            List<Block> blocks = as(user, () -> steps.plan(files));
            onPlanned.run();
            return blocks;
        }, executor);
        CompletableFuture<JobPreparation> prepared = prepare
                ? planned.thenApplyAsync(blocks -> as(user, () -> steps.prepare(listed.join(), blocks)), executor)
                : null;
        return new PlanAhead(executor, listed, planned, prepared);
    }

    /** The listed input files; waits for them. */
    List<FileEntry> files() throws Exception {
        return await(listed);
    }

    /** The planned blocks; waits for them. */
    List<Block> blocks() throws Exception {
        return await(planned);
    }

    /** Whether the preparation was started ahead ({@code prepare} at the start). */
    boolean preparesAhead() {
        return prepared != null;
    }

    /** The job's preparation; waits for it. Only when {@link #preparesAhead()}. */
    JobPreparation preparation() throws Exception {
        if (prepared == null) {
            throw new IllegalStateException("The preparation was not started ahead");
        }
        return await(prepared);
    }

    /** Stops the thread; a step still running is interrupted (the job failed before it needed the result). */
    @Override
    public void close() {
        executor.shutdownNow();
    }

    private static <T> T as(UserGroupInformation user, PrivilegedExceptionAction<T> step) {
        try {
            return user.doAs(step);
        } catch (Exception e) {
            throw new StepFailure(e);
        }
    }

    private static <T> T await(CompletableFuture<T> step) throws Exception {
        try {
            return step.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof StepFailure failure) {
                cause = failure.getCause();
            }
            if (cause instanceof java.lang.reflect.UndeclaredThrowableException undeclared && undeclared.getCause() != null) {
                cause = undeclared.getCause();
            }
            if (cause instanceof Exception exception) {
                throw exception;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Carries a step's checked exception through the future. */
    private static final class StepFailure extends RuntimeException {
        StepFailure(Exception cause) {
            super(cause);
        }
    }
}
