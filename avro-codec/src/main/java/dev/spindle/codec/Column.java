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
 */
public record Column(String name, String originalName, ColumnType type, boolean nullable) {

    public Column {
        requireNonNull(name, "name is null");
        requireNonNull(originalName, "originalName is null");
        requireNonNull(type, "type is null");
        if (!AvroNames.isValid(name)) {
            throw new IllegalArgumentException("Column name is not a valid Avro name: \"" + name + "\" (must match [A-Za-z_][A-Za-z0-9_]*)");
        }
    }

    /** A column whose original name is its name. */
    public static Column of(String name, ColumnType type, boolean nullable) {
        return new Column(name, name, type, nullable);
    }
}
