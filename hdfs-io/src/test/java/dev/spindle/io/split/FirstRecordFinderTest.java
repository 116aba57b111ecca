package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.io.split.FirstRecordFinder.FilePrefix;
import org.junit.jupiter.api.Test;

/** The file's prefix at byte 0, and the first record start of a block that does not start there. */
class FirstRecordFinderTest {
    private static final RecordFormat CSV = RecordFormat.csv();

    @Test
    void thePrefixGivesTheByteOrderMarkTheFirstLinesTerminatorAndItsFields() throws Exception {
        assertEquals(new FilePrefix(0, LineEnding.LF, 3), detect("a,b,c\nd\n", CSV));
        assertEquals(new FilePrefix(3, LineEnding.CRLF, 2), detect("\uFEFFa,b\r\nc\n", CSV));
        assertEquals(new FilePrefix(0, LineEnding.CR, 2), detect("a,b\rc\n", CSV));
        // a quoted line break is not the first line's end
        assertEquals(new FilePrefix(0, LineEnding.CR, 2), detect("\"x\ny\",b\rc\n", CSV));
        // a file of one unterminated record: its fields, LF
        assertEquals(new FilePrefix(0, LineEnding.LF, 4), detect("a,b,c,d", CSV));
        // a blank or comment first line shows no field count
        assertEquals(new FilePrefix(0, LineEnding.LF, -1), detect("\na,b\n", CSV));
        assertEquals(new FilePrefix(0, LineEnding.LF, -1), detect("# a,b\nc\n", RecordFormat.builder().commentPrefix('#').build()));
        // an escaped line break with backslash escapes
        RecordFormat backslash = RecordFormat.builder().escape(RecordFormat.Escape.BACKSLASH).build();
        assertEquals(new FilePrefix(0, LineEnding.CRLF, 2), detect("a\\\nb,c\r\nd\n", backslash));
    }

    @Test
    void theFirstRecordStartsAfterTheFirstTerminatorAtOrAfterStartMinusOne() throws Exception {
        String text = "ab,c\r\nde,f\ng,h\ri\n";
        // start 1..5: the first terminator at or after start - 1 is the CRLF at 4, 5
        for (int start = 1; start <= 5; start++) {
            assertEquals(6, guess(text, CSV, start), "start " + start);
        }
        // start 6 (right after the CRLF): start - 1 is its LF
        assertEquals(6, guess(text, CSV, 6));
        assertEquals(11, guess(text, CSV, 7));
        assertEquals(15, guess(text, CSV, 12));
        assertEquals(text.length(), guess(text, CSV, 16));
    }

    @Test
    void aStartInsideAQuotedFieldIsGuessedFromTheBytesAhead() throws Exception {
        String text = "id,text\n1,\"one\ntwo\nthree\"\n2,\"x\"\n3,\"y\"\n";
        // start in the quoted field: the line breaks in it are not record starts
        assertEquals(text.indexOf("2,"), guess(text, CSV, text.indexOf("two")));
        assertEquals(text.indexOf("2,"), guess(text, CSV, text.indexOf("three")));
    }

    @Test
    void aRecordLongerThanTheLimitAcrossTheStartFails() throws Exception {
        String text = "a\n" + "x".repeat(100) + "\nb\n";
        FirstRecordFinder finder = new FirstRecordFinder(CSV);
        DecodedInput input = input(text);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> finder.guessFirstRecordStart(input, 5, finder.detect(input), 8, 20, false, "memory:/a.csv"));
        assertEquals(true, e.guessedStart());
        // skipping over-long records: the scan goes on to the record's end
        assertEquals(text.indexOf("b"), finder.guessFirstRecordStart(input, 5, finder.detect(input), 8, 20, true, "memory:/a.csv"));
    }

    private static FilePrefix detect(String text, RecordFormat format) throws Exception {
        return new FirstRecordFinder(format).detect(input(text));
    }

    private static long guess(String text, RecordFormat format, long start) throws Exception {
        FirstRecordFinder finder = new FirstRecordFinder(format);
        DecodedInput input = input(text);
        return finder.guessFirstRecordStart(input, start, finder.detect(input), 1 << 10, 1 << 20, false, "memory:/a.csv");
    }

    private static DecodedInput input(String text) throws Exception {
        byte[] bytes = text.getBytes(UTF_8);
        return DecodedInput.open(new ByteArrayInput(bytes, "memory:/a.csv"),
                new BlockRange("memory:/a.csv", 0, bytes.length, bytes.length, true), null, null);
    }
}
