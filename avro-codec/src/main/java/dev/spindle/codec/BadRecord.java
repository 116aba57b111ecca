package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

/**
 * An input record that could not be converted; it is not in any batch.
 *
 * @param reason what was wrong
 * @param message the full message, e.g.
 *     {@code Cannot parse column 'passenger_count' (#7) as long: "4x" at line 1842, byte 99321};
 *     callers append {@code ": <file location>"}
 * @param byteOffset absolute byte offset of the record's first byte in its file
 * @param line 1-based physical line number of the record's first byte
 * @param columnIndex 0-based index of the offending column, -1 when the whole record is wrong
 * @param columnName name of the offending column, empty when the whole record is wrong
 * @param value the offending value, shortened to at most {@value #MAX_VALUE_CHARS} characters
 * @param rawRecord the record's raw text, line terminator excluded
 */
public record BadRecord(Reason reason, String message, long byteOffset, long line, int columnIndex, String columnName,
        String value, String rawRecord) {

    /** Longest {@link #value} kept, in characters; longer values end with {@code ...}. */
    public static final int MAX_VALUE_CHARS = 64;

    /** Why a record was rejected. */
    public enum Reason {
        /** A value does not parse as its column's type. */
        UNPARSEABLE,
        /** A null token in a column that is not nullable. */
        NULL_NOT_ALLOWED,
        /** The record has more or fewer fields than the schema has columns. */
        FIELD_COUNT,
        /** A quoted field is never closed. */
        UNCLOSED_QUOTE,
        /** A string value holds a byte (sequence) its charset does not map. */
        UNDECODABLE
    }

    public BadRecord {
        requireNonNull(reason, "reason is null");
        requireNonNull(message, "message is null");
        requireNonNull(columnName, "columnName is null");
        requireNonNull(value, "value is null");
        requireNonNull(rawRecord, "rawRecord is null");
    }

    static BadRecord unparseable(Column column, int columnIndex, String value, long line, long byteOffset, String raw) {
        String shortened = shorten(value);
        return new BadRecord(Reason.UNPARSEABLE,
                "Cannot parse column '" + column.name() + "' (#" + columnIndex + ") as " + column.typeDescription()
                        + ": \"" + shortened + "\" at line " + line + ", byte " + byteOffset,
                byteOffset, line, columnIndex, column.name(), shortened, raw);
    }

    static BadRecord nullNotAllowed(Column column, int columnIndex, String value, long line, long byteOffset, String raw) {
        String shortened = shorten(value);
        return new BadRecord(Reason.NULL_NOT_ALLOWED,
                "Null in non-nullable column '" + column.name() + "' (#" + columnIndex + "): \"" + shortened
                        + "\" at line " + line + ", byte " + byteOffset,
                byteOffset, line, columnIndex, column.name(), shortened, raw);
    }

    static BadRecord fieldCount(int expected, int found, long line, long byteOffset, String raw) {
        return new BadRecord(Reason.FIELD_COUNT,
                "Expected " + expected + " fields but found " + found + " at line " + line + ", byte " + byteOffset,
                byteOffset, line, -1, "", "", raw);
    }

    static BadRecord unclosedQuote(String columnName, int columnIndex, String value, long line, long byteOffset, String raw) {
        String shortened = shorten(value);
        return new BadRecord(Reason.UNCLOSED_QUOTE,
                "Unclosed quote in column '" + columnName + "' (#" + columnIndex + "): \"" + shortened
                        + "\" at line " + line + ", byte " + byteOffset,
                byteOffset, line, columnIndex, columnName, shortened, raw);
    }

    static BadRecord undecodable(Column column, int columnIndex, java.nio.charset.Charset charset, int badByte,
            long badByteOffset, String value, long line, long byteOffset, String raw) {
        String shortened = shorten(value);
        String what = badByte < 0 ? "an undecodable byte" : "byte " + String.format("0x%02X", badByte) + " at byte " + badByteOffset;
        return new BadRecord(Reason.UNDECODABLE,
                "Cannot decode column '" + column.name() + "' (#" + columnIndex + ") as " + charset.name() + ": \"" + shortened
                        + "\" (" + what + ") at line " + line + ", byte " + byteOffset,
                byteOffset, line, columnIndex, column.name(), shortened, raw);
    }

    static String shorten(String value) {
        String escaped = value.replace("\r", "\\r").replace("\n", "\\n");
        if (escaped.length() <= MAX_VALUE_CHARS) {
            return escaped;
        }
        return escaped.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }
}
