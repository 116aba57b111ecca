package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the records one block owns. This class is the one place that states the record-boundary
 * rule, Hadoop's {@code LineRecordReader} rule made quote-aware:
 *
 * <ul>
 *   <li>The block at byte 0 owns the file's first record (the UTF-8 byte order mark, stripped,
 *       belongs to it; with {@link RecordFormat.Header#PRESENT} it is the header, owned and
 *       skipped), as long as the block is not empty.
 *   <li>A block that does not start at byte 0 owns records from the first record start at or
 *       after its start: the byte after the first terminator, outside quotes, at or after
 *       {@code start - 1}.
 *   <li>Every block owns the record that straddles its end: it owns exactly the records that
 *       start before {@code end}, reading past {@code end} as far as the last one needs. It
 *       stops at {@link #stopOffset()}, the first record start at or after {@code end} (or the
 *       file's length), which is where the next block's first record is.
 * </ul>
 *
 * <p><b>Start state.</b> Whether {@code start - 1} is inside a quoted field cannot be known
 * without reading from byte 0. In {@link StartMode#GUESS} the reader guesses the state from a
 * look-ahead window (every grammar state is tried; the one whose parse breaks quoting rules and
 * field counts least wins, ties go to "outside quotes"; a window with no quote byte is a plain
 * newline scan). A wrong guess shows as a {@link #firstRecordOffset()} different from the
 * predecessor's {@link #stopOffset()}: {@link TilingCheck} finds it and the block is re-run in
 * {@link StartMode#KNOWN_RECORD_START} from that offset, so output is exact either way.
 *
 * <p><b>Line endings.</b> LF, CR and CRLF all end records, mixed freely (Spindle's one CSV
 * grammar, {@link RecordGrammar}); a CR followed by an LF is one terminator, and no record starts
 * between them. {@link #lineEnding()} reports the first line's terminator, detected from a prefix
 * of at most 64 KiB read at byte 0, for information only.
 *
 * <p><b>Skipped lines.</b> Blank lines (nothing before the terminator) and
 * comment lines are not returned; {@link #blankLines()} counts both. They split chunks.
 *
 * <p><b>Bad records.</b> A record longer than {@code maxRecordBytes} (terminator included) or a
 * quoted field still open at the end of the file throws {@link BadRecordException} naming the
 * file, byte offset and line; memory stays bounded by {@code maxRecordBytes}.
 *
 * <p><b>Skipping over-long records.</b> With {@link Builder#skipOversizedRecords}, a record longer
 * than {@code maxRecordBytes} (the header excepted: it always throws) is not returned and does not
 * throw: the reader finds its end with the record grammar (quotes respected), streaming through it
 * with the read buffer (at most {@code maxRecordBytes + 1} bytes, never the whole record), tells
 * the {@link OversizedRecordListener} once, counts it in {@link #oversizedRecords()} and
 * {@link #lines()} (its physical lines), and goes on with the next record. Ownership is unchanged:
 * a skipped record that starts before the range's end is this range's, however far it reaches,
 * and {@link #stopOffset()} is the first record start after it; a block whose start falls inside
 * it (in {@link StartMode#GUESS}) scans on, window by window, to its end (reading the rest of it,
 * as its owner does) rather than failing after {@code maxRecordBytes}, so its first record offset
 * is the owner's stop offset. A quoted field left open at the end of the file makes the
 * rest of the file one record: within the limit it still throws, over the limit it is skipped and
 * the range ends there. A comment line is skipped whatever its length. Like the chunks, the
 * reports of a run in {@link StartMode#GUESS} whose result {@link TilingCheck} does not accept
 * (re-run, or owns nothing) may be artifacts of a wrong guess and must be dropped with its output.
 *
 * <p><b>Compressed files.</b> With {@link Builder#codecs}, a file that {@link InputCodecs} finds
 * a codec for (gzip, deflate, zstd, bzip2) is read whole through its decompressing stream; its
 * range must be the whole file ({@code [0, fileLength)}, as {@link BlockPlanner} plans it). Then
 * every offset the reader reports ({@link #firstRecordOffset()}, {@link #stopOffset()},
 * {@link RecordChunk#fileOffset()}, {@link BadRecordException#byteOffset()}) is a position in the
 * <em>decompressed</em> stream, and {@link #stopOffset()} is the decompressed length, so
 * {@code stopOffset() - firstRecordOffset()} counts decompressed bytes. Such offsets cannot be
 * compared with the compressed file's length: {@link TilingCheck#check(List, List)} treats a file
 * read whole as tiled.
 *
 * <p><b>Encodings.</b> With {@link Builder#encodings}, a file whose charset (declared, or named by
 * a UTF-16/UTF-32 byte order mark at byte 0; see {@link InputEncodings}) is not ASCII-compatible
 * is read whole through a transcoding input that re-encodes it as UTF-8: chunks hold UTF-8, and
 * every offset the reader reports is a position in the <em>UTF-8 stream</em> (after
 * decompression, for a compressed file), {@link #stopOffset()} being the UTF-8 length. Its range
 * must start at byte 0 ({@link BlockPlanner.Builder#encodings} plans such files as one range); a
 * range {@code [0, end)} with {@code end} short of the file's length reads the whole file too.
 * Input the charset cannot decode throws {@link BadRecordException} naming the charset, the
 * offset of the bad bytes in the file (decompressed), the line and the UTF-8 offset:
 * {@code Cannot decode UTF-16LE: malformed input of 2 bytes at byte 1234 of the UTF-16LE input,
 * line 12, byte 777 of its UTF-8 stream: hdfs://nn/in/a.csv}. An ASCII-compatible file is read as
 * without this call (its chunks hold the file's own bytes).
 *
 * <p>Not thread-safe. The reader does not close the {@link SeekableInput}.
 */
public final class RecordRangeReader implements Closeable {
    /** Configuration key of the longest record accepted, in bytes. */
    public static final String MAX_RECORD_BYTES = "spindle.csv.max-record-bytes";
    public static final int MAX_RECORD_BYTES_DEFAULT = 64 << 20;
    public static final int READ_BUFFER_BYTES_DEFAULT = 1 << 20;
    public static final int LOOK_AHEAD_BYTES_DEFAULT = 128 << 10;
    /** Bytes read at offset 0 of every file to detect its line ending and field count. */
    static final int DETECTION_PREFIX_BYTES = 64 << 10;
    /**
     * The length assumed for a decompressed stream until its end is read: larger than any real
     * offset, small enough that offset arithmetic cannot overflow.
     */
    private static final long UNKNOWN_LENGTH = Long.MAX_VALUE / 4;

    /** Bytes of an over-long record given to {@link OversizedRecordListener#skipped}, at most. */
    public static final int OVERSIZED_PREFIX_BYTES = 256;

    /**
     * Receives the records longer than {@code maxRecordBytes} that a reader in
     * {@link Builder#skipOversizedRecords} mode skipped, once each, in file order, from within
     * {@link RecordRangeReader#next()}.
     */
    @FunctionalInterface
    public interface OversizedRecordListener {
        /**
         * Called for one skipped record.
         *
         * @param byteOffset offset of the record's first byte (same coordinates as
         *     {@link RecordChunk#fileOffset()}: decompressed / UTF-8 stream for such files)
         * @param line 1-based physical line of the record's first byte (same convention as
         *     {@link RecordChunk#firstLine()})
         * @param length the record's length in bytes, terminator included (to the end of the file
         *     for the file's last record without a terminator or with a quote left open)
         * @param prefix the record's first bytes (at most {@link #OVERSIZED_PREFIX_BYTES}), for
         *     the error message; a fresh array the listener may keep
         */
        void skipped(long byteOffset, long line, long length, byte[] prefix);
    }

    /** How a block not at byte 0 finds its first record. */
    public enum StartMode {
        /** Guess the quote state at the block's start (normal run). */
        GUESS,
        /** The block's start is a record start (the AM's re-run from the predecessor's stop). */
        KNOWN_RECORD_START
    }

    private final SeekableInput compressedOrPlain;
    private final InputCodecs codecs;
    private final InputEncodings encodings;
    private final BlockRange range;
    private final RecordFormat format;
    private final int maxRecordBytes;
    private final int readBufferBytes;
    private final int lookAheadBytes;
    private final StartMode startMode;
    /** Skips over-long records instead of throwing; null without {@link Builder#skipOversizedRecords}. */
    private final OversizedRecordListener oversizedListener;

    /** The file itself, or its decompressed stream. */
    private SeekableInput decompressed;
    /** The bytes read: {@link #decompressed}, or its UTF-8 transcoding. */
    private SeekableInput input;
    /** The file's charset, when {@link #encodings} were given. */
    private Charset charset;
    /** Length of {@link #input}: {@link #UNKNOWN_LENGTH} until the end of a decompressed stream is read. */
    private long fileLength;
    private boolean lengthKnown = true;
    /** The range's end in {@link #input}'s offsets. */
    private long rangeEnd;

    private LineEnding lineEnding;
    private int bomLength;
    private int expectedFields;
    private RecordGrammar grammar;
    private RecordScanner scanner;

    private byte[] buf;
    /** File offset of {@code buf[0]}. */
    private long bufStart;
    private int dataEnd;
    private int pos;
    /** Records starting before this offset are owned. */
    private long ownEnd;

    private long firstRecordOffset;
    private long stopOffset = -1;
    private boolean finished;
    private long records;
    private long blankLines;
    private long lines;
    private long nextLine = 1;
    private byte[] header;
    private long oversizedRecords;
    /** Lines of an over-long record streamed so far (for an error while skipping it), else 0. */
    private long skippingLines;

    private RecordRangeReader(Builder builder) {
        this.compressedOrPlain = builder.input;
        this.codecs = builder.codecs;
        this.encodings = builder.encodings;
        this.range = builder.range;
        this.format = builder.format;
        this.maxRecordBytes = builder.maxRecordBytes;
        this.readBufferBytes = builder.readBufferBytes;
        this.lookAheadBytes = builder.lookAheadBytes;
        this.startMode = builder.startMode;
        this.oversizedListener = builder.oversizedListener;
        this.input = compressedOrPlain;
        this.decompressed = compressedOrPlain;
        this.fileLength = range.fileLength();
        this.rangeEnd = range.end();
    }

    /**
     * Starts a builder.
     *
     * @param input the open file; its length must equal {@code range.fileLength()}
     * @param range the block's planned range
     * @param format the record format
     */
    public static Builder builder(SeekableInput input, BlockRange range, RecordFormat format) {
        return new Builder(input, range, format);
    }

    private void start() throws IOException, BadRecordException {
        if (input.length() != fileLength) {
            throw new IOException("File length %d differs from the planned length %d: %s"
                    .formatted(input.length(), fileLength, range.location()));
        }
        if (codecs != null) {
            decompressed = codecs.decompressed(compressedOrPlain);
            input = decompressed;
            if (input != compressedOrPlain) {
                fileLength = UNKNOWN_LENGTH;
                rangeEnd = UNKNOWN_LENGTH;
                lengthKnown = false;
            }
        }
        if (encodings != null) {
            charset = encodings.charset(decompressed);
            if (InputEncodings.transcoded(charset)) {
                if (range.start() != 0) {
                    throw new BadRecordException(("A %s file cannot be split by bytes: it is read whole from byte 0, not as"
                            + " [%d, %d) of %d bytes (plan it with BlockPlanner.Builder.encodings)")
                            .formatted(charset, range.start(), range.end(), range.fileLength()),
                            range.location(), range.start(), 0, 0, false);
                }
                input = new TranscodedInput(decompressed, charset);
                fileLength = UNKNOWN_LENGTH;
                rangeEnd = UNKNOWN_LENGTH;
                lengthKnown = false;
            }
        }
        detect();
        grammar = new RecordGrammar(format);
        scanner = new RecordScanner(format);
        long start = range.start();
        if (start == 0) {
            firstRecordOffset = 0;
            if (rangeEnd == 0 || fileLength <= bomLength) {
                finish(rangeEnd == 0 ? 0 : fileLength);
                return;
            }
            ownEnd = Math.max(rangeEnd, bomLength + 1);
            beginAt(bomLength);
            if (format.hasHeader()) {
                readHeader();
            }
            return;
        }
        firstRecordOffset = startMode == StartMode.KNOWN_RECORD_START ? start : guessFirstRecordStart(start);
        ownEnd = range.end();
        if (firstRecordOffset >= ownEnd || firstRecordOffset >= fileLength) {
            finish(firstRecordOffset);
            return;
        }
        beginAt(firstRecordOffset);
    }

    private void beginAt(long offset) {
        long remaining = fileLength - offset;
        buf = new byte[(int) Math.max(2, Math.min(Math.min(readBufferBytes, maxRecordBytes + 1L), remaining + 1))];
        bufStart = offset;
        dataEnd = 0;
        pos = 0;
    }

    private void finish(long stop) {
        finished = true;
        stopOffset = stop;
    }

    /**
     * Returns the next chunk of owned records, or null when the owned range is done. The
     * chunk's buffer is valid until the next call.
     *
     * @throws BadRecordException for a record longer than the limit (unless
     *     {@link Builder#skipOversizedRecords}) or an unterminated quote (within the limit, when
     *     skipping)
     * @throws IOException if reading fails or the file is shorter than its planned length
     */
    public RecordChunk next() throws IOException, BadRecordException {
        if (finished) {
            return null;
        }
        while (true) {
            int ownLimit = (int) Math.max(pos, Math.min(dataEnd, ownEnd - bufStart));
            int chunkStart = pos;
            int end = scanner.scan(buf, pos, dataEnd, ownLimit);
            int count = scanner.records();
            int scannedLines = scanner.lines();
            if (count > 0) {
                if (chunkStart == 0 && buf.length > maxRecordBytes && scanner.scan(buf, 0, dataEnd, 1) > maxRecordBytes) {
                    if (oversizedListener == null) {
                        throw recordTooLong();
                    }
                    skipOversized();
                    continue;
                }
                RecordChunk chunk = new RecordChunk(buf, chunkStart, end - chunkStart, bufStart + chunkStart, nextLine, count);
                records += count;
                lines += scannedLines;
                nextLine += scannedLines;
                pos = end;
                return chunk;
            }
            long recordStart = bufStart + pos;
            if (recordStart >= fileLength) {
                finish(fileLength);
                return null;
            }
            if (recordStart >= ownEnd) {
                finish(recordStart);
                return null;
            }
            if (dataEnd - pos < 2 && !atEndOfFile()) {
                refill();
                continue;
            }
            byte first = buf[pos];
            if (RecordGrammar.isTerminator(first) || (format.hasCommentPrefix() && first == (byte) format.commentPrefix())) {
                skipLine();
                continue;
            }
            if (!atEndOfFile()) {
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
            int recordLines = lineBreaks(pos, recordEnd) + (RecordGrammar.isTerminator(buf[recordEnd - 1]) ? 0 : 1);
            RecordChunk chunk = new RecordChunk(buf, pos, recordEnd - pos, bufStart + pos, nextLine, 1);
            records++;
            lines += recordLines;
            nextLine += recordLines;
            pos = recordEnd;
            return chunk;
        }
    }

    private boolean atEndOfFile() {
        return bufStart + dataEnd >= fileLength;
    }

    /**
     * Skips a blank or comment line at {@code pos}: it ends at the next LF or CR (with the LF of a
     * CRLF).
     */
    private void skipLine() throws IOException, BadRecordException {
        int i = pos;
        boolean afterCr = false;
        while (true) {
            if (i == dataEnd) {
                if (oversizedListener != null) {
                    // Skipping over-long records: a comment line of any length streams through.
                    pos = i;
                }
                int scanned = i - pos;
                if (!refill()) {
                    break;
                }
                i = pos + scanned;
                continue;
            }
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
        pos = i;
    }

    private void readHeader() throws IOException, BadRecordException {
        int end = slowRecordEnd(false);
        int contentEnd = end;
        boolean terminated = RecordGrammar.isTerminator(buf[end - 1]);
        if (terminated) {
            contentEnd--;
            if (buf[contentEnd] == '\n' && contentEnd > pos && buf[contentEnd - 1] == '\r') {
                contentEnd--;
            }
        }
        header = Arrays.copyOfRange(buf, pos, contentEnd);
        int headerLines = lineBreaks(pos, end) + (terminated ? 0 : 1);
        lines += headerLines;
        nextLine += headerLines;
        pos = end;
    }

    /**
     * Finds the end of the record at {@code pos} with the grammar, reading more as needed (which
     * may move {@code pos}). Returns the index after its terminator, or {@code dataEnd} at the
     * end of the file.
     *
     * @param skippable whether to return -1, not throw, for a record longer than the limit (also
     *     when its quote is left open at the end of the file); the caller then skips it
     */
    private int slowRecordEnd(boolean skippable) throws IOException, BadRecordException {
        final int AFTER_CR = -1;
        int state = RecordGrammar.RECORD_START;
        int i = pos;
        while (true) {
            if (i == dataEnd) {
                int scanned = i - pos;
                if (!refill()) {
                    boolean tooLong = dataEnd - pos > maxRecordBytes;
                    if (skippable && tooLong) {
                        return -1;
                    }
                    if (state != AFTER_CR && !RecordGrammar.canEndRecord(state)) {
                        throw unterminatedQuote();
                    }
                    if (tooLong) {
                        throw recordTooLong();
                    }
                    return dataEnd;
                }
                i = pos + scanned;
                continue;
            }
            if (state == AFTER_CR) {
                // the record ended at a CR: its terminator takes an LF that follows
                if (buf[i] == '\n') {
                    i++;
                }
                if (i - pos > maxRecordBytes) {
                    if (skippable) {
                        return -1;
                    }
                    throw recordTooLong();
                }
                return i;
            }
            byte b = buf[i++];
            int next = grammar.step(state, b);
            if ((next & RecordGrammar.RECORD_END) != 0 && b == '\r') {
                state = AFTER_CR;
                continue;
            }
            if ((next & RecordGrammar.RECORD_END) != 0) {
                if (i - pos > maxRecordBytes) {
                    if (skippable) {
                        return -1;
                    }
                    throw recordTooLong();
                }
                return i;
            }
            state = next & RecordGrammar.STATE_MASK;
        }
    }

    /**
     * Skips the record at {@code pos}, known to be longer than the limit: finds its end with the
     * grammar, streaming through the buffer without growing it (the bytes behind are dropped at
     * each refill), to its terminator or the end of the file, then reports it and counts its
     * lines. Leaves {@code pos} at the next record start.
     */
    private void skipOversized() throws IOException, BadRecordException {
        long offset = bufStart + pos;
        byte[] prefix = new byte[OVERSIZED_PREFIX_BYTES];
        int prefixLength = 0;
        int state = RecordGrammar.RECORD_START;
        long terminators = 0;
        byte last = 0;
        byte previous = 0;
        boolean ended = false;
        boolean afterCr = false;
        int i = pos;
        try {
            while (!ended) {
                if (i == dataEnd) {
                    pos = i;
                    skippingLines = terminators;
                    if (!refill()) {
                        break;
                    }
                    i = pos;
                    continue;
                }
                int end = dataEnd;
                if (afterCr) {
                    // the record ended at a CR: its terminator takes an LF that follows
                    if (buf[i] == '\n') {
                        if (prefixLength < OVERSIZED_PREFIX_BYTES) {
                            prefix[prefixLength++] = '\n';
                        }
                        last = buf[i++];
                    }
                    break;
                }
                while (i < end) {
                    byte b = buf[i++];
                    if (prefixLength < OVERSIZED_PREFIX_BYTES) {
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
        pos = i;
        long length = bufStart + pos - offset;
        long recordLines = terminators + (RecordGrammar.isTerminator(last) ? 0 : 1);
        long line = nextLine;
        oversizedRecords++;
        lines += recordLines;
        nextLine += recordLines;
        oversizedListener.skipped(offset, line, length, prefixLength == prefix.length ? prefix : Arrays.copyOf(prefix, prefixLength));
    }

    /** Line breaks in {@code buf[from, to)} (a CRLF is one), for bytes that end with a whole record. */
    private int lineBreaks(int from, int to) {
        return RecordGrammar.lineBreaks(buf, from, to, to < dataEnd ? buf[to] : -1);
    }

    /**
     * Makes room and reads more bytes after {@code dataEnd}, moving the record at {@code pos} to
     * the front of the buffer or growing the buffer up to {@code maxRecordBytes + 1}.
     *
     * @return false at the end of the file
     */
    private boolean refill() throws IOException, BadRecordException {
        if (atEndOfFile()) {
            return false;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, dataEnd - pos);
            bufStart += pos;
            dataEnd -= pos;
            pos = 0;
        } else if (dataEnd == buf.length) {
            if (buf.length > maxRecordBytes) {
                throw recordTooLong();
            }
            long wanted = Math.min((long) buf.length * 2, (long) maxRecordBytes + 1);
            buf = Arrays.copyOf(buf, (int) Math.min(wanted, fileLength - bufStart + 1));
        }
        long readAt = bufStart + dataEnd;
        int wanted = (int) Math.min(buf.length - dataEnd, fileLength - readAt);
        int read;
        try {
            read = input.read(readAt, buf, dataEnd, wanted);
        } catch (UndecodableInputException e) {
            throw badRecord(e.problem() + ", {} of its UTF-8 stream", e.utf8Offset(),
                    nextLine + skippingLines + lineBreaks(pos, dataEnd));
        }
        if (read < 0 && !lengthKnown) {
            endOfStreamAt(readAt);
            return false;
        }
        if (read <= 0) {
            throw new EOFException("File ended at byte %d, before its length %d: %s"
                    .formatted(readAt, fileLength, range.location()));
        }
        dataEnd += read;
        return true;
    }

    private BadRecordException recordTooLong() {
        return badRecord(
                "Record longer than " + maxRecordBytes + " bytes (" + MAX_RECORD_BYTES + ") at {}",
                bufStart + pos,
                nextLine);
    }

    private BadRecordException unterminatedQuote() {
        // Locate the quote that opened the field still open at the end of the file.
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
        return badRecord("Unterminated quoted field starting at {} runs to end of file", bufStart + opened, openedLine);
    }

    private BadRecordException badRecord(String problem, long byteOffset, long line) {
        boolean guessed = range.start() != 0 && startMode == StartMode.GUESS;
        long linesFrom = range.start() == 0 ? 0 : firstRecordOffset;
        return new BadRecordException(problem, range.location(), byteOffset, line, linesFrom, guessed);
    }

    /** Records the length of a decompressed stream once its end has been read. */
    private void endOfStreamAt(long length) {
        fileLength = length;
        lengthKnown = true;
    }

    /**
     * Reads up to {@code length} bytes at {@code position}, fewer only at the end of a
     * decompressed stream (whose length it records).
     */
    private int readPrefix(long position, byte[] buffer, int length) throws IOException {
        if (lengthKnown) {
            input.readFully(position, buffer, 0, length);
            return length;
        }
        int done = 0;
        while (done < length) {
            int read;
            try {
                read = input.read(position + done, buffer, done, length - done);
            } catch (UndecodableInputException e) {
                // detection uses the bytes before it; reading the records reports it with its line
                break;
            }
            if (read < 0) {
                endOfStreamAt(position + done);
                break;
            }
            done += read;
        }
        return done;
    }

    /** Reads the prefix at byte 0: byte order mark, line ending, fields of the first record. */
    private void detect() throws IOException {
        byte[] prefix = new byte[(int) Math.min(fileLength, DETECTION_PREFIX_BYTES + 1)];
        int length = readPrefix(0, prefix, prefix.length);
        bomLength = length >= 3 && prefix[0] == (byte) 0xEF && prefix[1] == (byte) 0xBB && prefix[2] == (byte) 0xBF ? 3 : 0;
        RecordGrammar grammar = new RecordGrammar(format);
        int state = RecordGrammar.RECORD_START;
        int fields = 1;
        lineEnding = LineEnding.LF;
        expectedFields = -1;
        for (int i = bomLength; i < length; i++) {
            byte b = prefix[i];
            int next = grammar.step(state, b);
            if ((next & RecordGrammar.RECORD_END) != 0) {
                if (b == '\r') {
                    int after = i + 1 < length ? prefix[i + 1] : i + 1 < fileLength ? readByte(i + 1) : -1;
                    lineEnding = after == '\n' ? LineEnding.CRLF : LineEnding.CR;
                }
                if (i > bomLength && state != RecordGrammar.COMMENT) {
                    expectedFields = fields;
                }
                return;
            }
            if ((next & RecordGrammar.FIELD_END) != 0) {
                fields++;
            }
            state = next & RecordGrammar.STATE_MASK;
        }
        if (length == fileLength && length > bomLength && state != RecordGrammar.COMMENT) {
            expectedFields = fields;
        }
    }

    private int readByte(long offset) throws IOException {
        byte[] one = new byte[1];
        return readPrefix(offset, one, 1) == 1 ? one[0] : -1;
    }

    /** Guesses the start state at {@code start - 1} and returns the first record start after it. */
    private long guessFirstRecordStart(long start) throws IOException, BadRecordException {
        long from = start - 1;
        int length = (int) Math.min(lookAheadBytes, fileLength - from);
        byte[] window = new byte[Math.max(length, 1)];
        input.readFully(from, window, 0, length);
        int state = StartGuess.guess(grammar, format, window, length, from + length == fileLength, expectedFields);
        // Skip to the first terminator outside quotes in the guessed state (with the LF of a CRLF).
        long windowStart = from;
        int windowLength = length;
        while (true) {
            for (int i = 0; i < windowLength; i++) {
                int next = grammar.step(state, window[i]);
                if ((next & RecordGrammar.RECORD_END) != 0) {
                    long after = windowStart + i + 1;
                    if (window[i] != '\r' || after >= fileLength) {
                        return after;
                    }
                    return readByte(after) == '\n' ? after + 1 : after;
                }
                state = next & RecordGrammar.STATE_MASK;
            }
            windowStart += windowLength;
            if (windowStart >= fileLength) {
                return fileLength;
            }
            if (windowStart - from > maxRecordBytes && oversizedListener == null) {
                throw new BadRecordException(
                        "Record longer than " + maxRecordBytes + " bytes (" + MAX_RECORD_BYTES + ") spans {}",
                        range.location(), start, 0, start, startMode == StartMode.GUESS);
            }
            windowLength = (int) Math.min(window.length, fileLength - windowStart);
            input.readFully(windowStart, window, 0, windowLength);
        }
    }

    /**
     * Absolute offset of the block's first owned record: 0 for the block at byte 0 (it owns the
     * byte order mark and the header), else the first record start at or after the start (as
     * guessed, or the start itself when known). Equals {@link #stopOffset()} when the block owns
     * no record.
     */
    public long firstRecordOffset() {
        return firstRecordOffset;
    }

    /**
     * Offset after the last owned record: the first record start at or after the range's end, or
     * the file's length.
     *
     * @throws IllegalStateException before {@link #next()} has returned null
     */
    public long stopOffset() {
        if (!finished) {
            throw new IllegalStateException("The stop offset is known only after next() returned null: " + range.location());
        }
        return stopOffset;
    }

    /** Records returned so far (the header not included). */
    public long records() {
        return records;
    }

    /**
     * Records longer than {@code maxRecordBytes} skipped so far (each reported to the
     * {@link OversizedRecordListener}); always 0 without {@link Builder#skipOversizedRecords}.
     */
    public long oversizedRecords() {
        return oversizedRecords;
    }

    /** Blank and comment lines skipped so far. */
    public long blankLines() {
        return blankLines;
    }

    /**
     * Physical lines consumed so far: header, records (with their quoted line breaks), skipped
     * lines, over-long records skipped.
     */
    public long lines() {
        return lines;
    }

    /**
     * The header's bytes without the terminator (and without the byte order mark), for the block
     * at byte 0 with {@link RecordFormat.Header#PRESENT}; empty otherwise and for an empty file.
     */
    public Optional<byte[]> header() {
        return header == null ? Optional.empty() : Optional.of(header.clone());
    }

    /**
     * The file's charset as {@link Builder#encodings} decided it (declared, or detected from a
     * byte order mark); empty without encodings.
     */
    public Optional<Charset> charset() {
        return Optional.ofNullable(charset);
    }

    /**
     * The terminator of the file's first line (LF when it has none): for information only, since
     * every one of LF, CR and CRLF ends a record wherever it is.
     */
    public LineEnding lineEnding() {
        return lineEnding;
    }

    /**
     * Releases the buffer, the transcoder and the decompressor of a compressed file. Does not
     * close the input, which the caller opened.
     *
     * @throws UncheckedIOException if releasing the decompressor fails
     */
    @Override
    public void close() {
        buf = null;
        finished = true;
        if (input instanceof TranscodedInput) {
            ((TranscodedInput) input).close();
        }
        if (decompressed != compressedOrPlain) {
            try {
                decompressed.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the decompressor: " + range.location(), e);
            }
        }
    }

    /** Options of a {@link RecordRangeReader}; {@link #open()} reads the file's prefix. */
    public static final class Builder {
        private final SeekableInput input;
        private final BlockRange range;
        private final RecordFormat format;
        private int maxRecordBytes = MAX_RECORD_BYTES_DEFAULT;
        private int readBufferBytes = READ_BUFFER_BYTES_DEFAULT;
        private int lookAheadBytes = LOOK_AHEAD_BYTES_DEFAULT;
        private StartMode startMode = StartMode.GUESS;
        private InputCodecs codecs;
        private InputEncodings encodings;
        private OversizedRecordListener oversizedListener;

        private Builder(SeekableInput input, BlockRange range, RecordFormat format) {
            this.input = requireNonNull(input, "input is null");
            this.range = requireNonNull(range, "range is null");
            this.format = requireNonNull(format, "format is null");
        }

        /** Longest record accepted, terminator included ({@value RecordRangeReader#MAX_RECORD_BYTES}). */
        public Builder maxRecordBytes(int maxRecordBytes) {
            this.maxRecordBytes = maxRecordBytes;
            return this;
        }

        /** Initial read buffer size; the buffer grows for a longer record. */
        public Builder readBufferBytes(int readBufferBytes) {
            this.readBufferBytes = readBufferBytes;
            return this;
        }

        /** Bytes after the start that the start-state guess looks at. */
        public Builder lookAheadBytes(int lookAheadBytes) {
            this.lookAheadBytes = lookAheadBytes;
            return this;
        }

        public Builder startMode(StartMode startMode) {
            this.startMode = requireNonNull(startMode, "startMode is null");
            return this;
        }

        /**
         * Reads a file these codecs find a codec for (by the range's location) through the
         * codec's decompressing stream, whole: the range must then be {@code [0, fileLength)},
         * and offsets are positions in the decompressed stream (see the class comment). The
         * input stays the compressed file the caller opened; a file with no codec is read as
         * without this call.
         */
        public Builder codecs(InputCodecs codecs) {
            this.codecs = requireNonNull(codecs, "codecs is null");
            return this;
        }

        /**
         * Decides the file's charset with these encodings (after decompression, with
         * {@link #codecs}) and reads a UTF-16 or UTF-32 file whole, transcoded to UTF-8; offsets
         * are then positions in the UTF-8 stream (see the class comment). Its range must start at
         * byte 0. An ASCII-compatible file is read as without this call.
         */
        public Builder encodings(InputEncodings encodings) {
            this.encodings = requireNonNull(encodings, "encodings is null");
            return this;
        }

        /**
         * Skips records longer than {@link #maxRecordBytes} instead of throwing
         * {@link BadRecordException}, telling the listener of each (see the class comment). The
         * header is never skipped: a header over the limit still throws.
         */
        public Builder skipOversizedRecords(OversizedRecordListener listener) {
            this.oversizedListener = requireNonNull(listener, "listener is null");
            return this;
        }

        /**
         * Validates the options, reads the file's prefix at byte 0 and, for a block not at byte
         * 0 in {@link StartMode#GUESS}, the look-ahead window, and positions the reader at the
         * first owned record.
         *
         * @throws IllegalArgumentException for invalid options or a compressed file's range that
         *     is not the whole file; the message names the location
         * @throws BadRecordException if the record that holds the start is longer than the limit
         *     (not with {@link #skipOversizedRecords}), the header is, or a transcoded file's range
         *     does not start at byte 0
         * @throws IOException if reading or decompressing fails (corrupt compressed data)
         */
        public RecordRangeReader open() throws IOException, BadRecordException {
            String location = range.location();
            if (maxRecordBytes < 1 || maxRecordBytes == Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxRecordBytes must be in [1, 2^31 - 2]: " + maxRecordBytes + ": " + location);
            }
            if (readBufferBytes < 16) {
                throw new IllegalArgumentException("readBufferBytes must be at least 16: " + readBufferBytes + ": " + location);
            }
            if (lookAheadBytes < 1) {
                throw new IllegalArgumentException("lookAheadBytes must be positive: " + lookAheadBytes + ": " + location);
            }
            if (!range.splittable() && (range.start() != 0 || range.end() != range.fileLength())) {
                throw new IllegalArgumentException("A file that cannot be split must be read whole, not [%d, %d): %s"
                        .formatted(range.start(), range.end(), location));
            }
            Optional<String> codec = codecs == null ? Optional.empty() : codecs.codecName(location);
            if (codec.isPresent() && (range.start() != 0 || range.end() != range.fileLength())) {
                throw new IllegalArgumentException("A compressed file (%s) is read whole, not as [%d, %d) of %d bytes: %s"
                        .formatted(codec.get(), range.start(), range.end(), range.fileLength(), location));
            }
            RecordRangeReader reader = new RecordRangeReader(this);
            try {
                reader.start();
            } catch (IOException | BadRecordException | RuntimeException e) {
                try {
                    reader.close();
                } catch (UncheckedIOException closing) {
                    e.addSuppressed(closing);
                }
                throw e;
            }
            return reader;
        }
    }
}
