package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How a delimited file is written: delimiter, quote, escape convention, header, null tokens,
 * comment prefix and charset. Immutable; build one with {@link #builder()}.
 *
 * <p>Defaults: delimiter {@code ,}, quote {@code "}, {@link EscapeMode#DOUBLED}, header present,
 * null tokens {@code [""]} (an empty unquoted field is null), no comment prefix, UTF-8.
 *
 * <p>Charsets: any ASCII-compatible charset (ISO-8859-1, windows-1252, UTF-8, ...) is tokenized
 * in its own bytes, and string values are converted to UTF-8 strictly (a byte the charset does
 * not map rejects the record). UTF-16 and UTF-32 (either byte order) are not ASCII-compatible:
 * such files are read whole through hdfs-io's transcoding input ({@code InputEncodings}), which
 * hands the tokenizer UTF-8, so {@link #recordCharset()} is UTF-8 for them.
 *
 * <p>Null tokens are compared with the raw bytes of <em>unquoted</em> fields only: a quoted field
 * ({@code ""}, {@code "NULL"}) is always a value, never null. That is how a writer can tell an
 * empty string from a missing value.
 */
public final class CsvDialect {

    /** How a quote byte (or the delimiter) is escaped inside a field. */
    public enum EscapeMode {
        /** RFC 4180: a quote inside a quoted field is written twice ({@code "a ""b"""}). */
        DOUBLED,
        /**
         * A backslash escapes the next byte, inside quoted and unquoted fields ({@code "a \"b\""},
         * {@code a\,b}, a backslash before a line break keeps it in the field); as written by MySQL
         * {@code SELECT ... INTO OUTFILE} and many exporters. A doubled quote inside a quoted field
         * still stands for one quote ({@code "a""b"} is {@code a"b}), as MySQL's
         * {@code LOAD DATA} and Python's csv (with its default {@code doublequote}) read it.
         */
        BACKSLASH
    }

    private final byte delimiter;
    private final byte quote;
    private final EscapeMode escapeMode;
    private final boolean headerPresent;
    private final List<String> nullTokens;
    private final Optional<String> commentPrefix;
    private final Charset charset;
    private final Charset recordCharset;
    private final byte[][] nullTokenBytes;
    private final int maxNullTokenLength;
    private final boolean emptyIsNull;

    private CsvDialect(Builder builder) {
        this.delimiter = builder.delimiter;
        this.quote = builder.quote;
        this.escapeMode = builder.escapeMode;
        this.headerPresent = builder.headerPresent;
        this.nullTokens = Collections.unmodifiableList(new ArrayList<>(builder.nullTokens));
        this.commentPrefix = Optional.ofNullable(builder.commentPrefix);
        this.charset = builder.charset;
        this.recordCharset = isTranscoded(charset) ? StandardCharsets.UTF_8 : charset;
        this.nullTokenBytes = new byte[nullTokens.size()][];
        for (int i = 0; i < nullTokens.size(); i++) {
            nullTokenBytes[i] = nullTokens.get(i).getBytes(recordCharset);
        }
        int max = -1;
        for (byte[] token : nullTokenBytes) {
            max = Math.max(max, token.length);
        }
        this.maxNullTokenLength = max;
        this.emptyIsNull = nullTokens.contains("");
    }

    /** The RFC 4180 dialect: comma, double quote, doubled quotes, header, empty field is null. */
    public static CsvDialect defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preset with this dialect's settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.delimiter = delimiter;
        b.quote = quote;
        b.escapeMode = escapeMode;
        b.headerPresent = headerPresent;
        b.nullTokens = new ArrayList<>(nullTokens);
        b.commentPrefix = commentPrefix.orElse(null);
        b.charset = charset;
        return b;
    }

    public byte delimiter() {
        return delimiter;
    }

    public byte quote() {
        return quote;
    }

    public EscapeMode escapeMode() {
        return escapeMode;
    }

    public boolean headerPresent() {
        return headerPresent;
    }

    /** The tokens that mean null in an unquoted field, in the order given. */
    public List<String> nullTokens() {
        return nullTokens;
    }

    public Optional<String> commentPrefix() {
        return commentPrefix;
    }

    /** The charset the file is written in. */
    public Charset charset() {
        return charset;
    }

    /**
     * The charset of the record bytes the tokenizer and {@link BatchBuilder} are given:
     * {@link #charset()} when it is ASCII-compatible, UTF-8 for UTF-16 and UTF-32, whose files
     * are read transcoded to UTF-8.
     */
    public Charset recordCharset() {
        return recordCharset;
    }

    /** Whether files in this charset are read transcoded to UTF-8 (UTF-16 and UTF-32, any byte order). */
    static boolean isTranscoded(Charset charset) {
        return charset.name().startsWith("UTF-16") || charset.name().startsWith("UTF-32");
    }

    /** True when the unquoted bytes {@code [start, end)} equal one of the null tokens. */
    boolean isNullToken(byte[] buffer, int start, int end) {
        int length = end - start;
        if (length > maxNullTokenLength) {
            return false;
        }
        if (length == 0) {
            return emptyIsNull;
        }
        for (byte[] token : nullTokenBytes) {
            if (token.length == length && java.util.Arrays.equals(token, 0, length, buffer, start, end)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof CsvDialect)) {
            return false;
        }
        CsvDialect that = (CsvDialect) other;
        return delimiter == that.delimiter
                && quote == that.quote
                && escapeMode == that.escapeMode
                && headerPresent == that.headerPresent
                && nullTokens.equals(that.nullTokens)
                && commentPrefix.equals(that.commentPrefix)
                && charset.equals(that.charset);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(delimiter, quote, escapeMode, headerPresent, nullTokens, commentPrefix, charset);
    }

    @Override
    public String toString() {
        return "CsvDialect{delimiter=" + printable(delimiter) + ", quote=" + printable(quote)
                + ", escape=" + escapeMode + ", header=" + headerPresent + ", nullTokens=" + nullTokens
                + ", comment=" + commentPrefix.orElse("none") + ", charset=" + charset + "}";
    }

    static String printable(byte b) {
        if (b == '\t') {
            return "'\\t'";
        }
        if (b >= 0x20 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        return String.format("0x%02x", b & 0xff);
    }

    /** Builds a {@link CsvDialect}; every setting is validated in {@link #build()}. */
    public static final class Builder {
        private byte delimiter = ',';
        private byte quote = '"';
        private EscapeMode escapeMode = EscapeMode.DOUBLED;
        private boolean headerPresent = true;
        private List<String> nullTokens = new ArrayList<>(List.of(""));
        private String commentPrefix;
        private Charset charset = StandardCharsets.UTF_8;

        private Builder() {
        }

        /** Any single byte except CR, LF, the quote and (with BACKSLASH escapes) the backslash. */
        public Builder delimiter(char delimiter) {
            this.delimiter = checkByte(delimiter, "delimiter");
            return this;
        }

        public Builder quote(char quote) {
            this.quote = checkByte(quote, "quote");
            return this;
        }

        public Builder escapeMode(EscapeMode escapeMode) {
            this.escapeMode = requireNonNull(escapeMode, "escapeMode is null");
            return this;
        }

        public Builder withHeader() {
            this.headerPresent = true;
            return this;
        }

        public Builder withoutHeader() {
            this.headerPresent = false;
            return this;
        }

        /** Replaces the null tokens; none at all means no value is ever null. */
        public Builder nullTokens(List<String> nullTokens) {
            requireNonNull(nullTokens, "nullTokens is null");
            this.nullTokens = new ArrayList<>(nullTokens);
            return this;
        }

        /**
         * Records whose first byte is this prefix, one ASCII character, are skipped (a whole
         * physical line).
         */
        public Builder commentPrefix(String commentPrefix) {
            this.commentPrefix = requireNonNull(commentPrefix, "commentPrefix is null");
            return this;
        }

        public Builder charset(Charset charset) {
            this.charset = requireNonNull(charset, "charset is null");
            return this;
        }

        /**
         * Validates and builds.
         *
         * @throws IllegalArgumentException when delimiter and quote are equal, a byte is a line
         *     terminator, a null token repeats or contains a line terminator, the comment prefix
         *     is not one ASCII character other than a terminator, the delimiter and the quote, or
         *     the charset is neither ASCII-compatible nor UTF-16/UTF-32
         */
        public CsvDialect build() {
            if (delimiter == quote) {
                throw new IllegalArgumentException("Delimiter and quote must differ: both are " + printable(delimiter));
            }
            if (escapeMode == EscapeMode.BACKSLASH && (delimiter == '\\' || quote == '\\')) {
                throw new IllegalArgumentException("Backslash cannot be the delimiter or quote with escape mode BACKSLASH");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String token : nullTokens) {
                requireNonNull(token, "null token is null");
                if (token.indexOf('\n') >= 0 || token.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("Null token must not contain a line terminator: \"" + token.replace("\n", "\\n").replace("\r", "\\r") + "\"");
                }
                if (!seen.add(token)) {
                    throw new IllegalArgumentException("Null token listed twice: \"" + token + "\" in " + nullTokens);
                }
            }
            if (commentPrefix != null) {
                // one byte, as hdfs-io's block reader (RecordFormat) reads it: the one CSV grammar
                if (commentPrefix.length() != 1 || commentPrefix.charAt(0) > 0x7f) {
                    throw new IllegalArgumentException("Comment prefix must be one ASCII character: \"" + commentPrefix + "\"");
                }
                char c = commentPrefix.charAt(0);
                if (c == '\n' || c == '\r' || c == (char) delimiter || c == (char) quote) {
                    throw new IllegalArgumentException("Comment prefix must not be a line terminator, the delimiter or the quote: "
                            + printable((byte) c));
                }
            }
            byte[] probe = ",\"\n\r\\".getBytes(charset);
            boolean asciiCompatible = probe.length == 5 && probe[0] == ',' && probe[1] == '"' && probe[2] == '\n';
            if (!asciiCompatible && !isTranscoded(charset)) {
                throw new IllegalArgumentException("Charset must be ASCII-compatible (one byte per ASCII character) or one of"
                        + " UTF-16, UTF-16BE, UTF-16LE, UTF-32, UTF-32BE, UTF-32LE: " + charset);
            }
            return new CsvDialect(this);
        }

        private static byte checkByte(char c, String what) {
            if (c > 0x7f) {
                throw new IllegalArgumentException("The " + what + " must be a single ASCII byte: '" + c + "' (U+" + String.format("%04X", (int) c) + ")");
            }
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("The " + what + " must not be a line terminator: " + printable((byte) c));
            }
            return (byte) c;
        }
    }
}
