package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.BlockSimulation.Output;
import dev.spindle.io.split.CsvFileGenerator.Shape;
import dev.spindle.io.split.RecordFormat.Header;
import dev.spindle.io.split.TilingCheck.RangeResult;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input encodings: an ISO-8859-1 file splits by bytes like UTF-8; UTF-16 and UTF-32 files (byte
 * order mark or declared, plain or gzip'ed) are planned as one block and read whole, transcoded,
 * and their records equal the parse of the same text in UTF-8, at UTF-8 offsets.
 */
class RecordRangeReaderEncodingTest {
    private static final Configuration CONF = new Configuration(false);
    private static final InputCodecs CODECS = InputCodecs.from(CONF);
    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    /** Generated CSV (quoted newlines, doubled quotes, blank lines) with non-ASCII letters. */
    private static String text(long seed, LineEnding ending, Header header, int records, boolean beyondLatin1) {
        RecordFormat format = RecordFormat.builder().header(header).build();
        byte[] ascii = CsvFileGenerator.generate(new Random(seed), new Shape(format, ending, false, true, true, true, false, records, 4));
        String text = new String(ascii, StandardCharsets.US_ASCII).replace('e', '\u00e9').replace('n', '\u00f1').replace('u', '\u00fc');
        return beyondLatin1 ? text.replace("q", "\ud83d\ude00").replace("z", "\u20ac").replace("k", "\u4e2d") : text;
    }

    @Test
    void aLatin1FileSplitsIntoBlocksExactlyAndItsBytesDecode() throws Exception {
        for (LineEnding ending : LineEnding.values()) {
            String text = text(21 + ending.ordinal(), ending, Header.PRESENT, 400, false);
            byte[] file = text.getBytes(StandardCharsets.ISO_8859_1);
            assertTrue(text.indexOf('\u00e9') >= 0 && file.length == text.length(), "one byte per character");
            RecordFormat format = RecordFormat.builder().header(Header.PRESENT).build();
            for (long blockSize : new long[] {7, 64, 1000}) {
                String context = ending + ", blocks of " + blockSize + " bytes";
                List<Output> outputs = BlockSimulation.simulate(file, format, blockSize, BlockSimulation.Settings.defaults(),
                        new BlockSimulation.Stats());
                assertTrue(outputs.size() > 2, context);
                BlockSimulation.assertUnionEqualsWholeFile(file, format, outputs, context);
                StringBuilder decoded = new StringBuilder(new String(outputs.get(0).header().orElseThrow(), StandardCharsets.ISO_8859_1));
                for (Output output : outputs) {
                    for (BlockSimulation.Chunk chunk : output.chunks()) {
                        decoded.append(new String(chunk.bytes(), StandardCharsets.ISO_8859_1));
                    }
                }
                assertEquals(withoutBlankLines(text.substring(text.indexOf(ending == LineEnding.CR ? '\r' : '\n') + 1)),
                        withoutBlankLines(decoded.substring(decoded.indexOf("c3") + 2)), context);
            }
        }
    }

    /** The text without its line terminators: chunks skip blank lines, so compare what is left. */
    private static String withoutBlankLines(String text) {
        return text.replace("\r", "").replace("\n", "");
    }

    @Test
    void aLatin1FileIsSplitByThePlannerWithEitherEncodings() throws Exception {
        byte[] file = text(3, LineEnding.LF, Header.PRESENT, 200, false).getBytes(StandardCharsets.ISO_8859_1);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", file);
        for (InputEncodings encodings : List.of(InputEncodings.detecting(), InputEncodings.declared(StandardCharsets.ISO_8859_1))) {
            BlockPlan plan = BlockPlanner.builder().blockSize(256).encodings(encodings, store).build().plan(store.list("memory:/in/a.csv"));
            assertEquals((file.length + 255) / 256, plan.blocks().size(), encodings.toString());
            List<Output> outputs = new ArrayList<>();
            for (Block block : plan.blocks()) {
                BlockRange range = block.ranges().get(0);
                try (SeekableInput input = store.open(range.location());
                        RecordRangeReader reader = RecordRangeReader.builder(input, range, RecordFormat.csv()).encodings(encodings).open()) {
                    assertEquals(encodings.declaredCharset().orElse(StandardCharsets.UTF_8), reader.charset().orElseThrow());
                    outputs.add(BlockSimulation.readAll(reader, range.start()));
                }
            }
            BlockSimulation.assertUnionEqualsWholeFile(file, RecordFormat.csv(), outputs, encodings.toString());
        }
    }

    record Variant(String name, Charset charset, boolean declared, boolean gzip, LineEnding ending, Header header) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> unicodeVariants() {
        List<Variant> variants = new ArrayList<>();
        int i = 0;
        for (Charset charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, UTF_32LE, UTF_32BE)) {
            for (LineEnding ending : LineEnding.values()) {
                boolean declared = i % 3 == 1;
                boolean gzip = i % 2 == 1;
                Header header = i % 4 < 2 ? Header.PRESENT : Header.ABSENT;
                variants.add(new Variant("%s %s %s%s %s".formatted(charset, ending, declared ? "declared" : "detected", gzip ? " gzip" : "",
                        header), charset, declared, gzip, ending, header));
                i++;
            }
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unicodeVariants")
    void aUnicodeFileIsOneBlockWhoseRecordsEqualTheUtf8Parse(Variant variant) throws Exception {
        String text = "\ufeff" + text(variant.ending().ordinal() * 7L + variant.charset().name().length(), variant.ending(),
                variant.header(), 300, true);
        byte[] utf8 = text.substring(1).getBytes(StandardCharsets.UTF_8);
        byte[] encoded = text.getBytes(variant.charset());
        String location = "memory:/in/a.csv" + (variant.gzip() ? ".gz" : "");
        InMemoryFileStore store = FileStores.inMemory();
        write(store, location, variant.gzip() ? gzip(encoded) : encoded);
        InputEncodings encodings = variant.declared() ? InputEncodings.declared(variant.charset()) : InputEncodings.detecting();
        RecordFormat format = RecordFormat.builder().header(variant.header()).build();

        BlockPlan plan = BlockPlanner.builder().blockSize(64).codecs(CODECS).encodings(encodings, store).build()
                .plan(store.list(location));

        assertEquals(1, plan.blocks().size(), variant.toString());
        BlockRange range = plan.blocks().get(0).ranges().get(0);
        assertFalse(range.splittable(), variant.toString());
        for (int buffer : new int[] {16, 1000, RecordRangeReader.READ_BUFFER_BYTES_DEFAULT}) {
            String context = variant + ", buffer " + buffer;
            Output output;
            try (SeekableInput input = store.open(location);
                    RecordRangeReader reader = RecordRangeReader.builder(input, range, format)
                            .codecs(CODECS).encodings(encodings).readBufferBytes(buffer).open()) {
                assertEquals(variant.charset(), reader.charset().orElseThrow(), context);
                output = BlockSimulation.readAll(reader, 0);
            }
            assertEquals(0, output.firstRecordOffset(), context);
            assertEquals(utf8.length, output.stopOffset(), "stop offset = UTF-8 length: " + context);
            assertEquals(variant.ending(), output.lineEnding(), context);
            BlockSimulation.assertUnionEqualsWholeFile(utf8, format, List.of(output), context);
            RangeResult result = new RangeResult(range.start(), range.end(), output.firstRecordOffset(), output.stopOffset());
            assertTrue(TilingCheck.check(List.of(range), List.of(result)).tiled(), context);
        }
    }

    @Test
    void smallUnicodeFilesArePackedAsWholeRangesAndStillTile() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        byte[] utf16 = "\ufeffa,b\n\"x\ny\",\u00e9\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] plain = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        write(store, "memory:/in/a.csv", utf16);
        write(store, "memory:/in/b.csv", plain);

        BlockPlan plan = BlockPlanner.builder().blockSize(1 << 20).encodings(InputEncodings.detecting(), store).build()
                .plan(store.list("memory:/in"));

        assertEquals(1, plan.blocks().size());
        List<BlockRange> ranges = plan.blocks().get(0).ranges();
        assertEquals(2, ranges.size());
        List<byte[]> expected = List.of("a,b\n\"x\ny\",\u00e9\n".getBytes(StandardCharsets.UTF_8), plain);
        for (int i = 0; i < 2; i++) {
            BlockRange range = ranges.get(i);
            Output output;
            try (SeekableInput input = store.open(range.location());
                    RecordRangeReader reader = RecordRangeReader.builder(input, range, RecordFormat.csv())
                            .encodings(InputEncodings.detecting()).open()) {
                output = BlockSimulation.readAll(reader, 0);
            }
            assertEquals(expected.get(i).length, output.stopOffset(), range.location());
            BlockSimulation.assertUnionEqualsWholeFile(expected.get(i), RecordFormat.csv(), List.of(output), range.location());
            RangeResult result = new RangeResult(range.start(), range.end(), output.firstRecordOffset(), output.stopOffset());
            assertTrue(TilingCheck.check(List.of(range), List.of(result)).tiled(), range.location());
        }
    }

    @Test
    void anExplicitCharsetWinsOverTheByteOrderMark() throws Exception {
        byte[] file = "\ufeffa\n1\n".getBytes(StandardCharsets.UTF_16LE);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", file);
        InputEncodings latin1 = InputEncodings.declared(StandardCharsets.ISO_8859_1);

        assertFalse(latin1.readWhole(store, "memory:/in/a.csv"));
        assertTrue(InputEncodings.detecting().readWhole(store, "memory:/in/a.csv"));
        try (SeekableInput input = store.open("memory:/in/a.csv")) {
            assertEquals(StandardCharsets.ISO_8859_1, latin1.charset(input));
            assertEquals(StandardCharsets.UTF_16LE, InputEncodings.detecting().charset(input));
            assertEquals(input, latin1.utf8(input));
        }
    }

    @Test
    void aUtf16FileOfOnlyAByteOrderMarkHasNoRecords() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", new byte[] {(byte) 0xFE, (byte) 0xFF});
        long length = 2;
        BlockRange range = new BlockRange("memory:/in/a.csv", 0, length, length, false);
        Output output;
        try (SeekableInput input = store.open("memory:/in/a.csv");
                RecordRangeReader reader = RecordRangeReader.builder(input, range, RecordFormat.builder().header(Header.PRESENT).build())
                        .encodings(InputEncodings.detecting()).open()) {
            output = BlockSimulation.readAll(reader, 0);
        }
        assertEquals(0, output.records());
        assertEquals(0, output.stopOffset());
        assertTrue(output.header().isEmpty());
    }

    @Test
    void aDeclaredCharsetMustBeAsciiCompatibleOrUnicode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InputEncodings.declared(Charset.forName("IBM037")));
        assertEquals("Charset must be ASCII-compatible (one byte per ASCII character) or one of"
                + " UTF-16, UTF-16BE, UTF-16LE, UTF-32, UTF-32BE, UTF-32LE: IBM037", e.getMessage());
        assertEquals(Charset.forName("windows-1252"), InputEncodings.declared(Charset.forName("windows-1252")).declaredCharset().orElseThrow());
    }

    @Test
    void byteOrderMarksNameTheirEncodings() {
        assertEquals(UTF_32LE, InputEncodings.byteOrderMark(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, 4).orElseThrow());
        assertEquals(UTF_32BE, InputEncodings.byteOrderMark(new byte[] {0, 0, (byte) 0xFE, (byte) 0xFF}, 4).orElseThrow());
        assertEquals(StandardCharsets.UTF_16LE, InputEncodings.byteOrderMark(new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0}, 4).orElseThrow());
        assertEquals(StandardCharsets.UTF_16LE, InputEncodings.byteOrderMark(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, 0}, 2).orElseThrow());
        assertEquals(StandardCharsets.UTF_16BE, InputEncodings.byteOrderMark(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 'a'}, 4).orElseThrow());
        assertTrue(InputEncodings.byteOrderMark(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'a'}, 4).isEmpty());
        assertTrue(InputEncodings.byteOrderMark(new byte[] {(byte) 0xFF}, 1).isEmpty());
        assertTrue(InputEncodings.byteOrderMark(new byte[0], 0).isEmpty());
        assertTrue(InputEncodings.transcoded(StandardCharsets.UTF_16));
        assertTrue(InputEncodings.transcoded(UTF_32BE));
        assertFalse(InputEncodings.transcoded(StandardCharsets.UTF_8));
        assertFalse(InputEncodings.transcoded(Charset.forName("windows-1252")));
    }

    @Test
    void aBadRecordInAUtf16FileNamesItsUtf8OffsetAndLine() throws Exception {
        byte[] file = "\ufeffa,b\n\u00e9,\"x\ny\"\n3,\"open\n".getBytes(StandardCharsets.UTF_16LE);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", file);

        BadRecordException e = assertThrows(BadRecordException.class, () -> readWhole(store, "memory:/in/a.csv"));

        // UTF-8 stream, BOM dropped: "a,b\n" (4) + "\u00e9" (2) + ",\"x\ny\"\n" (7) = 13, then "3," and the quote at 15
        assertEquals(15, e.byteOffset());
        assertEquals("Unterminated quoted field starting at line 4, byte 15 runs to end of file: memory:/in/a.csv", e.getMessage());
    }

    @Test
    void malformedUtf16FailsNamingTheFileOffsetAndLine() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("\ufeffa,b\n1,\u00e9t\u00e9\n2,x".getBytes(StandardCharsets.UTF_16LE));
        bytes.writeBytes(new byte[] {0x00, (byte) 0xDC}); // a low surrogate with no high one
        bytes.writeBytes("y\n".getBytes(StandardCharsets.UTF_16LE));
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", bytes.toByteArray());

        BadRecordException e = assertThrows(BadRecordException.class, () -> readWhole(store, "memory:/in/a.csv"));

        // file: BOM 2 + "a,b\n" 8 + "1,\u00e9t\u00e9\n" 12 + "2,x" 6 = byte 28; UTF-8 (BOM dropped): 4 + 8 + 3 = byte 15
        assertEquals("Cannot decode UTF-16LE: malformed input of 2 bytes at byte 28 of the UTF-16LE input, line 3, byte 15"
                + " of its UTF-8 stream: memory:/in/a.csv", e.getMessage());
        assertEquals(15, e.byteOffset());
        assertEquals(3, e.line());
    }

    @Test
    void aTruncatedUtf32FileFailsAtItsEnd() throws Exception {
        byte[] full = "\ufeffa\n1\n".getBytes(UTF_32BE);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", Arrays.copyOf(full, full.length - 1));

        BadRecordException e = assertThrows(BadRecordException.class, () -> readWhole(store, "memory:/in/a.csv"));

        assertEquals("Cannot decode UTF-32BE: malformed input of 3 bytes at byte 16 of the UTF-32BE input, line 2, byte 3"
                + " of its UTF-8 stream: memory:/in/a.csv", e.getMessage());
    }

    @Test
    void aUnicodeFileCannotBeReadFromTheMiddle() throws Exception {
        byte[] file = "\ufeffa,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_16BE);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", file);
        BlockRange second = new BlockRange("memory:/in/a.csv", 10, file.length, file.length, true);

        try (SeekableInput input = store.open("memory:/in/a.csv")) {
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> RecordRangeReader.builder(input, second, RecordFormat.csv()).encodings(InputEncodings.detecting()).open());
            assertEquals("A UTF-16BE file cannot be split by bytes: it is read whole from byte 0, not as [10, %d) of %d bytes"
                    .formatted(file.length, file.length) + " (plan it with BlockPlanner.Builder.encodings): memory:/in/a.csv",
                    e.getMessage());
            assertFalse(e.guessedStart());
        }
    }

    @Test
    void transcodedInputReadsAtAnyPosition() throws Exception {
        String text = text(5, LineEnding.LF, Header.ABSENT, 9000, true);
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        assertTrue(utf8.length > 200_000, "more than one decoding buffer: " + utf8.length);
        try (TranscodedInput input = new TranscodedInput(new ByteArrayInput(text.getBytes(StandardCharsets.UTF_16BE), "memory:/in/a.csv"),
                StandardCharsets.UTF_16BE)) {
            Random random = new Random(1);
            for (int i = 0; i < 50; i++) {
                int position = random.nextInt(utf8.length);
                int length = 1 + random.nextInt(Math.min(70_000, utf8.length - position));
                byte[] read = new byte[length];
                input.readFully(position, read, 0, length);
                assertArrayEquals(Arrays.copyOfRange(utf8, position, position + length), read, "at " + position);
            }
            assertEquals(-1, input.read(utf8.length, new byte[1], 0, 1));
            IOException e = assertThrows(IOException.class, () -> input.readFully(utf8.length - 1, new byte[2], 0, 2));
            assertEquals("UTF-16BE data ended at UTF-8 byte %d, reading 2 bytes at %d: memory:/in/a.csv"
                    .formatted(utf8.length, utf8.length - 1), e.getMessage());
            UnsupportedOperationException length = assertThrows(UnsupportedOperationException.class, input::length);
            assertEquals("The UTF-8 length of a UTF-16BE file is known only at the end: memory:/in/a.csv", length.getMessage());
        }
    }

    @Test
    void planningFailsNamingAFileItCannotRead() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", new byte[1000]);
        List<FileEntry> files = store.list("memory:/in/a.csv");
        store.delete("memory:/in/a.csv");

        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> BlockPlanner.builder().blockSize(100).encodings(InputEncodings.detecting(), store).build().plan(files));

        assertEquals("Cannot read the first bytes of a file to detect its encoding: memory:/in/a.csv", e.getMessage());
    }

    private static Output readWhole(InMemoryFileStore store, String location) throws Exception {
        long length = store.list(location).get(0).length();
        BlockRange range = new BlockRange(location, 0, length, length, false);
        try (SeekableInput input = store.open(location);
                RecordRangeReader reader = RecordRangeReader.builder(input, range, RecordFormat.csv())
                        .encodings(InputEncodings.detecting()).readBufferBytes(16).open()) {
            return BlockSimulation.readAll(reader, 0);
        }
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = ReflectionUtils.newInstance(GzipCodec.class, CONF).createOutputStream(bytes)) {
            out.write(plain);
        }
        return bytes.toByteArray();
    }

    private static void write(FileStore store, String location, byte[] bytes) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(bytes);
        }
    }
}
