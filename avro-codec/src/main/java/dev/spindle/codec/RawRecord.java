package dev.spindle.codec;

/**
 * The typed values of the columns a {@link RawRecordFilter} reads, for one CSV record, parsed
 * from the record's bytes by the direct path before the rest of the record is typed. Values are
 * what the record's Arrow batch would hold: a column is null where its vector's validity bit
 * would be clear; longs, timestamps (microseconds since the epoch, also for a column written in
 * milliseconds), dates (days since the epoch) and booleans (1 or 0) are {@link #longValue},
 * doubles {@link #doubleValue}, strings the field's UTF-8 bytes ({@link #compareUtf8}).
 *
 * <p>Only the columns the filter named are set, and only for the duration of
 * {@link RawRecordFilter#test}: the record is reused for the next one.
 */
public final class RawRecord {

    final boolean[] nulls;
    final long[] longs;
    final double[] doubles;
    final int[] starts;
    final int[] ends;
    byte[] buffer;

    RawRecord(int columns) {
        this.nulls = new boolean[columns];
        this.longs = new long[columns];
        this.doubles = new double[columns];
        this.starts = new int[columns];
        this.ends = new int[columns];
    }

    /** True when the value of table column {@code column} is null. */
    public boolean isNull(int column) {
        return nulls[column];
    }

    /** The value of a boolean (1 or 0), long, date (days) or timestamp (microseconds) column. */
    public long longValue(int column) {
        return longs[column];
    }

    /** The value of a double column. */
    public double doubleValue(int column) {
        return doubles[column];
    }

    /** The length in UTF-8 bytes of the value of a string column. */
    public int utf8Length(int column) {
        return ends[column] - starts[column];
    }

    /**
     * -1, 0 or 1 as the value of a string column sorts before, at or after {@code literal}, in
     * unsigned byte order of their UTF-8 bytes (which is code point order).
     */
    public int compareUtf8(int column, byte[] literal) {
        byte[] b = buffer;
        int start = starts[column];
        int length = ends[column] - start;
        int common = Math.min(length, literal.length);
        for (int i = 0; i < common; i++) {
            int x = b[start + i] & 0xFF;
            int y = literal[i] & 0xFF;
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return Integer.compare(length, literal.length);
    }
}
