package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

/**
 * A byte range {@code [start, end)} of one input file, as planned. The records a block owns
 * are decided by {@link RecordRangeReader}'s rule, not by these offsets alone.
 *
 * @param location the file
 * @param start first byte of the range
 * @param end one past the last byte of the range
 * @param fileLength the whole file's length in bytes
 * @param splittable false for a compressed file that must be read whole (then start is 0 and
 *     end is fileLength)
 */
public record BlockRange(String location, long start, long end, long fileLength, boolean splittable) {
    public BlockRange {
        requireNonNull(location, "location is null");
        if (start < 0 || end < start || end > fileLength) {
            throw new IllegalArgumentException(
                    "Invalid range [%s, %s) of a file of %s bytes: %s".formatted(start, end, fileLength, location));
        }
    }

    public long length() {
        return end - start;
    }
}
