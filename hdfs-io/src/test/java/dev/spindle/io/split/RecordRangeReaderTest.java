package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.BlockSimulation.Chunk;
import dev.spindle.io.split.BlockSimulation.Output;
import dev.spindle.io.split.BlockSimulation.Settings;
import dev.spindle.io.split.RecordFormat.Header;
import dev.spindle.io.split.RecordRangeReader.StartMode;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordRangeReaderTest {
    private static final String LOCATION = "hdfs://nn/in/a.csv";
    private static final RecordFormat CSV = RecordFormat.csv();
    private static final RecordFormat WITH_HEADER = RecordFormat.builder().header(Header.PRESENT).build();

    private static Output read(String text, RecordFormat format, long start, long end, StartMode mode) throws Exception {
        byte[] file = text.getBytes(UTF_8);
        return read(file, format, start, end, mode, Settings.defaults());
    }

    private static Output read(byte[] file, RecordFormat format, long start, long end, StartMode mode, Settings settings) throws Exception {
        return BlockSimulation.run(file, new BlockRange(LOCATION, start, end, file.length, true), format, mode, settings);
    }

    private static Output whole(String text, RecordFormat format) throws Exception {
        return read(text, format, 0, text.getBytes(UTF_8).length, StartMode.GUESS);
    }

    private static String text(Chunk chunk) {
        return new String(chunk.bytes(), UTF_8);
    }

    @Test
    void theBlockAtZeroReadsTheHeaderAndEveryRecord() throws Exception {
        Output output = whole("id,name\n1,a\n2,\"b\nc\"\n3,d", WITH_HEADER);
        assertEquals("id,name", new String(output.header().orElseThrow(), UTF_8));
        assertEquals(List.of("1,a\n2,\"b\nc\"\n", "3,d"), output.chunks().stream().map(RecordRangeReaderTest::text).toList());
        Chunk chunk = output.chunks().get(0);
        assertEquals(8, chunk.fileOffset());
        assertEquals(2, chunk.firstLine());
        assertEquals(2, chunk.records());
        assertEquals(5, output.chunks().get(1).firstLine());
        assertEquals(3, output.records());
        assertEquals(5, output.lines());
        assertEquals(0, output.firstRecordOffset());
        assertEquals(23, output.stopOffset());
        assertEquals(LineEnding.LF, output.lineEnding());
    }

    @Test
    void skippedLinesBeforeTheHeaderAreReadAsLinesWhateverTheyHold() throws Exception {
        // a title, a note with an open quote and a delimiter, a blank line: then the header
        String text = "Taxi trips, 2013\r\nnote: \"provisional, see below\n\nid,name\n1,a\n2,b\n";
        byte[] file = text.getBytes(UTF_8);
        BlockRange range = new BlockRange(LOCATION, 0, file.length, file.length, true);
        for (int readBuffer : new int[] {16, 1 << 16}) {
            try (RecordRangeReader reader = RecordRangeReader.builder(new ByteArrayInput(file, LOCATION), range, WITH_HEADER)
                    .skipLines(3).readBufferBytes(readBuffer).open()) {
                RecordChunk first = reader.next();
                assertEquals("id,name", new String(reader.header().orElseThrow(), UTF_8));
                assertEquals(5, first.firstLine(), "line numbers stay the file's");
                assertEquals(text.indexOf("1,a"), first.fileOffset());
                long records = first.records();
                for (RecordChunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
                    records += chunk.records();
                }
                assertEquals(2, records);
                assertEquals(6, reader.lines());
            }
        }
        // more lines to skip than the file has: no header, no record, no error
        try (RecordRangeReader reader = RecordRangeReader.builder(new ByteArrayInput(file, LOCATION), range, WITH_HEADER)
                .skipLines(99).open()) {
            assertNull(reader.next());
        }
        // without a header the first record follows the skipped lines
        try (RecordRangeReader reader = RecordRangeReader.builder(new ByteArrayInput(file, LOCATION), range, CSV)
                .skipLines(4).open()) {
            RecordChunk chunk = reader.next();
            assertEquals(text.indexOf("1,a"), chunk.fileOffset());
        }
    }

    @Test
    void aByteOrderMarkIsStrippedFromTheHeaderAndNeverInAChunk() throws Exception {
        byte[] file = "\uFEFFa,b\r\n1,2\r\n".getBytes(UTF_8);
        Output withHeader = read(file, WITH_HEADER, 0, file.length, StartMode.GUESS, Settings.defaults());
        assertEquals("a,b", new String(withHeader.header().orElseThrow(), UTF_8));
        assertEquals(LineEnding.CRLF, withHeader.lineEnding());
        assertEquals("1,2\r\n", text(withHeader.chunks().get(0)));
        Output noHeader = read(file, CSV, 0, 1, StartMode.GUESS, Settings.defaults());
        assertEquals("a,b\r\n", text(noHeader.chunks().get(0)));
        assertEquals(3, noHeader.chunks().get(0).fileOffset());
        assertEquals(0, noHeader.firstRecordOffset());
        assertEquals(8, noHeader.stopOffset());
        assertTrue(noHeader.header().isEmpty());
    }

    @Test
    void lineEndingsAreDetectedFromTheFirstLineOutsideQuotes() throws Exception {
        assertEquals(LineEnding.LF, whole("\"a\r\nb\",c\nd\n", CSV).lineEnding());
        assertEquals(LineEnding.CRLF, whole("\"a\nb\",c\r\nd\r\n", CSV).lineEnding());
        assertEquals(LineEnding.CR, whole("a\rb\r", CSV).lineEnding());
        assertEquals(LineEnding.CR, whole("a\r", CSV).lineEnding());
        assertEquals(LineEnding.LF, whole("no terminator", CSV).lineEnding());
    }

    @Test
    void everyLineEndingEndsARecordWhateverTheFirstLineUses() throws Exception {
        // LF file: a CRLF line and a lone CR end records too.
        Output lf = whole("a\nb\r\nc\rd\n", CSV);
        assertEquals("a\nb\r\nc\rd\n", lf.chunks().stream().map(RecordRangeReaderTest::text).collect(java.util.stream.Collectors.joining()));
        assertEquals(4, lf.records());
        assertEquals(4, lf.lines());
        assertEquals(LineEnding.LF, lf.lineEnding());
        // CR file: an LF ends a record too.
        Output cr = whole("a\rb\nc\r", CSV);
        assertEquals(3, cr.records());
        assertEquals("a\rb\nc\r", cr.chunks().stream().map(RecordRangeReaderTest::text).collect(java.util.stream.Collectors.joining()));
        assertEquals(LineEnding.CR, cr.lineEnding());
    }

    @Test
    void blankAndCommentLinesAreSkippedCountedAndSplitChunks() throws Exception {
        RecordFormat format = RecordFormat.builder().commentPrefix('#').build();
        Output output = whole("a\n\n# it's \"open\nb\r\n\r\nc", format);
        assertEquals(List.of("a\n", "b\r\n", "c"), output.chunks().stream().map(RecordRangeReaderTest::text).toList());
        assertEquals(List.of(1L, 4L, 6L), output.chunks().stream().map(Chunk::firstLine).toList());
        assertEquals(3, output.blankLines());
        assertEquals(3, output.records());
        assertEquals(6, output.lines());
    }

    @Test
    void anEmptyFileHasNoRecordsAndNoHeader() throws Exception {
        Output output = read(new byte[0], WITH_HEADER, 0, 0, StartMode.GUESS, Settings.defaults());
        assertEquals(List.of(), output.chunks());
        assertEquals(0, output.firstRecordOffset());
        assertEquals(0, output.stopOffset());
        assertTrue(output.header().isEmpty());
        assertEquals(0, output.lines());
    }

    @Test
    void aBlockOwnsTheRecordThatStraddlesItsEnd() throws Exception {
        String text = "aaaa\nbbbb\ncccc\n";
        Output first = read(text, CSV, 0, 7, StartMode.GUESS);
        assertEquals("aaaa\nbbbb\n", text(first.chunks().get(0)));
        assertEquals(10, first.stopOffset());
        Output second = read(text, CSV, 7, 15, StartMode.GUESS);
        assertEquals(10, second.firstRecordOffset());
        assertEquals("cccc\n", text(second.chunks().get(0)));
        assertEquals(1, second.chunks().get(0).firstLine());
        assertEquals(15, second.stopOffset());
    }

    @Test
    void aBlockStartingRightAfterATerminatorOwnsTheRecordThere() throws Exception {
        Output output = read("aaaa\nbbbb\n", CSV, 5, 10, StartMode.GUESS);
        assertEquals(5, output.firstRecordOffset());
        assertEquals("bbbb\n", text(output.chunks().get(0)));
    }

    @Test
    void aBlockInsideOneLongRecordOwnsNothing() throws Exception {
        String text = "a\n\"" + "x,\n".repeat(20) + "\"\nb\n";
        Output output = read(text, CSV, 10, 20, StartMode.GUESS);
        assertEquals(List.of(), output.chunks());
        assertEquals(text.indexOf("b\n"), output.firstRecordOffset());
        assertEquals(output.firstRecordOffset(), output.stopOffset());
    }

    @Test
    void theGuessFindsABlockThatStartsInsideAQuotedField() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            text.append(i).append(",\"line one\nline, two\",x\n");
        }
        byte[] file = text.toString().getBytes(UTF_8);
        int inside = text.indexOf("line, two", 100);
        Output output = read(file, CSV, inside, file.length, StartMode.GUESS, Settings.defaults());
        int next = text.indexOf("\n", inside) + 1;
        assertEquals(next, output.firstRecordOffset());
        String nextRecord = text.substring(next, text.indexOf("x\n", next) + 2);
        assertTrue(nextRecord.endsWith(",\"line one\nline, two\",x\n"), nextRecord);
        assertTrue(text(output.chunks().get(0)).startsWith(nextRecord), text(output.chunks().get(0)));
    }

    @Test
    void aKnownRecordStartIsTakenAsIs() throws Exception {
        String text = "1,\"a\nb\"\n2,c\n";
        Output output = read(text, CSV, 5, text.length(), StartMode.KNOWN_RECORD_START);
        assertEquals(5, output.firstRecordOffset());
        assertEquals("b\"\n2,c\n", text(output.chunks().get(0)));
    }

    @Test
    void aRecordLargerThanTheReadBufferGrowsIt() throws Exception {
        String big = "\"" + "y\n".repeat(100) + "\",z\n";
        byte[] file = ("a\n" + big + "b\n").getBytes(UTF_8);
        Output output = read(file, CSV, 0, file.length, StartMode.GUESS, new Settings(16, 64, 1 << 20));
        Chunk chunk = output.chunks().stream().filter(c -> c.fileOffset() == 2).findFirst().orElseThrow();
        assertTrue(text(chunk).startsWith(big), text(chunk));
        assertEquals(2, chunk.firstLine());
        assertEquals(3, output.records());
        assertEquals(103, output.lines());
    }

    @Test
    void aRecordOfExactlyTheLimitIsAccepted() throws Exception {
        byte[] file = "abcdefg\nxy\n".getBytes(UTF_8);
        for (int buffer : new int[] {16, 1 << 20}) {
            Output output = read(file, CSV, 0, file.length, StartMode.GUESS, new Settings(buffer, 64, 8));
            assertEquals(2, output.records());
        }
    }

    @Test
    void aRecordLongerThanTheLimitIsABadRecord() {
        byte[] file = "ab\ncd\n\"abcdef\nghi\"\nxy\n".getBytes(UTF_8);
        for (int buffer : new int[] {16, 1 << 20}) {
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> read(file, CSV, 0, file.length, StartMode.GUESS, new Settings(buffer, 64, 8)));
            assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) at line 3, byte 6: " + LOCATION, e.getMessage());
            assertEquals(6, e.byteOffset());
            assertEquals(3, e.line());
            assertEquals(LOCATION, e.location());
            assertFalse(e.guessedStart());
        }
    }

    @Test
    void aLastRecordWithoutTerminatorLongerThanTheLimitIsABadRecord() {
        byte[] file = "ab\n0123456789".getBytes(UTF_8);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> read(file, CSV, 0, file.length, StartMode.GUESS, new Settings(16, 64, 8)));
        assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) at line 2, byte 3: " + LOCATION, e.getMessage());
    }

    @Test
    void anUnterminatedQuoteIsABadRecordNamingWhereItOpened() {
        byte[] file = "a,b\nc,d\ne,\"f\ng\nh\n".getBytes(UTF_8);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> read(file, CSV, 0, file.length, StartMode.GUESS, Settings.defaults()));
        assertEquals("Unterminated quoted field starting at line 3, byte 10 runs to end of file: " + LOCATION, e.getMessage());
        assertEquals(10, e.byteOffset());
        assertEquals(3, e.line());
    }

    @Test
    void anErrorInABlockNotAtZeroCountsLinesFromItsFirstRecord() {
        byte[] file = "a\nb\nc\n\"d\ne\n".getBytes(UTF_8);
        BadRecordException known = assertThrows(BadRecordException.class,
                () -> read(file, CSV, 4, file.length, StartMode.KNOWN_RECORD_START, Settings.defaults()));
        assertEquals("Unterminated quoted field starting at line 2 counted from byte 4, byte 6 runs to end of file: " + LOCATION,
                known.getMessage());
        assertFalse(known.guessedStart());
        byte[] longRecord = "a\nb\n0123456789abc\n".getBytes(UTF_8);
        BadRecordException guessed = assertThrows(BadRecordException.class,
                () -> read(longRecord, CSV, 3, longRecord.length, StartMode.GUESS, new Settings(16, 64, 8)));
        assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) at line 1 counted from byte 4, byte 4: " + LOCATION,
                guessed.getMessage());
        assertTrue(guessed.guessedStart());
    }

    @Test
    void aBlockStartingInsideARecordLongerThanTheLimitIsABadRecord() {
        byte[] file = ("a\n" + "x".repeat(20) + "\nb\n").getBytes(UTF_8);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> read(file, CSV, 5, file.length, StartMode.GUESS, new Settings(16, 4, 8)));
        assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) spans byte 5: " + LOCATION, e.getMessage());
        assertEquals(0, e.line());
        assertTrue(e.guessedStart());
    }

    @Test
    void theStopOffsetIsUnknownBeforeTheEnd() throws Exception {
        byte[] file = "a\nb\n".getBytes(UTF_8);
        try (RecordRangeReader reader = RecordRangeReader.builder(new ByteArrayInput(file, LOCATION),
                new BlockRange(LOCATION, 0, 4, 4, true), CSV).open()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, reader::stopOffset);
            assertEquals("The stop offset is known only after next() returned null: " + LOCATION, e.getMessage());
        }
    }

    @Test
    void invalidOptionsAreRejectedNamingTheValueAndLocation() {
        ByteArrayInput input = new ByteArrayInput(new byte[10], LOCATION);
        BlockRange range = new BlockRange(LOCATION, 0, 10, 10, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordRangeReader.builder(input, range, CSV).maxRecordBytes(0).open());
        assertEquals("maxRecordBytes must be in [1, 2^31 - 2]: 0: " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RecordRangeReader.builder(input, range, CSV).readBufferBytes(8).open());
        assertEquals("readBufferBytes must be at least 16: 8: " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RecordRangeReader.builder(input, range, CSV).lookAheadBytes(0).open());
        assertEquals("lookAheadBytes must be positive: 0: " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RecordRangeReader.builder(input, new BlockRange(LOCATION, 5, 10, 10, false), CSV).open());
        assertEquals("A file that cannot be split must be read whole, not [5, 10): " + LOCATION, e.getMessage());
    }

    @Test
    void aFileShorterThanPlannedIsAnIoError() {
        ByteArrayInput input = new ByteArrayInput(new byte[5], LOCATION);
        IOException e = assertThrows(IOException.class,
                () -> RecordRangeReader.builder(input, new BlockRange(LOCATION, 0, 10, 10, true), CSV).open());
        assertEquals("File length 5 differs from the planned length 10: " + LOCATION, e.getMessage());
    }

    @Test
    void theHeaderIsACopy() throws Exception {
        byte[] file = "h\n1\n".getBytes(UTF_8);
        try (RecordRangeReader reader = RecordRangeReader.builder(new ByteArrayInput(file, LOCATION),
                new BlockRange(LOCATION, 0, 4, 4, true), WITH_HEADER).open()) {
            reader.header().orElseThrow()[0] = 'x';
            assertArrayEquals("h".getBytes(UTF_8), reader.header().orElseThrow());
        }
    }
}
