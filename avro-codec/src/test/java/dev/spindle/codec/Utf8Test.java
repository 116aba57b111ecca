package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Utf8} against the JDK's strict UTF-8 decoder: every 1-3 byte input, 4-byte leads, seeded random text. */
class Utf8Test {

    private final CharsetDecoder jdk = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private CharBuffer chars = CharBuffer.allocate(64);

    /** The JDK's answer: the offset where the first malformed input starts, or -1. */
    private int jdkFirstInvalid(byte[] b, int start, int end) {
        jdk.reset();
        if (chars.capacity() <= end - start) {
            chars = CharBuffer.allocate(2 * (end - start) + 1);
        }
        chars.clear();
        ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
        CoderResult result = jdk.decode(in, chars, true);
        return result.isError() ? in.position() : -1;
    }

    @Test
    void everyInputOfUpToThreeBytesAgreesWithTheJdk() {
        byte[] b = new byte[3];
        for (int length = 1; length <= 3; length++) {
            int inputs = 1 << (8 * length);
            for (int v = 0; v < inputs; v++) {
                for (int k = 0; k < length; k++) {
                    b[k] = (byte) (v >>> (8 * k));
                }
                assertAgrees(b, 0, length);
            }
        }
    }

    @Test
    void everyFourByteSequenceOfEveryLeadAgreesWithTheJdk() {
        byte[] b = new byte[4];
        int[] tails = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xF4, 0xFF};
        for (int lead = 0xE0; lead <= 0xFF; lead++) {
            for (int second = 0; second < 256; second++) {
                for (int third : tails) {
                    for (int fourth : tails) {
                        b[0] = (byte) lead;
                        b[1] = (byte) second;
                        b[2] = (byte) third;
                        b[3] = (byte) fourth;
                        assertAgrees(b, 0, 4);
                    }
                }
            }
        }
    }

    @Test
    void seededRandomTextAgreesWithTheJdkAndCountsInvalidBytes() {
        Random random = new Random(10);
        String[] pieces = {"a", "Zürich", "東京", "\uD83D\uDE00", "0123456789abcdef", ",", "\"", "é"};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(12); k > 0; k--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            byte[] valid = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] b = java.util.Arrays.copyOf(valid, valid.length + 3);
            int end = valid.length;
            if (random.nextBoolean() && end > 0) {
                b[random.nextInt(end)] = (byte) (0x80 + random.nextInt(128)); // break one byte
            }
            if (random.nextInt(4) == 0) {
                b[end++] = (byte) 0xE6; // a truncated 3-byte sequence at the end
            }
            int start = end == 0 ? 0 : random.nextInt(end);
            assertAgrees(b, start, end);
        }
        assertEquals(0, Utf8.countInvalid("Zürich".getBytes(StandardCharsets.UTF_8), 0, 7));
        byte[] bad = {'A', 'B', (byte) 0xFF, (byte) 0xFE, 'C', 'D'};
        assertEquals(2, Utf8.countInvalid(bad, 0, bad.length));
        assertEquals(2, Utf8.firstInvalid(bad, 0, bad.length));
        assertEquals("AB\\xFF\\xFECD", Utf8.describe(bad, 0, bad.length, StandardCharsets.UTF_8));
    }

    private void assertAgrees(byte[] b, int start, int end) {
        int expected = jdkFirstInvalid(b, start, end);
        int actual = Utf8.firstInvalid(b, start, end);
        if (expected != actual) {
            StringBuilder hex = new StringBuilder();
            for (int k = start; k < end; k++) {
                hex.append(String.format("%02X ", b[k] & 0xff));
            }
            assertEquals(expected, actual, "first invalid byte of " + hex);
        }
        assertEquals(expected >= 0, Utf8.firstUndecodable(b, start, end, StandardCharsets.UTF_8) >= 0);
        if (expected < 0) {
            assertEquals(0, Utf8.countInvalid(b, start, end));
        }
    }
}
