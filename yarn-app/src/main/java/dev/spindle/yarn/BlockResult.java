package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

/**
 * The accepted result of one block: the task's outcome plus where and how it ran.
 *
 * @param block block index
 * @param attempt the attempt whose output is committed
 * @param host the worker host that ran it
 * @param elapsedMillis wall time of the attempt
 * @param rerun whether the block was re-run after a failed tiling check
 * @param outcome what the task reported
 */
public record BlockResult(int block, int attempt, String host, long elapsedMillis, boolean rerun, BlockOutcome outcome) {
    public BlockResult {
        requireNonNull(host, "host is null");
        requireNonNull(outcome, "outcome is null");
    }
}
