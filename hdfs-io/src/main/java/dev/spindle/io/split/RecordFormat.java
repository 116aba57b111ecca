package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

/**
 * How a delimited file is cut into records: the bytes that matter for record boundaries.
 * Line endings are not configured: LF, CR and CRLF all end records.
 *
 * <p>The grammar, shared by every block reader and by avro-codec's tokenizer (Spindle's one CSV
 * grammar, {@code docs/architecture.md}): a record ends at an LF, CR or CRLF that is not inside a
 * quoted field and not escaped. A quote opens a quoted field only at the start of a field (first
 * byte of the record or right after a delimiter); elsewhere it is an ordinary byte. Inside a
 * quoted field a doubled quote stands for one quote, in both escape modes; with
 * {@link Escape#BACKSLASH} a backslash also escapes the byte after it, inside and outside quoted
 * fields. A record whose first byte is the comment prefix is a comment line: it ends at the next
 * terminator, quotes in it mean nothing.
 *
 * @param delimiter the field delimiter byte
 * @param quote the quote byte as an unsigned value 0-255, or {@link #NONE}
 * @param escape how a quote is written inside a quoted field
 * @param header whether the first line of each file is a header
 * @param commentPrefix the byte that starts a comment line as an unsigned value 0-255, or
 *     {@link #NONE}
 */
public record RecordFormat(byte delimiter, int quote, Escape escape, Header header, int commentPrefix) {

    /** Marks an absent quote or comment prefix. */
    public static final int NONE = -1;

    /** How a quote byte is written inside a quoted field. */
    public enum Escape {
        /** RFC 4180: a quote inside a quoted field is written twice. */
        DOUBLED_QUOTE,
        /**
         * A backslash escapes the next byte, inside and outside quoted fields; doubled quotes also
         * work inside quoted fields.
         */
        BACKSLASH
    }

    /** Whether the first line of each file is a header. */
    public enum Header {
        PRESENT,
        ABSENT
    }

    public RecordFormat {
        requireNonNull(escape, "escape is null");
        requireNonNull(header, "header is null");
        checkByte("delimiter", delimiter & 0xFF);
        if (quote != NONE) {
            checkByte("quote", quote);
            if (quote == (delimiter & 0xFF)) {
                throw new IllegalArgumentException("quote equals the delimiter: " + describe(quote));
            }
        }
        if (commentPrefix != NONE) {
            checkByte("commentPrefix", commentPrefix);
            if (commentPrefix == (delimiter & 0xFF) || commentPrefix == quote) {
                throw new IllegalArgumentException(
                        "commentPrefix equals the delimiter or the quote: " + describe(commentPrefix));
            }
        }
        if (escape == Escape.BACKSLASH && ((delimiter & 0xFF) == '\\' || quote == '\\')) {
            throw new IllegalArgumentException("backslash escape with a backslash delimiter or quote");
        }
    }

    /** RFC 4180: comma, double quote escaped by doubling, no header, no comments. */
    public static RecordFormat csv() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean hasQuote() {
        return quote != NONE;
    }

    public boolean hasCommentPrefix() {
        return commentPrefix != NONE;
    }

    public boolean hasHeader() {
        return header == Header.PRESENT;
    }

    private static void checkByte(String name, int value) {
        if (value < 0 || value > 0xFF) {
            throw new IllegalArgumentException(name + " is not a byte value (0-255): " + value);
        }
        if (value == '\n' || value == '\r') {
            throw new IllegalArgumentException(name + " is a line terminator: " + describe(value));
        }
    }

    private static String describe(int value) {
        return value >= 0x20 && value < 0x7F ? "'" + (char) value + "'" : "0x" + Integer.toHexString(value);
    }

    /** Builds a {@link RecordFormat}; defaults are those of {@link #csv()}. */
    public static final class Builder {
        private byte delimiter = ',';
        private int quote = '"';
        private Escape escape = Escape.DOUBLED_QUOTE;
        private Header header = Header.ABSENT;
        private int commentPrefix = NONE;

        private Builder() {}

        public Builder delimiter(char delimiter) {
            this.delimiter = asciiByte("delimiter", delimiter);
            return this;
        }

        public Builder quote(char quote) {
            this.quote = asciiByte("quote", quote);
            return this;
        }

        public Builder noQuote() {
            this.quote = NONE;
            return this;
        }

        public Builder escape(Escape escape) {
            this.escape = requireNonNull(escape, "escape is null");
            return this;
        }

        public Builder header(Header header) {
            this.header = requireNonNull(header, "header is null");
            return this;
        }

        public Builder commentPrefix(char commentPrefix) {
            this.commentPrefix = asciiByte("commentPrefix", commentPrefix);
            return this;
        }

        public RecordFormat build() {
            return new RecordFormat(delimiter, quote, escape, header, commentPrefix);
        }

        private static byte asciiByte(String name, char value) {
            if (value > 0x7F) {
                throw new IllegalArgumentException(name + " must be an ASCII character: U+" + Integer.toHexString(value));
            }
            return (byte) value;
        }
    }
}
