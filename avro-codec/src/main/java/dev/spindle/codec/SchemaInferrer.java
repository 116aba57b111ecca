package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * Infers a {@link TableSchema} from a header and a sample of records.
 *
 * <p>Per column it keeps the set of types every sampled non-null value still parses as and picks
 * the narrowest survivor in the order BOOLEAN, LONG, DOUBLE, DATE, TIMESTAMP_LOCAL,
 * TIMESTAMP_INSTANT; with none left the column is STRING. Consequences, decided here:
 * <ul>
 *   <li>{@code true}/{@code FALSE}/{@code True} are booleans; {@code 0}/{@code 1} are longs.</li>
 *   <li>Integers with a superfluous leading zero ({@code 007}, {@code 02134}, {@code -01},
 *       {@code 00.5}) make the column a string: they are codes, and a number would lose the
 *       zeros. {@code 0}, {@code -0}, {@code 0.5} and {@code 0e3} are numbers.</li>
 *   <li>A long column with one double ({@code 1.5}, {@code 1e5}) becomes DOUBLE.</li>
 *   <li>{@code NaN} and {@code [+-]Infinity} are doubles (Java writes them; Avro stores them).</li>
 *   <li>Dates mixed with local timestamps make TIMESTAMP_LOCAL (a date is midnight); local
 *       timestamps mixed with offset timestamps make STRING (no zone to assume).</li>
 *   <li>Timestamp columns are in milliseconds unless a sampled value has a sub-millisecond
 *       fraction ({@code .123456}); then microseconds ({@link TimestampUnit}).</li>
 *   <li>A column with any null token is nullable; a column of only nulls is a nullable STRING.
 *       Quoted values are never null tokens, and quoting does not change a value's type.</li>
 * </ul>
 *
 * <p>Column names come from the header, sanitized into unique Avro names (see {@link Column});
 * without a header they are {@code column_1..n}. The number of columns is set by the header, or
 * by the first sampled record; records with another field count, or an unclosed quote, are not
 * used and are counted in {@link #recordsSkipped()}. Bounding the sample is the caller's job.
 */
public final class SchemaInferrer {

    /** The sample bound callers should use unless configured otherwise, in records. */
    public static final int SAMPLE_RECORDS_DEFAULT = 20_480;

    private static final int BOOLEAN = 1;
    private static final int LONG = 2;
    private static final int DOUBLE = 4;
    private static final int DATE = 8;
    private static final int TIMESTAMP_LOCAL = 16;
    private static final int TIMESTAMP_INSTANT = 32;
    private static final int ALL = 63;

    private final CsvDialect dialect;
    private final CsvTokenizer tokenizer;
    private final RowSpans spans = new RowSpans();
    private final ValueParser parser = new ValueParser();
    private List<String> header;
    private int[] candidates;
    private boolean[] nullable;
    private boolean[] hasValue;
    private boolean[] subMillis;
    private byte[] scratch = new byte[256];
    private long recordsSampled;
    private long recordsSkipped;

    public SchemaInferrer(CsvDialect dialect) {
        this.dialect = requireNonNull(dialect, "dialect is null");
        this.tokenizer = new CsvTokenizer(dialect);
    }

    /**
     * Sets the column names from the header record's bytes (one record, terminator optional).
     *
     * @throws IllegalStateException when the dialect has no header, or when called twice or
     *     after records were sampled
     * @throws IllegalArgumentException when the bytes hold no record or more than one
     */
    public void header(byte[] buffer, int offset, int length) {
        if (!dialect.headerPresent()) {
            throw new IllegalStateException("The dialect has no header line; build it with withHeader() to give one");
        }
        if (header != null || candidates != null) {
            throw new IllegalStateException("The header must be given once, before any sample record");
        }
        tokenizer.reset(buffer, offset, length, 0, 1);
        if (tokenizer.next(spans, 2) != 1) {
            throw new IllegalArgumentException("Expected exactly one header record in " + length + " bytes, found " + spans.rowCount());
        }
        List<String> names = new ArrayList<>(spans.fieldCount(0));
        for (int column = 0; column < spans.fieldCount(0); column++) {
            names.add(spans.fieldAsString(0, column));
        }
        header = names;
        start(names.size());
    }

    /**
     * Samples a chunk of whole records (same contract as {@link CsvTokenizer#reset}).
     *
     * @throws IllegalStateException when the dialect has a header and {@link #header} was not called
     */
    public void sample(byte[] buffer, int offset, int length, long fileOffset, long firstLine) {
        if (dialect.headerPresent() && header == null) {
            throw new IllegalStateException("The dialect has a header line: give it with header(...) before sampling records");
        }
        tokenizer.reset(buffer, offset, length, fileOffset, firstLine);
        while (tokenizer.next(spans, 1024) > 0) {
            for (int row = 0; row < spans.rowCount(); row++) {
                sampleRecord(row);
            }
        }
    }

    private void sampleRecord(int row) {
        int fields = spans.fieldCount(row);
        if (candidates == null) {
            start(fields);
        }
        if (fields != candidates.length || spans.isMalformed(row)) {
            recordsSkipped++;
            return;
        }
        recordsSampled++;
        byte[] b = spans.buffer();
        int first = spans.flatIndex(row, 0);
        for (int column = 0; column < fields; column++) {
            int index = first + column;
            int start = spans.fieldStarts[index];
            int end = spans.fieldEnds[index];
            byte flags = spans.fieldFlags[index];
            if ((flags & RowSpans.QUOTED) == 0 && dialect.isNullToken(b, start, end)) {
                nullable[column] = true;
                continue;
            }
            hasValue[column] = true;
            int mask = candidates[column];
            if (mask == 0) {
                continue;
            }
            byte[] source = b;
            if ((flags & RowSpans.DECODE) != 0) {
                if (scratch.length < end - start) {
                    scratch = new byte[end - start];
                }
                end = spans.decode(index, scratch);
                start = 0;
                source = scratch;
            }
            candidates[column] = narrow(mask, source, start, end, column);
        }
    }

    private int narrow(int mask, byte[] b, int start, int end, int column) {
        int result = mask;
        if ((mask & BOOLEAN) != 0 && !parser.parseBoolean(b, start, end)) {
            result &= ~BOOLEAN;
        }
        if ((mask & (LONG | DOUBLE)) != 0 && ValueParser.hasLeadingZero(b, start, end)) {
            result &= ~(LONG | DOUBLE);
        }
        if ((result & LONG) != 0 && !parser.parseLong(b, start, end)) {
            result &= ~LONG;
        }
        if ((result & DOUBLE) != 0 && !parser.parseDouble(b, start, end)) {
            result &= ~DOUBLE;
        }
        if ((result & DATE) != 0 && !parser.parseDate(b, start, end)) {
            result &= ~DATE;
        }
        if ((result & TIMESTAMP_LOCAL) != 0) {
            if (!parser.parseLocalTimestamp(b, start, end)) {
                result &= ~TIMESTAMP_LOCAL;
            } else if (parser.longValue % 1000 != 0) {
                subMillis[column] = true;
            }
        }
        if ((result & TIMESTAMP_INSTANT) != 0) {
            if (!parser.parseInstant(b, start, end)) {
                result &= ~TIMESTAMP_INSTANT;
            } else if (parser.longValue % 1000 != 0) {
                subMillis[column] = true;
            }
        }
        return result;
    }

    private void start(int columns) {
        candidates = new int[columns];
        java.util.Arrays.fill(candidates, ALL);
        nullable = new boolean[columns];
        hasValue = new boolean[columns];
        subMillis = new boolean[columns];
    }

    /** Records used for inference so far. */
    public long recordsSampled() {
        return recordsSampled;
    }

    /** Records ignored because their field count differed or a quote was not closed. */
    public long recordsSkipped() {
        return recordsSkipped;
    }

    /**
     * The inferred schema.
     *
     * @throws IllegalStateException when neither a header nor any record was seen
     */
    public TableSchema result() {
        if (candidates == null) {
            throw new IllegalStateException("Cannot infer a schema: no header and no sample records were given");
        }
        List<String> originals = new ArrayList<>(candidates.length);
        for (int i = 0; i < candidates.length; i++) {
            originals.add(header != null ? header.get(i) : "column_" + (i + 1));
        }
        List<String> names = AvroNames.sanitizeAll(originals);
        List<Column> columns = new ArrayList<>(candidates.length);
        for (int i = 0; i < candidates.length; i++) {
            ColumnType type = hasValue[i] ? narrowest(candidates[i]) : ColumnType.STRING;
            TimestampUnit unit = subMillis[i] ? TimestampUnit.MICROS : TimestampUnit.MILLIS;
            columns.add(new Column(names.get(i), originals.get(i), type, nullable[i] || !hasValue[i], unit));
        }
        return new TableSchema(columns);
    }

    private static ColumnType narrowest(int mask) {
        if ((mask & BOOLEAN) != 0) {
            return ColumnType.BOOLEAN;
        }
        if ((mask & LONG) != 0) {
            return ColumnType.LONG;
        }
        if ((mask & DOUBLE) != 0) {
            return ColumnType.DOUBLE;
        }
        if ((mask & DATE) != 0) {
            return ColumnType.DATE;
        }
        if ((mask & TIMESTAMP_LOCAL) != 0) {
            return ColumnType.TIMESTAMP_LOCAL;
        }
        if ((mask & TIMESTAMP_INSTANT) != 0) {
            return ColumnType.TIMESTAMP_INSTANT;
        }
        return ColumnType.STRING;
    }
}
