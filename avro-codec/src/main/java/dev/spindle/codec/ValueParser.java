package dev.spindle.codec;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Parses typed values straight from bytes {@code [start, end)}.
 *
 * <p><b>HOT LOOP: trades readability for speed.</b> Each {@code parseX} returns whether the text
 * is a valid X and leaves the value in {@link #longValue}, {@link #doubleValue},
 * {@link #intValue} or {@link #booleanValue}; no allocation, no exceptions on bad input (the
 * double grammar is checked before fastdoubleparser runs). One instance per thread.
 *
 * <p>Accepted forms (the inference rules depend on them):
 * <ul>
 *   <li>boolean: {@code true}/{@code false} in any case.</li>
 *   <li>long: {@code [+-]?[0-9]+} within 64 bits; leading zeros parse ({@code 007} is 7) but
 *       {@link #hasLeadingZero} lets inference keep such columns as strings.</li>
 *   <li>double: {@code [+-]?(digits[.digits?]|.digits)([eE][+-]?digits)?}, plus {@code NaN},
 *       {@code Infinity}, {@code +Infinity}, {@code -Infinity} (exact case, as Java writes
 *       them). No hex, no {@code d}/{@code f} suffixes, no surrounding blanks.</li>
 *   <li>date: {@code yyyy-MM-dd}, a real calendar day.</li>
 *   <li>local timestamp: {@code yyyy-MM-dd[T ]HH:mm[:ss[.fraction]]} with 1-9 fraction digits,
 *       digits past microseconds must be 0 (no silent precision loss); seconds may be left out
 *       as {@code LocalDateTime.toString()} does; a bare date is midnight.</li>
 *   <li>instant: a local timestamp followed by {@code Z} or {@code ±HH}, {@code ±HHmm},
 *       {@code ±HH:mm} (at most 18 hours).</li>
 * </ul>
 */
final class ValueParser {

    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

    private static final long[] LONG_POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000};

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    long longValue;
    double doubleValue;
    int intValue;
    boolean booleanValue;
    private long lastMonthKey;
    private boolean lastMonthKeyValid;
    private int lastMonthDays;
    private int lastMonthFirstDay;

    boolean parseBoolean(byte[] b, int start, int end) {
        int length = end - start;
        if (length == 4 && (b[start] | 0x20) == 't' && (b[start + 1] | 0x20) == 'r' && (b[start + 2] | 0x20) == 'u' && (b[start + 3] | 0x20) == 'e') {
            booleanValue = true;
            return true;
        }
        if (length == 5 && (b[start] | 0x20) == 'f' && (b[start + 1] | 0x20) == 'a' && (b[start + 2] | 0x20) == 'l'
                && (b[start + 3] | 0x20) == 's' && (b[start + 4] | 0x20) == 'e') {
            booleanValue = false;
            return true;
        }
        return false;
    }

    boolean parseLong(byte[] b, int start, int end) {
        int p = start;
        if (p >= end) {
            return false;
        }
        boolean negative = false;
        byte c = b[p];
        if (c == '-' || c == '+') {
            negative = c == '-';
            p++;
            if (p >= end) {
                return false;
            }
        }
        if (end - p < 8 && p + 8 <= b.length) {
            return scanShortLong(b, start, end) == end;
        }
        return parseLongDigits(b, p, end, negative);
    }

    /**
     * Reads a long of the short form {@code [+-]?} and 1 to 7 digits from {@code start} on, as
     * far as its digits go but not past {@code limit}, into {@link #longValue}: for a caller that
     * does not know yet where the field ends. Returns the index after the digits, or -1 when the
     * text there has another form (no digit, 8 or more digits, fewer than 8 readable bytes after
     * the sign); {@code parseLong(b, start, i)} gives the same value for the returned {@code i}.
     */
    int scanShortLong(byte[] b, int start, int limit) {
        int p = start;
        if (p < limit && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        if (p + 8 > b.length) {
            return -1;
        }
        long x = (long) LONGS.get(b, p);
        int digits = Math.min(digitCount(x), limit - p);
        if (digits <= 0 || digits == 8) {
            return -1;
        }
        long value = eightDigits(x, digits);
        longValue = b[start] == '-' ? -value : value;
        return p + digits;
    }

    /** The digits of {@link #parseLong} from {@code p} on, any count, checked for overflow. */
    private boolean parseLongDigits(byte[] b, int p, int end, boolean negative) {
        // accumulate negatively so Long.MIN_VALUE fits
        long value = 0;
        if (end - p <= 18) {
            for (; p < end; p++) {
                int digit = b[p] - '0';
                if (digit < 0 || digit > 9) {
                    return false;
                }
                value = value * 10 - digit;
            }
        } else {
            for (; p < end; p++) {
                int digit = b[p] - '0';
                if (digit < 0 || digit > 9) {
                    return false;
                }
                if (value < Long.MIN_VALUE / 10) {
                    return false;
                }
                long next = value * 10 - digit;
                if (next > value) {
                    return false;
                }
                value = next;
            }
        }
        if (negative) {
            longValue = value;
        } else {
            if (value == Long.MIN_VALUE) {
                return false;
            }
            longValue = -value;
        }
        return true;
    }

    /** True when the text's integral digits have a superfluous leading zero: {@code 007}, {@code -00.5}. */
    static boolean hasLeadingZero(byte[] b, int start, int end) {
        int p = start;
        if (p < end && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        return p + 1 < end && b[p] == '0' && b[p + 1] >= '0' && b[p + 1] <= '9';
    }

    boolean parseDouble(byte[] b, int start, int end) {
        int p = start;
        if (p >= end) {
            return false;
        }
        byte c = b[p];
        if (c == '-' || c == '+') {
            p++;
            if (p >= end) {
                return false;
            }
            c = b[p];
        }
        if (c == 'N' || c == 'I') {
            return parseSpecial(b, start, p, end);
        }
        if (scanShortDecimal(b, start, end) == end) {
            return true;
        }
        return parseLongDecimal(b, start, p, end);
    }

    /**
     * The rest of {@link #parseDouble} from {@code p} (after the sign, at a digit or point);
     * kept out of it so that the common path stays small enough for the JIT to inline.
     */
    private boolean parseLongDecimal(byte[] b, int start, int p, int end) {
        byte c;
        // one pass: validate and, for up to 15 significant digits without exponent, compute the
        // value exactly (Clinger's fast path: mantissa and 10^scale are exact doubles, and one
        // IEEE division is correctly rounded); everything else goes to fastdoubleparser
        int digits = 0;
        long mantissa = 0;
        while (p < end && (c = b[p]) >= '0' && c <= '9') {
            mantissa = mantissa * 10 + (c - '0');
            p++;
            digits++;
        }
        int scale = 0;
        if (p < end && b[p] == '.') {
            p++;
            while (p < end && (c = b[p]) >= '0' && c <= '9') {
                mantissa = mantissa * 10 + (c - '0');
                p++;
                digits++;
                scale++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (p == end) {
            if (digits <= 15) {
                double value = (double) mantissa / POWERS_OF_TEN[scale];
                doubleValue = b[start] == '-' ? -value : value;
                return true;
            }
            doubleValue = JavaDoubleParser.parseDouble(b, start, end - start);
            return true;
        }
        if (b[p] == 'e' || b[p] == 'E') {
            p++;
            if (p < end && (b[p] == '-' || b[p] == '+')) {
                p++;
            }
            int exponentDigits = 0;
            while (p < end && (c = b[p]) >= '0' && c <= '9') {
                p++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        if (p != end) {
            return false;
        }
        doubleValue = JavaDoubleParser.parseDouble(b, start, end - start);
        return true;
    }

    /**
     * Reads a decimal of the common form {@code [+-]?digits[.digits]} with at most 7 digits on
     * each side (at least one in all) from {@code start} on, as far as it goes but not past
     * {@code limit}, into {@link #doubleValue}: {@link #parseDouble}'s fast path, and for a caller
     * that does not know yet where the field ends. 8 bytes at a time (SWAR): counts the digits of
     * a little-endian long and converts them with three multiplications. Returns the index after
     * the decimal, or -1 when the text there has another form or fewer than 8 bytes are
     * readable after the sign or the point ({@link #parseDouble} then decides).
     */
    int scanShortDecimal(byte[] b, int start, int limit) {
        int p = start;
        if (p < limit && (b[p] == '-' || b[p] == '+')) {
            p++;
        }
        if (p + 8 > b.length) {
            return -1;
        }
        long x = (long) LONGS.get(b, p);
        int integerDigits = Math.min(digitCount(x), limit - p);
        if (integerDigits == 8) {
            return -1;
        }
        int q = p + integerDigits;
        long mantissa;
        int scale = 0;
        int after = q;
        if (q < limit && b[q] == '.') {
            if (q + 9 > b.length) {
                return -1;
            }
            long y = (long) LONGS.get(b, q + 1);
            scale = Math.min(digitCount(y), limit - q - 1);
            if (scale == 8) {
                return -1;
            }
            after = q + 1 + scale;
            if (integerDigits + scale <= 8) {
                // both parts' digits side by side in one long (the point dropped), converted once
                long digits = (x & lowBytes(integerDigits)) | ((y & lowBytes(scale)) << (integerDigits << 3));
                mantissa = eightDigits(digits, integerDigits + scale);
            } else {
                mantissa = eightDigits(x, integerDigits) * LONG_POWERS_OF_TEN[scale] + eightDigits(y, scale);
            }
        } else {
            mantissa = eightDigits(x, integerDigits);
        }
        if (integerDigits + scale == 0) {
            return -1;
        }
        double value = (double) mantissa / POWERS_OF_TEN[scale];
        doubleValue = b[start] == '-' ? -value : value;
        return after;
    }

    /** Leading ASCII digits in the 8 bytes of {@code x} (first byte lowest). */
    private static int digitCount(long x) {
        long below = x - 0x3030303030303030L; // high bit set from the first byte below '0' on
        long above = x + 0x4646464646464646L; // high bit set for a byte above '9' (and below 0xBA)
        long mask = (below | above) & 0x8080808080808080L;
        return mask == 0 ? 8 : Long.numberOfTrailingZeros(mask) >>> 3;
    }

    /** The low {@code count} (0..7) bytes of a long set. */
    private static long lowBytes(int count) {
        return (1L << (count << 3)) - 1;
    }

    /** The number written by the first {@code digits} (0..8) bytes of {@code x}, all ASCII digits. */
    private static long eightDigits(long x, int digits) {
        if (digits == 0) {
            return 0;
        }
        long v = x << ((8 - digits) << 3); // drop the bytes past the digits; zero bytes lead
        v = ((v & 0x0F0F0F0F0F0F0F0FL) * 2561) >>> 8;
        v = ((v & 0x00FF00FF00FF00FFL) * 6553601) >>> 16;
        return ((v & 0x0000FFFF0000FFFFL) * 42949672960001L) >>> 32;
    }

    private boolean parseSpecial(byte[] b, int start, int p, int end) {
        int length = end - p;
        if (length == 3 && b[p] == 'N' && b[p + 1] == 'a' && b[p + 2] == 'N') {
            doubleValue = Double.NaN;
            return true;
        }
        if (length == 8 && b[p] == 'I' && b[p + 1] == 'n' && b[p + 2] == 'f' && b[p + 3] == 'i'
                && b[p + 4] == 'n' && b[p + 5] == 'i' && b[p + 6] == 't' && b[p + 7] == 'y') {
            doubleValue = b[start] == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return true;
        }
        return false;
    }

    /** {@code yyyy-MM-dd} → {@link #intValue} days since 1970-01-01. */
    boolean parseDate(byte[] b, int start, int end) {
        if (end - start != 10) {
            return false;
        }
        return parseDatePart(b, start);
    }

    private boolean parseDatePart(byte[] b, int p) {
        // consecutive values usually share a month: remember the last valid "yyyy-MM-" by its
        // 8 bytes, with the epoch day of its first day and its length
        long key = (long) LONGS.get(b, p);
        int day = digits2(b, p + 8);
        if (key == lastMonthKey && lastMonthKeyValid) {
            if (day < 1 || day > lastMonthDays) {
                return false;
            }
            intValue = lastMonthFirstDay + day - 1;
            return true;
        }
        if (b[p + 4] != '-' || b[p + 7] != '-') {
            return false;
        }
        int year = digits4(b, p);
        int month = digits2(b, p + 5);
        if (year < 0 || month < 1 || month > 12) {
            return false;
        }
        int days = daysInMonth(year, month);
        lastMonthKey = key;
        lastMonthKeyValid = true;
        lastMonthDays = days;
        lastMonthFirstDay = epochDay(year, month, 1);
        if (day < 1 || day > days) {
            return false;
        }
        intValue = lastMonthFirstDay + day - 1;
        return true;
    }

    /** Local timestamp (or a bare date, at midnight) → {@link #longValue} micros since the epoch. */
    boolean parseLocalTimestamp(byte[] b, int start, int end) {
        if (end - start == 10) {
            if (!parseDatePart(b, start)) {
                return false;
            }
            longValue = intValue * MICROS_PER_DAY;
            return true;
        }
        int p = parseDateTime(b, start, end);
        return p == end;
    }

    /** Timestamp with {@code Z} or an offset → {@link #longValue} micros since the epoch (UTC). */
    boolean parseInstant(byte[] b, int start, int end) {
        int p = parseDateTime(b, start, end);
        if (p < 0 || p >= end) {
            return false;
        }
        byte c = b[p];
        if (c == 'Z') {
            return p + 1 == end;
        }
        if (c != '+' && c != '-') {
            return false;
        }
        int length = end - p - 1;
        int hours;
        int minutes = 0;
        if (length == 2) {
            hours = digits2(b, p + 1);
        } else if (length == 4) {
            hours = digits2(b, p + 1);
            minutes = digits2(b, p + 3);
        } else if (length == 5 && b[p + 3] == ':') {
            hours = digits2(b, p + 1);
            minutes = digits2(b, p + 4);
        } else {
            return false;
        }
        if (hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 18 * 60) {
            return false;
        }
        long offsetMicros = (hours * 3600L + minutes * 60L) * 1_000_000L;
        longValue = c == '+' ? longValue - offsetMicros : longValue + offsetMicros;
        return true;
    }

    /** Parses {@code yyyy-MM-dd[T ]HH:mm[:ss[.f]]} into {@link #longValue}; returns the index after it or -1. */
    private int parseDateTime(byte[] b, int start, int end) {
        if (end - start < 16) {
            return -1;
        }
        if (!parseDatePart(b, start)) {
            return -1;
        }
        int p = start + 10;
        if (b[p] != 'T' && b[p] != ' ') {
            return -1;
        }
        if (end - start == 19 && isTimeOfDay((long) LONGS.get(b, p + 1))) {
            return parseSeconds(b, p, end);
        }
        return parseTimeOfDay(b, p, end);
    }

    /**
     * The time of {@link #parseDateTime} after the separator at {@code p}, in any of its
     * forms; kept out of it so that the common path stays small enough for the JIT to inline.
     */
    private int parseTimeOfDay(byte[] b, int p, int end) {
        if (b[p + 3] != ':') {
            return -1;
        }
        int hour = digits2(b, p + 1);
        int minute = digits2(b, p + 4);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59) {
            return -1;
        }
        if (p + 6 >= end || b[p + 6] != ':') {
            longValue = intValue * MICROS_PER_DAY + (hour * 3600L + minute * 60L) * 1_000_000L;
            return p + 6;
        }
        if (p + 9 > end) {
            return -1;
        }
        int second = digits2(b, p + 7);
        if (second < 0 || second > 59) {
            return -1;
        }
        p += 9;
        long micros = 0;
        if (p < end && b[p] == '.') {
            p++;
            int digits = 0;
            int scale = 100_000;
            byte c;
            while (p < end && (c = b[p]) >= '0' && c <= '9') {
                if (digits < 6) {
                    micros += (c - '0') * scale;
                    scale /= 10;
                } else if (c != '0') {
                    return -1;
                }
                digits++;
                p++;
            }
            if (digits == 0 || digits > 9) {
                return -1;
            }
        }
        longValue = intValue * MICROS_PER_DAY + (hour * 3600L + minute * 60L + second) * 1_000_000L + micros;
        return p;
    }

    /**
     * True when the 8 bytes of {@code t} (first byte lowest) are {@code dd:dd:dd}: the colons
     * are compared as bytes, the six digits checked as in {@link #digitCount} (colons cause no
     * carry or borrow, so no other byte can hide a non-digit).
     */
    private static boolean isTimeOfDay(long t) {
        return (t & 0x0000FF0000FF0000L) == 0x00003A00003A0000L
                && (((t - 0x3030303030303030L) | (t + 0x4646464646464646L)) & 0x8080008080008080L) == 0;
    }

    /**
     * The common {@code HH:mm:ss} after the date and its separator at {@code p}, the text ending
     * right after it at {@code end}, its shape checked by {@link #isTimeOfDay}.
     */
    private int parseSeconds(byte[] b, int p, int end) {
        long t = (long) LONGS.get(b, p + 1);
        long d = t - 0x3030303030303030L;
        int hour = (int) (d & 0xF) * 10 + (int) ((d >>> 8) & 0xF);
        int minute = (int) ((d >>> 24) & 0xF) * 10 + (int) ((d >>> 32) & 0xF);
        int second = (int) ((d >>> 48) & 0xF) * 10 + (int) ((d >>> 56) & 0xF);
        if (hour > 23 || minute > 59 || second > 59) {
            return -1;
        }
        longValue = intValue * MICROS_PER_DAY + (hour * 3600L + minute * 60L + second) * 1_000_000L;
        return end;
    }

    private static int digits2(byte[] b, int p) {
        int d1 = b[p] - '0';
        int d2 = b[p + 1] - '0';
        if (d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
            return -1;
        }
        return d1 * 10 + d2;
    }

    private static int digits4(byte[] b, int p) {
        int high = digits2(b, p);
        int low = digits2(b, p + 2);
        if (high < 0 || low < 0) {
            return -1;
        }
        return high * 100 + low;
    }

    private static int daysInMonth(int year, int month) {
        switch (month) {
            case 2:
                return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4:
            case 6:
            case 9:
            case 11:
                return 30;
            default:
                return 31;
        }
    }

    /** Days since 1970-01-01 (proleptic Gregorian), Howard Hinnant's days_from_civil. */
    static int epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = (y >= 0 ? y : y - 399) / 400;
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146097 + dayOfEra - 719468;
    }
}
