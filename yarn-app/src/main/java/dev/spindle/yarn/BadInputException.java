package dev.spindle.yarn;

/**
 * Thrown by a {@link BlockTask} when the input itself is bad (for example a record that does
 * not convert under the {@code fail} policy): the block is not retried, since every attempt
 * would read the same bytes, and the job fails with this message.
 */
public class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    public BadInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
