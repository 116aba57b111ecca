package dev.spindle.codec;

import java.nio.charset.Charset;
import java.util.Arrays;

/**
 * Reusable result of one {@link CsvTokenizer#next} call: the records it found, each as field
 * spans into the caller's byte buffer. Nothing is copied and no {@code String} is made until
 * {@link #fieldAsString} or {@link #recordText} is called.
 *
 * <p>Offsets given by {@link #fieldStart}/{@link #fieldEnd} index the tokenized buffer. For a
 * plain quoted field ({@code "a,b"}) the span is the content between the quotes. A field that
 * needs decoding ({@link #needsDecoding}: doubled quotes, backslash escapes, text after the
 * closing quote) spans its raw bytes including the quotes; {@link #fieldAsString} decodes it.
 *
 * <p>The contents are valid until the next call to {@link CsvTokenizer#next} with this object.
 */
public final class RowSpans {

    static final byte QUOTED = 1;
    static final byte DECODE = 2;
    static final byte MALFORMED = 1;

    // Flat per-field arrays, indexed by firstField(row) + column; grown by the tokenizer.
    int[] fieldStarts = new int[1024];
    int[] fieldEnds = new int[1024];
    byte[] fieldFlags = new byte[1024];
    int fieldTotal;

    // Per-record arrays; recordFirstField has one extra slot (end of the last record).
    int[] recordFirstField = new int[129];
    int[] recordStarts = new int[128];
    int[] recordEnds = new int[128];
    long[] recordLines = new long[128];
    byte[] recordFlags = new byte[128];
    int rows;

    byte[] buffer;
    int bufferOffset;
    long fileOffset;
    private byte quote = '"';
    private boolean backslash;
    private Charset charset = java.nio.charset.StandardCharsets.UTF_8;

    public RowSpans() {
    }

    void reset(byte[] buffer, int bufferOffset, long fileOffset, CsvDialect dialect) {
        this.buffer = buffer;
        this.bufferOffset = bufferOffset;
        this.fileOffset = fileOffset;
        this.quote = dialect.quote();
        this.backslash = dialect.escapeMode() == CsvDialect.EscapeMode.BACKSLASH;
        this.charset = dialect.recordCharset();
        this.rows = 0;
        this.fieldTotal = 0;
        this.recordFirstField[0] = 0;
    }

    void growFields() {
        int n = fieldStarts.length * 2;
        fieldStarts = Arrays.copyOf(fieldStarts, n);
        fieldEnds = Arrays.copyOf(fieldEnds, n);
        fieldFlags = Arrays.copyOf(fieldFlags, n);
    }

    void growRecords() {
        int n = recordStarts.length * 2;
        recordFirstField = Arrays.copyOf(recordFirstField, n + 1);
        recordStarts = Arrays.copyOf(recordStarts, n);
        recordEnds = Arrays.copyOf(recordEnds, n);
        recordLines = Arrays.copyOf(recordLines, n);
        recordFlags = Arrays.copyOf(recordFlags, n);
    }

    /** Number of records found. */
    public int rowCount() {
        return rows;
    }

    /** Number of fields of the record; never padded or truncated to an expected width. */
    public int fieldCount(int row) {
        return recordFirstField[row + 1] - recordFirstField[row];
    }

    /** The buffer the spans index into. */
    public byte[] buffer() {
        return buffer;
    }

    public int fieldStart(int row, int column) {
        return fieldStarts[recordFirstField[row] + column];
    }

    public int fieldEnd(int row, int column) {
        return fieldEnds[recordFirstField[row] + column];
    }

    /** True when the field was enclosed in quotes (a quoted field is never a null token). */
    public boolean isQuoted(int row, int column) {
        return (fieldFlags[recordFirstField[row] + column] & QUOTED) != 0;
    }

    /** True when the span holds raw bytes that must be unquoted/unescaped before use. */
    public boolean needsDecoding(int row, int column) {
        return (fieldFlags[recordFirstField[row] + column] & DECODE) != 0;
    }

    /** True when the record has a quoted field that is never closed (it runs to the chunk end). */
    public boolean isMalformed(int row) {
        return (recordFlags[row] & MALFORMED) != 0;
    }

    /** Absolute byte offset of the record's first byte in its file. */
    public long byteOffset(int row) {
        return fileOffset + (recordStarts[row] - bufferOffset);
    }

    /** 1-based physical line number of the record's first byte. */
    public long line(int row) {
        return recordLines[row];
    }

    /** Buffer index of the record's first byte. */
    public int recordStart(int row) {
        return recordStarts[row];
    }

    /** Buffer index just past the record's last byte, line terminator excluded. */
    public int recordEnd(int row) {
        return recordEnds[row];
    }

    /**
     * The record's raw text (line terminator excluded), decoded with the dialect's
     * {@link CsvDialect#recordCharset()}; a byte the charset does not map becomes U+FFFD.
     */
    public String recordText(int row) {
        return new String(buffer, recordStarts[row], recordEnds[row] - recordStarts[row], charset);
    }

    /** The field's value with quotes removed and escapes resolved. */
    public String fieldAsString(int row, int column) {
        int index = recordFirstField[row] + column;
        int start = fieldStarts[index];
        int end = fieldEnds[index];
        if ((fieldFlags[index] & DECODE) == 0) {
            return new String(buffer, start, end - start, charset);
        }
        byte[] decoded = new byte[end - start];
        int length = decode(index, decoded);
        return new String(decoded, 0, length, charset);
    }

    int flatIndex(int row, int column) {
        return recordFirstField[row] + column;
    }

    /**
     * Decodes the raw field at flat index {@code index} into {@code target} (at least as long as
     * the raw span) and returns the decoded length. The rules mirror {@link CsvTokenizer}: a
     * quote opens a quoted section only as the field's first byte; inside it a doubled quote (or
     * backslash + byte) is one byte; after the closing quote bytes are literal; with backslash
     * escapes, backslash + byte is that byte anywhere.
     */
    int decode(int index, byte[] target) {
        byte[] b = buffer;
        int p = fieldStarts[index];
        int end = fieldEnds[index];
        int n = 0;
        boolean inQuotes = false;
        if (p < end && b[p] == quote && (fieldFlags[index] & QUOTED) != 0) {
            inQuotes = true;
            p++;
        }
        while (p < end) {
            byte c = b[p];
            if (backslash && c == '\\' && p + 1 < end) {
                target[n++] = b[p + 1];
                p += 2;
                continue;
            }
            if (inQuotes && c == quote) {
                if (p + 1 < end && b[p + 1] == quote) {
                    target[n++] = quote;
                    p += 2;
                    continue;
                }
                inQuotes = false;
                p++;
                continue;
            }
            target[n++] = c;
            p++;
        }
        return n;
    }
}
