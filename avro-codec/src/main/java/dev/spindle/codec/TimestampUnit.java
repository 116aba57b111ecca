package dev.spindle.codec;

/**
 * The unit a timestamp column is written in. Values are held in microseconds in memory (Arrow
 * {@code TimeStampMicro} vectors, {@link ValueParser}); a {@link #MILLIS} column is written to
 * Avro as {@code local-timestamp-millis} / {@code timestamp-millis}, and a value with a
 * sub-millisecond part is a bad record there, never truncated.
 */
public enum TimestampUnit {
    /** Milliseconds: what inference picks unless a sampled value has a finer fraction. */
    MILLIS,
    /** Microseconds: the finest unit Spindle keeps (digits past it must be zeros). */
    MICROS
}
