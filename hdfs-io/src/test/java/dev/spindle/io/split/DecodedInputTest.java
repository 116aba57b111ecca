package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.InputCodecs;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The bytes a block reads: plain, decompressed (length unknown until its end) or transcoded to UTF-8. */
class DecodedInputTest {
    private static final InputCodecs CODECS = InputCodecs.from(new Configuration(false));
    private static final byte[] TEXT = "a,b\n1,\u00e9\n".getBytes(UTF_8);

    @Test
    void aPlainFileIsReadAsItIsWithItsPlannedLength() throws Exception {
        DecodedInput input = open(TEXT, "memory:/a.csv", 0);
        assertTrue(input.lengthKnown());
        assertEquals(TEXT.length, input.length());
        assertEquals(Optional.of(UTF_8), input.charset());
        byte[] buffer = new byte[4];
        assertEquals(4, input.read(2, buffer, 0, 4));
        assertArrayEquals(Arrays.copyOfRange(TEXT, 2, 6), buffer);
        assertEquals('\n', input.readByte(3));
        input.close();
    }

    @Test
    void aCompressedFileHasAnUnknownLengthUntilAReadReachesItsEnd() throws Exception {
        DecodedInput input = open(gzip(TEXT), "memory:/a.csv.gz", 0);
        assertFalse(input.lengthKnown());
        assertEquals(DecodedInput.UNKNOWN_LENGTH, input.length());
        byte[] prefix = new byte[100];
        assertEquals(TEXT.length, input.readPrefix(0, prefix, prefix.length));
        assertTrue(input.lengthKnown());
        assertEquals(TEXT.length, input.length());
        assertArrayEquals(TEXT, Arrays.copyOf(prefix, TEXT.length));
        input.close();
    }

    @Test
    void readReturnsMinusOneAtTheEndOfADecompressedStream() throws Exception {
        DecodedInput input = open(gzip(TEXT), "memory:/a.csv.gz", 0);
        byte[] buffer = new byte[100];
        int done = 0;
        for (int read; (read = input.read(done, buffer, done, buffer.length - done)) > 0; ) {
            done += read;
        }
        assertEquals(TEXT.length, done);
        assertEquals(TEXT.length, input.length());
        input.close();
    }

    @Test
    void aUtf16FileIsTranscodedToUtf8() throws Exception {
        byte[] utf16 = "\uFEFFa,b\n1,\u00e9\n".getBytes(StandardCharsets.UTF_16LE);
        DecodedInput input = DecodedInput.open(new ByteArrayInput(utf16, "memory:/a.csv"),
                new BlockRange("memory:/a.csv", 0, utf16.length, utf16.length, false), CODECS, InputEncodings.detecting());
        assertEquals(Optional.of(StandardCharsets.UTF_16LE), input.charset());
        byte[] prefix = new byte[100];
        int length = input.readPrefix(0, prefix, prefix.length);
        assertEquals("a,b\n1,\u00e9\n", new String(prefix, 0, length, UTF_8));
        input.close();
    }

    @Test
    void aTranscodedFileMustBeReadFromByteZero() throws Exception {
        byte[] utf16 = "\uFEFFa,b\n1,2\n".getBytes(StandardCharsets.UTF_16LE);
        BadRecordException e = assertThrows(BadRecordException.class, () -> DecodedInput.open(new ByteArrayInput(utf16, "memory:/a.csv"),
                new BlockRange("memory:/a.csv", 4, utf16.length, utf16.length, true), CODECS, InputEncodings.detecting()));
        assertTrue(e.getMessage().startsWith("A UTF-16LE file cannot be split by bytes: it is read whole from byte 0, not as [4, 18) of 18 bytes"),
                e.getMessage());
    }

    @Test
    void aFileShorterThanPlannedFails() throws Exception {
        IOException e = assertThrows(IOException.class, () -> DecodedInput.open(new ByteArrayInput(TEXT, "memory:/a.csv"),
                new BlockRange("memory:/a.csv", 0, 100, 100, true), null, null));
        assertEquals("File length 9 differs from the planned length 100: memory:/a.csv", e.getMessage());
        DecodedInput input = open(TEXT, "memory:/a.csv", 0);
        assertThrows(EOFException.class, () -> input.read(TEXT.length, new byte[4], 0, 4));
    }

    private static DecodedInput open(byte[] bytes, String location, long start) throws Exception {
        return DecodedInput.open(new ByteArrayInput(bytes, location), new BlockRange(location, start, bytes.length, bytes.length,
                !location.endsWith(".gz")), CODECS, InputEncodings.detecting());
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }
}
