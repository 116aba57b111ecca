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

    /** Why a record was rejected; {@link #code()} is how rejects files and counters name it. */
    public enum Reason {
        /** A value does not parse as its column's type. */
        UNPARSEABLE("unparseable"),
        /** A null token in a column that is not nullable. */
        NULL_NOT_ALLOWED("null-not-allowed"),
        /** The record has more or fewer fields than the schema has columns. */
        FIELD_COUNT("field-count"),
        /** A quoted field is never closed. */
        UNCLOSED_QUOTE("unclosed-quote"),
        /** The record holds bytes that are not valid in the input's encoding (UTF-8 unless {@code --encoding} says otherwise). */
        INVALID_ENCODING("invalid-encoding"),
        /** The record is longer than the record size limit ({@code --max-record-bytes}). */
        RECORD_TOO_LONG("record-too-long");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        /** The reason as rejects files name it: {@code unparseable}, {@code invalid-encoding}, ... */
        public String code() {
            return code;
        }
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

    /**
     * A record with bytes its charset does not decode; {@code value} and {@code raw} show each
     * such byte as {@code \xFF} ({@link Utf8#describe}).
     *
     * @param columnIndex the field the first bad byte is in, -1 when the record has no field
     */
    static BadRecord invalidEncoding(String columnName, int columnIndex, java.nio.charset.Charset charset, int badByte,
            long badByteOffset, String value, long line, long byteOffset, String raw) {
        String shortened = shorten(value);
        String where = columnIndex < 0 ? "" : " in column '" + columnName + "' (#" + columnIndex + ")";
        return new BadRecord(Reason.INVALID_ENCODING,
                "Invalid " + charset.name() + where + ": byte " + String.format("0x%02X", badByte) + " at byte " + badByteOffset
                        + " in \"" + shortened + "\" at line " + line + ", byte " + byteOffset,
                byteOffset, line, columnIndex, columnName, shortened, raw);
    }

    /**
     * A record longer than the limit: only its start is known and kept, with bytes that are not
     * UTF-8 shown as {@code \xFF} ({@link Utf8#describe}).
     */
    public static BadRecord recordTooLong(long limit, long line, long byteOffset, byte[] prefix) {
        String shortened = shorten(Utf8.describe(prefix, 0, prefix.length, java.nio.charset.StandardCharsets.UTF_8));
        return new BadRecord(Reason.RECORD_TOO_LONG,
                "Record longer than " + limit + " bytes (--max-record-bytes) at line " + line + ", byte " + byteOffset,
                byteOffset, line, -1, "", shortened, shortened);
    }

    static String shorten(String value) {
        String escaped = value.replace("\r", "\\r").replace("\n", "\\n");
        if (escaped.length() <= MAX_VALUE_CHARS) {
            return escaped;
        }
        return escaped.substring(0, MAX_VALUE_CHARS - 3) + "...";
    }
}
