package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Turns chunks of CSV records into typed Arrow batches for a {@link TableSchema}.
 *
 * <p><b>HOT LOOP: the per-field conversion in this class trades readability for speed</b>
 * (type codes in an int array, values parsed from the buffer bytes, fixed-width values and
 * validity bits written straight to the vectors' memory, no per-field allocation). Measure changes with {@code CsvToAvroBenchmark}.
 *
 * <p>Usage, like Arrow's {@code ArrowReader}: {@link #reset} with a chunk, then while
 * {@link #next()} returns true read {@link #root()}. The root is owned by this builder and
 * reused: its contents are valid until the next call to {@link #next()}; {@link #close()} frees
 * it. A record that does not convert (a value that does not parse, a null token in a
 * non-nullable column, a wrong field count, an unclosed quote, a byte the dialect's charset does
 * not decode, which names the reason {@code invalid-encoding} whatever else is wrong) goes to the
 * {@link BadRecordSink} and is not in the batch, so {@code recordsIn() == rowsOut() + badRecords()}
 * always holds. Not thread-safe.
 *
 * <p>Strings: record bytes are in the dialect's {@link CsvDialect#recordCharset()}. UTF-8 bytes
 * are checked ({@link Utf8#firstInvalid}: 8 ASCII bytes a step, sequences only where a byte is
 * 0x80 or more) and copied as they are; any other charset's values are converted to UTF-8 strictly (ASCII-only
 * values are copied, ISO-8859-1 is widened by hand, others go through a reporting
 * {@link CharsetDecoder}), so a byte the charset does not map (0x81 in windows-1252, any byte
 * above 0x7F in US-ASCII) rejects the record instead of becoming U+FFFD.
 */
public final class BatchBuilder implements AutoCloseable {

    /** Default maximum rows per batch. */
    public static final int BATCH_ROWS_DEFAULT = 8192;

    /** Records the Arrow path takes after the plain-record path stopped, doubled while it stops at once. */
    private static final int FALLBACK_ROWS_MIN = 8;

    private static final int T_BOOLEAN = 0;
    private static final int T_LONG = 1;
    private static final int T_DOUBLE = 2;
    private static final int T_DATE = 3;
    private static final int T_TIMESTAMP_LOCAL = 4;
    private static final int T_TIMESTAMP_INSTANT = 5;
    private static final int T_STRING = 6;
    private static final int T_ANY = -1;

    /** Rows per tile of the column-wise fast path (a multiple of 64): ~100 KB of CSV and spans, within L2. */
    private static final int TILE_ROWS = 512;

    private static final long HIGHS = CsvTokenizer.HIGHS;
    private static final VarHandle NATIVE_LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private static final int OK = 0;
    private static final int UNPARSEABLE = 1;
    private static final int NULL_NOT_ALLOWED = 2;
    private static final int INVALID_ENCODING = 3;

    private final TableSchema schema;
    private final CsvDialect dialect;
    private final int batchRows;
    private final BadRecordSink badRecordSink;
    private final CsvTokenizer tokenizer;
    private final RowSpans spans = new RowSpans();
    private final ValueParser parser = new ValueParser();
    private final VectorSchemaRoot root;
    private final int[] types;
    private final boolean[] nullable;
    /** Per column: a timestamp column in milliseconds, whose values must be whole milliseconds. */
    private final boolean[] millis;
    private final FieldVector[] vectors;
    private final long[] dataAddress;
    private final long[] validityAddress;
    private final long[] offsetAddress;
    private final long[] dataCapacity;
    private final boolean utf8;
    private final boolean latin1;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final CharsetEncoder encoder;
    private byte[] scratch = new byte[256];
    private byte[] utf8Scratch = new byte[256];
    private CharBuffer chars = CharBuffer.allocate(256);
    /** The filtered drain's selection vector. */
    private int[] selection = new int[0];
    private boolean allocated;
    private boolean closed;
    private long recordsIn;
    private long rowsOut;
    private long badRecords;

    private BatchBuilder(Builder builder) {
        this.schema = builder.schema;
        this.dialect = builder.dialect;
        this.batchRows = builder.batchRows;
        this.badRecordSink = builder.badRecordSink;
        this.tokenizer = new CsvTokenizer(dialect);
        this.charset = dialect.recordCharset();
        this.utf8 = charset.equals(StandardCharsets.UTF_8);
        this.latin1 = charset.equals(StandardCharsets.ISO_8859_1);
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        this.encoder = StandardCharsets.UTF_8.newEncoder();
        int n = schema.size();
        this.types = new int[n];
        this.nullable = new boolean[n];
        this.millis = new boolean[n];
        for (int i = 0; i < n; i++) {
            types[i] = schema.column(i).type().ordinal();
            nullable[i] = schema.column(i).nullable();
            millis[i] = schema.column(i).millis();
        }
        this.root = VectorSchemaRoot.create(schema.toArrowSchema(), builder.allocator);
        this.vectors = root.getFieldVectors().toArray(new FieldVector[0]);
        this.dataAddress = new long[n];
        this.validityAddress = new long[n];
        this.offsetAddress = new long[n];
        this.dataCapacity = new long[n];
    }

    /** The message for a column whose type CSV records cannot hold (see {@link ColumnType#isCsvType()}). */
    public static String csvTypesOnly(Column column) {
        return "Column '%s' is %s, which CSV input cannot hold: CSV columns are boolean, long, double, date, timestamp_local, timestamp_instant or string"
                .formatted(column.name(), column.typeDescription());
    }

    /** A builder for batches of {@code schema} allocated from {@code allocator}. */
    public static Builder builder(TableSchema schema, BufferAllocator allocator) {
        return new Builder(schema, allocator);
    }

    /** Starts on a chunk of whole records (same contract as {@link CsvTokenizer#reset}). */
    public void reset(byte[] buffer, int offset, int length, long fileOffset, long firstLine) {
        tokenizer.reset(buffer, offset, length, fileOffset, firstLine);
    }

    /**
     * Fills {@link #root()} with the next batch of at least one row.
     *
     * @return false when the chunk has no more records (the root then has 0 rows)
     * @throws IllegalStateException after {@link #close()}
     */
    public boolean next() {
        return next(batchRows);
    }

    /** {@link #next()} with batches of at most {@code maxRows} (at most the builder's batch size). */
    boolean next(int maxRows) {
        if (closed) {
            throw new IllegalStateException("BatchBuilder is closed");
        }
        if (!allocated) {
            for (FieldVector vector : vectors) {
                vector.setInitialCapacity(batchRows);
                vector.allocateNew();
            }
            // validity, value and offset buffers hold batchRows values and are only reset, never
            // reallocated, so their addresses stay valid for direct writes; string data buffers
            // grow through growData, which refreshes the address
            for (int i = 0; i < vectors.length; i++) {
                dataAddress[i] = vectors[i].getDataBuffer().memoryAddress();
                validityAddress[i] = vectors[i].getValidityBuffer().memoryAddress();
                if (vectors[i] instanceof VarCharVector) {
                    offsetAddress[i] = vectors[i].getOffsetBuffer().memoryAddress();
                    dataCapacity[i] = vectors[i].getDataBuffer().capacity();
                }
            }
            allocated = true;
        }
        while (true) {
            // no reset: every row writes its validity bit (and for strings its end offset)
            // explicitly, so stale bytes from an earlier batch are never visible
            int found = tokenizer.next(spans, Math.min(maxRows, batchRows));
            if (found == 0) {
                root.setRowCount(0);
                return false;
            }
            int rows = convert(found);
            if (rows > 0) {
                for (FieldVector vector : vectors) {
                    if (vector instanceof VarCharVector) {
                        ((VarCharVector) vector).setLastSet(rows - 1);
                    }
                    vector.setValueCount(rows);
                }
                root.setRowCount(rows);
                return true;
            }
        }
    }

    /**
     * Writes every record left in the current chunk (after {@link #reset}) to {@code writer}, all
     * rows, no selection, and returns the number written. Runs of plain records go to the
     * writer's {@link BatchWriter#plainRecords} fast path when it has one; any other record and
     * the ones after it go through this builder's Arrow batches (which send bad records to its
     * sink) until plain records follow again. The counters count every record either way.
     */
    public long drainTo(BatchWriter writer) {
        long written = 0;
        PlainRecordWriter plain = writer.plainRecords(schema, dialect).orElse(null);
        int fallbackRows = FALLBACK_ROWS_MIN;
        while (tokenizer.hasMore()) {
            if (plain != null) {
                int next = plain.write(tokenizer.buffer(), tokenizer.position(), tokenizer.end(), tokenizer.nextLine());
                tokenizer.skipTo(next, plain.nextLine());
                recordsIn += plain.rows();
                rowsOut += plain.rows();
                written += plain.rows();
                if (!tokenizer.hasMore()) {
                    break;
                }
                fallbackRows = plain.rows() == 0 ? Math.min(2 * fallbackRows, BATCH_ROWS_DEFAULT) : FALLBACK_ROWS_MIN;
            }
            if (!next(plain == null ? Integer.MAX_VALUE : fallbackRows)) {
                break;
            }
            writer.write(root);
            written += root.getRowCount();
        }
        return written;
    }

    /**
     * Writes the records left in the current chunk (after {@link #reset}) that {@code filter}
     * keeps to {@code writer}, and returns the number written; the others read are
     * {@code rowsOut()} less that (a record that does not convert is a bad record whether or not
     * the filter would keep it). Runs of plain records go to the writer's filtering fast path
     * ({@link BatchWriter#plainRecords(TableSchema, CsvDialect, RawRecordFilter)}) when the filter
     * can be evaluated on raw records ({@link RowFilter#rawRecords}) and the writer has one; any
     * other record and the ones after it go through Arrow batches and {@link RowFilter#select}
     * until plain records follow again. Both decide alike, so the rows written are the same.
     */
    public long drainTo(BatchWriter writer, RowFilter filter) {
        requireNonNull(filter, "filter is null");
        long written = 0;
        RawRecordFilter raw = filter.rawRecords().orElse(null);
        PlainRecordWriter plain = raw == null ? null : writer.plainRecords(schema, dialect, raw).orElse(null);
        int fallbackRows = FALLBACK_ROWS_MIN;
        while (tokenizer.hasMore()) {
            if (plain != null) {
                int next = plain.write(tokenizer.buffer(), tokenizer.position(), tokenizer.end(), tokenizer.nextLine());
                tokenizer.skipTo(next, plain.nextLine());
                int taken = plain.rows() + plain.rowsFiltered();
                recordsIn += taken;
                rowsOut += taken;
                written += plain.rows();
                if (!tokenizer.hasMore()) {
                    break;
                }
                fallbackRows = taken == 0 ? Math.min(2 * fallbackRows, BATCH_ROWS_DEFAULT) : FALLBACK_ROWS_MIN;
            }
            if (!next(plain == null ? Integer.MAX_VALUE : fallbackRows)) {
                break;
            }
            int rows = root.getRowCount();
            if (selection.length < rows) {
                selection = new int[Math.max(rows, batchRows)];
            }
            int selected = filter.select(root, selection);
            writer.write(root, selection, selected);
            written += selected;
        }
        return written;
    }

    /**
     * Counts a record that never reached a chunk (the reader skipped it as longer than the record
     * limit) as read and bad, and sends it to the sink, so {@code recordsIn() == rowsOut() +
     * badRecords()} still holds.
     */
    public void rejectUnread(BadRecord record) {
        recordsIn++;
        reject(record);
    }

    CsvDialect dialect() {
        return dialect;
    }

    /** The current batch; owned by this builder, valid until the next {@link #next()}. */
    public VectorSchemaRoot root() {
        return root;
    }

    public TableSchema schema() {
        return schema;
    }

    /** Records read so far: {@code rowsOut() + badRecords()}. */
    public long recordsIn() {
        return recordsIn;
    }

    /** Rows put into batches so far. */
    public long rowsOut() {
        return rowsOut;
    }

    /** Records rejected to the sink so far. */
    public long badRecords() {
        return badRecords;
    }

    private int convert(int found) {
        if (allWellFormed(found) && convertColumns(found)) {
            recordsIn += found;
            rowsOut += found;
            return found;
        }
        // a record is malformed or a field does not convert: redo the batch row by row, which
        // rejects exactly the bad records and rewrites every value of the rows it keeps
        return convertRows(found);
    }

    private boolean allWellFormed(int found) {
        final int columns = types.length;
        final int[] recordFirstField = spans.recordFirstField;
        for (int row = 0; row < found; row++) {
            if (recordFirstField[row + 1] - recordFirstField[row] != columns || spans.isMalformed(row)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The fast path: converts column by column, so each loop runs one type's parser over all
     * rows (row i of the chunk is row i of the batch). Returns false as soon as a field does
     * not convert; the caller then redoes the batch with {@link #convertRows}.
     */
    private boolean convertColumns(int found) {
        final int columns = types.length;
        // in tiles of rows, so that the tile's spans and bytes stay in cache across the columns
        for (int from = 0; from < found; from += TILE_ROWS) {
            int to = Math.min(found, from + TILE_ROWS);
            for (int column = 0; column < columns; column++) {
                boolean ok;
                switch (utf8 ? types[column] : T_ANY) {
                    case T_LONG:
                        ok = convertLongs(column, from, to);
                        break;
                    case T_DOUBLE:
                        ok = convertDoubles(column, from, to);
                        break;
                    case T_TIMESTAMP_LOCAL:
                        ok = convertLocalTimestamps(column, from, to);
                        break;
                    case T_STRING:
                        ok = convertStrings(column, from, to);
                        break;
                    default:
                        ok = convertAny(column, from, to);
                        break;
                }
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    // one loop per common type, each with the same shape: a plain field goes to its parser, a
    // quoted, escaped or null field to convertField

    private boolean convertLongs(int column, int from, int to) {
        final int[] fieldStarts = spans.fieldStarts;
        final int[] fieldEnds = spans.fieldEnds;
        final byte[] fieldFlags = spans.fieldFlags;
        final int[] recordFirstField = spans.recordFirstField;
        final byte[] b = spans.buffer;
        final ValueParser p = parser;
        final long data = dataAddress[column];
        final long validity = validityAddress[column];
        long valid = 0; // validity bits of this 64-row word's plain fields, stored once per word
        for (int row = from; row < to; row++) {
            int index = recordFirstField[row] + column;
            int start = fieldStarts[index];
            int end = fieldEnds[index];
            if (fieldFlags[index] != 0 || dialect.isNullToken(b, start, end)) {
                if (convertField(column, row, start, end, fieldFlags[index], index) != OK) {
                    return false;
                }
            } else {
                if (!p.parseLong(b, start, end)) {
                    return false;
                }
                MemoryUtil.putLong(data + ((long) row << 3), p.longValue);
                valid |= 1L << (row & 63);
            }
            if ((row & 63) == 63) {
                orBits(validity, row & ~63, valid);
                valid = 0;
            }
        }
        orBits(validity, (to - 1) & ~63, valid);
        return true;
    }

    private boolean convertDoubles(int column, int from, int to) {
        final int[] fieldStarts = spans.fieldStarts;
        final int[] fieldEnds = spans.fieldEnds;
        final byte[] fieldFlags = spans.fieldFlags;
        final int[] recordFirstField = spans.recordFirstField;
        final byte[] b = spans.buffer;
        final ValueParser p = parser;
        final long data = dataAddress[column];
        final long validity = validityAddress[column];
        long valid = 0; // validity bits of this 64-row word's plain fields, stored once per word
        for (int row = from; row < to; row++) {
            int index = recordFirstField[row] + column;
            int start = fieldStarts[index];
            int end = fieldEnds[index];
            if (fieldFlags[index] != 0 || dialect.isNullToken(b, start, end)) {
                if (convertField(column, row, start, end, fieldFlags[index], index) != OK) {
                    return false;
                }
            } else {
                if (!p.parseDouble(b, start, end)) {
                    return false;
                }
                MemoryUtil.putLong(data + ((long) row << 3), Double.doubleToRawLongBits(p.doubleValue));
                valid |= 1L << (row & 63);
            }
            if ((row & 63) == 63) {
                orBits(validity, row & ~63, valid);
                valid = 0;
            }
        }
        orBits(validity, (to - 1) & ~63, valid);
        return true;
    }

    private boolean convertLocalTimestamps(int column, int from, int to) {
        final boolean millis = this.millis[column];
        final int[] fieldStarts = spans.fieldStarts;
        final int[] fieldEnds = spans.fieldEnds;
        final byte[] fieldFlags = spans.fieldFlags;
        final int[] recordFirstField = spans.recordFirstField;
        final byte[] b = spans.buffer;
        final ValueParser p = parser;
        final long data = dataAddress[column];
        final long validity = validityAddress[column];
        long valid = 0; // validity bits of this 64-row word's plain fields, stored once per word
        for (int row = from; row < to; row++) {
            int index = recordFirstField[row] + column;
            int start = fieldStarts[index];
            int end = fieldEnds[index];
            if (fieldFlags[index] != 0 || dialect.isNullToken(b, start, end)) {
                if (convertField(column, row, start, end, fieldFlags[index], index) != OK) {
                    return false;
                }
            } else {
                if (!p.parseLocalTimestamp(b, start, end) || (millis && p.longValue % 1000 != 0)) {
                    return false;
                }
                MemoryUtil.putLong(data + ((long) row << 3), p.longValue);
                valid |= 1L << (row & 63);
            }
            if ((row & 63) == 63) {
                orBits(validity, row & ~63, valid);
                valid = 0;
            }
        }
        orBits(validity, (to - 1) & ~63, valid);
        return true;
    }

    private boolean convertStrings(int column, int from, int to) {
        final int[] fieldStarts = spans.fieldStarts;
        final int[] fieldEnds = spans.fieldEnds;
        final byte[] fieldFlags = spans.fieldFlags;
        final int[] recordFirstField = spans.recordFirstField;
        final byte[] b = spans.buffer;
        final long offsets = offsetAddress[column];
        final long validity = validityAddress[column];
        long valid = 0;
        int offset = MemoryUtil.getInt(offsets + ((long) from << 2)); // end of the previous row
        for (int row = from; row < to; row++) {
            int index = recordFirstField[row] + column;
            int start = fieldStarts[index];
            int end = fieldEnds[index];
            if (fieldFlags[index] != 0 || dialect.isNullToken(b, start, end)) {
                if (convertField(column, row, start, end, fieldFlags[index], index) != OK) {
                    return false;
                }
                offset = MemoryUtil.getInt(offsets + ((long) (row + 1) << 2));
            } else {
                int length = end - start;
                if (offset + length > dataCapacity[column]) {
                    growData(column, offset + length);
                }
                // a value that is not UTF-8 returns false: convertRows rejects its record
                if (length <= 32 && offset + 32 <= dataCapacity[column] && start + 32 <= b.length) {
                    // short value, room on both sides: 32 bytes at once, the bytes past the
                    // value are overwritten by the next one or lie past the last offset; the
                    // copied words show whether any byte is >= 0x80, then the exact check decides
                    if ((copy32ToNative(b, start, dataAddress[column] + offset) & HIGHS) != 0 && Utf8.firstInvalid(b, start, end) >= 0) {
                        return false;
                    }
                } else {
                    if (Utf8.firstInvalid(b, start, end) >= 0) {
                        return false;
                    }
                    copyToNative(b, start, dataAddress[column] + offset, length);
                }
                offset += length;
                MemoryUtil.putInt(offsets + ((long) (row + 1) << 2), offset);
                valid |= 1L << (row & 63);
            }
            if ((row & 63) == 63) {
                orBits(validity, row & ~63, valid);
                valid = 0;
            }
        }
        orBits(validity, (to - 1) & ~63, valid);
        return true;
    }

    private boolean convertAny(int column, int from, int to) {
        final int[] fieldStarts = spans.fieldStarts;
        final int[] fieldEnds = spans.fieldEnds;
        final byte[] fieldFlags = spans.fieldFlags;
        final int[] recordFirstField = spans.recordFirstField;
        for (int row = from; row < to; row++) {
            int index = recordFirstField[row] + column;
            if (convertField(column, row, fieldStarts[index], fieldEnds[index], fieldFlags[index], index) != OK) {
                return false;
            }
        }
        return true;
    }

    private int convertRows(int found) {
        final int columns = types.length;
        final int[] fieldStarts = spans.fieldStarts;
        final int[] fieldEnds = spans.fieldEnds;
        final byte[] fieldFlags = spans.fieldFlags;
        final int[] recordFirstField = spans.recordFirstField;
        int out = 0;
        for (int row = 0; row < found; row++) {
            int first = recordFirstField[row];
            int fieldCount = recordFirstField[row + 1] - first;
            if (spans.isMalformed(row)) {
                rejectUnclosed(row, fieldCount - 1);
                continue;
            }
            if (fieldCount != columns) {
                rejectFieldCount(row, fieldCount);
                continue;
            }
            int column = 0;
            int status = OK;
            for (; column < columns; column++) {
                int index = first + column;
                status = convertField(column, out, fieldStarts[index], fieldEnds[index], fieldFlags[index], index);
                if (status != OK) {
                    break;
                }
            }
            if (status != OK) {
                rejectField(row, column, status);
                continue;
            }
            out++;
        }
        recordsIn += found;
        rowsOut += out;
        return out;
    }

    private int convertField(int column, int row, int start, int end, byte flags, int index) {
        byte[] b = spans.buffer;
        if ((flags & RowSpans.QUOTED) == 0) {
            if (dialect.isNullToken(b, start, end)) {
                if (!nullable[column]) {
                    return NULL_NOT_ALLOWED;
                }
                if (types[column] == T_STRING) {
                    long offsets = offsetAddress[column] + ((long) row << 2);
                    MemoryUtil.putInt(offsets + 4, MemoryUtil.getInt(offsets));
                }
                clearBit(validityAddress[column], row);
                return OK;
            }
        }
        if ((flags & RowSpans.DECODE) != 0) {
            if (scratch.length < end - start) {
                scratch = new byte[Math.max(end - start, scratch.length * 2)];
            }
            end = spans.decode(index, scratch);
            start = 0;
            b = scratch;
        }
        ValueParser p = parser;
        switch (types[column]) {
            case T_LONG:
                if (!p.parseLong(b, start, end)) {
                    return UNPARSEABLE;
                }
                MemoryUtil.putLong(dataAddress[column] + ((long) row << 3), p.longValue);
                break;
            case T_DOUBLE:
                if (!p.parseDouble(b, start, end)) {
                    return UNPARSEABLE;
                }
                MemoryUtil.putLong(dataAddress[column] + ((long) row << 3), Double.doubleToRawLongBits(p.doubleValue));
                break;
            case T_STRING: {
                if (utf8) {
                    if (Utf8.firstInvalid(b, start, end) >= 0) {
                        return INVALID_ENCODING;
                    }
                } else if (!isAscii(b, start, end)) {
                    int converted = toUtf8(b, start, end);
                    if (converted < 0) {
                        return INVALID_ENCODING;
                    }
                    b = utf8Scratch;
                    start = 0;
                    end = converted;
                }
                // offsets and bytes written directly; lastSet is fixed up once per batch
                long offsets = offsetAddress[column] + ((long) row << 2);
                int offset = MemoryUtil.getInt(offsets);
                int length = end - start;
                if (offset + length > dataCapacity[column]) {
                    growData(column, offset + length);
                }
                copyToNative(b, start, dataAddress[column] + offset, length);
                MemoryUtil.putInt(offsets + 4, offset + length);
                break;
            }
            case T_TIMESTAMP_LOCAL:
                if (!p.parseLocalTimestamp(b, start, end) || (millis[column] && p.longValue % 1000 != 0)) {
                    return UNPARSEABLE; // not a timestamp, or finer than the column's milliseconds
                }
                MemoryUtil.putLong(dataAddress[column] + ((long) row << 3), p.longValue);
                break;
            case T_TIMESTAMP_INSTANT:
                if (!p.parseInstant(b, start, end) || (millis[column] && p.longValue % 1000 != 0)) {
                    return UNPARSEABLE;
                }
                MemoryUtil.putLong(dataAddress[column] + ((long) row << 3), p.longValue);
                break;
            case T_DATE:
                if (!p.parseDate(b, start, end)) {
                    return UNPARSEABLE;
                }
                MemoryUtil.putInt(dataAddress[column] + ((long) row << 2), p.intValue);
                break;
            case T_BOOLEAN:
                if (!p.parseBoolean(b, start, end)) {
                    return UNPARSEABLE;
                }
                if (p.booleanValue) {
                    setBit(dataAddress[column], row);
                } else {
                    clearBit(dataAddress[column], row);
                }
                break;
            default:
                throw new IllegalStateException("Unknown type code " + types[column]);
        }
        setBit(validityAddress[column], row);
        return OK;
    }

    private static boolean isAscii(byte[] b, int start, int end) {
        for (int i = start; i < end; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Converts {@code b[start, end)} from the record charset into {@link #utf8Scratch}; returns
     * the UTF-8 length, or -1 when a byte does not decode.
     */
    private int toUtf8(byte[] b, int start, int end) {
        int length = end - start;
        if (latin1) {
            if (utf8Scratch.length < 2 * length) {
                utf8Scratch = new byte[Math.max(2 * length, 2 * utf8Scratch.length)];
            }
            byte[] out = utf8Scratch;
            int n = 0;
            for (int i = start; i < end; i++) {
                int c = b[i] & 0xff;
                if (c < 0x80) {
                    out[n++] = (byte) c;
                } else {
                    out[n++] = (byte) (0xc0 | (c >> 6));
                    out[n++] = (byte) (0x80 | (c & 0x3f));
                }
            }
            return n;
        }
        int maxChars = (int) (length * (double) decoder.maxCharsPerByte()) + 1;
        if (chars.capacity() < maxChars) {
            chars = CharBuffer.allocate(Math.max(maxChars, 2 * chars.capacity()));
        }
        if (utf8Scratch.length < 3 * maxChars) {
            utf8Scratch = new byte[Math.max(3 * maxChars, 2 * utf8Scratch.length)];
        }
        chars.clear();
        decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(b, start, length);
        if (decoder.decode(in, chars, true).isError() || decoder.flush(chars).isError()) {
            return -1;
        }
        chars.flip();
        encoder.reset();
        ByteBuffer out = ByteBuffer.wrap(utf8Scratch);
        CoderResult result = encoder.encode(chars, out, true);
        if (result.isError() || encoder.flush(out).isError()) {
            return -1;
        }
        return out.position();
    }

    private void growData(int column, long needed) {
        VarCharVector vector = (VarCharVector) vectors[column];
        while (vector.getDataBuffer().capacity() < needed) {
            vector.reallocDataBuffer();
        }
        dataAddress[column] = vector.getDataBuffer().memoryAddress();
        dataCapacity[column] = vector.getDataBuffer().capacity();
    }

    /** Copies {@code source[start, start + 32)}, which must exist, to {@code target}; returns the OR of the four words. */
    private static long copy32ToNative(byte[] source, int start, long target) {
        long w0 = (long) NATIVE_LONGS.get(source, start);
        long w1 = (long) NATIVE_LONGS.get(source, start + 8);
        long w2 = (long) NATIVE_LONGS.get(source, start + 16);
        long w3 = (long) NATIVE_LONGS.get(source, start + 24);
        MemoryUtil.putLong(target, w0);
        MemoryUtil.putLong(target + 8, w1);
        MemoryUtil.putLong(target + 16, w2);
        MemoryUtil.putLong(target + 24, w3);
        return w0 | w1 | w2 | w3;
    }

    /** Copies short values with 8-byte moves; Unsafe.copyMemory's checks cost more than they copy. */
    private static void copyToNative(byte[] source, int start, long target, int length) {
        if (length >= 64) {
            MemoryUtil.copyToMemory(source, start, target, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            MemoryUtil.putLong(target + i, (long) NATIVE_LONGS.get(source, start + i));
        }
        for (; i < length; i++) {
            MemoryUtil.putByte(target + i, source[start + i]);
        }
    }

    /** Sets the validity bits {@code bits} of rows {@code firstRow..firstRow+63} (firstRow a multiple of 64), byte by byte. */
    private static void orBits(long address, int firstRow, long bits) {
        long a = address + (firstRow >> 3);
        for (int k = 0; bits != 0; k++, bits >>>= 8) {
            byte part = (byte) bits;
            if (part != 0) {
                MemoryUtil.putByte(a + k, (byte) (MemoryUtil.getByte(a + k) | part));
            }
        }
    }

    private static void setBit(long address, int index) {
        long a = address + (index >> 3);
        MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) | (1 << (index & 7))));
    }

    private static void clearBit(long address, int index) {
        long a = address + (index >> 3);
        MemoryUtil.putByte(a, (byte) (MemoryUtil.getByte(a) & ~(1 << (index & 7))));
    }

    private void rejectField(int row, int column, int status) {
        if (rejectInvalidEncoding(row)) {
            return;
        }
        Column c = schema.column(column);
        String value = spans.fieldAsString(row, column);
        long line = spans.line(row);
        long offset = spans.byteOffset(row);
        String raw = spans.recordText(row);
        reject(status == NULL_NOT_ALLOWED
                ? BadRecord.nullNotAllowed(c, column, value, line, offset, raw)
                : BadRecord.unparseable(c, column, value, line, offset, raw));
    }

    private void rejectUnclosed(int row, int field) {
        if (rejectInvalidEncoding(row)) {
            return;
        }
        String name = field < schema.size() ? schema.column(field).name() : "";
        reject(BadRecord.unclosedQuote(name, field, spans.fieldAsString(row, field), spans.line(row), spans.byteOffset(row), spans.recordText(row)));
    }

    private void rejectFieldCount(int row, int fieldCount) {
        if (rejectInvalidEncoding(row)) {
            return;
        }
        reject(BadRecord.fieldCount(types.length, fieldCount, spans.line(row), spans.byteOffset(row), spans.recordText(row)));
    }

    /**
     * Rejects the record as {@link BadRecord.Reason#INVALID_ENCODING} when it holds bytes its
     * charset does not decode, whatever else is wrong with it: the first such byte names the
     * column (the field it is in) and the byte offset. Returns false when every byte decodes.
     */
    private boolean rejectInvalidEncoding(int row) {
        int recordStart = spans.recordStart(row);
        int at = Utf8.firstUndecodable(spans.buffer, recordStart, spans.recordEnd(row), charset);
        if (at < 0) {
            return false;
        }
        int first = spans.recordFirstField[row];
        int fields = spans.recordFirstField[row + 1] - first;
        int column = -1; // the field the byte is in: the last one starting at or before it
        for (int k = fields - 1; k >= 0; k--) {
            if (spans.fieldStarts[first + k] <= at) {
                column = k;
                break;
            }
        }
        int fieldStart = column < 0 ? recordStart : spans.fieldStarts[first + column];
        int fieldEnd = column < 0 ? spans.recordEnd(row) : Math.max(spans.fieldEnds[first + column], at + 1);
        String name = column >= 0 && column < schema.size() ? schema.column(column).name() : "";
        long offset = spans.byteOffset(row);
        reject(BadRecord.invalidEncoding(name, column, charset, spans.buffer[at] & 0xff, offset + (at - recordStart),
                Utf8.describe(spans.buffer, fieldStart, fieldEnd, charset), spans.line(row), offset,
                Utf8.describe(spans.buffer, recordStart, spans.recordEnd(row), charset)));
        return true;
    }

    private void reject(BadRecord badRecord) {
        badRecords++;
        badRecordSink.accept(badRecord);
    }

    /** Frees the batch vectors. */
    @Override
    public void close() {
        closed = true;
        root.close();
    }

    /** Builds a {@link BatchBuilder}; validated in {@link #build()}. */
    public static final class Builder {
        private final TableSchema schema;
        private final BufferAllocator allocator;
        private CsvDialect dialect = CsvDialect.defaults();
        private int batchRows = BATCH_ROWS_DEFAULT;
        private BadRecordSink badRecordSink;

        private Builder(TableSchema schema, BufferAllocator allocator) {
            this.schema = requireNonNull(schema, "schema is null");
            this.allocator = requireNonNull(allocator, "allocator is null");
        }

        public Builder dialect(CsvDialect dialect) {
            this.dialect = requireNonNull(dialect, "dialect is null");
            return this;
        }

        /** Maximum rows per batch (default {@value BatchBuilder#BATCH_ROWS_DEFAULT}). */
        public Builder batchRows(int batchRows) {
            this.batchRows = batchRows;
            return this;
        }

        /** Where rejected records go; required. */
        public Builder badRecords(BadRecordSink badRecordSink) {
            this.badRecordSink = requireNonNull(badRecordSink, "badRecordSink is null");
            return this;
        }

        /**
         * @throws IllegalArgumentException when batchRows is not in [1, 1048576], or a column's type is not a CSV type
         * @throws IllegalStateException when no bad-record sink was given
         */
        public BatchBuilder build() {
            if (batchRows < 1 || batchRows > 1 << 20) {
                throw new IllegalArgumentException("batchRows must be in [1, 1048576]: " + batchRows);
            }
            if (badRecordSink == null) {
                throw new IllegalStateException("A bad-record sink is required: call badRecords(...)");
            }
            for (Column column : schema.columns()) {
                if (!column.type().isCsvType()) {
                    throw new IllegalArgumentException(csvTypesOnly(column));
                }
            }
            return new BatchBuilder(this);
        }
    }
}
