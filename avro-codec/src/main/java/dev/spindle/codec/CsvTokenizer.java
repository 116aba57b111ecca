package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits chunks of whole CSV records into field spans.
 *
 * <p><b>HOT LOOP: this class trades readability for speed.</b> State lives in locals, the scan
 * runs over plain bytes, fields are recorded as {@code (start, end, flags)} into the reusable
 * {@link RowSpans} arrays; no {@code String} and no allocation per field or record (the span
 * arrays only grow). Unquoted fields are scanned 8 bytes at a time with the SWAR "has zero
 * byte" trick. Keep streams, boxing and formatting out of it; measure changes with
 * {@code TokenizeBenchmark}.
 *
 * <p>Usage: {@link #reset} with a chunk, then call {@link #next} until it returns 0. A chunk
 * holds whole records, each ended by {@code \n}, {@code \r\n} or {@code \r} except possibly the
 * last record of a file. It implements Spindle's one CSV grammar, stated in
 * {@code docs/architecture.md} ("The CSV grammar") and shared with hdfs-io's block reader
 * ({@code RecordGrammar}, {@code RecordScanner}) and {@link CsvAvroEncoder}; hdfs-io's
 * {@code CsvGrammarDifferentialTest} holds all four equal on seeded random input. In short:
 * <ul>
 *   <li>A record ends at {@code \n}, {@code \r} or {@code \r\n} (one terminator), mixed freely
 *       in a file, unless the terminator is inside a quoted field or escaped.</li>
 *   <li>A field is quoted when its first byte is the quote; inside, delimiters and line
 *       terminators are data and physical lines still advance; a doubled quote is one quote in
 *       both escape modes. Text after the closing quote (RFC 4180 violation) is kept literally,
 *       as FastCSV and Python's csv do.</li>
 *   <li>A quote anywhere but a field's first byte is a literal byte.</li>
 *   <li>With {@link CsvDialect.EscapeMode#BACKSLASH}, a backslash makes the next byte literal, in
 *       quoted and unquoted fields (a delimiter, quote, backslash or line terminator).</li>
 *   <li>Blank lines and comment lines (first bytes equal the dialect's comment prefix) are
 *       skipped; they count as physical lines.</li>
 *   <li>A quoted field that is not closed before the chunk ends makes its record malformed
 *       ({@link RowSpans#isMalformed}); it swallows the rest of the chunk.</li>
 *   <li>Records keep the number of fields they have; callers decide what a ragged record is.</li>
 * </ul>
 */
public final class CsvTokenizer {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long ONES = 0x0101010101010101L;
    static final long HIGHS = 0x8080808080808080L;
    static final long LF_MASK = ONES * '\n';
    static final long CR_MASK = ONES * '\r';

    private final CsvDialect dialect;
    private final long delimiterMask;
    private final byte delimiter;
    private final byte quote;
    private final boolean backslash;
    private final byte[] comment;

    private byte[] buffer;
    private int bufferOffset;
    private int position;
    private int end;
    private long fileOffset;
    private long line;

    public CsvTokenizer(CsvDialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.delimiter = dialect.delimiter();
        this.delimiterMask = ONES * (delimiter & 0xff);
        this.quote = dialect.quote();
        this.backslash = dialect.escapeMode() == CsvDialect.EscapeMode.BACKSLASH;
        this.comment = dialect.commentPrefix().map(p -> p.getBytes(dialect.recordCharset())).orElse(null);
    }

    /**
     * Starts tokenizing a chunk.
     *
     * @param buffer holds the chunk; not copied, must not change while tokenizing
     * @param offset index of the chunk's first byte in {@code buffer}
     * @param length chunk length in bytes
     * @param fileOffset absolute byte offset of {@code buffer[offset]} in its file
     * @param firstLine 1-based physical line number of the chunk's first record
     */
    public void reset(byte[] buffer, int offset, int length, long fileOffset, long firstLine) {
        requireNonNull(buffer, "buffer is null");
        if (offset < 0 || length < 0 || offset + length > buffer.length) {
            throw new IndexOutOfBoundsException("Chunk [" + offset + ", " + (offset + length) + ") outside buffer of " + buffer.length + " bytes");
        }
        this.buffer = buffer;
        this.bufferOffset = offset;
        this.position = offset;
        this.end = offset + length;
        this.fileOffset = fileOffset;
        this.line = firstLine;
    }

    /** True while the chunk has bytes left to tokenize. */
    public boolean hasMore() {
        return position < end;
    }

    byte[] buffer() {
        return buffer;
    }

    /** Index in {@link #buffer()} of the next byte to tokenize. */
    int position() {
        return position;
    }

    /** Index in {@link #buffer()} after the chunk's last byte. */
    int end() {
        return end;
    }

    /**
     * Moves on to {@code position}, the start of a record (or of a blank line) of the chunk at
     * physical line {@code line}, after a caller took the records before it.
     */
    void skipTo(int position, long line) {
        if (position < this.position || position > end) {
            throw new IndexOutOfBoundsException("Position " + position + " outside [" + this.position + ", " + end + "]");
        }
        this.position = position;
        this.line = line;
    }

    /** Physical line number where the next record starts. */
    public long nextLine() {
        return line;
    }

    /**
     * Tokenizes up to {@code maxRows} records into {@code out} (cleared first).
     *
     * @return the number of records found; 0 when the chunk is exhausted
     */
    public int next(RowSpans out, int maxRows) {
        out.reset(buffer, bufferOffset, fileOffset, dialect);
        final byte[] b = buffer;
        final int end = this.end;
        final byte d = delimiter;
        final byte q = quote;
        final boolean bs = backslash;
        int[] fs = out.fieldStarts;
        int[] fe = out.fieldEnds;
        byte[] ff = out.fieldFlags;
        int nf = 0;
        int rows = 0;
        int p = position;
        long ln = line;

        while (rows < maxRows && p < end) {
            byte c = b[p];
            if (c == '\n') {
                p++;
                ln++;
                continue;
            }
            if (c == '\r') {
                p = (p + 1 < end && b[p + 1] == '\n') ? p + 2 : p + 1;
                ln++;
                continue;
            }
            if (comment != null && startsWith(b, p, end, comment)) {
                while (p < end && b[p] != '\n' && b[p] != '\r') {
                    p++;
                }
                if (p < end) {
                    p = (b[p] == '\r' && p + 1 < end && b[p + 1] == '\n') ? p + 2 : p + 1;
                }
                ln++;
                continue;
            }
            if (rows == out.recordStarts.length) {
                out.growRecords();
            }
            final int recordStart = p;
            final long recordLine = ln;
            int recordEnd;
            byte recordFlags = 0;
            out.recordFirstField[rows] = nf;

            for (;;) {
                if (nf == fs.length) {
                    out.fieldTotal = nf;
                    out.growFields();
                    fs = out.fieldStarts;
                    fe = out.fieldEnds;
                    ff = out.fieldFlags;
                }
                final int fieldStart = p;
                if (p < end && b[p] == q) {
                    // quoted field
                    p++;
                    boolean escaped = false;
                    int close = -1;
                    while (p < end) {
                        c = b[p];
                        if (c == q) {
                            if (p + 1 < end && b[p + 1] == q) {
                                escaped = true;
                                p += 2;
                                continue;
                            }
                            close = p;
                            p++;
                            break;
                        }
                        if (c == '\n') {
                            ln++;
                        } else if (c == '\r') {
                            if (p + 1 >= end || b[p + 1] != '\n') {
                                ln++;
                            }
                        } else if (bs && c == '\\') {
                            escaped = true;
                            if (p + 1 < end) {
                                byte n = b[p + 1];
                                if (n == '\n' || (n == '\r' && (p + 2 >= end || b[p + 2] != '\n'))) {
                                    ln++;
                                }
                            }
                            p += 2;
                            continue;
                        }
                        p++;
                    }
                    if (close < 0) {
                        p = end;
                        fs[nf] = fieldStart;
                        fe[nf] = end;
                        ff[nf] = RowSpans.QUOTED | RowSpans.DECODE;
                        nf++;
                        recordFlags = RowSpans.MALFORMED;
                        recordEnd = end;
                        break;
                    }
                    if (p >= end || (c = b[p]) == d || c == '\n' || c == '\r') {
                        if (escaped) {
                            fs[nf] = fieldStart;
                            fe[nf] = p;
                            ff[nf] = RowSpans.QUOTED | RowSpans.DECODE;
                        } else {
                            fs[nf] = fieldStart + 1;
                            fe[nf] = close;
                            ff[nf] = RowSpans.QUOTED;
                        }
                    } else {
                        // text after the closing quote: literal up to the field's end
                        while (p < end) {
                            c = b[p];
                            if (c == d || c == '\n' || c == '\r') {
                                break;
                            }
                            if (bs && c == '\\') {
                                if (p + 1 < end) {
                                    byte n = b[p + 1];
                                    if (n == '\n' || (n == '\r' && (p + 2 >= end || b[p + 2] != '\n'))) {
                                        ln++;
                                    }
                                }
                                p += 2;
                                continue;
                            }
                            p++;
                        }
                        if (p > end) {
                            p = end;
                        }
                        fs[nf] = fieldStart;
                        fe[nf] = p;
                        ff[nf] = RowSpans.QUOTED | RowSpans.DECODE;
                    }
                } else if (!bs) {
                    // unquoted field: the tight loop, 8 bytes at a time (SWAR), then byte by byte
                    while (p + 8 <= end) {
                        long word = (long) LONGS.get(b, p);
                        long hits = zeroBytes(word ^ delimiterMask) | zeroBytes(word ^ LF_MASK) | zeroBytes(word ^ CR_MASK);
                        if (hits != 0) {
                            p += Long.numberOfTrailingZeros(hits) >>> 3;
                            break;
                        }
                        p += 8;
                    }
                    while (p < end) {
                        c = b[p];
                        if (c == d || c == '\n' || c == '\r') {
                            break;
                        }
                        p++;
                    }
                    fs[nf] = fieldStart;
                    fe[nf] = p;
                    ff[nf] = 0;
                } else {
                    byte flags = 0;
                    while (p < end) {
                        c = b[p];
                        if (c == d || c == '\n' || c == '\r') {
                            break;
                        }
                        if (c == '\\') {
                            flags = RowSpans.DECODE;
                            if (p + 1 < end) {
                                byte n = b[p + 1];
                                if (n == '\n' || (n == '\r' && (p + 2 >= end || b[p + 2] != '\n'))) {
                                    ln++;
                                }
                            }
                            p += 2;
                            continue;
                        }
                        p++;
                    }
                    if (p > end) {
                        p = end;
                    }
                    fs[nf] = fieldStart;
                    fe[nf] = p;
                    ff[nf] = flags;
                }
                nf++;
                if (p >= end) {
                    recordEnd = end;
                    break;
                }
                c = b[p];
                if (c == d) {
                    p++;
                    continue;
                }
                recordEnd = p;
                p = (c == '\r' && p + 1 < end && b[p + 1] == '\n') ? p + 2 : p + 1;
                ln++;
                break;
            }
            out.recordStarts[rows] = recordStart;
            out.recordEnds[rows] = recordEnd;
            out.recordLines[rows] = recordLine;
            out.recordFlags[rows] = recordFlags;
            rows++;
            out.recordFirstField[rows] = nf;
        }
        out.fieldTotal = nf;
        out.rows = rows;
        position = p;
        line = ln;
        return rows;
    }

    /**
     * High bit set in every byte of {@code word} that is zero; bytes above the first zero byte
     * may be flagged falsely, so only the lowest flag is exact (which is the one used).
     */
    static long zeroBytes(long word) {
        return (word - ONES) & ~word & HIGHS;
    }

    /** True when {@code b[p, end)} starts with {@code prefix}. */
    static boolean startsWith(byte[] b, int p, int end, byte[] prefix) {
        if (end - p < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[p + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
