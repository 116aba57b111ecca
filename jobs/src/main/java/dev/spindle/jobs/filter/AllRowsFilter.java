package dev.spindle.jobs.filter;

import org.apache.arrow.vector.VectorSchemaRoot;

/** Selects every row. Stateless, so one instance serves everyone. */
final class AllRowsFilter implements BoundFilter {

  static final AllRowsFilter INSTANCE = new AllRowsFilter();

  private AllRowsFilter() {}

  @Override
  public int select(VectorSchemaRoot batch, int[] selection) {
    int rowCount = batch.getRowCount();
    CompiledFilter.checkSelectionLength(rowCount, selection);
    for (int row = 0; row < rowCount; row++) {
      selection[row] = row;
    }
    return rowCount;
  }

  @Override
  public String toString() {
    return "all rows";
  }
}
