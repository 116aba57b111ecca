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
    /** First byte of the terminator the last {@link #recordEnd} found, or -1. */
    private int terminatorAt = -1;

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
            recordEnd(bom);
            if (!openAtEnd && terminatorAt >= 0) {
                ending = file[terminatorAt] == '\n' ? LineEnding.LF
                        : terminatorAt + 1 < n && file[terminatorAt + 1] == '\n' ? LineEnding.CRLF : LineEnding.CR;
            }
        }
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
                end = recordEnd(i);
            } else if (c == '\n' || c == '\r' || c == comment) {
                kind = Kind.SKIPPED;
                end = i;
                while (end < n && !isTerminator(file[end])) {
                    end++;
                }
                end = end < n ? terminatorEnd(end) : n;
            } else {
                kind = Kind.DATA;
                end = recordEnd(i);
            }
            long count = 0;
            for (int j = i; j < end; j++) {
                if (file[j] == '\n' || (file[j] == '\r' && (j + 1 >= n || file[j + 1] != '\n'))) {
                    count++;
                }
            }
            if (!isTerminator(file[end - 1])) {
                count++;
            }
            lines.add(new Line(first ? 0 : i, i, end, line, count, kind));
            line += count;
            i = end;
            first = false;
        }
        return new Parse(ending, lines);
    }

    private static boolean isTerminator(byte c) {
        return c == '\n' || c == '\r';
    }

    /** After the terminator at {@code p}: a CR followed by an LF is one terminator. */
    private int terminatorEnd(int p) {
        terminatorAt = p;
        return file[p] == '\r' && p + 1 < file.length && file[p + 1] == '\n' ? p + 2 : p + 1;
    }

    /**
     * End (after the terminator) of the record at {@code i}: LF, CR or CRLF outside quotes and not
     * escaped. Sets {@link #terminatorAt} to its terminator's first byte, or -1 at the end of the
     * file.
     */
    private int recordEnd(int i) {
        int n = file.length;
        boolean backslash = format.escape() == RecordFormat.Escape.BACKSLASH;
        int p = i;
        terminatorAt = -1;
        if (p < n && (file[p] & 0xFF) == comment) {
            while (p < n && !isTerminator(file[p])) {
                p++;
            }
            return p < n ? terminatorEnd(p) : n;
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
                    p += backslash && c == '\\' ? 2 : 1;
                }
            }
            // an unquoted field, or the text after a closing quote
            while (p < n && (file[p] & 0xFF) != delimiter && !isTerminator(file[p])) {
                p += backslash && file[p] == '\\' ? 2 : 1;
            }
            if (p >= n) {
                return n;
            }
            if (isTerminator(file[p])) {
                return terminatorEnd(p);
            }
            p++;
        }
    }
}
