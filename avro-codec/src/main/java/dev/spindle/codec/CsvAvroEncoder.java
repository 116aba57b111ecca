package dev.spindle.codec;

import static dev.spindle.codec.CsvTokenizer.HIGHS;
import static dev.spindle.codec.CsvTokenizer.ONES;
import static dev.spindle.codec.CsvTokenizer.startsWith;
import static dev.spindle.codec.CsvTokenizer.zeroBytes;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes plain CSV records straight into Avro binary datums: tokenizing, parsing and encoding
 * in one pass over the bytes, with no field spans and no Arrow vectors in between.
 *
 * <p><b>HOT LOOP: trades readability for speed</b> (state in locals, type codes in an int array,
 * fields found 8 bytes at a time, values parsed by {@link ValueParser} straight from the buffer
 * and written into the Avro block buffer; no allocation per record). Measure changes with
 * {@code CsvToAvroBenchmark}.
 *
 * <p>It takes only records it can encode exactly as the general path would ({@link CsvTokenizer}
 * → {@link BatchBuilder} → {@link AvroRowEncoder}), and stops at the first other one, leaving
 * it to that path. A record is taken when it has exactly the schema's field count and every
 * field is unquoted, or quoted with no doubled quote, no line break and nothing after the
 * closing quote; and every value parses as its column's type or is a null token in a nullable
 * column. Blank lines are skipped as the tokenizer skips them. The rest (comment lines, ragged
 * records, quoted line breaks, escapes, values that do not parse) stops the encoder; so it never
 * decides that a record is bad, and the general path reports it with its line and offset.
 *
 * <p>What it takes it reads by Spindle's one CSV grammar ({@code docs/architecture.md}, "The CSV
 * grammar", as {@link CsvTokenizer} does): records end at LF, CR or CRLF; a quote opens a field
 * only as its first byte.
 *
 * <p>With a {@link RawRecordFilter} (a job's {@code --filter}) it captures the values of the
 * columns the filter reads into a {@link RawRecord} as it parses them, asks the filter once the
 * last of them is parsed, and for a record the filter drops takes back what it encoded of it and
 * encodes nothing more, but still reads the record to its end and checks every value as above:
 * a record that would not convert goes to the general path whether or not the filter keeps it,
 * so its reject (reason, line, column) is the one it always had.
 *
 * <p>Used only when the records are UTF-8 (strings are copied as they are once
 * {@link Utf8#firstInvalid} found them well-formed; a string that is not stops the encoder), the escape is the
 * doubled quote, and the written columns keep the table's order ({@link #supports}).
 */
final class CsvAvroEncoder {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long BELOW_14 = ONES * 14;

    private static final int T_BOOLEAN = ColumnType.BOOLEAN.ordinal();
    private static final int T_LONG = ColumnType.LONG.ordinal();
    private static final int T_DOUBLE = ColumnType.DOUBLE.ordinal();
    private static final int T_DATE = ColumnType.DATE.ordinal();
    private static final int T_TIMESTAMP_LOCAL = ColumnType.TIMESTAMP_LOCAL.ordinal();
    private static final int T_TIMESTAMP_INSTANT = ColumnType.TIMESTAMP_INSTANT.ordinal();
    private static final int T_STRING = ColumnType.STRING.ordinal();

    private final CsvDialect dialect;
    private final byte delimiter;
    private final long delimiterMask;
    private final byte quote;
    private final long quoteMask;
    private final byte[] comment;
    private final int[] types;
    private final boolean[] nullable;
    private final boolean[] written;
    private final boolean[] millis;
    private final boolean[] nullTokenParses;
    /** Per column: the type code when its values are parsed before their end is known, else -1. */
    private final int[] fusedType;
    private final int maxFixedBytes;
    private final ValueParser parser = new ValueParser();
    /** The filter asked about each record, or null to encode every record. */
    private final RawRecordFilter filter;
    /** The values the filter reads; null without a filter. */
    private final RawRecord raw;
    /** The end of the run of ASCII bytes found so far in the records being encoded (see {@link #wellFormed}). */
    private int asciiEnd;
    /** Per column: the filter reads it (its value goes to {@link #raw}). */
    private final boolean[] filtered;
    /** The column after which the filter has all it reads and is asked; -1 without a filter. */
    private final int testAfter;

    /** Records encoded by the last {@link #encode} call. */
    int rows;
    /** Records the filter dropped in the last {@link #encode} call (read whole, checked, not encoded). */
    int rowsFiltered;
    /** Physical line of the next record after the last {@link #encode} call. */
    long line;

    /**
     * @param table the columns of the records, in file order
     * @param file the columns written: a subsequence of {@code table} (see {@link #supports})
     */
    CsvAvroEncoder(TableSchema table, CsvDialect dialect, TableSchema file) {
        this(table, dialect, file, null);
    }

    /**
     * @param table the columns of the records, in file order
     * @param file the columns written: a subsequence of {@code table} (see {@link #supports})
     * @param filter asked about every record once the columns it reads are parsed; a record it
     *     drops is still read to its end and every value checked (so a record that does not
     *     convert still goes to the general path, which rejects it), but nothing more of it is
     *     encoded. Null: every record is encoded
     */
    CsvAvroEncoder(TableSchema table, CsvDialect dialect, TableSchema file, RawRecordFilter filter) {
        if (!supports(table, dialect, file)) {
            throw new IllegalArgumentException("Records of " + dialect + " written as " + file.names() + " need the general path");
        }
        this.dialect = dialect;
        this.delimiter = dialect.delimiter();
        this.delimiterMask = ONES * (delimiter & 0xff);
        this.quote = dialect.quote();
        this.quoteMask = ONES * (quote & 0xff);
        this.comment = dialect.commentPrefix().map(p -> p.getBytes(StandardCharsets.UTF_8)).orElse(null);
        int n = table.size();
        this.types = new int[n];
        this.nullable = new boolean[n];
        this.written = new boolean[n];
        this.millis = new boolean[n];
        this.nullTokenParses = new boolean[n];
        this.fusedType = new int[n];
        // a value parsed before its end is known ends where the parse stops only if the
        // delimiter cannot be part of a number or timestamp
        boolean delimiterEndsNumbers = !Character.isLetterOrDigit(delimiter) && "+-.: ".indexOf(delimiter) < 0;
        for (int i = 0; i < n; i++) {
            Column column = table.column(i);
            types[i] = column.type().ordinal();
            nullable[i] = column.nullable();
            millis[i] = column.millis();
            written[i] = file.names().contains(column.name());
            nullTokenParses[i] = anyNullTokenParses(dialect, types[i]);
            boolean fusable = types[i] == T_DOUBLE || types[i] == T_LONG || types[i] == T_TIMESTAMP_LOCAL;
            fusedType[i] = fusable && delimiterEndsNumbers && !nullTokenParses[i] ? types[i] : -1;
        }
        this.maxFixedBytes = 11 * n;
        this.filter = filter;
        this.filtered = new boolean[n];
        int last = -1;
        if (filter != null) {
            for (int column : filter.columns()) {
                if (column < 0 || column >= n) {
                    throw new IllegalArgumentException("Filter column #" + column + " outside the table's " + n + " columns");
                }
                filtered[column] = true;
                last = Math.max(last, column);
            }
            if (last < 0) {
                throw new IllegalArgumentException("A filter that reads no column: " + filter);
            }
        }
        this.testAfter = last;
        this.raw = filter == null ? null : new RawRecord(n);
    }

    /**
     * True when records of {@code table} in {@code dialect} can be written here as {@code file}:
     * UTF-8 records, the doubled-quote escape, and file columns that are columns of
     * {@code table} (same name, type, nullability and timestamp unit) in the table's order.
     */
    static boolean supports(TableSchema table, CsvDialect dialect, TableSchema file) {
        if (!dialect.recordCharset().equals(StandardCharsets.UTF_8) || dialect.escapeMode() != CsvDialect.EscapeMode.DOUBLED) {
            return false;
        }
        int previous = -1;
        List<String> names = table.names();
        for (int i = 0; i < file.size(); i++) {
            Column column = file.column(i);
            int index = names.indexOf(column.name());
            if (index <= previous || table.column(index).type() != column.type() || table.column(index).nullable() != column.nullable()
                    || table.column(index).timestampUnit() != column.timestampUnit()) {
                return false;
            }
            previous = index;
        }
        return file.size() > 0;
    }

    /** True when a non-empty null token would also parse as a value of type {@code type}. */
    private static boolean anyNullTokenParses(CsvDialect dialect, int type) {
        ValueParser p = new ValueParser();
        for (String token : dialect.nullTokens()) {
            byte[] bytes = token.getBytes(StandardCharsets.UTF_8);
            int end = bytes.length;
            byte[] b = Arrays.copyOf(bytes, end + 16); // the parsers read 8 bytes at a time
            if (end == 0) {
                continue;
            }
            boolean parses = type == T_STRING
                    || (type == T_BOOLEAN && p.parseBoolean(b, 0, end))
                    || (type == T_LONG && p.parseLong(b, 0, end))
                    || (type == T_DOUBLE && p.parseDouble(b, 0, end))
                    || (type == T_DATE && p.parseDate(b, 0, end))
                    || (type == T_TIMESTAMP_LOCAL && p.parseLocalTimestamp(b, 0, end))
                    || (type == T_TIMESTAMP_INSTANT && p.parseInstant(b, 0, end));
            if (parses) {
                return true;
            }
        }
        return false;
    }

    /**
     * Encodes the records of {@code b[p, end)} that start at {@code p}, appending their datums to
     * {@code out}'s buffer, until a record needs the general path, the chunk ends, or the buffer
     * holds at least {@code limitBytes}. Sets {@link #rows} and {@link #line}.
     *
     * @param firstLine physical line of the record at {@code p}
     * @return the index of the first record not encoded ({@code end} when all were)
     */
    int encode(byte[] b, int p, final int end, long firstLine, AvroRowEncoder out, int limitBytes) {
        final int columns = types.length;
        final int[] type = this.types;
        final boolean[] isNullable = this.nullable;
        final boolean[] isWritten = this.written;
        final boolean[] isMillis = this.millis;
        final byte d = delimiter;
        final byte q = quote;
        final ValueParser parser = this.parser;
        final boolean[] isFiltered = this.filtered;
        final RawRecord raw = this.raw;
        final int testAfter = this.testAfter;
        if (raw != null) {
            raw.buffer = b;
        }
        int dropped = 0;
        boolean drop = false;
        byte[] o = out.buffer;
        int w = out.length;
        long ln = firstLine;
        int count = 0;
        int recordStart = p;
        int recordOut = w;
        boolean inRecord = false;
        asciiEnd = p;

        records:
        while (p < end && w < limitBytes) {
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
                break;
            }
            if (o.length - w < maxFixedBytes) {
                o = Arrays.copyOf(o, Math.max(o.length * 2, w + maxFixedBytes));
            }
            recordStart = p;
            recordOut = w;
            inRecord = true;
            drop = false;
            for (int column = 0;; ) {
                int start = p;
                int fieldEnd;
                boolean quoted = false;
                boolean parsed = false;
                if (p < end && b[p] == q) {
                    // quoted: only the simple form, the content up to the next quote
                    start = ++p;
                    p = find(b, p, end, q, quoteMask);
                    if (p >= end || b[p] != q || (p + 1 < end && b[p + 1] == q)) {
                        break records; // unclosed, a line break inside, or a doubled quote
                    }
                    fieldEnd = p++;
                    quoted = true;
                    if (p < end && (c = b[p]) != d && c != '\n' && c != '\r') {
                        break records; // text after the closing quote
                    }
                } else {
                    // a common number or timestamp is parsed where it starts, its end found by
                    // the parse; anything else is found first, then parsed below
                    final int f = fusedType[column];
                    int after = -1;
                    if (f == T_DOUBLE) {
                        after = parser.scanShortDecimal(b, p, end);
                    } else if (f == T_LONG) {
                        after = parser.scanShortLong(b, p, end);
                    } else if (f == T_TIMESTAMP_LOCAL && p + 19 <= end && parser.parseLocalTimestamp(b, p, p + 19)) {
                        after = p + 19;
                    }
                    if (after >= 0 && (after == end || (c = b[after]) == d || c == '\n' || c == '\r')) {
                        p = after;
                        parsed = true;
                    } else {
                        p = find(b, p, end, d, delimiterMask);
                    }
                    fieldEnd = p;
                }
                // b[p] is now the delimiter or a line break, or p == end
                final int t = type[column];
                final boolean keep = isWritten[column] && !drop;
                final boolean reads = isFiltered[column];
                if (!quoted && !parsed && (t == T_STRING || fieldEnd == start || nullTokenParses[column]) && dialect.isNullToken(b, start, fieldEnd)) {
                    if (!isNullable[column]) {
                        break records;
                    }
                    if (keep) {
                        o[w++] = 0; // union branch 0: null
                    }
                    if (reads) {
                        raw.nulls[column] = true;
                    }
                } else {
                    if (keep && isNullable[column]) {
                        o[w++] = 2; // union branch 1: the value
                    }
                    if (t == T_DOUBLE) {
                        if (!parsed && !parser.parseDouble(b, start, fieldEnd)) {
                            if (quoted || !isNullable[column] || !dialect.isNullToken(b, start, fieldEnd)) {
                                break records;
                            }
                            if (keep) {
                                o[w - 1] = 0;
                            }
                            if (reads) {
                                raw.nulls[column] = true;
                            }
                        } else {
                            if (keep) {
                                LONGS.set(o, w, Double.doubleToRawLongBits(parser.doubleValue));
                                w += 8;
                            }
                            if (reads) {
                                raw.nulls[column] = false;
                                raw.doubles[column] = parser.doubleValue;
                            }
                        }
                    } else if (t == T_STRING) {
                        if (reads) {
                            raw.nulls[column] = false;
                            raw.starts[column] = start;
                            raw.ends[column] = fieldEnd;
                        }
                        // a value that is not UTF-8 stops the encoder (the general path rejects it
                        // as invalid-encoding); the bytes already appended are dropped with the record
                        if (keep) {
                            int length = fieldEnd - start;
                            if (o.length - w < length + maxFixedBytes) {
                                o = Arrays.copyOf(o, Math.max(o.length * 2, w + length + maxFixedBytes));
                            }
                            w = AvroRowEncoder.writeLong(o, w, length);
                            if (length <= 32 && start + 32 <= b.length && w + 32 <= o.length) {
                                // short value, room on both sides: 32 bytes at once; the bytes
                                // past the value are overwritten by the next one or lie past w.
                                // The words also tell whether any byte is >= 0x80 (those past
                                // the value too: then the exact check decides)
                                long w0 = (long) LONGS.get(b, start);
                                long w1 = (long) LONGS.get(b, start + 8);
                                long w2 = (long) LONGS.get(b, start + 16);
                                long w3 = (long) LONGS.get(b, start + 24);
                                LONGS.set(o, w, w0);
                                LONGS.set(o, w + 8, w1);
                                LONGS.set(o, w + 16, w2);
                                LONGS.set(o, w + 24, w3);
                                if (((w0 | w1 | w2 | w3) & HIGHS) != 0 && !wellFormed(b, start, fieldEnd, end)) {
                                    break records;
                                }
                            } else {
                                if (!wellFormed(b, start, fieldEnd, end)) {
                                    break records;
                                }
                                System.arraycopy(b, start, o, w, length);
                            }
                            w += length;
                        } else if (!wellFormed(b, start, fieldEnd, end)) {
                            break records;
                        }
                    } else {
                        long value;
                        boolean ok;
                        if (t == T_LONG) {
                            ok = parsed || parser.parseLong(b, start, fieldEnd);
                            value = parser.longValue;
                        } else if (t == T_TIMESTAMP_LOCAL) {
                            ok = parsed || parser.parseLocalTimestamp(b, start, fieldEnd);
                            value = parser.longValue;
                        } else if (t == T_TIMESTAMP_INSTANT) {
                            ok = parser.parseInstant(b, start, fieldEnd);
                            value = parser.longValue;
                        } else if (t == T_DATE) {
                            ok = parser.parseDate(b, start, fieldEnd);
                            value = parser.intValue;
                        } else {
                            ok = parser.parseBoolean(b, start, fieldEnd);
                            value = parser.booleanValue ? 1 : 0;
                        }
                        if (reads) {
                            // the value of the Arrow vector: microseconds, also for milliseconds
                            raw.nulls[column] = !ok;
                            raw.longs[column] = value;
                        }
                        if (ok && isMillis[column]) {
                            if (value % 1000 != 0) {
                                break records; // finer than the column's milliseconds: rejected by the general path
                            }
                            value /= 1000;
                        }
                        if (!ok) {
                            if (quoted || !isNullable[column] || !dialect.isNullToken(b, start, fieldEnd)) {
                                break records;
                            }
                            if (keep) {
                                o[w - 1] = 0;
                            }
                        } else if (keep) {
                            if (t == T_BOOLEAN) {
                                o[w++] = (byte) value;
                            } else {
                                w = AvroRowEncoder.writeLong(o, w, value);
                            }
                        }
                    }
                }
                if (column == testAfter && !drop && !filter.test(raw)) {
                    // dropped: its datum so far goes, the rest is only checked
                    drop = true;
                    w = recordOut;
                }
                if (++column == columns) {
                    if (p >= end) {
                        // the last record of a file without a final line break
                        inRecord = false;
                        if (drop) {
                            dropped++;
                        } else {
                            count++;
                        }
                        continue records;
                    }
                    c = b[p];
                    if (c == '\n') {
                        p++;
                    } else if (c == '\r') {
                        p = (p + 1 < end && b[p + 1] == '\n') ? p + 2 : p + 1;
                    } else {
                        break records; // more fields than columns
                    }
                    ln++;
                    inRecord = false;
                    if (drop) {
                        dropped++;
                    } else {
                        count++;
                    }
                    continue records;
                }
                if (p >= end || b[p] != d) {
                    break records; // fewer fields than columns
                }
                p++;
            }
        }
        if (inRecord) {
            // a record left for the general path: back to its start, its bytes dropped
            p = recordStart;
            w = recordOut;
        }
        out.buffer = o;
        out.length = w;
        rows = count;
        rowsFiltered = dropped;
        line = ln;
        return p;
    }

    /** Bytes looked at ahead for ASCII at a time: large enough to pay for the call, small enough to stay in cache. */
    private static final int ASCII_WINDOW = 4096;

    /**
     * Whether the string value {@code b[start, fieldEnd)} is well-formed UTF-8. ASCII is: a value
     * inside the run of ASCII bytes found ahead of it needs no check of its own; that run is found
     * a window at a time and ends at {@link #asciiEnd} (values come in order, so the run, once
     * restarted at a value's start, covers every later one up to its end). A value with a byte
     * {@code >= 0x80} is checked exactly and the run restarts after it.
     */
    private boolean wellFormed(byte[] b, int start, int fieldEnd, int end) {
        if (fieldEnd <= asciiEnd) {
            return true;
        }
        int from = Math.max(asciiEnd, start);
        asciiEnd = asciiUntil(b, from, Math.min(end, Math.max(fieldEnd, from + ASCII_WINDOW)));
        if (fieldEnd <= asciiEnd) {
            return true;
        }
        asciiEnd = fieldEnd;
        return Utf8.firstInvalid(b, start, fieldEnd) < 0;
    }

    /** The index of the first byte {@code >= 0x80} in {@code b[from, to)}, or {@code to}. */
    static int asciiUntil(byte[] b, int from, int to) {
        int i = from;
        while (i + 32 <= to
                && ((((long) LONGS.get(b, i) | (long) LONGS.get(b, i + 8) | (long) LONGS.get(b, i + 16) | (long) LONGS.get(b, i + 24))
                        & HIGHS) == 0)) {
            i += 32;
        }
        while (i + 8 <= to && ((long) LONGS.get(b, i) & HIGHS) == 0) {
            i += 8;
        }
        while (i < to && b[i] >= 0) {
            i++;
        }
        return i;
    }

    /**
     * The index of the first {@code target}, {@code \n} or {@code \r} in {@code b[p, end)}, or
     * {@code end}: 8 bytes at a time to the first {@code target} or byte below 14 (line breaks
     * among them), then byte by byte, which decides exactly.
     *
     * @param targetMask {@code target} in every byte of a long
     */
    private static int find(byte[] b, int p, int end, byte target, long targetMask) {
        while (p + 8 <= end) {
            long word = (long) LONGS.get(b, p);
            long hits = zeroBytes(word ^ targetMask) | ((word - BELOW_14) & ~word & HIGHS);
            if (hits != 0) {
                p += Long.numberOfTrailingZeros(hits) >>> 3;
                break;
            }
            p += 8;
        }
        byte c;
        while (p < end && (c = b[p]) != target && c != '\n' && c != '\r') {
            p++;
        }
        return p;
    }
}
