package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.RecordFormat.Escape;
import dev.spindle.io.split.RecordFormat.Header;
import org.junit.jupiter.api.Test;

class RecordFormatTest {

    @Test
    void csvIsRfc4180WithoutHeaderOrComments() {
        RecordFormat csv = RecordFormat.csv();
        assertEquals(new RecordFormat((byte) ',', '"', Escape.DOUBLED_QUOTE, Header.ABSENT, RecordFormat.NONE), csv);
        assertTrue(csv.hasQuote());
        assertFalse(csv.hasHeader());
        assertFalse(csv.hasCommentPrefix());
    }

    @Test
    void theBuilderSetsEveryOption() {
        RecordFormat format = RecordFormat.builder()
                .delimiter('\t').noQuote().escape(Escape.BACKSLASH).header(Header.PRESENT).commentPrefix('#').build();
        assertEquals(new RecordFormat((byte) '\t', RecordFormat.NONE, Escape.BACKSLASH, Header.PRESENT, '#'), format);
        assertFalse(format.hasQuote());
        assertTrue(format.hasHeader());
        assertTrue(format.hasCommentPrefix());
    }

    @Test
    void conflictingOrInvalidBytesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.builder().quote(',').build());
        assertEquals("quote equals the delimiter: ','", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.builder().delimiter('\n').build());
        assertEquals("delimiter is a line terminator: 0xa", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.builder().commentPrefix('"').build());
        assertEquals("commentPrefix equals the delimiter or the quote: '\"'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.builder().quote('\\').escape(Escape.BACKSLASH).build());
        assertEquals("backslash escape with a backslash delimiter or quote", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> RecordFormat.builder().delimiter('é'));
        assertEquals("delimiter must be an ASCII character: U+e9", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new RecordFormat((byte) ',', 300, Escape.DOUBLED_QUOTE, Header.ABSENT, RecordFormat.NONE));
        assertEquals("quote is not a byte value (0-255): 300", e.getMessage());
    }
}
