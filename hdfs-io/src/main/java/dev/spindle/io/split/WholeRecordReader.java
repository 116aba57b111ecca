package dev.spindle.io.split;

import dev.spindle.io.split.RecordRangeReader.OversizedRecordListener;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads whole records from a known record start to the end of the range that owns them: the
 * records that start before {@code ownEnd}, reading past it as far as the last one needs, in
 * chunks of consecutive records ({@link RecordChunk}). The body of a block goes through the
 * hot loop ({@link RecordScanner}); what it leaves (blank and comment lines, the header, the
 * file's last record, a record cut by the buffer, over-long records) is decided here with
 * {@link RecordGrammar}. Counts records, skipped lines and physical lines; the first record
 * offset and what the block's start was are its caller's ({@link RecordRangeReader}).
 *
 * <p>A record longer than {@code maxRecordBytes} (terminator included) throws
 * {@link BadRecordException}, or, with an {@link OversizedRecordListener}, is streamed through
 * and reported (see {@link RecordRangeReader}'s class comment). A quoted field still open at the
 * end of the file throws.
 */
final class WholeRecordReader {
    private final ReadBuffer buffer;
    private final RecordFormat format;
    private final RecordGrammar grammar;
    private final RecordScanner scanner;
    private final int maxRecordBytes;
    private final OversizedRecordListener oversizedListener;
    private final Errors errors;
    /** Records starting before this offset are owned. */
    private final long ownEnd;
    private final DecodedInput input;

    private long stopOffset = -1;
    private long records;
    private long blankLines;
    private long lines;
    private long nextLine = 1;
    private long oversizedRecords;
    /** Lines of an over-long record streamed so far (for an error while skipping it), else 0. */
    private long skippingLines;

    /**
     * How bad records are reported.
     *
     * @param location the file, last in every message
     * @param linesFrom 0 when lines count from the file's start, else the offset they count from
     * @param guessedStart whether the block's start was guessed (the error may be an artifact of it)
     */
    record Errors(String location, long linesFrom, boolean guessedStart) {
        BadRecordException at(String problem, long byteOffset, long line) {
            return new BadRecordException(problem, location, byteOffset, line, linesFrom, guessedStart);
        }
    }

    /**
     * @param recordStart file offset of a record start (after the byte order mark at byte 0)
     * @param ownEnd records that start before this offset are owned; at least {@code recordStart + 1}
     * @param oversizedListener receives skipped over-long records; null to throw for them
     */
    WholeRecordReader(DecodedInput input, RecordFormat format, long recordStart, long ownEnd, int readBufferBytes,
            int maxRecordBytes, OversizedRecordListener oversizedListener, Errors errors) {
        this.input = input;
        this.buffer = new ReadBuffer(input, recordStart, readBufferBytes, maxRecordBytes);
        this.format = format;
        this.grammar = new RecordGrammar(format);
        this.scanner = new RecordScanner(format);
        this.maxRecordBytes = maxRecordBytes;
        this.oversizedListener = oversizedListener;
        this.errors = errors;
        this.ownEnd = ownEnd;
    }

    /**
     * Returns the next chunk of owned records, or null when the owned records are done (then
     * {@link #stopOffset()} is known). The chunk's array is valid until the next call.
     *
     * @throws BadRecordException for a record longer than the limit (unless skipping them) or an
     *     unterminated quote (within the limit, when skipping)
     * @throws IOException if reading fails or the file is shorter than its planned length
     */
    RecordChunk next() throws IOException, BadRecordException {
        if (stopOffset >= 0) {
            return null;
        }
        while (true) {
            byte[] buf = buffer.bytes();
            int pos = buffer.pos();
            int dataEnd = buffer.end();
            int ownLimit = (int) Math.max(pos, Math.min(dataEnd, ownEnd - buffer.start()));
            int end = scanner.scan(buf, pos, dataEnd, ownLimit);
            int count = scanner.records();
            int scannedLines = scanner.lines();
            if (count > 0) {
                if (pos == 0 && buf.length > maxRecordBytes && scanner.scan(buf, 0, dataEnd, 1) > maxRecordBytes) {
                    if (oversizedListener == null) {
                        throw recordTooLong();
                    }
                    skipOversized();
                    continue;
                }
                RecordChunk chunk = new RecordChunk(buf, pos, end - pos, buffer.offsetOf(pos), nextLine, count);
                records += count;
                lines += scannedLines;
                nextLine += scannedLines;
                buffer.consume(end);
                return chunk;
            }
            long recordStart = buffer.offsetOf(pos);
            if (recordStart >= input.length()) {
                stopOffset = input.length();
                return null;
            }
            if (recordStart >= ownEnd) {
                stopOffset = recordStart;
                return null;
            }
            if (dataEnd - pos < 2 && !buffer.atEndOfFile()) {
                refill();
                continue;
            }
            byte first = buf[pos];
            if (RecordGrammar.isTerminator(first) || (format.hasCommentPrefix() && first == (byte) format.commentPrefix())) {
                skipLine();
                continue;
            }
            if (!buffer.atEndOfFile()) {
                if (oversizedListener != null && pos == 0 && dataEnd == buf.length && buf.length > maxRecordBytes) {
                    // A full buffer of maxRecordBytes + 1 bytes and no end of the record at pos.
                    skipOversized();
                    continue;
                }
                refill();
                continue;
            }
            // The file's last record, cut by the end of the file (no terminator).
            int recordEnd = slowRecordEnd(oversizedListener != null);
            if (recordEnd < 0) {
                skipOversized();
                continue;
            }
            buf = buffer.bytes();
            pos = buffer.pos();
            int recordLines = lineBreaks(pos, recordEnd) + (RecordGrammar.isTerminator(buf[recordEnd - 1]) ? 0 : 1);
            RecordChunk chunk = new RecordChunk(buf, pos, recordEnd - pos, buffer.offsetOf(pos), nextLine, 1);
            records++;
            lines += recordLines;
            nextLine += recordLines;
            buffer.consume(recordEnd);
            return chunk;
        }
    }

    /**
     * Reads the header, the first record of the file: returns its bytes without the terminator
     * (LF, CR or CRLF) and counts its lines. Blank lines and comment lines before it are skipped
     * and counted, as everywhere else, so a file that opens with {@code # notes} under
     * {@code --comment '#'} has the record after them as its header. Returns an empty header when
     * the file holds nothing else.
     *
     * @throws BadRecordException if it is longer than the limit (never skipped) or leaves a quote
     *     open at the end of the file
     */
    byte[] readHeader() throws IOException, BadRecordException {
        while (true) {
            if (buffer.end() - buffer.pos() < 1) {
                if (!refill()) {
                    return new byte[0];
                }
                continue;
            }
            byte first = buffer.bytes()[buffer.pos()];
            if (!RecordGrammar.isTerminator(first) && !(format.hasCommentPrefix() && first == (byte) format.commentPrefix())) {
                break;
            }
            skipLine();
        }
        int end = slowRecordEnd(false);
        byte[] buf = buffer.bytes();
        int pos = buffer.pos();
        int contentEnd = end;
        boolean terminated = RecordGrammar.isTerminator(buf[end - 1]);
        if (terminated) {
            contentEnd--;
            if (buf[contentEnd] == '\n' && contentEnd > pos && buf[contentEnd - 1] == '\r') {
                contentEnd--;
            }
        }
        byte[] header = Arrays.copyOfRange(buf, pos, contentEnd);
        int headerLines = lineBreaks(pos, end) + (terminated ? 0 : 1);
        lines += headerLines;
        nextLine += headerLines;
        buffer.consume(end);
        return header;
    }

    /**
     * Skips {@code count} physical lines at the start of the file (a preamble), or fewer when the
     * file ends first; quotes in them mean nothing. Counted as lines and as skipped lines.
     */
    void skipLines(int count) throws IOException, BadRecordException {
        for (int i = 0; i < count; i++) {
            if (buffer.end() - buffer.pos() < 1 && !refill()) {
                return;
            }
            skipLine();
        }
    }

    /** Drops the buffer; {@link #next()} must not be called after. */
    void release() {
        buffer.release();
    }

    /** Offset after the last owned record; -1 until {@link #next()} returned null. */
    long stopOffset() {
        return stopOffset;
    }

    long records() {
        return records;
    }

    long blankLines() {
        return blankLines;
    }

    long lines() {
        return lines;
    }

    long oversizedRecords() {
        return oversizedRecords;
    }

    /**
     * Skips a blank or comment line at the buffer's position: it ends at the next LF or CR (with
     * the LF of a CRLF).
     */
    private void skipLine() throws IOException, BadRecordException {
        int i = buffer.pos();
        boolean afterCr = false;
        while (true) {
            if (i == buffer.end()) {
                if (oversizedListener != null) {
                    // Skipping over-long records: a comment line of any length streams through.
                    buffer.consume(i);
                }
                int scanned = i - buffer.pos();
                if (!refill()) {
                    break;
                }
                i = buffer.pos() + scanned;
                continue;
            }
            byte[] buf = buffer.bytes();
            if (afterCr) {
                if (buf[i] == '\n') {
                    i++;
                }
                break;
            }
            byte b = buf[i++];
            if (b == '\n') {
                break;
            }
            afterCr = b == '\r';
        }
        blankLines++;
        lines++;
        nextLine++;
        buffer.consume(i);
    }

    /**
     * Finds the end of the record at the buffer's position with the grammar, reading more as
     * needed (which may move the position). Returns the index after its terminator, or the end of
     * the data at the end of the file.
     *
     * @param skippable whether to return -1, not throw, for a record longer than the limit (also
     *     when its quote is left open at the end of the file); the caller then skips it
     */
    private int slowRecordEnd(boolean skippable) throws IOException, BadRecordException {
        final int afterCr = -1;
        int state = RecordGrammar.RECORD_START;
        int i = buffer.pos();
        while (true) {
            if (i == buffer.end()) {
                int scanned = i - buffer.pos();
                if (!refill()) {
                    boolean tooLong = buffer.end() - buffer.pos() > maxRecordBytes;
                    if (skippable && tooLong) {
                        return -1;
                    }
                    if (state != afterCr && !RecordGrammar.canEndRecord(state)) {
                        throw unterminatedQuote();
                    }
                    if (tooLong) {
                        throw recordTooLong();
                    }
                    return buffer.end();
                }
                i = buffer.pos() + scanned;
                continue;
            }
            byte[] buf = buffer.bytes();
            if (state == afterCr) {
                // the record ended at a CR: its terminator takes an LF that follows
                if (buf[i] == '\n') {
                    i++;
                }
                return checkedEnd(i, skippable);
            }
            byte b = buf[i++];
            int next = grammar.step(state, b);
            if ((next & RecordGrammar.RECORD_END) != 0) {
                if (b == '\r') {
                    state = afterCr;
                    continue;
                }
                return checkedEnd(i, skippable);
            }
            state = next & RecordGrammar.STATE_MASK;
        }
    }

    private int checkedEnd(int end, boolean skippable) throws BadRecordException {
        if (end - buffer.pos() > maxRecordBytes) {
            if (skippable) {
                return -1;
            }
            throw recordTooLong();
        }
        return end;
    }

    /**
     * Skips the record at the buffer's position, known to be longer than the limit: finds its end
     * with the grammar, streaming through the buffer without growing it (the bytes behind are
     * dropped at each refill), to its terminator or the end of the file, then reports it and
     * counts its lines. Leaves the position at the next record start.
     */
    private void skipOversized() throws IOException, BadRecordException {
        long offset = buffer.offsetOf(buffer.pos());
        byte[] prefix = new byte[RecordRangeReader.OVERSIZED_PREFIX_BYTES];
        int prefixLength = 0;
        int state = RecordGrammar.RECORD_START;
        long terminators = 0;
        byte last = 0;
        byte previous = 0;
        boolean ended = false;
        boolean afterCr = false;
        int i = buffer.pos();
        try {
            while (!ended) {
                if (i == buffer.end()) {
                    buffer.consume(i);
                    skippingLines = terminators;
                    if (!refill()) {
                        break;
                    }
                    i = buffer.pos();
                    continue;
                }
                byte[] buf = buffer.bytes();
                int end = buffer.end();
                if (afterCr) {
                    // the record ended at a CR: its terminator takes an LF that follows
                    if (buf[i] == '\n') {
                        if (prefixLength < prefix.length) {
                            prefix[prefixLength++] = '\n';
                        }
                        last = buf[i++];
                    }
                    break;
                }
                while (i < end) {
                    byte b = buf[i++];
                    if (prefixLength < prefix.length) {
                        prefix[prefixLength++] = b;
                    }
                    if (b == '\n' || previous == '\r') {
                        terminators++;
                    }
                    previous = b;
                    int next = grammar.step(state, b);
                    if ((next & RecordGrammar.RECORD_END) != 0) {
                        if (b == '\r') {
                            afterCr = true;
                        } else {
                            ended = true;
                        }
                        break;
                    }
                    state = next & RecordGrammar.STATE_MASK;
                }
                last = buf[i - 1];
            }
            if (previous == '\r') {
                terminators++;
            }
        } finally {
            skippingLines = 0;
        }
        buffer.consume(i);
        long length = buffer.offsetOf(i) - offset;
        long recordLines = terminators + (RecordGrammar.isTerminator(last) ? 0 : 1);
        long line = nextLine;
        oversizedRecords++;
        lines += recordLines;
        nextLine += recordLines;
        oversizedListener.skipped(offset, line, length, prefixLength == prefix.length ? prefix : Arrays.copyOf(prefix, prefixLength));
    }

    /** Line breaks in {@code bytes()[from, to)} (a CRLF is one), for bytes that end with a whole record. */
    private int lineBreaks(int from, int to) {
        byte[] buf = buffer.bytes();
        return RecordGrammar.lineBreaks(buf, from, to, to < buffer.end() ? buf[to] : -1);
    }

    /**
     * Refills the buffer (see {@link ReadBuffer#refill()}).
     *
     * @return false at the end of the file
     * @throws BadRecordException when the record at the position fills the buffer at its largest,
     *     or for bytes a transcoded file cannot decode
     */
    private boolean refill() throws IOException, BadRecordException {
        int read;
        try {
            read = buffer.refill();
        } catch (UndecodableInputException e) {
            throw errors.at(e.problem() + ", {} of its UTF-8 stream", e.utf8Offset(),
                    nextLine + skippingLines + lineBreaks(buffer.pos(), buffer.end()));
        }
        if (read == ReadBuffer.FULL) {
            throw recordTooLong();
        }
        return read != ReadBuffer.END_OF_FILE;
    }

    private BadRecordException recordTooLong() {
        return errors.at(
                "Record longer than " + maxRecordBytes + " bytes (" + RecordRangeReader.MAX_RECORD_BYTES + ") at {}",
                buffer.offsetOf(buffer.pos()),
                nextLine);
    }

    private BadRecordException unterminatedQuote() {
        // Locate the quote that opened the field still open at the end of the file.
        byte[] buf = buffer.bytes();
        int pos = buffer.pos();
        int dataEnd = buffer.end();
        int state = RecordGrammar.RECORD_START;
        int opened = pos;
        long line = nextLine;
        long openedLine = line;
        for (int i = pos; i < dataEnd; i++) {
            int next = grammar.step(state, buf[i]) & RecordGrammar.STATE_MASK;
            if (next == RecordGrammar.IN_QUOTE
                    && (state == RecordGrammar.RECORD_START || state == RecordGrammar.FIELD_START)) {
                opened = i;
                openedLine = line;
            }
            if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 == dataEnd || buf[i + 1] != '\n'))) {
                line++;
            }
            state = next;
        }
        return errors.at("Unterminated quoted field starting at {} runs to end of file", buffer.offsetOf(opened), openedLine);
    }
}
