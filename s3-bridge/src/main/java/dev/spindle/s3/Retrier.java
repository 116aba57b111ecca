package dev.spindle.s3;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Retries S3 calls on throttling (503 SlowDown), 5xx and connection errors, with exponential
 * backoff and full jitter, and counts every retry. The SDK's own retries are off, so this count
 * is every retry the store made. Thread-safe.
 */
final class Retrier {

    /** One S3 call; may throw the SDK's unchecked exceptions or an {@link IOException}. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws IOException;
    }

    /** Sleeps between attempts; a test passes one that does not. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final int attempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Sleeper sleeper;
    private final AtomicLong retries;

    Retrier(int attempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper, AtomicLong retries) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.attempts = attempts;
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.sleeper = sleeper;
        this.retries = retries;
    }

    /** A retrier with the bucket's settings that adds its retries to {@code retries}. */
    static Retrier from(S3Config config, AtomicLong retries) {
        return new Retrier(config.retryAttempts(), config.retryBaseDelay(), config.retryMaxDelay(),
                duration -> Thread.sleep(duration.toMillis()), retries);
    }

    int attempts() {
        return attempts;
    }

    /** Retries made so far (by every retrier sharing the counter). */
    long retries() {
        return retries.get();
    }

    /**
     * Runs the call until it succeeds, fails with an error that is not transient, or used every
     * attempt; the last failure is thrown as it came.
     */
    <T> T call(Call<T> call) throws IOException {
        for (int attempt = 1;; attempt++) {
            try {
                return call.run();
            } catch (IOException | SdkException e) {
                if (!isTransient(e) || attempt >= attempts) {
                    throw e;
                }
                backoff(attempt);
            }
        }
    }

    /** Waits before retry number {@code retry} (1 for the first) and counts it. */
    void backoff(int retry) throws InterruptedIOException {
        retries.incrementAndGet();
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(20, retry - 1));
        long millis = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1);
        try {
            sleeper.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while backing off before an S3 retry");
        }
    }

    /** Throttling, server errors, timeouts and broken connections; never 4xx (but 408 and 429). */
    static boolean isTransient(Throwable e) {
        if (e instanceof S3Exception s3) {
            int status = s3.statusCode();
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return status >= 500 || status == 408 || status == 429
                    || "SlowDown".equals(code) || "RequestTimeout".equals(code) || "InternalError".equals(code);
        }
        if (e instanceof SdkClientException) {
            // connection refused/reset, timeouts, a body cut short: the cause is an I/O error
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IOException) {
                    return true;
                }
            }
            return e.getMessage() != null && (e.getMessage().contains("Unable to execute HTTP request")
                    || e.getMessage().contains("timed out") || e.getMessage().contains("reset"));
        }
        if (e instanceof SdkException sdk) {
            return sdk.retryable();
        }
        return e instanceof IOException && !(e instanceof java.io.FileNotFoundException)
                && !(e instanceof java.nio.file.FileSystemException) && !(e instanceof NotTransientIOException);
    }

    /** An I/O failure of ours that retrying does not fix (the object changed while read). */
    static final class NotTransientIOException extends IOException {
        NotTransientIOException(String message) {
            super(message);
        }
    }
}
