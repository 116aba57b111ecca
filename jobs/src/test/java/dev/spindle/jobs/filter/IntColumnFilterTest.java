package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntPredicate;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Filters on a 32-bit int column (an Avro {@code int} or Parquet INT32 input): each comparison
 * selects exactly the rows a Java predicate over the same values keeps, with literals that are
 * fractional or beyond the int range compared exactly, and nulls never selected by a comparison.
 */
class IntColumnFilterTest {

  private static final Schema SCHEMA = new Schema(List.of(
      new Field("i", FieldType.nullable(new ArrowType.Int(32, true)), null)));

  private final RootAllocator allocator = new RootAllocator();

  @AfterEach
  void closeAllocator() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked");
    allocator.close();
  }

  private static Integer[] values() {
    int[] edges = {0, 1, -1, 2, 3, 5, -7, Integer.MAX_VALUE, Integer.MIN_VALUE,
        Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1};
    Random random = new Random(15);
    Integer[] values = new Integer[2000];
    for (int i = 0; i < values.length; i++) {
      values[i] = i % 13 == 6 ? null
          : i < edges.length ? Integer.valueOf(edges[i])
          : Integer.valueOf(random.nextBoolean() ? random.nextInt(21) - 10 : random.nextInt());
    }
    return values;
  }

  private int[] select(String filter, Integer[] values) {
    BoundFilter bound = FilterExpression.parse(filter).bind(SCHEMA);
    try (VectorSchemaRoot root = VectorSchemaRoot.create(SCHEMA, allocator)) {
      IntVector vector = (IntVector) root.getVector(0);
      for (int row = 0; row < values.length; row++) {
        if (values[row] == null) {
          vector.setNull(row);
        } else {
          vector.setSafe(row, values[row]);
        }
      }
      vector.setValueCount(values.length);
      root.setRowCount(values.length);
      int[] selection = new int[values.length];
      return Arrays.copyOf(selection, bound.select(root, selection));
    }
  }

  private static int[] expected(Integer[] values, IntPredicate keep) {
    List<Integer> rows = new ArrayList<>();
    for (int row = 0; row < values.length; row++) {
      if (values[row] != null && keep.test(values[row])) {
        rows.add(row);
      }
    }
    return rows.stream().mapToInt(Integer::intValue).toArray();
  }

  @Test
  void comparisonsSelectExactlyTheMatchingRows() {
    Integer[] values = values();
    assertArrayEquals(expected(values, v -> v > 5), select("i > 5", values));
    assertArrayEquals(expected(values, v -> v >= -7), select("i >= -7", values));
    assertArrayEquals(expected(values, v -> v == 3), select("i = 3", values));
    assertArrayEquals(expected(values, v -> v != 3), select("i != 3", values));
    assertArrayEquals(expected(values, v -> v < -3), select("i < -3.5", values));
    assertArrayEquals(expected(values, v -> v <= 2), select("i <= 2.5", values));
    assertArrayEquals(expected(values, v -> false), select("i = 2.5", values));
    assertArrayEquals(expected(values, v -> true), select("i != 2.5", values));
    assertArrayEquals(expected(values, v -> true), select("i < 2147483648", values));
    assertArrayEquals(expected(values, v -> v == Integer.MAX_VALUE), select("i >= 2147483647", values));
    assertArrayEquals(expected(values, v -> false), select("i > 2147483647", values));
    assertArrayEquals(expected(values, v -> false), select("i = -2147483649", values));
    assertArrayEquals(expected(values, v -> v == Integer.MIN_VALUE), select("i <= -2147483648", values));
    assertArrayEquals(expected(values, v -> v == 1 || v == -7), select("i IN (1, -7)", values));
    assertArrayEquals(expected(values, v -> v != 1 && v != -7), select("i NOT IN (1, -7)", values));
    int[] nulls = select("i IS NULL", values);
    assertEquals(Arrays.stream(values).filter(v -> v == null).count(), nulls.length);
    assertTrue(nulls.length > 0);
  }

  @Test
  void anIntColumnComparedWithTextOrAFloatColumnIsRefused() {
    IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
        () -> FilterExpression.parse("i = '3'").bind(SCHEMA));
    assertTrue(text.getMessage().startsWith("Cannot compare column 'i' (int) with the "), text.getMessage());
    Schema floats = new Schema(List.of(new Field("f",
        FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null)));
    IllegalArgumentException single = assertThrows(IllegalArgumentException.class,
        () -> FilterExpression.parse("f > 1").bind(floats));
    assertTrue(single.getMessage().contains("Column 'f' has Arrow type"), single.getMessage());
  }
}
