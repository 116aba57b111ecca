package dev.spindle.io.commit;

import java.io.IOException;

/**
 * Another job holds the output's commit lock ({@link PartCommitter#COMMIT_LOCK}): it is committing
 * to the same output directory, or died half-way through its commit. Nothing was changed.
 */
public final class ConcurrentCommitException extends IOException {
    public ConcurrentCommitException(String message) {
        super(message);
    }
}
