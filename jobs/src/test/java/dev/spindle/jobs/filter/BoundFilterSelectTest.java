package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BoundFilterSelectTest {

  private static final List<Object[]> ROWS = List.of(
      new Object[] {true, 1L, 1.5, LocalDate.parse("2024-01-01"),
          LocalDateTime.parse("2024-01-01T00:00"), 0L, "CMT"},
      new Object[] {false, 3L, Double.NaN, LocalDate.parse("2024-01-31"),
          LocalDateTime.parse("2024-01-31T08:00:00.000001"), 1_000_000L, "VTS"},
      new Object[] {null, null, null, null, null, null, null},
      new Object[] {true, 4L, -0.0, LocalDate.parse("2023-12-31"),
          LocalDateTime.parse("2024-01-31T08:00"), -1L, ""},
      new Object[] {false, Long.MIN_VALUE, Double.POSITIVE_INFINITY, LocalDate.parse("2024-02-29"),
          LocalDateTime.parse("1970-01-01T00:00"), Long.MAX_VALUE, "ä"},
      new Object[] {true, Long.MAX_VALUE, 0.0, LocalDate.parse("1970-01-01"),
          LocalDateTime.parse("9999-12-31T23:59:59.999999"), 5_000_000L, "CMTX"});

  private RootAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void closeAllocator() {
    assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked");
    allocator.close();
  }

  private int[] select(String filter, List<Object[]> rows) {
    BoundFilter bound = FilterExpression.parse(filter).bind(TestBatches.ALL_TYPES);
    try (VectorSchemaRoot batch = TestBatches.batch(allocator, TestBatches.ALL_TYPES, rows)) {
      int[] selection = new int[rows.size()];
      int count = bound.select(batch, selection);
      return Arrays.copyOf(selection, count);
    }
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // three-valued logic: the null row 2 is selected only by IS NULL
        Arguments.of("n > 3", new int[] {3, 5}),
        Arguments.of("NOT n > 3", new int[] {0, 1, 4}),
        Arguments.of("NOT NOT n > 3", new int[] {3, 5}),
        Arguments.of("n > 3 OR n IS NULL", new int[] {2, 3, 5}),
        Arguments.of("NOT (n > 3 OR n IS NULL)", new int[] {0, 1, 4}),
        Arguments.of("n IS NOT NULL", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("NOT (n > 3 AND s = 'CMTX')", new int[] {0, 1, 3, 4}),
        Arguments.of("flag IS NOT NULL AND (x IS NULL OR s IS NULL)", new int[] {}),
        Arguments.of("x IS NULL AND s IS NULL AND NOT flag IS NOT NULL", new int[] {2}),
        // longs against decimals and out-of-range numbers, exactly
        Arguments.of("n = 3.5", new int[] {}),
        Arguments.of("n != 3.5", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("n < 3.5", new int[] {0, 1, 4}),
        Arguments.of("n <= 3.5", new int[] {0, 1, 4}),
        Arguments.of("n > 3.5", new int[] {3, 5}),
        Arguments.of("n >= 3.5", new int[] {3, 5}),
        Arguments.of("n >= 3.0", new int[] {1, 3, 5}),
        Arguments.of("n > -1e30", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("n < -1e30", new int[] {}),
        Arguments.of("n = 9223372036854775808", new int[] {}),
        Arguments.of("n < 9223372036854775807", new int[] {0, 1, 3, 4}),
        Arguments.of("n <= 9223372036854775807", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("n > -9223372036854775808", new int[] {0, 1, 3, 5}),
        Arguments.of("n < 1e999999999", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("n >= -1e999999999", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("n > -1e-999999999", new int[] {0, 1, 3, 5}),
        Arguments.of("n < 1e-999999999", new int[] {4}),
        Arguments.of("n <= -1e-999999999", new int[] {4}),
        Arguments.of("n = 1e-999999999", new int[] {}),
        Arguments.of("n != -1e-999999999", new int[] {0, 1, 3, 4, 5}),
        Arguments.of("n <= 3.000000000000000000000000000000000000000001", new int[] {0, 1, 4}),
        Arguments.of("n IN (1, 4, 4.5)", new int[] {0, 3}),
        Arguments.of("n NOT IN (1, 4)", new int[] {1, 4, 5}),
        // doubles: NaN is false except for !=, -0.0 equals 0
        Arguments.of("x != 1.5", new int[] {1, 3, 4, 5}),
        Arguments.of("x < 100", new int[] {0, 3, 5}),
        Arguments.of("x >= 100", new int[] {4}),
        Arguments.of("x = 0", new int[] {3, 5}),
        Arguments.of("NOT x = 0", new int[] {0, 1, 4}),
        Arguments.of("x > -1e400", new int[] {0, 3, 4, 5}),
        // the literal rounds to the nearest double: Infinity, which is not < Infinity
        Arguments.of("x < 1e999999999", new int[] {0, 3, 5}),
        Arguments.of("x > 1e-999999999", new int[] {0, 4}),
        // booleans
        Arguments.of("flag = TRUE", new int[] {0, 3, 5}),
        Arguments.of("flag != TRUE", new int[] {1, 4}),
        Arguments.of("flag = FALSE", new int[] {1, 4}),
        Arguments.of("NOT flag = FALSE", new int[] {0, 3, 5}),
        Arguments.of("flag != FALSE", new int[] {0, 3, 5}),
        // dates
        Arguments.of("d >= '2024-01-31'", new int[] {1, 4}),
        Arguments.of("'2024-01-01' > d", new int[] {3, 5}),
        Arguments.of("d IN ('2024-01-01', '1970-01-01')", new int[] {0, 5}),
        // local timestamps, down to the microsecond and below
        Arguments.of("ts > '2024-01-31 08:00'", new int[] {1, 5}),
        Arguments.of("ts = '2024-01-31T08:00:00.000000'", new int[] {3}),
        Arguments.of("ts >= '2024-01-31T08:00:00.0000005'", new int[] {1, 5}),
        Arguments.of("ts <= '2024-01-31T08:00:00.0000005'", new int[] {0, 3, 4}),
        Arguments.of("ts = '2024-01-31T08:00:00.0000005'", new int[] {}),
        Arguments.of("ts < '1970-01-01'", new int[] {}),
        Arguments.of("ts <= '1970-01-01'", new int[] {4}),
        Arguments.of("ts < '+10000-01-01 00:00'", new int[] {0, 1, 3, 4, 5}),
        // UTC timestamps, literals with and without offsets
        Arguments.of("tsz = '1970-01-01T00:00:01Z'", new int[] {1}),
        Arguments.of("tsz = '1970-01-01T02:00:01+02:00'", new int[] {1}),
        Arguments.of("tsz = '1970-01-01 00:00:01'", new int[] {1}),
        Arguments.of("tsz < '1970-01-01'", new int[] {3}),
        Arguments.of("tsz > '+10000-01-01T00:00Z'", new int[] {4}),
        // strings in code point order
        Arguments.of("s = 'CMT'", new int[] {0}),
        Arguments.of("s > 'CMT'", new int[] {1, 4, 5}),
        Arguments.of("s < 'CMT'", new int[] {3}),
        Arguments.of("s <= 'CMTX'", new int[] {0, 3, 5}),
        Arguments.of("s = ''", new int[] {3}),
        Arguments.of("s > ''", new int[] {0, 1, 4, 5}),
        Arguments.of("s >= 'z'", new int[] {4}),
        Arguments.of("s IN ('VTS', '')", new int[] {1, 3}),
        Arguments.of("s NOT IN ('VTS', '')", new int[] {0, 4, 5}));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void selectsRowsWhereTheFilterIsTrue(String filter, int[] expected) {
    assertArrayEquals(expected, select(filter, ROWS), filter);
  }

  @Test
  void reusesOneBoundFilterAcrossBatchesOfAnySize() {
    BoundFilter bound = FilterExpression.parse("n >= 100 AND (s = 'even' OR flag = TRUE)")
        .bind(TestBatches.ALL_TYPES);
    int[] selection = new int[1000];
    for (int size : new int[] {0, 1, 63, 64, 65, 130, 1000, 7}) {
      List<Object[]> rows = new ArrayList<>();
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        boolean even = i % 2 == 0;
        Boolean flag = i % 3 == 0 ? null : i % 5 == 0;
        rows.add(new Object[] {flag, (long) i, null, null, null, null, even ? "even" : "odd"});
        if (i >= 100 && (even || Boolean.TRUE.equals(flag))) {
          expected.add(i);
        }
      }
      Arrays.fill(selection, -1);
      try (VectorSchemaRoot batch = TestBatches.batch(allocator, TestBatches.ALL_TYPES, rows)) {
        int count = bound.select(batch, selection);
        assertEquals(expected, Arrays.stream(selection, 0, count).boxed().toList(),
            "batch of " + size + " rows");
        if (count < selection.length) {
          assertEquals(-1, selection[count], "entries after the selected rows are untouched");
        }
      }
    }
  }

  @Test
  void allSelectsEveryRow() {
    try (VectorSchemaRoot batch = TestBatches.batch(allocator, TestBatches.ALL_TYPES, ROWS)) {
      int[] selection = new int[8];
      assertEquals(6, BoundFilter.all().select(batch, selection));
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 0, 0}, selection);
    }
  }

  @Test
  void rejectsASelectionArrayShorterThanTheBatch() {
    BoundFilter bound = FilterExpression.parse("n > 3").bind(TestBatches.ALL_TYPES);
    try (VectorSchemaRoot batch = TestBatches.batch(allocator, TestBatches.ALL_TYPES, ROWS)) {
      int[] selection = new int[5];
      assertEquals("Selection array holds 5 rows but the batch has 6 rows",
          assertThrows(IllegalArgumentException.class, () -> bound.select(batch, selection))
              .getMessage());
      assertEquals("Selection array holds 5 rows but the batch has 6 rows",
          assertThrows(IllegalArgumentException.class,
              () -> BoundFilter.all().select(batch, selection)).getMessage());
    }
  }

  @Test
  void rejectsABatchOfAnotherSchema() {
    BoundFilter bound = FilterExpression.parse("s = 'a'").bind(TestBatches.ALL_TYPES);
    var other = TestBatches.schema("n", TestBatches.LONG, "s", TestBatches.LONG);
    try (VectorSchemaRoot batch =
        TestBatches.batch(allocator, other, List.<Object[]>of(new Object[] {1L, 2L}))) {
      assertEquals("Batch does not match the schema the filter was bound to: expected column 's'"
              + " (VarCharVector) at #6, found no such column",
          assertThrows(IllegalArgumentException.class, () -> bound.select(batch, new int[1]))
              .getMessage());
    }
    BoundFilter onSecond = FilterExpression.parse("s = 'a'")
        .bind(TestBatches.schema("n", TestBatches.LONG, "s", TestBatches.STRING));
    try (VectorSchemaRoot batch =
        TestBatches.batch(allocator, other, List.<Object[]>of(new Object[] {1L, 2L}))) {
      assertEquals("Batch does not match the schema the filter was bound to: expected column 's'"
              + " (VarCharVector) at #1, found 's' (BigIntVector)",
          assertThrows(IllegalArgumentException.class, () -> onSecond.select(batch, new int[1]))
              .getMessage());
    }
  }
}
