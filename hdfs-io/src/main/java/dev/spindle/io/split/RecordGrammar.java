package dev.spindle.io.split;

/**
 * The record grammar of {@link RecordFormat} as a byte-at-a-time state machine. This is the
 * readable statement of Spindle's one CSV grammar ({@code docs/architecture.md}, "The CSV
 * grammar"), used where speed does not matter: guessing a block's start state, skipping to its
 * first record, reading records the fast scan leaves, and locating errors.
 * {@link RecordScanner} is the fast equivalent for the body of a block; avro-codec's
 * {@code CsvTokenizer} and {@code CsvAvroEncoder} split the same records into fields.
 * {@code CsvGrammarDifferentialTest} holds all of them equal on seeded random input.
 *
 * <p>Line terminators: LF, CR and CRLF end a record, mixed freely. {@link #step} reports
 * {@link #RECORD_END} on the CR of a CRLF already: the record's terminator then goes on over the
 * LF, so the next record starts after it ({@link #nextRecordStart}). A CRLF is one line break.
 */
final class RecordGrammar {
    /** First byte of a record: a comment prefix here starts a comment line. */
    static final int RECORD_START = 0;
    /** First byte of a field after a delimiter. */
    static final int FIELD_START = 1;
    /** Inside an unquoted field. */
    static final int UNQUOTED = 2;
    /** Inside a quoted field. */
    static final int IN_QUOTE = 3;
    /** Just after a quote inside a quoted field: a doubled quote or the closing quote. */
    static final int QUOTE_PENDING = 4;
    /** Just after a backslash inside a quoted field ({@link RecordFormat.Escape#BACKSLASH}). */
    static final int ESCAPED = 5;
    /** Inside a comment line. */
    static final int COMMENT = 6;
    /** Just after a backslash outside quotes ({@link RecordFormat.Escape#BACKSLASH}). */
    static final int UNQUOTED_ESCAPED = 7;

    static final int STATE_MASK = 0xF;
    /** Event: the byte was a terminator (LF, or CR: see {@link #nextRecordStart}) that ended a record. */
    static final int RECORD_END = 0x10;
    /** Event: the byte was a delimiter that ended a field. */
    static final int FIELD_END = 0x20;
    /** Event: the byte breaks the quoting rules (a stray quote, text after a closing quote). */
    static final int VIOLATION = 0x40;

    private final int delimiter;
    private final int quote;
    private final boolean backslash;
    private final int comment;

    RecordGrammar(RecordFormat format) {
        this.delimiter = format.delimiter() & 0xFF;
        this.quote = format.quote();
        this.backslash = format.escape() == RecordFormat.Escape.BACKSLASH;
        this.comment = format.commentPrefix();
    }

    /** Whether {@code value} is a line terminator byte (LF or CR). */
    static boolean isTerminator(byte value) {
        return value == '\n' || value == '\r';
    }

    /**
     * The index where the next record starts after a {@link #RECORD_END} at {@code buf[end]}:
     * after the LF of a CRLF, else right after {@code end}.
     *
     * @param next the byte at {@code end + 1}, or -1 at the end of the data
     */
    static int nextRecordStart(byte[] buf, int end, int next) {
        return buf[end] == '\r' && next == '\n' ? end + 2 : end + 1;
    }

    /** The next state, with event bits, after reading {@code value} in {@code state}. */
    int step(int state, byte value) {
        int b = value & 0xFF;
        boolean terminator = b == '\n' || b == '\r';
        switch (state) {
            case RECORD_START:
            case FIELD_START:
                if (terminator) {
                    return RECORD_START | RECORD_END;
                }
                if (state == RECORD_START && b == comment) {
                    return COMMENT;
                }
                if (b == quote) {
                    return IN_QUOTE;
                }
                if (b == delimiter) {
                    return FIELD_START | FIELD_END;
                }
                return backslash && b == '\\' ? UNQUOTED_ESCAPED : UNQUOTED;
            case UNQUOTED:
                if (terminator) {
                    return RECORD_START | RECORD_END;
                }
                if (b == delimiter) {
                    return FIELD_START | FIELD_END;
                }
                if (backslash && b == '\\') {
                    return UNQUOTED_ESCAPED;
                }
                return b == quote ? UNQUOTED | VIOLATION : UNQUOTED;
            case UNQUOTED_ESCAPED:
                return UNQUOTED;
            case IN_QUOTE:
                if (b == quote) {
                    return QUOTE_PENDING;
                }
                return backslash && b == '\\' ? ESCAPED : IN_QUOTE;
            case ESCAPED:
                return IN_QUOTE;
            case QUOTE_PENDING:
                if (b == quote) {
                    return IN_QUOTE;
                }
                if (terminator) {
                    return RECORD_START | RECORD_END;
                }
                if (b == delimiter) {
                    return FIELD_START | FIELD_END;
                }
                // Text after a closing quote is kept (lenient), but is a sign of a wrong guess.
                return (backslash && b == '\\' ? UNQUOTED_ESCAPED : UNQUOTED) | VIOLATION;
            case COMMENT:
                return terminator ? RECORD_START | RECORD_END : COMMENT;
            default:
                throw new IllegalStateException("Unknown state " + state);
        }
    }

    /** Whether a record may end (at end of file) in this state: false inside a quoted field. */
    static boolean canEndRecord(int state) {
        return state != IN_QUOTE && state != ESCAPED;
    }

    /**
     * Line breaks in {@code buf[from, to)}: every LF, and every CR not followed by an LF (a CR at
     * {@code to - 1} counts unless {@code next} is an LF).
     *
     * @param next the byte at {@code to}, or -1
     */
    static int lineBreaks(byte[] buf, int from, int to, int next) {
        int count = 0;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '\n') {
                count++;
            } else if (b == '\r' && (i + 1 < to ? buf[i + 1] : next) != '\n') {
                count++;
            }
        }
        return count;
    }
}
