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
 * </table>
 */
public enum ColumnType {
    // The declaration order is the type code of the hot loops (BatchBuilder, AvroRowEncoder): do not reorder.
    BOOLEAN,
    LONG,
    DOUBLE,
    DATE,
    TIMESTAMP_LOCAL,
    TIMESTAMP_INSTANT,
    STRING;

    /** True for {@link #TIMESTAMP_LOCAL} and {@link #TIMESTAMP_INSTANT}. */
    public boolean isTimestamp() {
        return this == TIMESTAMP_LOCAL || this == TIMESTAMP_INSTANT;
    }

    /** Lower-case name used in messages: {@code "long"}, {@code "timestamp_local"}. */
    public String displayName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
