package dev.spindle.jobs.filter;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/** Builds batches of the seven column types for filter tests, one row of Java values at a time. */
final class TestBatches {

  static final ArrowType BOOL = ArrowType.Bool.INSTANCE;
  static final ArrowType LONG = new ArrowType.Int(64, true);
  static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
  static final ArrowType DATE = new ArrowType.Date(DateUnit.DAY);
  static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
  static final ArrowType TIMESTAMP_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
  static final ArrowType STRING = ArrowType.Utf8.INSTANCE;

  /** flag boolean, n long, x double, d date, ts timestamp, tsz timestamp UTC, s string. */
  static final Schema ALL_TYPES = schema("flag", BOOL, "n", LONG, "x", DOUBLE, "d", DATE,
      "ts", TIMESTAMP, "tsz", TIMESTAMP_UTC, "s", STRING);

  private TestBatches() {}

  /** A schema of nullable fields from alternating names and types. */
  static Schema schema(Object... namesAndTypes) {
    Field[] fields = new Field[namesAndTypes.length / 2];
    for (int i = 0; i < fields.length; i++) {
      fields[i] = Field.nullable((String) namesAndTypes[2 * i],
          (ArrowType) namesAndTypes[2 * i + 1]);
    }
    return new Schema(List.of(fields));
  }

  /**
   * A batch of {@code rows}, each a row of Java values matching the schema's columns (null for
   * null): Boolean, Long, Double, LocalDate, LocalDateTime, Long micros (UTC column), String.
   */
  static VectorSchemaRoot batch(BufferAllocator allocator, Schema schema, List<Object[]> rows) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    try {
      root.allocateNew();
      for (int r = 0; r < rows.size(); r++) {
        Object[] row = rows.get(r);
        for (int c = 0; c < row.length; c++) {
          set(root.getVector(c), r, row[c]);
        }
      }
      root.setRowCount(rows.size());
      return root;
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  private static void set(FieldVector vector, int row, Object value) {
    if (value == null) {
      vector.setNull(row);
      return;
    }
    if (vector instanceof BitVector bits) {
      bits.setSafe(row, (Boolean) value ? 1 : 0);
    } else if (vector instanceof BigIntVector longs) {
      longs.setSafe(row, (Long) value);
    } else if (vector instanceof Float8Vector doubles) {
      doubles.setSafe(row, (Double) value);
    } else if (vector instanceof DateDayVector dates) {
      dates.setSafe(row, Math.toIntExact(((LocalDate) value).toEpochDay()));
    } else if (vector instanceof TimeStampMicroVector timestamps) {
      LocalDateTime time = (LocalDateTime) value;
      long seconds = time.toEpochSecond(ZoneOffset.UTC);
      timestamps.setSafe(row, Math.addExact(Math.multiplyExact(seconds, 1_000_000L),
          time.getNano() / 1000));
    } else if (vector instanceof TimeStampMicroTZVector instants) {
      instants.setSafe(row, (Long) value);
    } else if (vector instanceof VarCharVector strings) {
      strings.setSafe(row, ((String) value).getBytes(StandardCharsets.UTF_8));
    } else {
      throw new IllegalArgumentException("Unsupported test vector " + vector.getClass());
    }
  }
}
