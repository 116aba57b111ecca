package dev.spindle.s3;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK exceptions into {@link IOException}s whose message says what failed, the S3 error
 * code and HTTP status, the bucket and key (and byte range of a read), location last:
 * {@code Cannot read bytes 0-8388607 of an object: S3 error SlowDown (HTTP 503) after 8 attempts, bucket raw, key in/a.csv: s3://raw/in/a.csv}.
 */
final class S3Errors {

    private S3Errors() {}

    /** The S3 error code ({@code NoSuchBucket}, {@code AccessDenied}), or what the client saw. */
    static String code(Throwable e) {
        if (e instanceof S3Exception s3) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            return "%s (HTTP %s)".formatted(code == null || code.isEmpty() ? "no error code" : code, s3.statusCode());
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int firstLine = message.indexOf('\n');
        return firstLine < 0 ? message : message.substring(0, firstLine);
    }

    static boolean isStatus(Throwable e, int status) {
        return e instanceof S3Exception s3 && s3.statusCode() == status;
    }

    static boolean isCode(Throwable e, String code) {
        return e instanceof S3Exception s3 && s3.awsErrorDetails() != null && code.equals(s3.awsErrorDetails().errorCode());
    }

    /**
     * The exception to throw for a failed call: {@link FileNotFoundException} for a missing bucket
     * or key, {@link AccessDeniedException} for 403, else an {@link IOException}; the cause kept.
     */
    static IOException translate(String what, S3Location location, Exception e, int attempts) {
        if (e instanceof IOException io && !(e instanceof Retrier.NotTransientIOException) && !(e.getCause() instanceof SdkException)
                && !(e instanceof java.io.InterruptedIOException)) {
            if (io.getMessage() != null && io.getMessage().endsWith(location.toString())) {
                return io;
            }
        }
        String tries = Retrier.isTransient(e) && attempts > 1 ? " after %s attempts".formatted(attempts) : "";
        String message = "Cannot %s: S3 error %s%s, bucket %s, key %s: %s".formatted(
                what, code(e), tries, location.bucket(), location.key().isEmpty() ? "(none)" : location.key(), location);
        IOException translated;
        if (isStatus(e, 404)) {
            translated = new FileNotFoundException(message);
        } else if (isStatus(e, 403)) {
            translated = new AccessDeniedException(location.toString(), null, message) {
                @Override
                public String getMessage() {
                    return message;
                }
            };
        } else {
            translated = new IOException(message);
        }
        translated.initCause(e);
        return translated;
    }
}
