package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
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
 * <p><b>Parts.</b> This class is the builder, the rule's wiring and the counters; the work is
 * done by package-private parts that are tested alone: {@code DecodedInput} (decompressing and
 * transcoding), {@code FirstRecordFinder} (the file's prefix, the first record start of a block
 * not at byte 0), {@code ReadBuffer} (the bounded read window) and {@code WholeRecordReader}
 * (whole records to the block's end).
 *
 * <p>Not thread-safe. The reader does not close the {@link SeekableInput}.
 */
public final class RecordRangeReader implements Closeable {
    /** Configuration key of the longest record accepted, in bytes. */
    public static final String MAX_RECORD_BYTES = "spindle.csv.max-record-bytes";
    public static final int MAX_RECORD_BYTES_DEFAULT = 64 << 20;
    public static final int READ_BUFFER_BYTES_DEFAULT = 1 << 20;
    public static final int LOOK_AHEAD_BYTES_DEFAULT = 128 << 10;

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

    private final SeekableInput file;
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
    private final int skipLines;

    /** The bytes read (decompressed, transcoded); set by {@link #start()}. */
    private DecodedInput input;
    private FirstRecordFinder.FilePrefix prefix;
    /** Reads the owned records; null when the block owns none. */
    private WholeRecordReader records;
    private long firstRecordOffset;
    /** The stop offset of a block that owns no record, else -1 (then {@link #records} knows it). */
    private long emptyStop = -1;
    private boolean closed;
    private byte[] header;

    private RecordRangeReader(Builder builder) {
        this.file = builder.input;
        this.codecs = builder.codecs;
        this.encodings = builder.encodings;
        this.range = builder.range;
        this.format = builder.format;
        this.maxRecordBytes = builder.maxRecordBytes;
        this.readBufferBytes = builder.readBufferBytes;
        this.lookAheadBytes = builder.lookAheadBytes;
        this.startMode = builder.startMode;
        this.oversizedListener = builder.oversizedListener;
        this.skipLines = builder.skipLines;
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

    /**
     * Opens the bytes (decompressing, transcoding), reads the file's prefix at byte 0, finds the
     * first owned record (guessing for a block not at byte 0 in {@link StartMode#GUESS}) and reads
     * the header of the block at byte 0.
     */
    private void start() throws IOException, BadRecordException {
        input = DecodedInput.open(file, range, codecs, encodings);
        long rangeEnd = input.lengthKnown() ? range.end() : DecodedInput.UNKNOWN_LENGTH;
        FirstRecordFinder finder = new FirstRecordFinder(format);
        prefix = finder.detect(input);
        // known now if the prefix reached the end of a decompressed stream
        long fileLength = input.length();
        int bomLength = prefix.bomLength();
        long start = range.start();
        if (start == 0) {
            firstRecordOffset = 0;
            if (rangeEnd == 0 || fileLength <= bomLength) {
                emptyStop = rangeEnd == 0 ? 0 : fileLength;
                return;
            }
            records = new WholeRecordReader(input, format, bomLength, Math.max(rangeEnd, bomLength + 1), readBufferBytes,
                    maxRecordBytes, oversizedListener, new WholeRecordReader.Errors(range.location(), 0, false));
            records.skipLines(skipLines);
            if (format.hasHeader()) {
                header = records.readHeader();
            }
            return;
        }
        firstRecordOffset = startMode == StartMode.KNOWN_RECORD_START
                ? start
                : finder.guessFirstRecordStart(input, start, prefix, lookAheadBytes, maxRecordBytes, oversizedListener != null,
                        range.location());
        if (firstRecordOffset >= range.end() || firstRecordOffset >= fileLength) {
            emptyStop = firstRecordOffset;
            return;
        }
        records = new WholeRecordReader(input, format, firstRecordOffset, range.end(), readBufferBytes, maxRecordBytes,
                oversizedListener, new WholeRecordReader.Errors(range.location(), firstRecordOffset, startMode == StartMode.GUESS));
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
        if (closed || records == null) {
            return null;
        }
        return records.next();
    }

    private boolean finished() {
        return records == null ? emptyStop >= 0 : records.stopOffset() >= 0;
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
        if (!finished()) {
            if (closed) {
                return -1;
            }
            throw new IllegalStateException("The stop offset is known only after next() returned null: " + range.location());
        }
        return records == null ? emptyStop : records.stopOffset();
    }

    /** Records returned so far (the header not included). */
    public long records() {
        return records == null ? 0 : records.records();
    }

    /**
     * Records longer than {@code maxRecordBytes} skipped so far (each reported to the
     * {@link OversizedRecordListener}); always 0 without {@link Builder#skipOversizedRecords}.
     */
    public long oversizedRecords() {
        return records == null ? 0 : records.oversizedRecords();
    }

    /** Blank and comment lines skipped so far. */
    public long blankLines() {
        return records == null ? 0 : records.blankLines();
    }

    /**
     * Physical lines consumed so far: header, records (with their quoted line breaks), skipped
     * lines, over-long records skipped.
     */
    public long lines() {
        return records == null ? 0 : records.lines();
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
        return input == null ? Optional.empty() : input.charset();
    }

    /**
     * The terminator of the file's first line (LF when it has none): for information only, since
     * every one of LF, CR and CRLF ends a record wherever it is.
     */
    public LineEnding lineEnding() {
        return prefix.lineEnding();
    }

    /**
     * Releases the buffer, the transcoder and the decompressor of a compressed file. Does not
     * close the input, which the caller opened.
     *
     * @throws UncheckedIOException if releasing the decompressor fails
     */
    @Override
    public void close() {
        closed = true;
        if (records != null) {
            records.release();
        }
        if (input != null) {
            input.close();
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
        private int skipLines;

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
         * Skips this many physical lines (LF, CR or CRLF ends one; quotes mean nothing in them) at
         * the start of the file, before the header or the first record: a preamble of titles or
         * notes ({@code --skip-lines}). They count as lines, so line numbers stay the file's. Only
         * the block at byte 0 reads them; they must end within it.
         */
        public Builder skipLines(int lines) {
            if (lines < 0) {
                throw new IllegalArgumentException("skipLines must not be negative: " + lines);
            }
            this.skipLines = lines;
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
