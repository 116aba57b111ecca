package dev.spindle.io.split;

import java.io.IOException;
import java.util.Arrays;

/**
 * The window of a file a block reader works in: {@code bytes()[pos(), end())} holds the bytes
 * from file offset {@code start() + pos()} on that have been read and not yet consumed. A refill
 * moves the unconsumed bytes to the front and reads more after them, growing the array only when
 * one record fills it, up to {@code maxRecordBytes + 1} bytes; so memory stays bounded by the
 * record limit. Knows nothing of records: callers say what was consumed with {@link #consume}.
 */
final class ReadBuffer {
    /** {@link #refill()}: the end of the file was reached before, nothing read. */
    static final int END_OF_FILE = -1;
    /** {@link #refill()}: the unconsumed bytes already fill {@code maxRecordBytes + 1} bytes. */
    static final int FULL = -2;

    private final DecodedInput input;
    private final int maxRecordBytes;
    private byte[] bytes;
    /** File offset of {@code bytes[0]}. */
    private long start;
    private int end;
    private int pos;

    /**
     * An empty buffer positioned at file offset {@code offset}.
     *
     * @param initialBytes the initial array size: at most {@code maxRecordBytes + 1} and the bytes
     *     left in the file plus one, at least 2
     */
    ReadBuffer(DecodedInput input, long offset, int initialBytes, int maxRecordBytes) {
        this.input = input;
        this.maxRecordBytes = maxRecordBytes;
        long remaining = input.length() - offset;
        this.bytes = new byte[(int) Math.max(2, Math.min(Math.min(initialBytes, maxRecordBytes + 1L), remaining + 1))];
        this.start = offset;
    }

    /** The array; replaced by a refill that grows it. */
    byte[] bytes() {
        return bytes;
    }

    /** Drops the array (the reader is closed); nothing may be read after. */
    void release() {
        bytes = null;
    }

    /** File offset of {@code bytes()[0]}. */
    long start() {
        return start;
    }

    /** Index of the first unconsumed byte. */
    int pos() {
        return pos;
    }

    /** Index after the last byte read. */
    int end() {
        return end;
    }

    /** File offset of {@code bytes()[index]}. */
    long offsetOf(int index) {
        return start + index;
    }

    /** Marks {@code bytes()[pos(), index)} consumed. */
    void consume(int index) {
        if (index < pos || index > end) {
            throw new IndexOutOfBoundsException("Index " + index + " outside [" + pos + ", " + end + "]");
        }
        pos = index;
    }

    /** Whether every byte of the file has been read. */
    boolean atEndOfFile() {
        return start + end >= input.length();
    }

    /**
     * Moves the unconsumed bytes to index 0 (indexes shift by the old {@link #pos()}) or grows the
     * array, then reads more after {@link #end()}.
     *
     * @return the bytes read, {@link #END_OF_FILE}, or {@link #FULL} when the unconsumed bytes
     *     already fill {@code maxRecordBytes + 1} bytes (nothing moved or read)
     * @throws UndecodableInputException for bytes a transcoded file's charset cannot decode
     * @throws java.io.EOFException if the file ends before its planned length
     */
    int refill() throws IOException {
        if (atEndOfFile()) {
            return END_OF_FILE;
        }
        if (pos > 0) {
            System.arraycopy(bytes, pos, bytes, 0, end - pos);
            start += pos;
            end -= pos;
            pos = 0;
        } else if (end == bytes.length) {
            if (bytes.length > maxRecordBytes) {
                return FULL;
            }
            long wanted = Math.min((long) bytes.length * 2, (long) maxRecordBytes + 1);
            bytes = Arrays.copyOf(bytes, (int) Math.min(wanted, input.length() - start + 1));
        }
        long readAt = start + end;
        int read = input.read(readAt, bytes, end, (int) Math.min(bytes.length - end, input.length() - readAt));
        if (read < 0) {
            return END_OF_FILE;
        }
        end += read;
        return read;
    }
}
