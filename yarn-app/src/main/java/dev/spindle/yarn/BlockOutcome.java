package dev.spindle.yarn;

import java.util.List;

/**
 * What one successful block attempt did, reported by the task.
 *
 * @param rowsRead records read from the block's record ranges (header and blank lines excluded)
 * @param rowsWritten rows written to the part file
 * @param rowsFiltered rows the user's filter removed
 * @param rowsRejected records that could not be converted
 * @param bytesRead bytes of the owned record ranges
 * @param ranges per range of the block, in order: where its records started and stopped
 * @param partFile the part file's name inside the attempt directory, or null when no row was written
 */
public record BlockOutcome(
        long rowsRead,
        long rowsWritten,
        long rowsFiltered,
        long rowsRejected,
        long bytesRead,
        List<RangeOutcome> ranges,
        String partFile) {

    public BlockOutcome {
        ranges = List.copyOf(ranges);
        if (rowsRead != rowsWritten + rowsFiltered + rowsRejected) {
            throw new IllegalArgumentException("Counters do not reconcile: read %s != written %s + filtered %s + rejected %s rows"
                    .formatted(rowsRead, rowsWritten, rowsFiltered, rowsRejected));
        }
    }

    /**
     * The record range one block range actually owned.
     *
     * @param firstRecordOffset absolute offset of the first record owned (or stopOffset when
     *     none); -1 when the range's start guess failed and it must be re-run
     * @param stopOffset absolute offset just after the last record owned; -1 with the above
     * @param lines physical lines in {@code [firstRecordOffset, stopOffset)}, blank lines and
     *     line breaks inside quoted fields included: summed over the ranges before one, they give
     *     the absolute line number of its first record
     */
    public record RangeOutcome(long firstRecordOffset, long stopOffset, long lines) {

        /** The outcome of a range whose start guess failed: the AM re-runs it from a known start. */
        public static RangeOutcome unknown() {
            return new RangeOutcome(-1, -1, 0);
        }
    }
}
