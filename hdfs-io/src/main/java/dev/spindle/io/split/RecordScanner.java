package dev.spindle.io.split;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * HOT LOOP: finds the ends of whole records in a buffer. This class trades readability for
 * speed (STYLE rule 7): the state lives in locals, there is no allocation, no call per byte.
 * It implements exactly {@link RecordGrammar} for records that start at a known record start;
 * anything unusual (blank or comment line, a record cut by the end of the data, also right
 * after a CR whose LF may follow) makes it stop and leave the case to {@link RecordRangeReader}.
 * Benchmarked by {@code RecordRangeReaderBenchmark}.
 *
 * <p>It skips runs of uninteresting bytes eight at a time (SWAR: a {@code long} read and the
 * "has zero byte" bit trick per byte it looks for: LF and CR together as "a byte below 14" (a
 * tab stops the word loop too and is passed over byte by byte), the quote and, with
 * {@link RecordFormat.Escape#BACKSLASH}, the backslash; no branch in the word loops), then
 * decides byte by byte.
 *
 * <p>Absent bytes use sentinels that can never match where they are tested: no quote and no
 * comment prefix become LF (tested first), the escape byte of
 * {@link RecordFormat.Escape#DOUBLED_QUOTE} becomes the quote (tested first).
 */
final class RecordScanner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final long BELOW_14 = ONES * 14;

    private final byte delimiter;
    private final byte quote;
    private final byte escape;
    private final byte comment;

    private int records;
    private int lines;

    RecordScanner(RecordFormat format) {
        this.delimiter = format.delimiter();
        this.quote = format.hasQuote() ? (byte) format.quote() : LF;
        this.escape = format.escape() == RecordFormat.Escape.BACKSLASH ? (byte) '\\' : quote;
        this.comment = format.hasCommentPrefix() ? (byte) format.commentPrefix() : LF;
    }

    /**
     * Scans whole records from {@code pos}, a record start, while a record starts before
     * {@code ownLimit} and ends (terminator included) before {@code limit}. Stops before a
     * blank or comment line and before a record the data cuts (also one whose last byte read is
     * a CR at {@code limit - 1}: an LF may follow).
     *
     * @return the index after the last whole record scanned; {@link #records()} and
     *     {@link #lines()} tell how many records and physical lines it covered
     */
    int scan(final byte[] buf, int pos, final int limit, final int ownLimit) {
        final byte delim = delimiter;
        final byte quot = quote;
        final byte esc = escape;
        final byte comm = comment;
        final long quotPattern = ONES * (quot & 0xFF);
        final long escPattern = ONES * (esc & 0xFF);
        final int wordLimit = limit - 8;
        final boolean backslash = esc != quot;
        int recordCount = 0;
        int lineCount = 0;
        records:
        while (pos < ownLimit) {
            final int start = pos;
            byte b = buf[pos];
            if (b == LF || b == CR || b == comm) {
                break;
            }
            int inner = 0;
            int p = pos;
            // index of the last byte a backslash made literal (a delimiter there starts no field)
            int escaped = -1;
            while (true) {
                while (p <= wordLimit) {
                    long word = (long) LONGS.get(buf, p);
                    // no branch in the word loop: without backslash escapes escPattern is the quote's
                    long found = below14(word) | matches(word, quotPattern) | matches(word, escPattern);
                    if (found != 0) {
                        p += Long.numberOfTrailingZeros(found) >>> 3;
                        break;
                    }
                    p += 8;
                }
                if (p >= limit) {
                    break records;
                }
                b = buf[p];
                if (b == LF) {
                    p++;
                    break;
                }
                if (b == CR) {
                    if (p + 1 >= limit) {
                        break records;
                    }
                    p += buf[p + 1] == LF ? 2 : 1;
                    break;
                }
                if (b == quot) {
                    if (p != start && (buf[p - 1] != delim || p - 1 == escaped)) {
                        p++;
                        continue;
                    }
                    p++;
                    while (true) {
                        while (p <= wordLimit) {
                            long word = (long) LONGS.get(buf, p);
                            long found = below14(word) | matches(word, quotPattern) | matches(word, escPattern);
                            if (found != 0) {
                                p += Long.numberOfTrailingZeros(found) >>> 3;
                                break;
                            }
                            p += 8;
                        }
                        if (p >= limit) {
                            break records;
                        }
                        b = buf[p];
                        if (b == quot) {
                            if (p + 1 >= limit) {
                                break records;
                            }
                            if (buf[p + 1] != quot) {
                                p++;
                                break;
                            }
                            p += 2;
                        } else if (b == esc) {
                            if (p + 2 >= limit) {
                                break records;
                            }
                            b = buf[p + 1];
                            if (b == LF || (b == CR && buf[p + 2] != LF)) {
                                inner++;
                            }
                            p += 2;
                        } else {
                            if (b == LF || (b == CR && p + 1 < limit && buf[p + 1] != LF)) {
                                inner++;
                            }
                            p++;
                        }
                    }
                } else if (backslash && b == esc) {
                    // the escape byte outside quotes: the next byte is literal
                    if (p + 2 >= limit) {
                        break records;
                    }
                    b = buf[p + 1];
                    if (b == LF || (b == CR && buf[p + 2] != LF)) {
                        inner++;
                    }
                    escaped = p + 1;
                    p += 2;
                } else {
                    p++;
                }
            }
            recordCount++;
            lineCount += 1 + inner;
            pos = p;
        }
        this.records = recordCount;
        this.lines = lineCount;
        return pos;
    }

    /**
     * High bit set in each byte of {@code word} below 14 (LF and CR among them; the byte-by-byte
     * step passes over the others); bits above the lowest one may be false positives, so only the
     * lowest is used.
     */
    private static long below14(long word) {
        return (word - BELOW_14) & ~word & HIGHS;
    }

    /**
     * High bit set in each byte of {@code word} equal to the byte of {@code pattern}; bits above
     * the lowest one may be false positives, so only the lowest is used.
     */
    private static long matches(long word, long pattern) {
        long x = word ^ pattern;
        return (x - ONES) & ~x & HIGHS;
    }

    /** Records covered by the last {@link #scan}. */
    int records() {
        return records;
    }

    /** Physical lines covered by the last {@link #scan}. */
    int lines() {
        return lines;
    }
}
