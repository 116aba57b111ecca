package dev.spindle.jobs.filter;

import dev.spindle.codec.RawRecord;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A filter bound to column positions and types, evaluated a whole batch at a time into the
 * TRUE/FALSE bitmaps described in {@link FilterKernels}. Composite predicates own scratch
 * bitmaps, so a predicate tree must not be evaluated by two threads at once.
 *
 * <p>The same tree also evaluates one raw record at a time ({@link #test}, for the codec's
 * direct path), to {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN} by exactly the rules of
 * the kernels: a null value makes a comparison UNKNOWN, {@code IS NULL} is never UNKNOWN, NOT
 * swaps TRUE and FALSE, AND is FALSE when any operand is and TRUE when all are, OR the dual.
 */
sealed interface Predicate {

  int FALSE = 0;
  int TRUE = 1;
  int UNKNOWN = 2;

  /**
   * Evaluates rows {@code [0, rowCount)} of {@code batch}, overwriting the first
   * {@code wordCount(rowCount)} words of both bitmaps.
   */
  void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue, long[] whenFalse);

  /** {@link #TRUE}, {@link #FALSE} or {@link #UNKNOWN} for one record's raw values. */
  int test(RawRecord record);

  /** Sets the bit of every column index the predicate reads. */
  void collectColumns(BitSet columns);

  /** TRUE or FALSE as {@code outcomes} holds {@code outcome}, UNKNOWN when the value is null. */
  private static int outcome(RawRecord record, int column, int outcomes, int outcome) {
    if (record.isNull(column)) {
      return UNKNOWN;
    }
    return (outcomes >>> outcome) & 1;
  }

  /** Which batch column a leaf reads: its position, name and expected vector class. */
  record ColumnRef(int index, String name, ColumnType type) {
    public ColumnRef {
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(type, "type is null");
    }

    /** The column's vector, after checking the batch has the shape the filter was bound to. */
    <V extends FieldVector> V vector(VectorSchemaRoot batch, Class<V> vectorClass) {
      List<FieldVector> vectors = batch.getFieldVectors();
      FieldVector vector = index < vectors.size() ? vectors.get(index) : null;
      if (vector == null || !vectorClass.isInstance(vector) || !vector.getName().equals(name)) {
        String found = vector == null
            ? "no such column"
            : "'" + vector.getName() + "' (" + vector.getClass().getSimpleName() + ")";
        throw new IllegalArgumentException("Batch does not match the schema the filter was bound"
            + " to: expected column '" + name + "' (" + vectorClass.getSimpleName() + ") at #"
            + index + ", found " + found);
      }
      return vectorClass.cast(vector);
    }

    FieldVector vector(VectorSchemaRoot batch) {
      return vector(batch, type.vectorClass());
    }
  }

  /** {@code IS NULL}, or {@code IS NOT NULL} when {@code negated}. */
  final class IsNull implements Predicate {
    private final ColumnRef column;
    private final boolean negated;

    IsNull(ColumnRef column, boolean negated) {
      this.column = Objects.requireNonNull(column, "column is null");
      this.negated = negated;
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      FieldVector vector = column.vector(batch);
      FilterKernels.isNull(vector.getValidityBuffer(), vector.getNullCount() == 0, rowCount,
          negated ? whenFalse : whenTrue, negated ? whenTrue : whenFalse);
    }

    @Override
    public int test(RawRecord record) {
      return record.isNull(column.index()) != negated ? TRUE : FALSE;
    }

    @Override
    public void collectColumns(BitSet columns) {
      columns.set(column.index());
    }
  }

  /** A comparison that is TRUE (or FALSE) for every non-null value, such as {@code long = 3.5}. */
  final class Constant implements Predicate {
    private final ColumnRef column;
    private final boolean result;

    Constant(ColumnRef column, boolean result) {
      this.column = Objects.requireNonNull(column, "column is null");
      this.result = result;
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      FieldVector vector = column.vector(batch);
      FilterKernels.constant(vector.getValidityBuffer(), vector.getNullCount() == 0, rowCount,
          result, whenTrue, whenFalse);
    }

    @Override
    public int test(RawRecord record) {
      return record.isNull(column.index()) ? UNKNOWN : result ? TRUE : FALSE;
    }

    @Override
    public void collectColumns(BitSet columns) {
      columns.set(column.index());
    }
  }

  /** A boolean column equal to a constant. */
  final class BitEquals implements Predicate {
    private final ColumnRef column;
    private final boolean value;

    BitEquals(ColumnRef column, boolean value) {
      this.column = Objects.requireNonNull(column, "column is null");
      this.value = value;
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      BitVector vector = column.vector(batch, BitVector.class);
      FilterKernels.bitEquals(vector.getDataBuffer(), vector.getValidityBuffer(),
          vector.getNullCount() == 0, rowCount, value, whenTrue, whenFalse);
    }

    @Override
    public int test(RawRecord record) {
      int i = column.index();
      return record.isNull(i) ? UNKNOWN : (record.longValue(i) != 0) == value ? TRUE : FALSE;
    }

    @Override
    public void collectColumns(BitSet columns) {
      columns.set(column.index());
    }
  }

  /** A long, int, timestamp or date column against an integer constant (within the int range for an int or date). */
  final class IntegerComparison implements Predicate {
    private final ColumnRef column;
    private final CompareOp op;
    private final long constant;

    IntegerComparison(ColumnRef column, CompareOp op, long constant) {
      this.column = Objects.requireNonNull(column, "column is null");
      this.op = Objects.requireNonNull(op, "op is null");
      this.constant = constant;
      if ((column.type() == ColumnType.DATE || column.type() == ColumnType.INT)
          && (int) constant != constant) {
        throw new IllegalArgumentException(column.type().displayName()
            + " constant out of int range: " + constant);
      }
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      BaseFixedWidthVector vector = (BaseFixedWidthVector) column.vector(batch);
      boolean noNulls = vector.getNullCount() == 0;
      if (column.type() == ColumnType.DATE || column.type() == ColumnType.INT) {
        FilterKernels.compareInt32(vector.getDataBuffer(), vector.getValidityBuffer(), noNulls,
            rowCount, op.outcomes(), (int) constant, whenTrue, whenFalse);
      } else {
        FilterKernels.compareInt64(vector.getDataBuffer(), vector.getValidityBuffer(), noNulls,
            rowCount, op.outcomes(), constant, whenTrue, whenFalse);
      }
    }

    @Override
    public int test(RawRecord record) {
      int i = column.index();
      return outcome(record, i, op.outcomes(), Long.compare(record.longValue(i), constant) + 1);
    }

    @Override
    public void collectColumns(BitSet columns) {
      columns.set(column.index());
    }
  }

  /** A double column against a double constant. */
  final class DoubleComparison implements Predicate {
    private final ColumnRef column;
    private final CompareOp op;
    private final double constant;

    DoubleComparison(ColumnRef column, CompareOp op, double constant) {
      this.column = Objects.requireNonNull(column, "column is null");
      this.op = Objects.requireNonNull(op, "op is null");
      this.constant = constant;
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      BaseFixedWidthVector vector = (BaseFixedWidthVector) column.vector(batch);
      FilterKernels.compareFloat64(vector.getDataBuffer(), vector.getValidityBuffer(),
          vector.getNullCount() == 0, rowCount, op.outcomes(), constant, whenTrue, whenFalse);
    }

    @Override
    public int test(RawRecord record) {
      int i = column.index();
      double value = record.doubleValue(i);
      int outcome = value < constant ? CompareOp.LESS
          : value > constant ? CompareOp.GREATER
          : value == constant ? CompareOp.EQUAL
          : CompareOp.UNORDERED;
      return outcome(record, i, op.outcomes(), outcome);
    }

    @Override
    public void collectColumns(BitSet columns) {
      columns.set(column.index());
    }
  }

  /** A string column against the UTF-8 bytes of a string constant. */
  final class StringComparison implements Predicate {
    private final ColumnRef column;
    private final CompareOp op;
    private final byte[] constant;

    StringComparison(ColumnRef column, CompareOp op, byte[] constant) {
      this.column = Objects.requireNonNull(column, "column is null");
      this.op = Objects.requireNonNull(op, "op is null");
      this.constant = constant.clone();
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      VarCharVector vector = column.vector(batch, VarCharVector.class);
      FilterKernels.compareUtf8(vector.getOffsetBuffer(), vector.getDataBuffer(),
          vector.getValidityBuffer(), vector.getNullCount() == 0, rowCount, op.outcomes(),
          !op.isOrdering(), constant, whenTrue, whenFalse);
    }

    @Override
    public int test(RawRecord record) {
      int i = column.index();
      if (record.isNull(i)) {
        return UNKNOWN;
      }
      int outcome = !op.isOrdering() && record.utf8Length(i) != constant.length
          ? CompareOp.LESS
          : record.compareUtf8(i, constant) + 1;
      return (op.outcomes() >>> outcome) & 1;
    }

    @Override
    public void collectColumns(BitSet columns) {
      columns.set(column.index());
    }
  }

  /** NOT: TRUE and FALSE swap, UNKNOWN stays. */
  final class Not implements Predicate {
    private final Predicate operand;

    Not(Predicate operand) {
      this.operand = Objects.requireNonNull(operand, "operand is null");
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      operand.evaluate(batch, rowCount, whenFalse, whenTrue);
    }

    @Override
    public int test(RawRecord record) {
      int result = operand.test(record);
      return result == UNKNOWN ? UNKNOWN : TRUE - result;
    }

    @Override
    public void collectColumns(BitSet columns) {
      operand.collectColumns(columns);
    }
  }

  /** AND or OR of two or more operands, combined word-wise through scratch bitmaps. */
  final class Junction implements Predicate {
    private final boolean isAnd;
    private final List<Predicate> operands;
    private long[] scratchTrue = new long[0];
    private long[] scratchFalse = new long[0];

    private Junction(boolean isAnd, List<Predicate> operands) {
      this.isAnd = isAnd;
      this.operands = List.copyOf(operands);
      if (this.operands.size() < 2) {
        throw new IllegalArgumentException("A junction needs two operands: " + operands);
      }
    }

    static Junction and(List<Predicate> operands) {
      return new Junction(true, operands);
    }

    static Junction or(List<Predicate> operands) {
      return new Junction(false, operands);
    }

    @Override
    public void evaluate(VectorSchemaRoot batch, int rowCount, long[] whenTrue,
        long[] whenFalse) {
      int words = FilterKernels.wordCount(rowCount);
      if (scratchTrue.length < words) {
        scratchTrue = new long[words];
        scratchFalse = new long[words];
      }
      operands.get(0).evaluate(batch, rowCount, whenTrue, whenFalse);
      for (int i = 1; i < operands.size(); i++) {
        operands.get(i).evaluate(batch, rowCount, scratchTrue, scratchFalse);
        if (isAnd) {
          FilterKernels.and(whenTrue, whenFalse, scratchTrue, scratchFalse, words);
        } else {
          FilterKernels.or(whenTrue, whenFalse, scratchTrue, scratchFalse, words);
        }
      }
    }

    @Override
    public int test(RawRecord record) {
      // AND: FALSE wins, then UNKNOWN; OR: TRUE wins, then UNKNOWN
      int decisive = isAnd ? FALSE : TRUE;
      int result = isAnd ? TRUE : FALSE;
      for (int i = 0; i < operands.size(); i++) {
        int operand = operands.get(i).test(record);
        if (operand == decisive) {
          return decisive;
        }
        if (operand == UNKNOWN) {
          result = UNKNOWN;
        }
      }
      return result;
    }

    @Override
    public void collectColumns(BitSet columns) {
      for (int i = 0; i < operands.size(); i++) {
        operands.get(i).collectColumns(columns);
      }
    }
  }
}
