package dev.spindle.yarn;

/**
 * One block as the AM's status endpoint shows it.
 *
 * @param block block index
 * @param state PENDING, RUNNING, SUCCEEDED or FAILED
 * @param attempts attempts started so far
 * @param plannedBytes bytes planned for the block
 * @param lastError the last attempt's error, or null
 * @param result the accepted result once SUCCEEDED, or null
 * @param worker the container id of the worker running it while RUNNING, or null
 */
public record BlockStatus(int block, State state, int attempts, long plannedBytes, String lastError, BlockResult result, String worker) {

    /** Where a block is. */
    public enum State {
        PENDING,
        RUNNING,
        SUCCEEDED,
        FAILED
    }
}
