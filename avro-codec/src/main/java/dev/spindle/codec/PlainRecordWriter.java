package dev.spindle.codec;

/**
 * A writer's fast path for plain CSV records: it encodes records straight from their bytes into
 * its format, with no Arrow batch in between, and stops at the first record it cannot take
 * exactly (quoted line breaks, escapes, comment lines, a value that does not parse, a wrong field
 * count). It only writes; {@link BatchBuilder#drainTo} decides which records it gets and sends
 * the rest through Arrow batches. Obtained from {@link BatchWriter#plainRecords}.
 */
public interface PlainRecordWriter {

    /**
     * Writes the plain records at the start of {@code buffer[from, end)}, a run of whole records
     * whose first line is {@code firstLine}, and returns the offset after the last one taken
     * ({@code from} when the first is not plain).
     */
    int write(byte[] buffer, int from, int end, long firstLine);

    /** Records the last {@link #write} took and wrote. */
    int rows();

    /**
     * Records the last {@link #write} took and its filter dropped (read and checked, not written);
     * 0 without a filter. The offset it returned is past these too.
     */
    default int rowsFiltered() {
        return 0;
    }

    /** The line number after the last record the last {@link #write} took. */
    long nextLine();
}
