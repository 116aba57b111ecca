package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

/**
 * Bad input data at a known place: a record longer than the limit or a quoted field that is
 * never closed. Never retried with the same start: the data will not change.
 *
 * <p>A reader that guessed its start state ({@link RecordRangeReader.StartMode#GUESS}, block
 * not at byte 0) may report a bad record only because its guess was wrong; then
 * {@link #guessedStart()} is true and the caller should re-run the block from its
 * predecessor's stop offset before believing the error (see {@link TilingCheck}).
 */
public final class BadRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String location;
    private final long byteOffset;
    private final long line;
    private final boolean guessedStart;

    BadRecordException(String problem, String location, long byteOffset, long line, long linesFrom, boolean guessedStart) {
        super(message(problem, location, byteOffset, line, linesFrom));
        this.location = requireNonNull(location, "location is null");
        this.byteOffset = byteOffset;
        this.line = line;
        this.guessedStart = guessedStart;
    }

    private static String message(String problem, String location, long byteOffset, long line, long linesFrom) {
        String where = line <= 0
                ? "byte %d".formatted(byteOffset)
                : linesFrom == 0
                        ? "line %d, byte %d".formatted(line, byteOffset)
                        : "line %d counted from byte %d, byte %d".formatted(line, linesFrom, byteOffset);
        return problem.replace("{}", where) + ": " + location;
    }

    /** The file. */
    public String location() {
        return location;
    }

    /** Absolute byte offset in the file where the bad record (or the open quote) starts. */
    public long byteOffset() {
        return byteOffset;
    }

    /**
     * The 1-based physical line of {@link #byteOffset()}: absolute for a block at byte 0, else
     * counted from the block's first record (the message says which); 0 when unknown (a record
     * that spans a block's start).
     */
    public long line() {
        return line;
    }

    /** Whether the reader's start state was a guess, so the error may be an artifact of it. */
    public boolean guessedStart() {
        return guessedStart;
    }
}
