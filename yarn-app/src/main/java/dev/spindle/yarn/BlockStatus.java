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
 */
public record BlockStatus(int block, State state, int attempts, long plannedBytes, String lastError, BlockResult result) {

    /** Where a block is. */
    public enum State {
        PENDING,
        RUNNING,
        SUCCEEDED,
        FAILED
    }
}
