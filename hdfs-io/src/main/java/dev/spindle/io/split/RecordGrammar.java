package dev.spindle.io.split;

/**
 * The record grammar of {@link RecordFormat} as a byte-at-a-time state machine. This is the
 * readable statement of the grammar, used where speed does not matter: guessing a block's start
 * state, skipping to its first record, checking the last record of a file and locating errors.
 * {@link RecordScanner} is the fast equivalent for the body of a block; tests hold them equal.
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

    static final int STATE_MASK = 0xF;
    /** Event: the byte was a terminator that ended a record. */
    static final int RECORD_END = 0x10;
    /** Event: the byte was a delimiter that ended a field. */
    static final int FIELD_END = 0x20;
    /** Event: the byte breaks the quoting rules (a stray quote, text after a closing quote). */
    static final int VIOLATION = 0x40;

    private final int terminator;
    private final int delimiter;
    private final int quote;
    private final boolean backslash;
    private final int comment;

    RecordGrammar(RecordFormat format, LineEnding lineEnding) {
        this.terminator = lineEnding == LineEnding.CR ? '\r' : '\n';
        this.delimiter = format.delimiter() & 0xFF;
        this.quote = format.quote();
        this.backslash = format.escape() == RecordFormat.Escape.BACKSLASH;
        this.comment = format.commentPrefix();
    }

    int terminator() {
        return terminator;
    }

    /** The next state, with event bits, after reading {@code value} in {@code state}. */
    int step(int state, byte value) {
        int b = value & 0xFF;
        switch (state) {
            case RECORD_START:
            case FIELD_START:
                if (b == terminator) {
                    return RECORD_START | RECORD_END;
                }
                if (state == RECORD_START && b == comment) {
                    return COMMENT;
                }
                if (b == quote) {
                    return IN_QUOTE;
                }
                return b == delimiter ? FIELD_START | FIELD_END : UNQUOTED;
            case UNQUOTED:
                if (b == terminator) {
                    return RECORD_START | RECORD_END;
                }
                if (b == delimiter) {
                    return FIELD_START | FIELD_END;
                }
                return b == quote ? UNQUOTED | VIOLATION : UNQUOTED;
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
                if (b == terminator) {
                    return RECORD_START | RECORD_END;
                }
                if (b == delimiter) {
                    return FIELD_START | FIELD_END;
                }
                // A CR before the LF of a CRLF terminator is fine; other text after a closing
                // quote is kept (lenient) but is a sign of a wrong guess.
                return b == '\r' ? UNQUOTED : UNQUOTED | VIOLATION;
            case COMMENT:
                return b == terminator ? RECORD_START | RECORD_END : COMMENT;
            default:
                throw new IllegalStateException("Unknown state " + state);
        }
    }

    /** Whether a record may end (at end of file) in this state: false inside a quoted field. */
    static boolean canEndRecord(int state) {
        return state != IN_QUOTE && state != ESCAPED;
    }
}
