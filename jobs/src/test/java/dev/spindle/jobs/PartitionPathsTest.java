package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Hive's {@code FileUtils.escapePathName}, character by character, and Hive's text of dates and timestamps. */
class PartitionPathsTest {

    static Stream<Arguments> escapes() {
        return Stream.of(
                // every character Hive escapes, as %XX in upper-case hex
                Arguments.of("\u0000", "%00"), Arguments.of("\u0001", "%01"), Arguments.of("\t", "%09"), Arguments.of("\n", "%0A"),
                Arguments.of("\r", "%0D"), Arguments.of("\u001F", "%1F"), Arguments.of("\"", "%22"), Arguments.of("#", "%23"),
                Arguments.of("%", "%25"), Arguments.of("'", "%27"), Arguments.of("*", "%2A"), Arguments.of("/", "%2F"),
                Arguments.of(":", "%3A"), Arguments.of("=", "%3D"), Arguments.of("?", "%3F"), Arguments.of("\\", "%5C"),
                Arguments.of("\u007F", "%7F"), Arguments.of("{", "%7B"), Arguments.of("[", "%5B"), Arguments.of("]", "%5D"),
                Arguments.of("^", "%5E"),
                // and what it keeps as it is: space, the other punctuation, non-ASCII
                Arguments.of(" ", " "), Arguments.of("}", "}"), Arguments.of("<>|", "<>|"), Arguments.of("+&$@!,;()~`-_.", "+&$@!,;()~`-_."),
                Arguments.of("é", "é"), Arguments.of("東京", "東京"), Arguments.of("\u00FF", "\u00FF"),
                // in context
                Arguments.of("Paris", "Paris"), Arguments.of("a/b:c", "a%2Fb%3Ac"), Arguments.of("50%", "50%25"),
                Arguments.of("2013-01-01 10:00:00", "2013-01-01 10%3A00%3A00"), Arguments.of("x=y", "x%3Dy"));
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void escapesExactlyTheCharactersHiveEscapes(String value, String escaped) {
        assertEquals(escaped, PartitionPaths.escape(value));
    }

    @Test
    void nullIsTheDefaultPartitionAndNamesAreEscapedToo() {
        assertEquals("city=Paris/day=__HIVE_DEFAULT_PARTITION__",
                PartitionPaths.directory(List.of("city", "day"), new String[] {"Paris", null}));
        assertEquals("a%3Db=x%2Fy", PartitionPaths.directory(List.of("a=b"), new String[] {"x/y"}));
    }

    static Stream<Arguments> timestamps() {
        return Stream.of(
                Arguments.of(0L, "1970-01-01 00:00:00"),
                Arguments.of(1_357_034_400_000_000L, "2013-01-01 10:00:00"),
                Arguments.of(1_357_034_400_500_000L, "2013-01-01 10:00:00.5"),
                Arguments.of(1_357_034_400_000_120L, "2013-01-01 10:00:00.00012"),
                Arguments.of(1_357_034_400_123_456L, "2013-01-01 10:00:00.123456"),
                Arguments.of(-1L, "1969-12-31 23:59:59.999999"));
    }

    @ParameterizedTest
    @MethodSource("timestamps")
    void timestampsInHiveTextWithoutTrailingZeros(long micros, String text) {
        assertEquals(text, PartitionPaths.timestamp(micros));
    }
}
