package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The read window: refills move the unconsumed bytes to the front, grow only for one record, up to the limit. */
class ReadBufferTest {
    private static final byte[] FILE = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(UTF_8);

    @Test
    void refillsMoveTheUnconsumedBytesToTheFront() throws Exception {
        ReadBuffer buffer = new ReadBuffer(input(), 4, 8, 100);
        assertEquals(8, buffer.refill());
        assertEquals("456789ab", text(buffer));
        buffer.consume(buffer.pos() + 5);
        assertEquals(4 + 5, buffer.offsetOf(buffer.pos()));
        assertEquals(5, buffer.refill());
        assertEquals(0, buffer.pos());
        assertEquals(9, buffer.start());
        assertEquals("9abcdefg", text(buffer));
        assertEquals(8, buffer.bytes().length);
    }

    @Test
    void aRecordThatFillsTheArrayGrowsItUpToTheLimitThenItIsFull() throws Exception {
        ReadBuffer buffer = new ReadBuffer(input(), 0, 4, 10);
        assertEquals(4, buffer.refill());
        assertEquals(4, buffer.refill());
        assertEquals(8, buffer.bytes().length);
        assertEquals(3, buffer.refill());
        assertEquals(11, buffer.bytes().length);
        assertEquals(ReadBuffer.FULL, buffer.refill());
        assertEquals("0123456789a", text(buffer));
    }

    @Test
    void theEndOfTheFileStopsRefills() throws Exception {
        ReadBuffer buffer = new ReadBuffer(input(), 30, 64, 100);
        assertEquals(7, buffer.bytes().length); // never larger than the bytes left, plus one
        assertEquals(6, buffer.refill());
        assertTrue(buffer.atEndOfFile());
        assertEquals(ReadBuffer.END_OF_FILE, buffer.refill());
        assertEquals("uvwxyz", text(buffer));
    }

    @Test
    void consumeStaysInsideTheData() throws Exception {
        ReadBuffer buffer = new ReadBuffer(input(), 0, 8, 100);
        buffer.refill();
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.consume(9));
        buffer.consume(3);
        assertThrows(IndexOutOfBoundsException.class, () -> buffer.consume(2));
        assertFalse(buffer.atEndOfFile());
    }

    private static String text(ReadBuffer buffer) {
        return new String(buffer.bytes(), buffer.pos(), buffer.end() - buffer.pos(), UTF_8);
    }

    private static DecodedInput input() throws Exception {
        return DecodedInput.open(new ByteArrayInput(FILE, "memory:/a.csv"),
                new BlockRange("memory:/a.csv", 0, FILE.length, FILE.length, true), null, null);
    }
}
