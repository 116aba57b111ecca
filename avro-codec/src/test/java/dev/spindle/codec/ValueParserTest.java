package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueParserTest {

    private final ValueParser parser = new ValueParser();

    @Test
    void longs() {
        assertLong("0", 0);
        assertLong("-0", 0);
        assertLong("+42", 42);
        assertLong("007", 7);
        assertLong("9223372036854775807", Long.MAX_VALUE);
        assertLong("-9223372036854775808", Long.MIN_VALUE);
        assertLong("-00000000000000000000042", -42);
        for (String bad : new String[] {"", "-", "+", "4x", "1.0", "9223372036854775808", "-9223372036854775809", "99999999999999999999", " 1"}) {
            assertFalse(parser.parseLong(bytes(bad), 0, bad.length()), bad);
        }
    }

    @Test
    void doubles() {
        for (String text : new String[] {"0", "1.5", "-2.25e10", ".5", "5.", "1E-300", "+3", "4.9e-324", "1.7976931348623157E308"}) {
            assertTrue(parser.parseDouble(bytes(text), 0, text.length()), text);
            assertEquals(Double.parseDouble(text), parser.doubleValue, text);
        }
        assertTrue(parser.parseDouble(bytes("NaN"), 0, 3));
        assertTrue(Double.isNaN(parser.doubleValue));
        assertTrue(parser.parseDouble(bytes("-Infinity"), 0, 9));
        assertEquals(Double.NEGATIVE_INFINITY, parser.doubleValue);
        for (String bad : new String[] {"", ".", "e5", "1e", "1.5d", "0x10", "1,5", "inf", "1e5.5", "--1", "1 "}) {
            assertFalse(parser.parseDouble(bytes(bad), 0, bad.length()), bad);
        }
    }

    /**
     * {@code scanShortDecimal}/{@code scanShortLong} read a value before its end is known (the
     * direct CSV → Avro path): wherever they stop, parsing exactly that text must agree, and a
     * short value that fills the text up to the limit must be read to the limit. Seeded random
     * texts over the characters numbers are made of, with other bytes after the limit.
     */
    @Test
    void scansStopWhereTheParseOfTheSameTextAgrees() {
        Random random = new Random(23);
        String alphabet = "0123456789.-+e,x";
        ValueParser reference = new ValueParser();
        for (int i = 0; i < 300_000; i++) {
            int length = random.nextInt(13);
            byte[] b = new byte[2 + length + random.nextInt(20)];
            boolean roomy = b.length >= 2 + length + 9; // 8 readable bytes after the sign and after the point
            for (int k = 0; k < b.length; k++) {
                b[k] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
            }
            int start = random.nextInt(2);
            int limit = start + length;
            String text = new String(b, start, length, StandardCharsets.US_ASCII);

            int decimalEnd = parser.scanShortDecimal(b, start, limit);
            if (decimalEnd >= 0) {
                assertTrue(decimalEnd > start && decimalEnd <= limit, text);
                assertTrue(reference.parseDouble(b, start, decimalEnd), text);
                assertEquals(Double.doubleToRawLongBits(reference.doubleValue), Double.doubleToRawLongBits(parser.doubleValue), text);
            }
            if (roomy && text.matches("[+-]?([0-9]{1,7}(\\.[0-9]{0,7})?|\\.[0-9]{1,7})")) {
                assertEquals(limit, decimalEnd, text);
            }
            int longEnd = parser.scanShortLong(b, start, limit);
            if (longEnd >= 0) {
                assertTrue(longEnd > start && longEnd <= limit, text);
                assertTrue(reference.parseLong(b, start, longEnd), text);
                assertEquals(reference.longValue, parser.longValue, text);
            }
            if (roomy && text.matches("[+-]?[0-9]{1,7}")) {
                assertEquals(limit, longEnd, text);
            }
        }
    }

    @Test
    void randomDoublesRoundTrip() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            String text = Double.toString(value);
            assertTrue(parser.parseDouble(bytes(text), 0, text.length()), text);
            assertEquals(value, parser.doubleValue, text);
        }
    }

    @Test
    void shortDecimalsAreExact() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            long mantissa = (long) (random.nextDouble() * Math.pow(10, 1 + random.nextInt(15)));
            String digits = Long.toString(mantissa);
            int point = random.nextInt(digits.length() + 1);
            String text = (random.nextBoolean() ? "-" : "") + digits.substring(0, point) + "." + digits.substring(point);
            if (text.endsWith(".") && point == 0) {
                continue;
            }
            assertTrue(parser.parseDouble(bytes(text), 0, text.length()), text);
            assertEquals(Double.parseDouble(text), parser.doubleValue, text);
        }
        assertTrue(parser.parseDouble(bytes("-0.0"), 0, 4));
        assertEquals(-0.0, parser.doubleValue);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(parser.doubleValue));
    }

    @Test
    void shortLongsInsideALargerBufferMatchLongParseLong() {
        // up to 7 digits are read 8 bytes at a time: the bytes after the field must not count
        Random random = new Random(17);
        String[] after = {",", "7", "12345678", "\n-1", "x"};
        for (int i = 0; i < 50_000; i++) {
            String digits = Long.toString((long) (random.nextDouble() * Math.pow(10, 1 + random.nextInt(7))));
            String text = (random.nextInt(3) == 0 ? "-" : random.nextInt(5) == 0 ? "+" : "") + (random.nextInt(5) == 0 ? "0" : "") + digits;
            byte[] buffer = bytes("9" + text + after[random.nextInt(after.length)] + "00000000");
            assertTrue(parser.parseLong(buffer, 1, 1 + text.length()), text);
            assertEquals(Long.parseLong(text), parser.longValue, text);
        }
        for (String text : new String[] {"1x", "-", "+", "1-2", "12 ", "1234567.", "-x1"}) {
            byte[] buffer = bytes(text + "12345678");
            assertFalse(parser.parseLong(buffer, 0, text.length()), text);
        }
    }

    @Test
    void everyShortDecimalShapeIsExact() {
        // each count of integer digits (0..7) and fraction digits (1..7), with room to read 8
        // bytes past both parts: the shapes of up to 8 digits in all are converted in one step
        Random random = new Random(13);
        for (int integerDigits = 0; integerDigits <= 7; integerDigits++) {
            for (int scale = 1; scale <= 7; scale++) {
                for (int i = 0; i < 2_000; i++) {
                    StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
                    for (int d = 0; d < integerDigits; d++) {
                        text.append((char) ('0' + random.nextInt(10)));
                    }
                    text.append('.');
                    for (int d = 0; d < scale; d++) {
                        text.append((char) ('0' + random.nextInt(10)));
                    }
                    String value = text.toString();
                    byte[] buffer = bytes(value + ",1234567890123456");
                    assertTrue(parser.parseDouble(buffer, 0, value.length()), value);
                    assertEquals(Double.parseDouble(value), parser.doubleValue, value);
                }
            }
        }
    }

    @Test
    void doublesInsideALargerBufferIgnoreTheBytesAround() {
        // the 8-bytes-at-a-time path reads past the field: digits, points or signs there must not count
        Random random = new Random(11);
        String[] after = {"", ",", "7", "12345678901", ".5", "\n1", "e5", "-", "99999999.9999"};
        String[] bad = {".", "1.5d", "1,5", "1e", "--1", "1 ", "1.2.3", "12345678.1x"};
        for (int i = 0; i < 50_000; i++) {
            long mantissa = (long) (random.nextDouble() * Math.pow(10, 1 + random.nextInt(15)));
            String digits = Long.toString(mantissa);
            int point = random.nextInt(digits.length() + 1);
            String text = (random.nextInt(3) == 0 ? "-" : "") + digits.substring(0, point) + (random.nextInt(8) == 0 ? "" : ".") + digits.substring(point);
            if (text.endsWith(".") && point == 0 || text.equals("-") || text.isEmpty()) {
                continue;
            }
            byte[] buffer = bytes("9." + text + after[random.nextInt(after.length)]);
            assertTrue(parser.parseDouble(buffer, 2, 2 + text.length()), text);
            assertEquals(Double.parseDouble(text), parser.doubleValue, text);
        }
        for (String text : bad) {
            for (String tail : after) {
                byte[] buffer = bytes(text + tail + "00000000");
                assertFalse(parser.parseDouble(buffer, 0, text.length()), text + " followed by " + tail);
            }
        }
    }

    @Test
    void datesMatchJavaTime() {
        LocalDate day = LocalDate.of(1600, 1, 1);
        while (day.getYear() < 2500) {
            String text = day.toString();
            assertTrue(parser.parseDate(bytes(text), 0, 10), text);
            assertEquals(day.toEpochDay(), parser.intValue, text);
            day = day.plusDays(13);
        }
        for (String bad : new String[] {"2023-02-29", "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01", "2024/01/01", "20240101"}) {
            assertFalse(parser.parseDate(bytes(bad), 0, bad.length()), bad);
        }
    }

    @Test
    void datesOfTheLastMonthAreStillChecked() {
        // the parser remembers the last "yyyy-MM-"; the day must still be a day of that month
        assertTrue(parser.parseDate(bytes("2024-02-01"), 0, 10));
        assertEquals(LocalDate.of(2024, 2, 1).toEpochDay(), parser.intValue);
        for (String text : new String[] {"2024-02-29", "2024-02-10", "2024-02-09"}) {
            assertTrue(parser.parseDate(bytes(text), 0, 10), text);
            assertEquals(LocalDate.parse(text).toEpochDay(), parser.intValue, text);
        }
        for (String bad : new String[] {"2024-02-30", "2024-02-00", "2024-02-3x", "2024-02- 1", "2024-02-+1"}) {
            assertFalse(parser.parseDate(bytes(bad), 0, 10), bad);
        }
        assertFalse(parser.parseDate(bytes("2023-02-29"), 0, 10), "a month is remembered even when its day is invalid");
        assertFalse(parser.parseDate(bytes("2023-02-29"), 0, 10));
        assertTrue(parser.parseDate(bytes("2023-02-28"), 0, 10));
        assertEquals(LocalDate.of(2023, 2, 28).toEpochDay(), parser.intValue);
    }

    @Test
    void localTimestamps() {
        assertLocal("2024-03-01 12:34:56", LocalDateTime.of(2024, 3, 1, 12, 34, 56));
        assertLocal("2024-03-01T12:34:56.5", LocalDateTime.of(2024, 3, 1, 12, 34, 56, 500_000_000));
        assertLocal("1969-12-31T23:59:59.999999", LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));
        assertLocal("2024-03-01", LocalDateTime.of(2024, 3, 1, 0, 0));
        assertLocal("2024-03-01T12:05", LocalDateTime.of(2024, 3, 1, 12, 5));
        for (String bad : new String[] {"2024-03-01 24:00:00", "2024-03-01 12:60:00", "2024-03-01 12:00:0", "2024-03-01 12:0", "2024-03-01T12:00:00.", "2024-03-01T12:00:00Z", "2024-03-01T12:00:00.1234567"}) {
            assertFalse(parser.parseLocalTimestamp(bytes(bad), 0, bad.length()), bad);
        }
    }

    @Test
    void secondTimestampsMatchJavaTimeIncludingOneByteChanges() {
        // the 19-byte yyyy-MM-dd HH:mm:ss form has its own 8-byte path: random values, some
        // with one byte replaced, against java.time
        Random random = new Random(19);
        String alphabet = "0123456789:-T Z+.a/";
        for (int i = 0; i < 100_000; i++) {
            LocalDateTime time = LocalDateTime.of(1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60), random.nextInt(60));
            char[] text = time.toString().replace('T', random.nextBoolean() ? 'T' : ' ').toCharArray();
            if (text.length != 19) {
                text = (new String(text) + ":00").toCharArray();
            }
            if (random.nextBoolean()) {
                text[random.nextInt(19)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String value = new String(text);
            LocalDateTime expected = null;
            if (value.charAt(10) == 'T' || value.charAt(10) == ' ') {
                try {
                    expected = LocalDateTime.parse(value.replace(' ', 'T'));
                } catch (java.time.format.DateTimeParseException e) {
                    expected = null;
                }
            }
            if (expected == null) {
                assertFalse(parser.parseLocalTimestamp(bytes(value), 0, 19), value);
            } else {
                assertLocal(value, expected);
            }
        }
    }

    @Test
    void instantsOfNineteenBytesWithoutSecondsKeepTheirOffset() {
        assertInstant("2024-03-01T12:00+01", Instant.parse("2024-03-01T11:00:00Z"));
        assertInstant("2024-03-01 12:00-05", Instant.parse("2024-03-01T17:00:00Z"));
    }

    @Test
    void instants() {
        assertInstant("2024-03-01T12:00:00Z", Instant.parse("2024-03-01T12:00:00Z"));
        assertInstant("2024-03-01 12:00:00+02:00", Instant.parse("2024-03-01T10:00:00Z"));
        assertInstant("2024-03-01T12:00:00.25-0530", Instant.parse("2024-03-01T17:30:00.25Z"));
        assertInstant("2024-03-01T12:00:00+01", Instant.parse("2024-03-01T11:00:00Z"));
        for (String bad : new String[] {"2024-03-01T12:00:00", "2024-03-01T12:00:00+19:00", "2024-03-01T12:00:00+1", "2024-03-01T12:00:00z", "2024-03-01"}) {
            assertFalse(parser.parseInstant(bytes(bad), 0, bad.length()), bad);
        }
    }

    private void assertLong(String text, long expected) {
        assertTrue(parser.parseLong(bytes(text), 0, text.length()), text);
        assertEquals(expected, parser.longValue, text);
    }

    private void assertLocal(String text, LocalDateTime expected) {
        assertTrue(parser.parseLocalTimestamp(bytes(text), 0, text.length()), text);
        assertEquals(ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), expected), parser.longValue, text);
    }

    private void assertInstant(String text, Instant expected) {
        assertTrue(parser.parseInstant(bytes(text), 0, text.length()), text);
        assertEquals(ChronoUnit.MICROS.between(Instant.EPOCH, expected), parser.longValue, text);
        assertEquals(expected, LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC).toInstant(ZoneOffset.UTC).plus(parser.longValue, ChronoUnit.MICROS));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
