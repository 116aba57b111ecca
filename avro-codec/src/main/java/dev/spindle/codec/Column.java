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
 */
public record Column(String name, String originalName, ColumnType type, boolean nullable, TimestampUnit timestampUnit) {

    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(originalName, "originalName is null");
        requireNonNull(type, "type is null");
        requireNonNull(timestampUnit, "timestampUnit is null");
        if (!type.isTimestamp()) {
            timestampUnit = TimestampUnit.MICROS;
        }
        if (!AvroNames.isValid(name)) {
            throw new IllegalArgumentException("Column name is not a valid Avro name: \"" + name + "\" (must match [A-Za-z_][A-Za-z0-9_]*)");
        }
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
        return new Column(name, originalName, type, nullable, unit);
    }

    /** True for a timestamp column written in milliseconds. */
    public boolean millis() {
        return type.isTimestamp() && timestampUnit == TimestampUnit.MILLIS;
    }

    /** The type as messages name it: {@code long}, {@code timestamp_local (millis)}, {@code timestamp_instant (micros)}. */
    public String typeDescription() {
        if (!type.isTimestamp()) {
            return type.displayName();
        }
        return type.displayName() + (millis() ? " (millis)" : " (micros)");
    }
}
