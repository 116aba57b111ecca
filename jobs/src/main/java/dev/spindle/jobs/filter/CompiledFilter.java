package dev.spindle.jobs.filter;

import dev.spindle.codec.RawRecord;
import dev.spindle.codec.RawRecordFilter;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import org.apache.arrow.vector.VectorSchemaRoot;

/** A predicate tree and the result bitmaps it is evaluated into, reused across batches. */
final class CompiledFilter implements BoundFilter {

  private final Predicate predicate;
  private final String canonicalText;
  private long[] whenTrue = new long[0];
  private long[] whenFalse = new long[0];
  /** The raw form, made once: the writer keeps its direct path while it is asked the same one. */
  private RawRecordFilter raw;

  CompiledFilter(Predicate predicate, String canonicalText) {
    this.predicate = Objects.requireNonNull(predicate, "predicate is null");
    this.canonicalText = Objects.requireNonNull(canonicalText, "canonicalText is null");
  }

  @Override
  public int select(VectorSchemaRoot batch, int[] selection) {
    int rowCount = batch.getRowCount();
    checkSelectionLength(rowCount, selection);
    if (rowCount == 0) {
      return 0;
    }
    int words = FilterKernels.wordCount(rowCount);
    if (whenTrue.length < words) {
      whenTrue = new long[words];
      whenFalse = new long[words];
    }
    predicate.evaluate(batch, rowCount, whenTrue, whenFalse);
    return FilterKernels.selectedRows(whenTrue, rowCount, selection);
  }

  /** Throws unless {@code selection} can hold one index per row of the batch. */
  static void checkSelectionLength(int rowCount, int[] selection) {
    if (selection.length < rowCount) {
      throw new IllegalArgumentException("Selection array holds " + selection.length
          + " rows but the batch has " + rowCount + " rows");
    }
  }

  /**
   * The predicate on raw records: a row is kept when it is TRUE, as {@link #select} keeps it.
   * Every bound predicate has this form (all seven column types), so it is never empty.
   */
  @Override
  public Optional<RawRecordFilter> rawRecords() {
    if (raw == null) {
      raw = rawFilter();
    }
    return Optional.of(raw);
  }

  private RawRecordFilter rawFilter() {
    BitSet read = new BitSet();
    predicate.collectColumns(read);
    int[] columns = read.stream().toArray();
    return new RawRecordFilter() {
      @Override
      public int[] columns() {
        return columns.clone();
      }

      @Override
      public boolean test(RawRecord record) {
        return predicate.test(record) == Predicate.TRUE;
      }

      @Override
      public String toString() {
        return canonicalText;
      }
    };
  }

  @Override
  public String toString() {
    return canonicalText;
  }
}
