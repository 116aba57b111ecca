package dev.spindle.io.commit;

import java.io.IOException;

/**
 * A job commit failed half-way: some of the output may have been replaced or promoted, and
 * {@code _SUCCESS} is absent. Nothing must be deleted automatically then (the staging directory
 * still holds the parts not yet promoted); an operator decides. Never retried.
 */
public final class CommitStateUnknownException extends IOException {
    public CommitStateUnknownException(String message, Throwable cause) {
        super(message, cause);
    }
}
