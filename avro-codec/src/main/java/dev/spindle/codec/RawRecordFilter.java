package dev.spindle.codec;

/**
 * A row filter the direct path evaluates on the raw field bytes of each plain CSV record
 * ({@link BatchBuilder#drainTo(BatchWriter, RowFilter)}): it parses only the columns
 * {@link #columns()} names, asks {@link #test}, and encodes the record only when it is kept.
 * It must decide exactly as its {@link RowFilter#select} decides over the record's Arrow batch.
 */
public interface RawRecordFilter {

    /** The table columns (indices) the filter reads; the test is asked once all are parsed. */
    int[] columns();

    /** True when the record is kept; reads only the {@link #columns()} of {@code record}. */
    boolean test(RawRecord record);
}
