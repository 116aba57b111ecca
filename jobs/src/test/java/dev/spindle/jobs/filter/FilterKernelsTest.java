package dev.spindle.jobs.filter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FilterKernelsTest {

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

  @Test
  void readsBitmapWordsFromBuffersOfAnyCapacity() {
    Random random = new Random(7);
    for (int bytes = 1; bytes <= 20; bytes++) {
      try (ArrowBuf buffer = allocator.buffer(bytes)) {
        int capacity = (int) buffer.capacity();
        for (int i = 0; i < capacity; i++) {
          buffer.setByte(i, random.nextInt(256));
        }
        for (int rowCount = 1; rowCount <= capacity * 8; rowCount++) {
          for (int word = 0; word < FilterKernels.wordCount(rowCount); word++) {
            long expected = 0;
            for (int bit = 0; bit < 64 && word * 64 + bit < rowCount; bit++) {
              int row = word * 64 + bit;
              if ((buffer.getByte(row >> 3) >> (row & 7) & 1) != 0) {
                expected |= 1L << bit;
              }
            }
            assertEquals(expected, FilterKernels.bitmapWord(buffer, word, rowCount),
                "capacity " + capacity + ", rows " + rowCount + ", word " + word);
          }
        }
      }
    }
  }

  @Test
  void masksRowsPastTheEnd() {
    assertEquals(0b1L, FilterKernels.rowMask(0, 1));
    assertEquals(-1L, FilterKernels.rowMask(0, 64));
    assertEquals(-1L, FilterKernels.rowMask(0, 65));
    assertEquals(0b1L, FilterKernels.rowMask(1, 65));
    assertEquals((1L << 63) - 1, FilterKernels.rowMask(1, 127));
    assertEquals(2, FilterKernels.wordCount(65));
    assertEquals(0, FilterKernels.wordCount(0));
  }

  @Test
  void listsSetBitsAscending() {
    long[] bitmap = {1L | 1L << 63, 0, 1L << 5};
    int[] selection = new int[192];
    assertEquals(3, FilterKernels.selectedRows(bitmap, 134, selection));
    assertArrayEquals(new int[] {0, 63, 133}, Arrays.copyOf(selection, 3));
  }

  @Test
  void refusesStringOffsetsOutsideTheDataBuffer() {
    BoundFilter bound = FilterExpression.parse("s = 'abc'").bind(TestBatches.ALL_TYPES);
    Object[] row = {null, null, null, null, null, null, "abc"};
    try (VectorSchemaRoot batch =
        TestBatches.batch(allocator, TestBatches.ALL_TYPES, List.<Object[]>of(row, row))) {
      VarCharVector strings = (VarCharVector) batch.getVector("s");
      long capacity = strings.getDataBuffer().capacity();
      strings.getOffsetBuffer().setInt(8, (int) capacity + 1);
      assertEquals("String offsets [3, " + (capacity + 1) + ") of row 1 are outside the data"
              + " buffer of " + capacity + " bytes",
          assertThrows(IllegalStateException.class, () -> bound.select(batch, new int[2]))
              .getMessage());
    }
  }

  @Test
  void refusesValueBuffersShorterThanTheBatch() {
    Schema schema = TestBatches.schema("n", TestBatches.LONG);
    BoundFilter bound = FilterExpression.parse("n > 1").bind(schema);
    try (BigIntVector longs = new BigIntVector("n", allocator)) {
      longs.allocateNew(1);
      long capacity = longs.getDataBuffer().capacity();
      int rows = (int) (capacity / 8) + 1;
      // a root that claims more rows than its vector holds
      VectorSchemaRoot batch = new VectorSchemaRoot(schema.getFields(), List.of(longs), rows);
      assertEquals("Vector buffer of " + capacity + " bytes is too small for " + rows + " rows ("
              + rows * 8 + " bytes)",
          assertThrows(IllegalStateException.class, () -> bound.select(batch, new int[rows]))
              .getMessage());
    }
  }
}
