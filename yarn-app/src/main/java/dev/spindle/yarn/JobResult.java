package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.Manifest;
import java.util.List;
import java.util.Optional;

/**
 * How a job ended.
 *
 * @param applicationId the YARN application id
 * @param state SUCCEEDED, FAILED or KILLED
 * @param message empty on success; otherwise what went wrong, naming the block and the last error
 * @param manifest the committed manifest, when the job succeeded
 * @param blocks the accepted block results
 * @param wallMillis from submission to the end
 */
public record JobResult(
        String applicationId,
        JobState state,
        String message,
        Optional<Manifest> manifest,
        List<BlockResult> blocks,
        long wallMillis) {

    public JobResult {
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(state, "state is null");
        requireNonNull(message, "message is null");
        requireNonNull(manifest, "manifest is null");
        blocks = List.copyOf(blocks);
    }

    public boolean succeeded() {
        return state == JobState.SUCCEEDED;
    }
}
