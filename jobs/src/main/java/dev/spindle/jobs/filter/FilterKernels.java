package dev.spindle.jobs.filter;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;

/**
 * HOT LOOPS. Every per-row loop of filter evaluation lives here, and this class trades some
 * readability for speed: plain static methods over Arrow buffers, no boxing, no allocation, no
 * {@code String}, the operator decoded once per call instead of once per row.
 *
 * <p>Results are two bitmaps over the batch, one bit per row, 64 rows per {@code long} word
 * (row {@code r} is bit {@code r & 63} of word {@code r >>> 6}), bits at or past the row count
 * always zero: {@code whenTrue} marks rows where the predicate is TRUE, {@code whenFalse} rows
 * where it is FALSE, and a row in neither is UNKNOWN (SQL three-valued logic). So AND, OR and
 * NOT are word-wise operations, and NOT is only a swap of the two bitmaps.
 *
 * <p>Value buffers are read through raw addresses ({@link MemoryUtil}), not through
 * {@link ArrowBuf}'s checked getters, which check bounds and the reference count on every call:
 * each kernel checks once that the buffer covers the rows it reads (and, for strings, that each
 * row's offsets stay inside the data buffer) before it reads anything there.
 *
 * <p>A comparison computes, per row, which of LESS/EQUAL/GREATER/UNORDERED the value is against
 * the literal and tests that bit in the operator's outcome set ({@link CompareOp#outcomes()}).
 * Null rows get garbage comparison bits that the validity word then clears.
 */
final class FilterKernels {

  private FilterKernels() {}

  /** Words needed for {@code rowCount} bits. */
  static int wordCount(int rowCount) {
    return (rowCount + 63) >>> 6;
  }

  /** The mask of the rows of word {@code word} that exist. */
  static long rowMask(int word, int rowCount) {
    int rows = rowCount - (word << 6);
    return rows >= 64 ? -1L : (1L << rows) - 1;
  }

  /**
   * Word {@code word} of a bitmap buffer (validity, or the values of a BitVector), with bits past
   * {@code rowCount} cleared. Reads bytes one by one near the end of the buffer, whose capacity
   * need not be a multiple of 8 bytes.
   */
  static long bitmapWord(ArrowBuf bitmap, int word, int rowCount) {
    long mask = rowMask(word, rowCount);
    long byteIndex = (long) word << 3;
    if (byteIndex + 8 <= bitmap.capacity()) {
      return bitmap.getLong(byteIndex) & mask;
    }
    long bits = 0;
    int bytes = (64 - Long.numberOfLeadingZeros(mask) + 7) >>> 3;
    for (int b = 0; b < bytes; b++) {
      bits |= (bitmap.getByte(byteIndex + b) & 0xFFL) << (b << 3);
    }
    return bits & mask;
  }

  /** The validity word; {@code noNulls} skips reading the buffer. */
  static long validWord(ArrowBuf validity, boolean noNulls, int word, int rowCount) {
    return noNulls ? rowMask(word, rowCount) : bitmapWord(validity, word, rowCount);
  }

  /** {@code IS NULL}: never unknown. */
  static void isNull(ArrowBuf validity, boolean noNulls, int rowCount, long[] whenTrue,
      long[] whenFalse) {
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      long valid = validWord(validity, noNulls, w, rowCount);
      whenTrue[w] = ~valid & rowMask(w, rowCount);
      whenFalse[w] = valid;
    }
  }

  /** A comparison whose outcome is the same for every non-null value. */
  static void constant(ArrowBuf validity, boolean noNulls, int rowCount, boolean result,
      long[] whenTrue, long[] whenFalse) {
    long[] hit = result ? whenTrue : whenFalse;
    long[] miss = result ? whenFalse : whenTrue;
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      hit[w] = validWord(validity, noNulls, w, rowCount);
      miss[w] = 0;
    }
  }

  /** A boolean column equal to {@code value}. */
  static void bitEquals(ArrowBuf values, ArrowBuf validity, boolean noNulls, int rowCount,
      boolean value, long[] whenTrue, long[] whenFalse) {
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      long bits = bitmapWord(values, w, rowCount);
      if (!value) {
        bits = ~bits;
      }
      long valid = validWord(validity, noNulls, w, rowCount);
      whenTrue[w] = bits & valid;
      whenFalse[w] = ~bits & valid;
    }
  }

  /** A column of 8-byte signed integers (long, timestamp) against {@code constant}. */
  static void compareInt64(ArrowBuf values, ArrowBuf validity, boolean noNulls, int rowCount,
      int outcomes, long constant, long[] whenTrue, long[] whenFalse) {
    long address = checkedAddress(values, (long) rowCount << 3, rowCount);
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      int base = w << 6;
      int rows = Math.min(64, rowCount - base);
      long bits = 0;
      for (int j = 0; j < rows; j++) {
        long value = MemoryUtil.getLong(address + ((long) (base + j) << 3));
        int outcome = Long.compare(value, constant) + 1;
        bits |= (long) ((outcomes >>> outcome) & 1) << j;
      }
      long valid = validWord(validity, noNulls, w, rowCount);
      whenTrue[w] = bits & valid;
      whenFalse[w] = ~bits & valid;
    }
  }

  /** A column of 4-byte signed integers (date as days since epoch) against {@code constant}. */
  static void compareInt32(ArrowBuf values, ArrowBuf validity, boolean noNulls, int rowCount,
      int outcomes, int constant, long[] whenTrue, long[] whenFalse) {
    long address = checkedAddress(values, (long) rowCount << 2, rowCount);
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      int base = w << 6;
      int rows = Math.min(64, rowCount - base);
      long bits = 0;
      for (int j = 0; j < rows; j++) {
        int value = MemoryUtil.getInt(address + ((long) (base + j) << 2));
        int outcome = Integer.compare(value, constant) + 1;
        bits |= (long) ((outcomes >>> outcome) & 1) << j;
      }
      long valid = validWord(validity, noNulls, w, rowCount);
      whenTrue[w] = bits & valid;
      whenFalse[w] = ~bits & valid;
    }
  }

  /** A column of doubles against {@code constant}; a NaN on either side is UNORDERED. */
  static void compareFloat64(ArrowBuf values, ArrowBuf validity, boolean noNulls, int rowCount,
      int outcomes, double constant, long[] whenTrue, long[] whenFalse) {
    long address = checkedAddress(values, (long) rowCount << 3, rowCount);
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      int base = w << 6;
      int rows = Math.min(64, rowCount - base);
      long bits = 0;
      for (int j = 0; j < rows; j++) {
        double value =
            Double.longBitsToDouble(MemoryUtil.getLong(address + ((long) (base + j) << 3)));
        int outcome = value < constant ? CompareOp.LESS
            : value > constant ? CompareOp.GREATER
            : value == constant ? CompareOp.EQUAL
            : CompareOp.UNORDERED;
        bits |= (long) ((outcomes >>> outcome) & 1) << j;
      }
      long valid = validWord(validity, noNulls, w, rowCount);
      whenTrue[w] = bits & valid;
      whenFalse[w] = ~bits & valid;
    }
  }

  /**
   * A UTF-8 string column against the UTF-8 bytes of a literal, in unsigned byte order (which is
   * code point order). Null rows are skipped: their offsets are not looked at.
   */
  static void compareUtf8(ArrowBuf offsets, ArrowBuf data, ArrowBuf validity, boolean noNulls,
      int rowCount, int outcomes, boolean equalityOnly, byte[] literal, long[] whenTrue,
      long[] whenFalse) {
    long offsetAddress = checkedAddress(offsets, ((long) rowCount + 1) << 2, rowCount);
    long dataAddress = data.memoryAddress();
    long dataCapacity = data.capacity();
    int words = wordCount(rowCount);
    for (int w = 0; w < words; w++) {
      int base = w << 6;
      int rows = Math.min(64, rowCount - base);
      long valid = validWord(validity, noNulls, w, rowCount);
      long bits = 0;
      for (int j = 0; j < rows; j++) {
        if ((valid & (1L << j)) == 0) {
          continue;
        }
        long offset = offsetAddress + ((long) (base + j) << 2);
        int start = MemoryUtil.getInt(offset);
        int end = MemoryUtil.getInt(offset + 4);
        if (start < 0 || end < start || end > dataCapacity) {
          throw new IllegalStateException("String offsets [" + start + ", " + end + ") of row "
              + (base + j) + " are outside the data buffer of " + dataCapacity + " bytes");
        }
        int length = end - start;
        int outcome;
        if (equalityOnly && length != literal.length) {
          outcome = CompareOp.LESS;
        } else {
          outcome = compareBytes(dataAddress + start, length, literal) + 1;
        }
        bits |= (long) ((outcomes >>> outcome) & 1) << j;
      }
      whenTrue[w] = bits & valid;
      whenFalse[w] = ~bits & valid;
    }
  }

  /** -1, 0 or 1 as the {@code length} bytes at {@code address} sort before, at or after literal. */
  private static int compareBytes(long address, int length, byte[] literal) {
    int common = Math.min(length, literal.length);
    for (int i = 0; i < common; i++) {
      int a = MemoryUtil.getByte(address + i) & 0xFF;
      int b = literal[i] & 0xFF;
      if (a != b) {
        return a < b ? -1 : 1;
      }
    }
    return Integer.compare(length, literal.length);
  }

  /** The address of {@code buffer} after checking it holds {@code bytes} bytes. */
  private static long checkedAddress(ArrowBuf buffer, long bytes, int rowCount) {
    if (buffer.capacity() < bytes) {
      throw new IllegalStateException("Vector buffer of " + buffer.capacity() + " bytes is too"
          + " small for " + rowCount + " rows (" + bytes + " bytes)");
    }
    return buffer.memoryAddress();
  }

  /** AND: TRUE when both are, FALSE when either is. */
  static void and(long[] whenTrue, long[] whenFalse, long[] otherTrue, long[] otherFalse,
      int words) {
    for (int w = 0; w < words; w++) {
      whenTrue[w] &= otherTrue[w];
      whenFalse[w] |= otherFalse[w];
    }
  }

  /** OR: TRUE when either is, FALSE when both are. */
  static void or(long[] whenTrue, long[] whenFalse, long[] otherTrue, long[] otherFalse,
      int words) {
    for (int w = 0; w < words; w++) {
      whenTrue[w] |= otherTrue[w];
      whenFalse[w] &= otherFalse[w];
    }
  }

  /** Writes the indices of the set bits to {@code selection}, ascending; returns how many. */
  static int selectedRows(long[] bitmap, int rowCount, int[] selection) {
    int words = wordCount(rowCount);
    int count = 0;
    for (int w = 0; w < words; w++) {
      long bits = bitmap[w];
      int base = w << 6;
      while (bits != 0) {
        selection[count++] = base + Long.numberOfTrailingZeros(bits);
        bits &= bits - 1;
      }
    }
    return count;
  }
}
