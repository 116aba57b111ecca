package dev.spindle.jobs.filter;

import java.util.Optional;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** The column types a filter can compare: the vector classes the codec builds batches from. */
enum ColumnType {
  BOOLEAN("boolean", BitVector.class),
  LONG("long", BigIntVector.class),
  DOUBLE("double", Float8Vector.class),
  DATE("date", DateDayVector.class),
  TIMESTAMP("timestamp", TimeStampMicroVector.class),
  TIMESTAMP_UTC("timestamp (UTC)", TimeStampMicroTZVector.class),
  STRING("string", VarCharVector.class),
  INT("int", IntVector.class);

  static final String SUPPORTED =
      "Bool, Int(32, signed), Int(64, signed), FloatingPoint(DOUBLE), Date(DAY),"
          + " Timestamp(MICROSECOND, none), Timestamp(MICROSECOND, UTC), Utf8";

  private final String displayName;
  private final Class<? extends FieldVector> vectorClass;

  ColumnType(String displayName, Class<? extends FieldVector> vectorClass) {
    this.displayName = displayName;
    this.vectorClass = vectorClass;
  }

  /** The name error messages use: "long", "timestamp (UTC)". */
  String displayName() {
    return displayName;
  }

  Class<? extends FieldVector> vectorClass() {
    return vectorClass;
  }

  /** The filter type of an Arrow type, or empty when filters cannot compare that type. */
  static Optional<ColumnType> of(ArrowType type) {
    if (type instanceof ArrowType.Bool) {
      return Optional.of(BOOLEAN);
    }
    if (type instanceof ArrowType.Int integer && integer.getBitWidth() == 64
        && integer.getIsSigned()) {
      return Optional.of(LONG);
    }
    if (type instanceof ArrowType.Int integer && integer.getBitWidth() == 32
        && integer.getIsSigned()) {
      return Optional.of(INT);
    }
    if (type instanceof ArrowType.FloatingPoint floating
        && floating.getPrecision() == FloatingPointPrecision.DOUBLE) {
      return Optional.of(DOUBLE);
    }
    if (type instanceof ArrowType.Date date && date.getUnit() == DateUnit.DAY) {
      return Optional.of(DATE);
    }
    if (type instanceof ArrowType.Timestamp timestamp
        && timestamp.getUnit() == TimeUnit.MICROSECOND) {
      if (timestamp.getTimezone() == null) {
        return Optional.of(TIMESTAMP);
      }
      if (timestamp.getTimezone().equals("UTC")) {
        return Optional.of(TIMESTAMP_UTC);
      }
      return Optional.empty();
    }
    if (type instanceof ArrowType.Utf8) {
      return Optional.of(STRING);
    }
    return Optional.empty();
  }
}
