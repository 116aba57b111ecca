package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.Set;

/**
 * Guesses a file's dialect from a sample of its first bytes, like DuckDB's {@code sniff_csv()}:
 * delimiter among {@code , \t | ; ^}, quote among {@code " '}, escape mode, header yes/no and
 * line ending.
 *
 * <p>Method: every (delimiter, quote, escape) candidate tokenizes the sample; a candidate that
 * splits records into more than one field beats one that does not; then the candidate whose
 * most common field count covers the most records wins, then the one with more columns, then
 * the earlier candidate (comma, double quote and doubled quotes first). A last record
 * without a terminator is ignored unless the sample is the whole file. The header is present
 * when some column's type inferred from records 2..n rejects record 1's value, or when every
 * column is a string and record 1's values are non-empty and distinct.
 */
public final class DialectSniffer {

    private static final char[] DELIMITERS = {',', '\t', '|', ';', '^'};
    private static final char[] QUOTES = {'"', '\''};
    private static final int MAX_RECORDS = 1000;

    /** The most common line terminator of the sample. */
    public enum LineEnding {
        LF("\n"), CRLF("\r\n"), CR("\r");

        private final String text;

        LineEnding(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }
    }

    /**
     * What was sniffed.
     *
     * @param dialect the dialect (null tokens and charset are the defaults)
     * @param lineEnding the line ending (LF when the sample has none)
     * @param columns the number of fields of the sample's records
     * @param recordsSampled records the guess is based on
     */
    public record Result(CsvDialect dialect, LineEnding lineEnding, int columns, int recordsSampled) {
        public Result {
            requireNonNull(dialect, "dialect is null");
            requireNonNull(lineEnding, "lineEnding is null");
        }
    }

    private DialectSniffer() {
    }

    /**
     * Sniffs {@code length} bytes of a file's beginning (a UTF-8 BOM is skipped).
     *
     * @param extent whether the sample is the entire file (its last record is then complete) or a prefix
     * @throws IllegalArgumentException when the sample holds no record
     */
    public static Result sniff(byte[] sample, int offset, int length, SampleExtent extent) {
        requireNonNull(sample, "sample is null");
        requireNonNull(extent, "extent is null");
        int start = offset;
        int end = offset + length;
        if (end - start >= 3 && (sample[start] & 0xff) == 0xEF && (sample[start + 1] & 0xff) == 0xBB && (sample[start + 2] & 0xff) == 0xBF) {
            start += 3;
        }
        if (extent == SampleExtent.PREFIX) {
            // cut after the last line terminator: the record after it may be partial
            int cut = end;
            while (cut > start && sample[cut - 1] != '\n' && sample[cut - 1] != '\r') {
                cut--;
            }
            if (cut > start) {
                end = cut;
            }
        }
        CsvDialect best = null;
        int bestRows = -1;
        int bestColumns = -1;
        RowSpans spans = new RowSpans();
        for (CsvDialect.EscapeMode escape : CsvDialect.EscapeMode.values()) {
            for (char quote : QUOTES) {
                for (char delimiter : DELIMITERS) {
                    CsvDialect candidate = CsvDialect.builder().delimiter(delimiter).quote(quote).escapeMode(escape).withoutHeader().build();
                    CsvTokenizer tokenizer = new CsvTokenizer(candidate);
                    tokenizer.reset(sample, start, end - start, 0, 1);
                    int found = tokenizer.next(spans, MAX_RECORDS);
                    int[] score = score(spans, found);
                    boolean split = score[1] > 1;
                    boolean bestSplit = bestColumns > 1;
                    if (split != bestSplit ? split
                            : score[0] > bestRows || (score[0] == bestRows && score[1] > bestColumns)) {
                        best = candidate;
                        bestRows = score[0];
                        bestColumns = score[1];
                    }
                }
            }
        }
        if (bestRows <= 0) {
            throw new IllegalArgumentException("Cannot sniff a dialect: the sample of " + length + " bytes holds no record");
        }
        boolean header = hasHeader(best, sample, start, end);
        CsvDialect dialect = header ? best.toBuilder().withHeader().build() : best;
        return new Result(dialect, lineEnding(sample, start, end, best.quote()), bestColumns, bestRows);
    }

    /** Whether the sample is the whole file or only its beginning. */
    public enum SampleExtent {
        /** The sample is the entire file: its last record is complete even without a terminator. */
        WHOLE_FILE,
        /** The sample is a prefix: bytes after its last line terminator are ignored. */
        PREFIX
    }

    /** {records with the modal field count, that count}; malformed records disqualify nothing but do not count. */
    private static int[] score(RowSpans spans, int found) {
        int[] counts = new int[64];
        int modal = 0;
        int modalRows = 0;
        for (int row = 0; row < found; row++) {
            if (spans.isMalformed(row)) {
                continue;
            }
            int fields = spans.fieldCount(row);
            if (fields >= counts.length) {
                counts = java.util.Arrays.copyOf(counts, fields * 2);
            }
            counts[fields]++;
            if (counts[fields] > modalRows || (counts[fields] == modalRows && fields > modal)) {
                modal = fields;
                modalRows = counts[fields];
            }
        }
        return new int[] {modalRows, modal};
    }

    private static boolean hasHeader(CsvDialect dialect, byte[] sample, int start, int end) {
        CsvTokenizer tokenizer = new CsvTokenizer(dialect);
        RowSpans first = new RowSpans();
        tokenizer.reset(sample, start, end - start, 0, 1);
        if (tokenizer.next(first, 1) == 0) {
            return false;
        }
        int rest = first.recordEnd(0);
        if (rest < end && sample[rest] == '\r') {
            rest++;
        }
        if (rest < end && sample[rest] == '\n') {
            rest++;
        }
        int columns = first.fieldCount(0);
        if (rest >= end) {
            return allDistinctNonEmptyStrings(first, columns);
        }
        SchemaInferrer inferrer = new SchemaInferrer(dialect);
        inferrer.sample(sample, rest, end - rest, rest, 2);
        TableSchema body;
        try {
            body = inferrer.result();
        } catch (IllegalStateException e) {
            return allDistinctNonEmptyStrings(first, columns);
        }
        if (body.size() != columns) {
            return false;
        }
        boolean allStrings = true;
        ValueParser parser = new ValueParser();
        byte[] b = first.buffer();
        for (int column = 0; column < columns; column++) {
            ColumnType type = body.column(column).type();
            if (type == ColumnType.STRING) {
                continue;
            }
            allStrings = false;
            int s = first.fieldStart(0, column);
            int e = first.fieldEnd(0, column);
            if (!first.isQuoted(0, column) && dialect.isNullToken(b, s, e)) {
                continue;
            }
            if (!parses(parser, type, b, s, e)) {
                return true;
            }
        }
        return allStrings && allDistinctNonEmptyStrings(first, columns);
    }

    private static boolean parses(ValueParser parser, ColumnType type, byte[] b, int s, int e) {
        switch (type) {
            case BOOLEAN:
                return parser.parseBoolean(b, s, e);
            case LONG:
                return parser.parseLong(b, s, e);
            case DOUBLE:
                return parser.parseDouble(b, s, e);
            case DATE:
                return parser.parseDate(b, s, e);
            case TIMESTAMP_LOCAL:
                return parser.parseLocalTimestamp(b, s, e);
            case TIMESTAMP_INSTANT:
                return parser.parseInstant(b, s, e);
            default:
                return true;
        }
    }

    private static boolean allDistinctNonEmptyStrings(RowSpans first, int columns) {
        Set<String> seen = new HashSet<>();
        for (int column = 0; column < columns; column++) {
            String value = first.fieldAsString(0, column);
            if (value.isEmpty() || !seen.add(value)) {
                return false;
            }
        }
        return true;
    }

    private static LineEnding lineEnding(byte[] b, int start, int end, byte quote) {
        int lf = 0;
        int crlf = 0;
        int cr = 0;
        boolean quoted = false;
        for (int p = start; p < end; p++) {
            byte c = b[p];
            if (c == quote) {
                quoted = !quoted;
            } else if (!quoted && c == '\n') {
                lf++;
            } else if (!quoted && c == '\r') {
                if (p + 1 < end && b[p + 1] == '\n') {
                    crlf++;
                    p++;
                } else {
                    cr++;
                }
            }
        }
        if (crlf >= lf && crlf >= cr && crlf > 0) {
            return LineEnding.CRLF;
        }
        if (cr > lf) {
            return LineEnding.CR;
        }
        return LineEnding.LF;
    }
}
