package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

/**
 * One column of a {@link TableSchema}.
 *
 * @param name a valid Avro name ({@code [A-Za-z_][A-Za-z0-9_]*}), used in Avro, Arrow and Parquet
 * @param originalName the header text the name was derived from (equal to {@code name} when it
 *     needed no sanitizing, or {@code column_N} without a header)
 * @param type the value type
 * @param nullable whether values may be null (Avro {@code ["null", T]} with default null)
 * @param timestampUnit the unit a timestamp column is written in; {@link TimestampUnit#MICROS}
 *     for every other type
 * @param precision a decimal column's precision, 1 to {@value #MAX_DECIMAL_PRECISION}; 0 for every other type
 * @param scale a decimal column's scale, 0 to {@code precision}; 0 for every other type
 */
public record Column(String name, String originalName, ColumnType type, boolean nullable, TimestampUnit timestampUnit, int precision,
        int scale) {

    /** The largest decimal precision: Arrow's 128-bit DecimalVector holds 38 digits. */
    public static final int MAX_DECIMAL_PRECISION = 38;

    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(originalName, "originalName is null");
        requireNonNull(type, "type is null");
        requireNonNull(timestampUnit, "timestampUnit is null");
        if (!type.isTimestamp()) {
            timestampUnit = TimestampUnit.MICROS;
        }
        if (type == ColumnType.DECIMAL) {
            if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale < 0 || scale > precision) {
                throw new IllegalArgumentException("Column '%s': decimal(%d,%d) is outside the supported decimals (precision 1 to %d, scale 0 to the precision)"
                        .formatted(name, precision, scale, MAX_DECIMAL_PRECISION));
            }
        } else if (precision != 0 || scale != 0) {
            throw new IllegalArgumentException("Column '%s' is %s: only a decimal column has a precision and scale".formatted(name, type.displayName()));
        }
        if (!AvroNames.isValid(name)) {
            throw new IllegalArgumentException("Column name is not a valid Avro name: \"" + name + "\" (must match [A-Za-z_][A-Za-z0-9_]*)");
        }
    }

    /** A column of a type other than {@link ColumnType#DECIMAL}. */
    public Column(String name, String originalName, ColumnType type, boolean nullable, TimestampUnit timestampUnit) {
        this(name, originalName, type, nullable, timestampUnit, 0, 0);
    }

    /** A decimal column of {@code precision} digits, {@code scale} of them after the point. */
    public static Column decimal(String name, String originalName, boolean nullable, int precision, int scale) {
        return new Column(name, originalName, ColumnType.DECIMAL, nullable, TimestampUnit.MICROS, precision, scale);
    }

    /** A column whose timestamps (if it holds timestamps) are in microseconds. */
    public Column(String name, String originalName, ColumnType type, boolean nullable) {
        this(name, originalName, type, nullable, TimestampUnit.MICROS);
    }

    /** A column whose original name is its name (timestamps in microseconds). */
    public static Column of(String name, ColumnType type, boolean nullable) {
        return new Column(name, name, type, nullable);
    }

    /** This column with timestamps written in {@code unit}. */
    public Column withTimestampUnit(TimestampUnit unit) {
        return new Column(name, originalName, type, nullable, unit, precision, scale);
    }

    /** True for a timestamp column written in milliseconds. */
    public boolean millis() {
        return type.isTimestamp() && timestampUnit == TimestampUnit.MILLIS;
    }

    /** The type as messages name it: {@code long}, {@code timestamp_local (millis)}, {@code timestamp_instant (micros)}, {@code decimal(9,2)}. */
    public String typeDescription() {
        if (type == ColumnType.DECIMAL) {
            return "decimal(" + precision + "," + scale + ")";
        }
        if (!type.isTimestamp()) {
            return type.displayName();
        }
        return type.displayName() + (millis() ? " (millis)" : " (micros)");
    }
}
