package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Whole records from a known record start to the owning range's end, in chunks, with their lines. */
class WholeRecordReaderTest {
    private static final RecordFormat CSV = RecordFormat.csv();
    private static final WholeRecordReader.Errors ERRORS = new WholeRecordReader.Errors("memory:/a.csv", 0, false);

    @Test
    void chunksHoldWholeRecordsAndBlankLinesSplitThem() throws Exception {
        WholeRecordReader reader = reader("a,b\nc,\"d\ne\"\n\r\nf\rg", CSV, 0, 1000, 16);
        assertEquals(List.of("0 1 2 a,b\n|c,\"d\ne\"\n", "14 5 1 f\r", "16 6 1 g"), chunks(reader));
        assertEquals(4, reader.records());
        assertEquals(1, reader.blankLines());
        assertEquals(6, reader.lines());
        assertEquals(17, reader.stopOffset());
    }

    @Test
    void theRangeOwnsTheRecordsThatStartBeforeItsEnd() throws Exception {
        String text = "aa\r\nbb\r\ncc\r\n";
        // records start at 0, 4, 8: a range ending at 5 owns the first two and stops at 8
        WholeRecordReader reader = reader(text, CSV, 0, 5, 16);
        assertEquals(List.of("0 1 2 aa\r\n|bb\r\n"), chunks(reader));
        assertEquals(8, reader.stopOffset());
        WholeRecordReader from4 = reader(text, CSV, 4, 9, 16);
        assertEquals(List.of("4 1 2 bb\r\n|cc\r\n"), chunks(from4));
        assertEquals(12, from4.stopOffset());
    }

    @Test
    void aCrLfThatTheBufferCutsIsOneTerminator() throws Exception {
        // with a 6-byte buffer the CR of each CRLF ends up last in it at some point
        String text = "abcd\r\nefg\r\nhi\r\n";
        for (int buffer = 2; buffer <= 20; buffer++) {
            WholeRecordReader reader = reader(text, CSV, 0, 1000, buffer);
            List<String> records = new ArrayList<>();
            for (RecordChunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
                records.add(new String(chunk.buffer(), chunk.offset(), chunk.length(), UTF_8));
            }
            assertEquals(text, String.join("", records), "buffer " + buffer);
            assertEquals(3, reader.records(), "buffer " + buffer);
            assertEquals(0, reader.blankLines(), "buffer " + buffer);
            assertEquals(3, reader.lines(), "buffer " + buffer);
        }
    }

    @Test
    void theHeaderIsReadWithoutItsTerminator() throws Exception {
        WholeRecordReader reader = reader("id,\"na\nme\"\r\n1,x\n", CSV, 0, 1000, 16);
        assertEquals("id,\"na\nme\"", new String(reader.readHeader(), UTF_8));
        assertEquals(List.of("12 3 1 1,x\n"), chunks(reader));
        assertEquals(3, reader.lines());
    }

    @Test
    void commentAndBlankLinesBeforeTheHeaderAreSkippedAndCounted() throws Exception {
        RecordFormat commented = RecordFormat.builder().header(RecordFormat.Header.PRESENT).commentPrefix('~').build();
        for (int buffer = 2; buffer <= 40; buffer++) {
            WholeRecordReader reader = reader("~ note one\n~ note two\r\n\nid,name\n1,a\n", commented, 0, 1000, buffer);
            assertEquals("id,name", new String(reader.readHeader(), UTF_8), "buffer " + buffer);
            assertEquals(List.of("32 5 1 1,a\n"), chunks(reader), "buffer " + buffer);
            assertEquals(5, reader.lines(), "buffer " + buffer);
        }
        // without a comment prefix a '~' line is the header, as it always was
        WholeRecordReader plain = reader("~ note\nid\n", RecordFormat.builder().header(RecordFormat.Header.PRESENT).build(), 0, 1000, 16);
        assertEquals("~ note", new String(plain.readHeader(), UTF_8));
        assertEquals(0, reader("~ only\n", commented, 0, 1000, 16).readHeader().length, "nothing but comments: no header");
    }

    @Test
    void recordsOverTheLimitFailOrAreSkippedAndReported() throws Exception {
        String text = "a\n" + "x".repeat(30) + "\r\nb\n";
        BadRecordException e = assertThrows(BadRecordException.class, () -> chunks(reader(text, CSV, 0, 1000, 16, 10, null)));
        assertEquals("Record longer than 10 bytes (spindle.csv.max-record-bytes) at line 2, byte 2: memory:/a.csv", e.getMessage());
        List<String> skipped = new ArrayList<>();
        WholeRecordReader reader = reader(text, CSV, 0, 1000, 16, 10,
                (offset, line, length, prefix) -> skipped.add(offset + " " + line + " " + length));
        assertEquals(List.of("0 1 1 a\n", "34 3 1 b\n"), chunks(reader));
        assertEquals(List.of("2 2 32"), skipped);
        assertEquals(1, reader.oversizedRecords());
        assertEquals(3, reader.lines());
    }

    @Test
    void aQuoteLeftOpenAtTheEndOfTheFileFailsWhereItOpened() throws Exception {
        BadRecordException e = assertThrows(BadRecordException.class, () -> chunks(reader("a\nb,\"c\nd\n", CSV, 0, 1000, 16)));
        assertEquals("Unterminated quoted field starting at line 2, byte 4 runs to end of file: memory:/a.csv", e.getMessage());
    }

    @Test
    void linesOfARangeInTheMiddleCountFromItsFirstRecord() throws Exception {
        WholeRecordReader reader = new WholeRecordReader(input("a\nbb\n\"c\"x\nd\n"), CSV, 2, 1000, 16, 1 << 20, null,
                new WholeRecordReader.Errors("memory:/a.csv", 2, true));
        assertEquals(List.of("2 1 3 bb\n|\"c\"x\n|d\n"), chunks(reader));
    }

    /** "fileOffset firstLine records text" per chunk, records separated by | where a chunk holds several. */
    private static List<String> chunks(WholeRecordReader reader) throws Exception {
        List<String> chunks = new ArrayList<>();
        for (RecordChunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
            String text = new String(chunk.buffer(), chunk.offset(), chunk.length(), UTF_8);
            chunks.add(chunk.fileOffset() + " " + chunk.firstLine() + " " + chunk.records() + " " + split(text));
        }
        return chunks;
    }

    /** The records of a chunk of simple test data, joined by |: a record ends at a line break outside quotes. */
    private static String split(String text) {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c);
            quoted ^= c == '"';
            boolean end = !quoted && (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n')));
            if (end && i + 1 < text.length()) {
                out.append('|');
            }
        }
        return out.toString();
    }

    private static WholeRecordReader reader(String text, RecordFormat format, long start, long ownEnd, int bufferBytes) throws Exception {
        return reader(text, format, start, ownEnd, bufferBytes, 1 << 20, null);
    }

    private static WholeRecordReader reader(String text, RecordFormat format, long start, long ownEnd, int bufferBytes, int maxRecordBytes,
            RecordRangeReader.OversizedRecordListener listener) throws Exception {
        return new WholeRecordReader(input(text), format, start, ownEnd, bufferBytes, maxRecordBytes, listener, ERRORS);
    }

    private static DecodedInput input(String text) throws Exception {
        byte[] bytes = text.getBytes(UTF_8);
        return DecodedInput.open(new ByteArrayInput(bytes, "memory:/a.csv"),
                new BlockRange("memory:/a.csv", 0, bytes.length, bytes.length, true), null, null);
    }
}
