package dev.spindle.jobs;

import dev.spindle.codec.ColumnType;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.List;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * Hive's partition directory names, {@code col=value/col2=value2}: what Hive's
 * {@code FileUtils.makePartName} writes and Hive, Spark and DuckDB read back. Names and values are
 * escaped as {@code FileUtils.escapePathName} does (the ASCII control characters 0x00 to 0x1F,
 * the characters <code>" # % ' * / : = ? \ { [ ] ^</code> and DEL, each as {@code %XX} in
 * upper-case hex; everything else, non-ASCII included, as it is); a null or empty value is {@value #DEFAULT_PARTITION}. Values are Hive's text form of
 * the column's type: dates {@code yyyy-MM-dd}, timestamps {@code yyyy-MM-dd HH:mm:ss[.fffffffff]}
 * with the fraction's trailing zeros dropped (instants as their UTC wall-clock time), booleans
 * {@code true}/{@code false}, longs and doubles as Java prints them.
 */
final class PartitionPaths {

    /** Hive's directory value for null and empty partition values ({@code hive.exec.default.partition.name}). */
    static final String DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__";

    private static final BitSet ESCAPED = new BitSet(128);

    static {
        ESCAPED.set(0, ' ');
        for (char c : new char[] {'"', '#', '%', '\'', '*', '/', ':', '=', '?', '\\', '\u007F', '{', '[', ']', '^'}) {
            ESCAPED.set(c);
        }
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PartitionPaths() {}

    /** {@code name} with every character Hive escapes in a path written as {@code %XX}. */
    static String escape(String name) {
        StringBuilder escaped = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 128 && ESCAPED.get(c)) {
                if (escaped == null) {
                    escaped = new StringBuilder(name.length() + 8).append(name, 0, i);
                }
                escaped.append('%').append(HEX[c >> 4]).append(HEX[c & 0xF]);
            } else if (escaped != null) {
                escaped.append(c);
            }
        }
        return escaped == null ? name : escaped.toString();
    }

    /** The value a Hive-escaped path segment stands for: every {@code %XX} decoded (the inverse of {@link #escape}). */
    static String unescape(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        StringBuilder value = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%' && i + 2 < segment.length()
                    && Character.digit(segment.charAt(i + 1), 16) >= 0 && Character.digit(segment.charAt(i + 2), 16) >= 0) {
                value.append((char) Integer.parseInt(segment.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /** {@code col=value/...} for {@code values} (null: the default partition) of {@code columns}. */
    static String directory(List<String> columns, String[] values) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                path.append('/');
            }
            path.append(escape(columns.get(i))).append('=').append(values[i] == null ? DEFAULT_PARTITION : escape(values[i]));
        }
        return path.toString();
    }

    /** The Hive text of row {@code row} of {@code vector}, a column of {@code type}; null for null and empty values. */
    static String text(FieldVector vector, ColumnType type, int row) {
        if (vector.isNull(row)) {
            return null;
        }
        String text = switch (type) {
            case BOOLEAN -> ((BitVector) vector).get(row) != 0 ? "true" : "false";
            case LONG -> Long.toString(((BigIntVector) vector).get(row));
            case DOUBLE -> Double.toString(((Float8Vector) vector).get(row));
            case DATE -> LocalDate.ofEpochDay(((DateDayVector) vector).get(row)).toString();
            case TIMESTAMP_LOCAL, TIMESTAMP_INSTANT -> timestamp(((TimeStampVector) vector).get(row));
            case STRING -> new String(((VarCharVector) vector).get(row), StandardCharsets.UTF_8);
            case DECIMAL -> ((org.apache.arrow.vector.DecimalVector) vector).getObject(row).toPlainString();
            case INT -> Integer.toString(((org.apache.arrow.vector.IntVector) vector).get(row));
            case FLOAT -> Float.toString(((org.apache.arrow.vector.Float4Vector) vector).get(row));
            case BYTES -> throw new IllegalArgumentException("A bytes column has no partition value text: " + vector.getName());
        };
        return text.isEmpty() ? null : text;
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fffffffff]} of microseconds since the epoch, trailing zeros of the fraction dropped. */
    static String timestamp(long epochMicros) {
        LocalDateTime time = LocalDateTime.ofEpochSecond(Math.floorDiv(epochMicros, 1_000_000L),
                (int) Math.floorMod(epochMicros, 1_000_000L) * 1000, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(29).append(time.toLocalDate()).append(' ')
                .append(two(time.getHour())).append(':').append(two(time.getMinute())).append(':').append(two(time.getSecond()));
        int nanos = time.getNano();
        if (nanos > 0) {
            String fraction = Integer.toString(1_000_000_000 + nanos).substring(1);
            int end = fraction.length();
            while (fraction.charAt(end - 1) == '0') {
                end--;
            }
            text.append('.').append(fraction, 0, end);
        }
        return text.toString();
    }

    private static String two(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }
}
