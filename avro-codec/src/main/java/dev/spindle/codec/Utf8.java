package dev.spindle.codec;

import static dev.spindle.codec.CsvTokenizer.HIGHS;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Well-formed UTF-8 as the Unicode standard defines it (Table 3-7): no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no stray continuation bytes and no
 * truncated sequences. The same rule as the JDK's strict decoder, which {@code Utf8Test} checks
 * exhaustively; this one is fast on ASCII (8 bytes per step) and allocates nothing.
 */
final class Utf8 {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    private Utf8() {}

    /** The index of the first byte of the first ill-formed sequence in {@code b[start, end)}, or -1. */
    static int firstInvalid(byte[] b, int start, int end) {
        int i = start;
        while (i < end) {
            if (i + 8 <= end && ((long) LONGS.get(b, i) & HIGHS) == 0) {
                i += 8;
                continue;
            }
            int length = sequenceLength(b, i, end);
            if (length <= 0) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** Bytes in ill-formed sequences in {@code b[start, end)} (each byte that starts no valid sequence counts once). */
    static int countInvalid(byte[] b, int start, int end) {
        int count = 0;
        int i = start;
        while (i < end) {
            int length = sequenceLength(b, i, end);
            if (length <= 0) {
                count++;
                i++;
            } else {
                i += length;
            }
        }
        return count;
    }

    /** Length of the well-formed sequence at {@code b[i]} (1 to 4), or 0 when none starts there. */
    private static int sequenceLength(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        if (c < 0x80) {
            return 1;
        }
        if (c < 0xC2) {
            return 0; // a continuation byte, or the lead of an overlong 2-byte form
        }
        if (c < 0xE0) {
            return i + 1 < end && continuation(b[i + 1]) ? 2 : 0;
        }
        if (c < 0xF0) {
            if (i + 2 >= end) {
                return 0;
            }
            int c1 = b[i + 1] & 0xff;
            int low = c == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
            int high = c == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate
            return c1 >= low && c1 <= high && continuation(b[i + 2]) ? 3 : 0;
        }
        if (c < 0xF5) {
            if (i + 3 >= end) {
                return 0;
            }
            int c1 = b[i + 1] & 0xff;
            int low = c == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
            int high = c == 0xF4 ? 0x8F : 0xBF; // F4 90.. would be above U+10FFFF
            return c1 >= low && c1 <= high && continuation(b[i + 2]) && continuation(b[i + 3]) ? 4 : 0;
        }
        return 0;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /**
     * The offset of the first byte in {@code b[start, end)} that {@code charset} cannot decode,
     * or -1; UTF-8 by {@link #firstInvalid}, ISO-8859-1 maps every byte, others by a reporting
     * decoder.
     */
    static int firstUndecodable(byte[] b, int start, int end, Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            return firstInvalid(b, start, end);
        }
        if (charset.equals(StandardCharsets.ISO_8859_1)) {
            return -1;
        }
        CharsetDecoder decoder = reporting(charset);
        ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
        CharBuffer out = room(decoder, end - start);
        CoderResult result = decoder.decode(in, out, true);
        return result.isError() ? in.position() : -1;
    }

    /** Bytes of {@code b[start, end)} in sequences that {@code charset} does not decode. */
    static int countUndecodable(byte[] b, int start, int end, Charset charset) {
        if (charset.equals(StandardCharsets.UTF_8)) {
            return firstInvalid(b, start, end) < 0 ? 0 : countInvalid(b, start, end);
        }
        if (charset.equals(StandardCharsets.ISO_8859_1)) {
            return 0;
        }
        CharsetDecoder decoder = reporting(charset);
        ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
        CharBuffer out = room(decoder, end - start);
        int count = 0;
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            out.clear();
            if (!result.isError()) {
                return count;
            }
            count += result.length();
            in.position(in.position() + result.length());
        }
    }

    /**
     * {@code b[start, end)} as text for a message: what decodes is shown as it is, each byte that
     * does not as {@code \xFF}, so an error names the bytes rather than a U+FFFD.
     */
    static String describe(byte[] b, int start, int end, Charset charset) {
        CharsetDecoder decoder = reporting(charset);
        ByteBuffer in = ByteBuffer.wrap(b, start, end - start);
        CharBuffer out = room(decoder, end - start);
        StringBuilder text = new StringBuilder(end - start);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            out.flip();
            text.append(out);
            out.clear();
            if (!result.isError()) {
                break;
            }
            for (int k = 0; k < result.length(); k++) {
                text.append(String.format("\\x%02X", in.get() & 0xff));
            }
        }
        return text.toString();
    }

    /** A decoder of {@code charset} that reports malformed and unmappable input instead of replacing it. */
    private static CharsetDecoder reporting(Charset charset) {
        return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** A char buffer large enough for {@code bytes} bytes decoded by {@code decoder}. */
    private static CharBuffer room(CharsetDecoder decoder, int bytes) {
        return CharBuffer.allocate((int) (bytes * (double) decoder.maxCharsPerByte()) + 1);
    }
}
