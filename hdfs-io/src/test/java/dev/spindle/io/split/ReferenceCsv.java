package dev.spindle.io.split;

import java.util.ArrayList;
import java.util.List;

/**
 * A whole-file parse written independently of the reader, straight from the grammar documented
 * on {@link RecordFormat} and {@link RecordRangeReader}: the truth the block tests compare with.
 */
final class ReferenceCsv {

    enum Kind {
        HEADER,
        DATA,
        SKIPPED
    }

    /**
     * One line of the file as the whole-file parse sees it.
     *
     * @param owner offset that owns it (0 for the first line, whatever the BOM)
     * @param start first byte of its content
     * @param end after its terminator
     * @param line 1-based physical line of its start
     * @param lines physical lines it spans
     */
    record Line(long owner, int start, int end, long line, long lines, Kind kind) {}

    record Parse(LineEnding lineEnding, List<Line> lines) {
        List<Line> data() {
            return lines.stream().filter(l -> l.kind() == Kind.DATA).toList();
        }

        long skipped() {
            return lines.stream().filter(l -> l.kind() == Kind.SKIPPED).count();
        }

        long totalLines() {
            return lines.stream().mapToLong(Line::lines).sum();
        }
    }

    private final byte[] file;
    private final RecordFormat format;
    private final int quote;
    private final int comment;
    private final int delimiter;
    private final boolean openQuoteRunsToEnd;
    /** Whether the last {@link #recordEnd} ran to the end of the file inside a quoted field. */
    private boolean openAtEnd;

    private ReferenceCsv(byte[] file, RecordFormat format, boolean openQuoteRunsToEnd) {
        this.file = file;
        this.format = format;
        this.openQuoteRunsToEnd = openQuoteRunsToEnd;
        this.quote = format.quote();
        this.comment = format.commentPrefix();
        this.delimiter = format.delimiter() & 0xFF;
    }

    static Parse parse(byte[] file, RecordFormat format) {
        return parse(file, format, false);
    }

    /**
     * @param openQuoteRunsToEnd whether a quoted field left open at the end of the file makes the
     *     rest of the file one record (as a reader that skips over-long records sees it); else it
     *     throws
     */
    static Parse parse(byte[] file, RecordFormat format, boolean openQuoteRunsToEnd) {
        return new ReferenceCsv(file, format, openQuoteRunsToEnd).parse();
    }

    private Parse parse() {
        int n = file.length;
        int bom = n >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF ? 3 : 0;
        LineEnding ending = LineEnding.LF;
        if (bom < n) {
            int t = recordEnd(bom, -2) - 1;
            if (!openAtEnd && t < n && t >= bom && (file[t] == '\n' || file[t] == '\r')) {
                ending = file[t] == '\n' ? LineEnding.LF : t + 1 < n && file[t + 1] == '\n' ? LineEnding.CRLF : LineEnding.CR;
            }
        }
        int term = ending == LineEnding.CR ? '\r' : '\n';
        List<Line> lines = new ArrayList<>();
        int i = bom;
        long line = 1;
        boolean first = true;
        while (i < n) {
            Kind kind;
            int end;
            int c = file[i] & 0xFF;
            if (first && format.hasHeader()) {
                kind = Kind.HEADER;
                end = recordEnd(i, term);
            } else if (c == term || c == comment || (term == '\n' && c == '\r' && i + 1 < n && file[i + 1] == '\n')) {
                kind = Kind.SKIPPED;
                end = i;
                while (end < n && file[end] != term) {
                    end++;
                }
                end = Math.min(n, end + 1);
            } else {
                kind = Kind.DATA;
                end = recordEnd(i, term);
            }
            long count = 0;
            for (int j = i; j < end; j++) {
                if (file[j] == term) {
                    count++;
                }
            }
            if (file[end - 1] != term) {
                count++;
            }
            lines.add(new Line(first ? 0 : i, i, end, line, count, kind));
            line += count;
            i = end;
            first = false;
        }
        return new Parse(ending, lines);
    }

    private boolean isTerminator(int c, int term) {
        return term == -2 ? c == '\n' || c == '\r' : c == term;
    }

    /** End (after the terminator) of the record at {@code i}; term -2 means CR or LF. */
    private int recordEnd(int i, int term) {
        int n = file.length;
        int p = i;
        if (p < n && (file[p] & 0xFF) == comment) {
            while (p < n && !isTerminator(file[p] & 0xFF, term)) {
                p++;
            }
            return Math.min(n, p + 1);
        }
        while (true) {
            if (p < n && (file[p] & 0xFF) == quote) {
                p++;
                while (true) {
                    if (p >= n) {
                        if (openQuoteRunsToEnd) {
                            openAtEnd = true;
                            return n;
                        }
                        throw new IllegalArgumentException("unterminated quote in record at " + i);
                    }
                    int c = file[p] & 0xFF;
                    if (c == quote) {
                        if (p + 1 < n && (file[p + 1] & 0xFF) == quote) {
                            p += 2;
                            continue;
                        }
                        p++;
                        break;
                    }
                    p += format.escape() == RecordFormat.Escape.BACKSLASH && c == '\\' ? 2 : 1;
                }
            }
            while (p < n && (file[p] & 0xFF) != delimiter && !isTerminator(file[p] & 0xFF, term)) {
                p++;
            }
            if (p >= n) {
                return n;
            }
            if (isTerminator(file[p] & 0xFF, term)) {
                return p + 1;
            }
            p++;
        }
    }
}
