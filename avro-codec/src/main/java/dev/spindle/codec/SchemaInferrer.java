package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
    private long recordsInvalidEncoding;
    private long bytesSeen;
    private long bytesInvalid;
    private String headerProblem;
    private final Map<Integer, Long> fieldCounts = new HashMap<>();

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
        int end = spans.recordEnd(0);
        bytesSeen += end - offset;
        int invalid = Utf8.countUndecodable(buffer, offset, end, dialect.recordCharset());
        bytesInvalid += invalid;
        if (invalid > 0) {
            int at = Utf8.firstUndecodable(buffer, offset, end, dialect.recordCharset());
            headerProblem = "The header is not valid " + dialect.recordCharset().name() + ": byte " + String.format("0x%02X", buffer[at] & 0xff)
                    + " at byte " + (at - offset) + " in \"" + BadRecord.shorten(Utf8.describe(buffer, offset, end, dialect.recordCharset())) + "\"";
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
        byte[] b = spans.buffer();
        int recordStart = spans.recordStart(row);
        int recordEnd = spans.recordEnd(row);
        bytesSeen += recordEnd - recordStart;
        fieldCounts.merge(fields, 1L, Long::sum);
        int invalid = Utf8.countUndecodable(b, recordStart, recordEnd, dialect.recordCharset());
        if (invalid > 0) {
            bytesInvalid += invalid;
            recordsInvalidEncoding++; // a bad record for the job: its values must not decide a type
            return;
        }
        if (fields != candidates.length || spans.isMalformed(row)) {
            recordsSkipped++;
            return;
        }
        recordsSampled++;
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

    /** Records ignored because their field count differed or a quote was not closed (invalid-encoding ones are not counted here). */
    public long recordsSkipped() {
        return recordsSkipped;
    }

    /** Records not used because they hold bytes the charset does not decode (bad records for a job). */
    public long recordsInvalidEncoding() {
        return recordsInvalidEncoding;
    }

    /** Share of sampled records (of every field count) rejected as invalid-encoding, above which the input is not CSV in its charset. */
    static final double NOT_CSV_INVALID_RECORDS = 0.10;
    /** Share of sampled bytes (header included) that do not decode, above which the input is not CSV in its charset. */
    static final double NOT_CSV_INVALID_BYTES = 0.01;
    /** Share of sampled records with the header's field count (or the first record's), below which the input is not CSV in its dialect. */
    static final double NOT_CSV_MIN_CONSISTENT_RECORDS = 0.5;

    /**
     * Why the sample does not look like CSV in the dialect and charset, or empty when it does.
     * It does not when more than {@value #NOT_CSV_INVALID_BYTES} of the sampled bytes or
     * {@value #NOT_CSV_INVALID_RECORDS} of the records do not decode, or when fewer than
     * {@value #NOT_CSV_MIN_CONSISTENT_RECORDS} of the records have the header's field count.
     * Example: {@code does not look like CSV in UTF-8: 61% of sampled bytes invalid, 412
     * distinct field counts in 20,480 sampled rows}.
     */
    public java.util.Optional<String> notCsvReason() {
        long records = fieldCounts.values().stream().mapToLong(Long::longValue).sum();
        double invalidBytes = bytesSeen == 0 ? 0 : (double) bytesInvalid / bytesSeen;
        double invalidRecords = records == 0 ? 0 : (double) recordsInvalidEncoding / records;
        int expected = candidates == null ? -1 : candidates.length;
        long consistent = fieldCounts.getOrDefault(expected, 0L);
        boolean undecodable = invalidBytes > NOT_CSV_INVALID_BYTES || invalidRecords > NOT_CSV_INVALID_RECORDS;
        boolean ragged = records > 0 && consistent < NOT_CSV_MIN_CONSISTENT_RECORDS * records;
        if (!undecodable && !ragged) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(String.format(java.util.Locale.ROOT,
                "does not look like CSV in %s: %s of sampled bytes invalid, %,d distinct field counts in %,d sampled rows"
                        + " (%,d with the %s's %d fields)",
                dialect.recordCharset().name(), percent(invalidBytes), fieldCounts.size(), records, consistent,
                header != null ? "header" : "first record", expected));
    }

    private static String percent(double share) {
        if (share == 0) {
            return "0%";
        }
        return share < 0.01 ? String.format(java.util.Locale.ROOT, "%.2f%%", 100 * share) : Math.round(100 * share) + "%";
    }

    /**
     * The inferred schema.
     *
     * @throws IllegalStateException when neither a header nor any record was seen
     * @throws IllegalArgumentException when the header holds bytes the charset does not decode
     */
    public TableSchema result() {
        if (candidates == null) {
            throw new IllegalStateException("Cannot infer a schema: no header and no sample records were given");
        }
        if (headerProblem != null) {
            throw new IllegalArgumentException(headerProblem);
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
