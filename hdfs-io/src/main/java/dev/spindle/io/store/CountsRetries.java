package dev.spindle.io.store;

/**
 * A store that retries failed requests itself (S3: throttling, 5xx, broken connections) and
 * counts them, so a job can report how often its store made it wait.
 */
public interface CountsRetries {

    /** Requests this store retried since it was made; never decreases. Thread-safe. */
    long retries();
}
