package dev.spindle.codec;

/**
 * The value types Spindle infers and writes. The Avro and Arrow mappings are a contract (the
 * filter code relies on the Arrow vectors); see {@link TableSchema}.
 *
 * <table>
 *   <caption>Type mappings</caption>
 *   <tr><th>type</th><th>CSV text</th><th>Avro</th><th>Arrow vector</th></tr>
 *   <tr><td>BOOLEAN</td><td>{@code true}/{@code false}, any case</td><td>boolean</td><td>BitVector</td></tr>
 *   <tr><td>LONG</td><td>{@code [+-]digits}, 64-bit</td><td>long</td><td>BigIntVector</td></tr>
 *   <tr><td>DOUBLE</td><td>decimal, exponent, {@code NaN}, {@code [+-]Infinity}</td><td>double</td><td>Float8Vector</td></tr>
 *   <tr><td>DATE</td><td>{@code yyyy-MM-dd}</td><td>int + logical {@code date}</td><td>DateDayVector</td></tr>
 *   <tr><td>TIMESTAMP_LOCAL</td><td>{@code yyyy-MM-dd[ T]HH:mm:ss[.f]} (or a date: midnight)</td>
 *       <td>long + {@code local-timestamp-millis} (or {@code -micros}, see {@link TimestampUnit})</td><td>TimeStampMicroVector</td></tr>
 *   <tr><td>TIMESTAMP_INSTANT</td><td>as above plus {@code Z} or {@code ±HH[:mm]}</td>
 *       <td>long + {@code timestamp-millis} (or {@code -micros})</td><td>TimeStampMicroTZVector("UTC")</td></tr>
 *   <tr><td>STRING</td><td>anything</td><td>string</td><td>VarCharVector</td></tr>
 *   <tr><td>DECIMAL</td><td>(Avro and Parquet inputs only)</td><td>bytes + logical {@code decimal(p,s)}</td>
 *       <td>DecimalVector(p, s) (precision at most 38)</td></tr>
 *   <tr><td>INT</td><td>(Avro and Parquet inputs only)</td><td>int</td><td>IntVector</td></tr>
 *   <tr><td>FLOAT</td><td>(Avro and Parquet inputs only)</td><td>float</td><td>Float4Vector</td></tr>
 *   <tr><td>BYTES</td><td>(Avro and Parquet inputs only)</td><td>bytes</td><td>VarBinaryVector</td></tr>
 * </table>
 *
 * <p>Only the types up to {@link #STRING} are CSV types ({@link #isCsvType()}): the CSV parsers
 * (BatchBuilder, CsvAvroEncoder) know them alone, and refuse a schema with any other.
 */
public enum ColumnType {
    // The declaration order is the type code of the hot loops (BatchBuilder, AvroRowEncoder): do not reorder.
    BOOLEAN,
    LONG,
    DOUBLE,
    DATE,
    TIMESTAMP_LOCAL,
    TIMESTAMP_INSTANT,
    STRING,
    // Avro and Parquet inputs only, after the CSV types so that their type codes stay as they are
    DECIMAL,
    INT,
    FLOAT,
    BYTES;

    /** True for the types a CSV column can have: the CSV parsers know no other. */
    public boolean isCsvType() {
        return ordinal() <= STRING.ordinal();
    }

    /** True for {@link #TIMESTAMP_LOCAL} and {@link #TIMESTAMP_INSTANT}. */
    public boolean isTimestamp() {
        return this == TIMESTAMP_LOCAL || this == TIMESTAMP_INSTANT;
    }

    /** Lower-case name used in messages: {@code "long"}, {@code "timestamp_local"}. */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
