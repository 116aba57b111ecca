package dev.spindle.jobs.filter;

import dev.spindle.codec.RowFilter;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A filter ready to run over batches of one schema: from {@link FilterExpression#bind}, or
 * {@link #all()} when the job has no filter.
 *
 * <p>A bound filter keeps scratch space between calls, so it is not thread-safe: bind one per
 * thread (binding is cheap).
 *
 * <p>As a {@link RowFilter}, a filter bound to a table's schema also evaluates on the raw
 * values of plain CSV records ({@link #rawRecords()}), with the same three-valued logic, so the
 * codec's direct path can drop rows before it types the rest of them.
 */
public interface BoundFilter extends RowFilter {

  /**
   * Selects the rows of {@code batch} for which the filter is TRUE. Under SQL three-valued logic
   * a comparison with a null value is UNKNOWN, and UNKNOWN rows are not selected.
   *
   * @param batch a batch with the schema the filter was bound to (at least the same columns at
   *     the same positions with the same types); rows {@code [0, batch.getRowCount())} are read
   * @param selection receives the indices of the selected rows in {@code [0, n)}, ascending;
   *     must hold at least {@code batch.getRowCount()} entries. Entries from {@code n} on are
   *     left as they were.
   * @return {@code n}, the number of selected rows
   * @throws IllegalArgumentException if {@code selection} is too short or the batch does not
   *     have the columns the filter was bound to
   */
  @Override
  int select(VectorSchemaRoot batch, int[] selection);

  /** The filter that selects every row: {@code selection} becomes {@code 0, 1, ..., n - 1}. */
  static BoundFilter all() {
    return AllRowsFilter.INSTANCE;
  }
}
