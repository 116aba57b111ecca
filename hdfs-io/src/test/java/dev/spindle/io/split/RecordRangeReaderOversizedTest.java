package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.BlockSimulation.Chunk;
import dev.spindle.io.split.BlockSimulation.Output;
import dev.spindle.io.split.BlockSimulation.Settings;
import dev.spindle.io.split.BlockSimulation.Skipped;
import dev.spindle.io.split.BlockSimulation.Stats;
import dev.spindle.io.split.CsvFileGenerator.Shape;
import dev.spindle.io.split.RecordFormat.Escape;
import dev.spindle.io.split.RecordFormat.Header;
import dev.spindle.io.split.RecordRangeReader.StartMode;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RecordRangeReader.Builder#skipOversizedRecords}: a record longer than the limit is
 * reported once and skipped, reading goes on with exact offsets, lines and tiling. The split and
 * random tests compare the AM simulation with {@link ReferenceCsv}'s whole-file parse, where a
 * record over the limit must be reported (offset, line, length, prefix) instead of returned.
 * Rerun one random file with {@code -Dspindle.test.seed=<seed> -Dspindle.test.files=1}.
 */
class RecordRangeReaderOversizedTest {
    private static final String LOCATION = "hdfs://nn/in/a.csv";
    private static final RecordFormat CSV = RecordFormat.csv();
    private static final RecordFormat WITH_HEADER = RecordFormat.builder().header(Header.PRESENT).build();
    private static final int[] BUFFERS = {16, 23, 1 << 20};

    private static Settings skipping(int buffer, int lookAhead, int max) {
        return new Settings(buffer, lookAhead, max, true);
    }

    private static Output read(byte[] file, RecordFormat format, long start, long end, StartMode mode, Settings settings)
            throws Exception {
        return BlockSimulation.run(file, new BlockRange(LOCATION, start, end, file.length, true), format, mode, settings);
    }

    private static Output whole(String text, RecordFormat format, int buffer, int max) throws Exception {
        byte[] file = text.getBytes(UTF_8);
        Output output = read(file, format, 0, file.length, StartMode.GUESS, skipping(buffer, 64, max));
        BlockSimulation.assertUnionEqualsWholeFile(file, format, List.of(output), max, "buffer " + buffer + ", max " + max);
        return output;
    }

    private static List<String> texts(Output output) {
        return output.chunks().stream().map(chunk -> new String(chunk.bytes(), UTF_8)).toList();
    }

    private static void assertSkipped(Skipped skipped, long offset, long line, long length, String prefix) {
        assertEquals(offset, skipped.offset(), "offset");
        assertEquals(line, skipped.line(), "line");
        assertEquals(length, skipped.length(), "length");
        assertEquals(prefix, new String(skipped.prefix(), UTF_8), "prefix");
    }

    @Test
    void anOversizedRecordInTheMiddleIsReportedOnceAndReadingGoesOn() throws Exception {
        String text = "a,1\nb,2\n" + "c," + "x".repeat(40) + "\nd,4\ne,5\n";
        for (int buffer : BUFFERS) {
            Output output = whole(text, CSV, buffer, 16);
            assertEquals("a,1\nb,2\nd,4\ne,5\n", String.join("", texts(output)), "buffer " + buffer);
            assertEquals(1, output.oversized().size());
            assertSkipped(output.oversized().get(0), 8, 3, 43, "c," + "x".repeat(40) + "\n");
            assertEquals(1, output.oversizedRecords());
            assertEquals(4, output.records());
            assertEquals(5, output.lines());
            assertEquals(text.length(), output.stopOffset());
            Chunk after = output.chunks().stream().filter(c -> c.fileOffset() == 51).findFirst().orElseThrow();
            assertEquals(4, after.firstLine());
        }
    }

    @Test
    void aRecordOfExactlyTheLimitIsReturnedAndOneByteMoreIsSkipped() throws Exception {
        for (int buffer : BUFFERS) {
            Output output = whole("abcdefg\nabcdefgh\nxy\n", CSV, buffer, 8);
            assertEquals("abcdefg\nxy\n", String.join("", texts(output)));
            assertSkipped(output.oversized().get(0), 8, 2, 9, "abcdefgh\n");
            Output crlf = whole("abcdef\r\nabcdefg\r\nxy\r\n", CSV, buffer, 8);
            assertEquals("abcdef\r\nxy\r\n", String.join("", texts(crlf)));
            assertSkipped(crlf.oversized().get(0), 8, 2, 9, "abcdefg\r\n");
        }
    }

    @Test
    void anOversizedFirstRecordIsSkippedAfterTheHeader() throws Exception {
        for (int buffer : BUFFERS) {
            Output noHeader = whole("\uFEFF" + "y".repeat(30) + "\n1,2\n", CSV, buffer, 10);
            assertEquals(List.of("1,2\n"), texts(noHeader));
            assertSkipped(noHeader.oversized().get(0), 3, 1, 31, "y".repeat(30) + "\n");
            assertEquals(0, noHeader.firstRecordOffset());
            Output header = whole("id,v\n" + "y".repeat(30) + "\n1,2\n", WITH_HEADER, buffer, 10);
            assertEquals("id,v", new String(header.header().orElseThrow(), UTF_8));
            assertEquals(List.of("1,2\n"), texts(header));
            assertSkipped(header.oversized().get(0), 5, 2, 31, "y".repeat(30) + "\n");
            assertEquals(3, header.chunks().get(0).firstLine());
            assertEquals(3, header.lines());
        }
    }

    @Test
    void anOversizedLastRecordWithAndWithoutTerminatorIsSkippedAndTheRangeEnds() throws Exception {
        for (int buffer : BUFFERS) {
            for (String end : new String[] {"\n", ""}) {
                String text = "a\nb\n" + "z".repeat(25) + end;
                Output output = whole(text, CSV, buffer, 8);
                assertEquals(List.of("a\nb\n"), texts(output));
                assertSkipped(output.oversized().get(0), 4, 3, 25 + end.length(), "z".repeat(25) + end);
                assertEquals(text.length(), output.stopOffset());
                assertEquals(3, output.lines());
            }
            // exactly the limit + 1 at the end of the file, without terminator
            Output output = whole("a\n123456789", CSV, buffer, 8);
            assertSkipped(output.oversized().get(0), 2, 2, 9, "123456789");
        }
    }

    @Test
    void quotedNewlinesInsideAnOversizedRecordAreSkippedWholeAndCounted() throws Exception {
        String big = "2,\"one\ntwo, \"\"three\"\"\nfour\n\",end\n";
        String text = "1,a\n" + big + "3,\"x\ny\"\n4,b\n";
        for (int buffer : BUFFERS) {
            Output output = whole(text, CSV, buffer, 12);
            assertEquals("1,a\n3,\"x\ny\"\n4,b\n", String.join("", texts(output)));
            assertSkipped(output.oversized().get(0), 4, 2, big.length(), big);
            assertEquals(List.of(1L, 6L), output.chunks().stream().map(Chunk::firstLine).toList());
            assertEquals(8, output.lines());
        }
    }

    @Test
    void severalOversizedRecordsInARowAndBetweenBlankLines() throws Exception {
        RecordFormat format = RecordFormat.builder().commentPrefix('#').build();
        String text = "a\n" + "b".repeat(20) + "\n" + "\"c\n" + "c".repeat(20) + "\"\n\n" + "d".repeat(9) + "\n#note\ne\n"
                + "f".repeat(10) + "\n" + "g".repeat(11);
        for (int buffer : BUFFERS) {
            Output output = whole(text, format, buffer, 8);
            assertEquals(List.of("a\n", "e\n"), texts(output));
            assertEquals(List.of(1L, 8L), output.chunks().stream().map(Chunk::firstLine).toList());
            assertEquals(List.of(2L, 3L, 6L, 9L, 10L), output.oversized().stream().map(Skipped::line).toList());
            assertEquals(List.of(21L, 25L, 10L, 11L, 11L), output.oversized().stream().map(Skipped::length).toList());
            assertEquals(2, output.blankLines());
            assertEquals(10, output.lines());
        }
    }

    @Test
    void crAndCrlfFilesSkipByTheirTerminator() throws Exception {
        for (int buffer : BUFFERS) {
            // a lone CR and an LF inside quotes are two line breaks
            Output cr = whole("a\r" + "\"x\ry\n" + "q".repeat(20) + "\"\rb\r", CSV, buffer, 10);
            assertEquals(LineEnding.CR, cr.lineEnding());
            assertEquals(List.of("a\r", "b\r"), texts(cr));
            assertSkipped(cr.oversized().get(0), 2, 2, 27, "\"x\ry\n" + "q".repeat(20) + "\"\r");
            assertEquals(List.of(1L, 5L), cr.chunks().stream().map(Chunk::firstLine).toList());
            // an over-long record ended by a CRLF that a buffer boundary may cut
            Output split = whole("a\r\n" + "q".repeat(20) + "\r\nb\r\n", CSV, buffer, 10);
            assertEquals(List.of("a\r\n", "b\r\n"), texts(split));
            assertSkipped(split.oversized().get(0), 3, 2, 22, "q".repeat(20) + "\r\n");
            assertEquals(List.of(1L, 3L), split.chunks().stream().map(Chunk::firstLine).toList());
            Output crlf = whole("a\r\n" + "\"x\r\ny" + "q".repeat(20) + "\"\r\nb\r\n", CSV, buffer, 10);
            assertEquals(LineEnding.CRLF, crlf.lineEnding());
            assertEquals(List.of("a\r\n", "b\r\n"), texts(crlf));
            assertSkipped(crlf.oversized().get(0), 3, 2, 28, "\"x\r\ny" + "q".repeat(20) + "\"\r\n");
            assertEquals(List.of(1L, 4L), crlf.chunks().stream().map(Chunk::firstLine).toList());
        }
    }

    @Test
    void theListenerGetsAtMostTheFirst256Bytes() throws Exception {
        String big = "p".repeat(1000) + "\n";
        Output output = whole("a\n" + big + "b\n", CSV, 16, 300);
        assertSkipped(output.oversized().get(0), 2, 2, 1001, "p".repeat(RecordRangeReader.OVERSIZED_PREFIX_BYTES));
    }

    @Test
    void anUnclosedQuoteOverTheLimitIsSkippedToTheEndButWithinTheLimitStillThrows() throws Exception {
        for (int buffer : BUFFERS) {
            String open = "3,\"never\nclosed\n4,5\n6,7\n";
            Output output = whole("1,2\n" + open, CSV, buffer, 10);
            assertEquals(List.of("1,2\n"), texts(output));
            assertSkipped(output.oversized().get(0), 4, 2, open.length(), open);
            assertEquals(5, output.lines());
            assertEquals(4 + open.length(), output.stopOffset());
            Output noFinalNewline = whole("1,2\n3,\"" + "w".repeat(20), CSV, buffer, 10);
            assertSkipped(noFinalNewline.oversized().get(0), 4, 2, 23, "3,\"" + "w".repeat(20));
            assertEquals(2, noFinalNewline.lines());
            // limit + 1 bytes, all in the buffer at the end of the file
            Output exactlyOver = whole("1,2\n3,\"" + "w".repeat(8), CSV, buffer, 10);
            assertSkipped(exactlyOver.oversized().get(0), 4, 2, 11, "3,\"" + "w".repeat(8));
            byte[] file = "1,2\n3,\"open\n4\n".getBytes(UTF_8);
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> read(file, CSV, 0, file.length, StartMode.GUESS, skipping(buffer, 64, 10)));
            assertEquals("Unterminated quoted field starting at line 2, byte 6 runs to end of file: " + LOCATION, e.getMessage());
        }
    }

    @Test
    void theHeaderOverTheLimitStillThrows() {
        byte[] file = ("h".repeat(20) + "\n1\n").getBytes(UTF_8);
        for (int buffer : BUFFERS) {
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> read(file, WITH_HEADER, 0, file.length, StartMode.GUESS, skipping(buffer, 64, 8)));
            assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) at line 1, byte 0: " + LOCATION, e.getMessage());
        }
    }

    @Test
    void withoutAListenerAnOversizedRecordStillThrows() {
        byte[] file = ("a\n" + "x".repeat(20) + "\nb\n").getBytes(UTF_8);
        for (int buffer : BUFFERS) {
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> read(file, CSV, 0, file.length, StartMode.GUESS, new Settings(buffer, 64, 8)));
            assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) at line 2, byte 2: " + LOCATION, e.getMessage());
        }
        BadRecordException spans = assertThrows(BadRecordException.class,
                () -> read(file, CSV, 5, file.length, StartMode.GUESS, new Settings(16, 4, 8)));
        assertTrue(spans.guessedStart());
    }

    @Test
    void aLongCommentLineIsSkippedAsAComment() throws Exception {
        RecordFormat format = RecordFormat.builder().commentPrefix('#').build();
        for (int buffer : BUFFERS) {
            Output output = whole("a\n#" + "c".repeat(50) + "\nb\n", format, buffer, 8);
            assertEquals(List.of("a\n", "b\n"), texts(output));
            assertEquals(List.of(), output.oversized());
            assertEquals(1, output.blankLines());
            assertEquals(3, output.chunks().get(1).firstLine());
        }
    }

    @Test
    void theBlockThatOwnsTheStartOfAnOversizedRecordSkipsItAndTheNextBlockStartsAfterIt() throws Exception {
        String text = "a\n" + "x".repeat(100) + "\nb\nc\n";
        byte[] file = text.getBytes(UTF_8);
        for (int buffer : BUFFERS) {
            Settings settings = skipping(buffer, 4, 8);
            Output first = read(file, CSV, 0, 5, StartMode.GUESS, settings);
            assertEquals(List.of("a\n"), texts(first));
            assertEquals(103, first.stopOffset());
            assertEquals(1, first.oversized().size());
            // starts inside it: scans past the limit to its end instead of failing
            Output inside = read(file, CSV, 5, 50, StartMode.GUESS, settings);
            assertEquals(103, inside.firstRecordOffset());
            assertEquals(103, inside.stopOffset());
            assertEquals(List.of(), inside.chunks());
            assertEquals(List.of(), inside.oversized());
            Output last = read(file, CSV, 50, file.length, StartMode.GUESS, settings);
            assertEquals(103, last.firstRecordOffset());
            assertEquals(List.of("b\nc\n"), texts(last));
            assertEquals(1, last.chunks().get(0).firstLine());
            Output known = read(file, CSV, 2, 3, StartMode.KNOWN_RECORD_START, settings);
            assertEquals(103, known.stopOffset());
            assertSkipped(known.oversized().get(0), 2, 1, 101, "x".repeat(100) + "\n");
        }
    }

    /** A huge record streams through the buffer: the reader never asks for more than maxRecordBytes + 1 bytes at once. */
    @Test
    void aHugeRecordStreamsThroughABoundedBuffer() throws Exception {
        int max = 4096;
        long recordBytes = 48L << 20;
        for (boolean quoted : new boolean[] {false, true}) {
            VirtualInput input = new VirtualInput("id,v\n1,a\n", recordBytes, quoted, "2,b\n");
            List<Skipped> skipped = new ArrayList<>();
            BlockRange range = new BlockRange(LOCATION, 0, input.length(), input.length(), true);
            Output output;
            try (RecordRangeReader reader = RecordRangeReader.builder(input, range, WITH_HEADER)
                    .maxRecordBytes(max)
                    .skipOversizedRecords(BlockSimulation.listener(skipped))
                    .open()) {
                output = BlockSimulation.readAll(reader, 0, skipped);
            }
            assertEquals(List.of("1,a\n", "2,b\n"), texts(output), "quoted " + quoted);
            assertEquals(1, skipped.size());
            assertEquals(9, skipped.get(0).offset());
            assertEquals(3, skipped.get(0).line());
            assertEquals(recordBytes, skipped.get(0).length());
            assertEquals(RecordRangeReader.OVERSIZED_PREFIX_BYTES, skipped.get(0).prefix().length);
            long recordLines = quoted ? input.recordLines() : 1;
            assertEquals(3 + recordLines, output.chunks().get(1).firstLine(), "quoted " + quoted);
            assertEquals(3 + recordLines, output.lines());
            assertTrue(input.largestRead <= max + 1, "largest read " + input.largestRead);
            assertTrue(input.bytesRead < input.length() + FirstRecordFinder.DETECTION_PREFIX_BYTES + 2L * max,
                    "read once: " + input.bytesRead + " of " + input.length());
        }
    }

    @Test
    void anOversizedRecordInAGzipFileIsReportedAtItsDecompressedOffset() throws Exception {
        String big = "3,\"" + "g\n".repeat(300) + "\"\n";
        byte[] plain = ("a,b\n1,2\n" + big + "4,5\n" + "6," + "t".repeat(200)).getBytes(UTF_8);
        InMemoryFileStore store = FileStores.inMemory();
        String location = "memory:/in/a.csv.gz";
        byte[] gzip = RecordRangeReaderCompressedTest.Codec.GZIP.compress(plain);
        try (OutputStream out = store.create(location)) {
            out.write(gzip);
        }
        InputCodecs codecs = InputCodecs.from(new Configuration(false));
        BlockRange range = new BlockRange(location, 0, gzip.length, gzip.length, false);
        for (int buffer : BUFFERS) {
            List<Skipped> skipped = new ArrayList<>();
            Output output;
            try (SeekableInput input = store.open(location);
                    RecordRangeReader reader = RecordRangeReader.builder(input, range, WITH_HEADER)
                            .codecs(codecs).readBufferBytes(buffer).maxRecordBytes(100)
                            .skipOversizedRecords(BlockSimulation.listener(skipped)).open()) {
                output = BlockSimulation.readAll(reader, 0, skipped);
            }
            assertEquals(List.of("1,2\n", "4,5\n"), texts(output));
            assertEquals(plain.length, output.stopOffset());
            assertSkipped(skipped.get(0), 8, 3, big.length(), big.substring(0, 256));
            assertSkipped(skipped.get(1), 8 + big.length() + 4, 305, 202, "6," + "t".repeat(200));
            BlockSimulation.assertUnionEqualsWholeFile(plain, WITH_HEADER, List.of(output), 100, "gzip, buffer " + buffer);
        }
    }

    @Test
    void anOversizedRecordInAUtf16FileIsReportedAtItsUtf8Offset() throws Exception {
        String big = "2,\u00e9" + "\u4e2d".repeat(10) + "\n";
        String text = "1,\u00e9\n" + big + "3,x\n";
        byte[] utf8 = text.getBytes(UTF_8);
        byte[] utf16 = ("\ufeff" + text).getBytes(StandardCharsets.UTF_16LE);
        BlockRange range = new BlockRange(LOCATION, 0, utf16.length, utf16.length, true);
        List<Skipped> skipped = new ArrayList<>();
        Output output;
        try (RecordRangeReader reader = RecordRangeReader.builder(new ByteArrayInput(utf16, LOCATION), range, CSV)
                .encodings(InputEncodings.detecting()).readBufferBytes(16).maxRecordBytes(20)
                .skipOversizedRecords(BlockSimulation.listener(skipped)).open()) {
            output = BlockSimulation.readAll(reader, 0, skipped);
        }
        assertEquals(List.of("1,\u00e9\n", "3,x\n"), texts(output));
        assertSkipped(skipped.get(0), 5, 2, big.getBytes(UTF_8).length, big);
        assertEquals(utf8.length, output.stopOffset());
        BlockSimulation.assertUnionEqualsWholeFile(utf8, CSV, List.of(output), 20, "UTF-16");
    }

    record Variant(String name, byte[] file, RecordFormat format, int max) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Small files with oversized records at the start, in the middle, in a row and at the end. */
    static Stream<Variant> splitVariants() {
        List<Variant> variants = new ArrayList<>();
        long seed = 500;
        for (LineEnding ending : LineEnding.values()) {
            for (Header header : Header.values()) {
                for (int end = 0; end < 3; end++) {
                    RecordFormat format = RecordFormat.builder().header(header).commentPrefix('#').build();
                    Random random = new Random(seed++);
                    FileBuilder builder = new FileBuilder(random, format, ending, 24);
                    builder.small(random.nextInt(3), true);
                    builder.big(40 + random.nextInt(30));
                    builder.small(2, true);
                    builder.big(25);
                    builder.big(60);
                    builder.small(2, true);
                    switch (end) {
                        case 0 -> builder.big(30);
                        case 1 -> builder.bigUnterminated(30);
                        default -> builder.bigOpenQuote(30);
                    }
                    String name = "%s header=%s end=%s".formatted(ending, header,
                            List.of("terminated", "no terminator", "open quote").get(end));
                    variants.add(new Variant(name, builder.bytes(), format, 24));
                }
            }
        }
        RecordFormat backslash = RecordFormat.builder().escape(Escape.BACKSLASH).delimiter(';').build();
        FileBuilder builder = new FileBuilder(new Random(7), backslash, LineEnding.LF, 20);
        builder.big(50);
        builder.small(3, true);
        builder.big(30);
        builder.small(1, false);
        variants.add(new Variant("backslash escape", builder.bytes(), backslash, 20));
        RecordFormat none = RecordFormat.builder().noQuote().delimiter('\t').build();
        builder = new FileBuilder(new Random(8), none, LineEnding.CRLF, 20);
        builder.small(2, true);
        builder.big(45);
        builder.small(2, true);
        builder.big(21);
        variants.add(new Variant("no quote", builder.bytes(), none, 20));
        return variants.stream();
    }

    /**
     * Every block size and every two-block split, guessed starts, tiling check and re-runs: each
     * record is returned once or reported once, at its offset and line, and the lines add up.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("splitVariants")
    void everyBlockSizeAndEverySplitReturnsOrReportsEveryRecordOnce(Variant variant) throws Exception {
        byte[] file = variant.file();
        Stats stats = new Stats();
        assertTrue(ReferenceCsv.parse(file, variant.format(), true).data().stream()
                .filter(line -> line.end() - line.start() > variant.max()).count() >= 2, variant.toString());
        for (int blockSize = 1; blockSize <= file.length + 1; blockSize++) {
            Settings settings = settings(blockSize, variant.max());
            List<Output> outputs = BlockSimulation.simulate(file, variant.format(), blockSize, settings, stats);
            BlockSimulation.assertUnionEqualsWholeFile(file, variant.format(), outputs, variant.max(),
                    variant + ", block size " + blockSize + ", " + settings);
        }
        for (long split = 1; split < file.length; split++) {
            Settings settings = settings((int) split, variant.max());
            List<Output> outputs = BlockSimulation.simulate(file, variant.format(), List.of(0L, split), settings, stats);
            BlockSimulation.assertUnionEqualsWholeFile(file, variant.format(), outputs, variant.max(),
                    variant + ", split at " + split + ", " + settings);
        }
    }

    private static Settings settings(int blockSize, int max) {
        int buffer = blockSize % 2 == 0 ? 16 : RecordRangeReader.READ_BUFFER_BYTES_DEFAULT;
        int lookAhead = blockSize % 3 == 0 ? 8 : RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT;
        return skipping(buffer, lookAhead, max);
    }

    /**
     * Seeded random files (random format, line ending, header, BOM, blank and comment lines)
     * with oversized records of random shape (quoted terminators, delimiters, doubled quotes,
     * escapes; terminated or not, or a quote left open to the end) at random places, split at
     * random, random buffers, windows and limits: the AM simulation must equal the reference
     * parse, records over the limit reported instead of returned.
     */
    @Test
    void randomFilesWithOversizedRecordsMatchTheReferenceSplit() throws Exception {
        long firstSeed = Long.getLong("spindle.test.seed", 20270301L);
        int files = Integer.getInteger("spindle.test.files", 1500);
        Stats stats = new Stats();
        long reported = 0;
        for (int i = 0; i < files; i++) {
            long seed = firstSeed + i;
            Random random = new Random(seed);
            RecordFormat format = randomFormat(random);
            LineEnding ending = LineEnding.values()[random.nextInt(3)];
            int max = 24 + random.nextInt(60);
            FileBuilder builder = new FileBuilder(random, format, ending, max);
            if (random.nextInt(4) == 0) {
                builder.bom();
            }
            int pieces = 1 + random.nextInt(5);
            for (int p = 0; p < pieces; p++) {
                builder.small(random.nextInt(5), random.nextInt(3) == 0);
                int length = random.nextInt(6) == 0 ? max * (5 + random.nextInt(30)) : max + 1 + random.nextInt(2 * max);
                builder.big(length);
            }
            switch (random.nextInt(4)) {
                case 0 -> builder.small(1 + random.nextInt(4), random.nextBoolean());
                case 1 -> builder.bigUnterminated(max + 1 + random.nextInt(max));
                case 2 -> {
                    if (format.hasQuote()) {
                        builder.bigOpenQuote(max + 1 + random.nextInt(max));
                    }
                }
                default -> {}
            }
            byte[] file = builder.bytes();
            for (int trial = 0; trial < 3; trial++) {
                List<Long> starts = randomStarts(random, file.length);
                Settings settings = skipping(
                        random.nextBoolean() ? 16 + random.nextInt(48) : RecordRangeReader.READ_BUFFER_BYTES_DEFAULT,
                        random.nextBoolean() ? 1 + random.nextInt(64) : RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT,
                        max);
                String context = "seed %d (file of %d bytes, %s, %s), block starts %s, %s"
                        .formatted(seed, file.length, format, ending, starts, settings);
                List<Output> outputs;
                try {
                    outputs = BlockSimulation.simulate(file, format, starts, settings, stats);
                } catch (Exception | AssertionError e) {
                    throw new AssertionError("Failed: " + context, e);
                }
                BlockSimulation.assertUnionEqualsWholeFile(file, format, outputs, max, context);
                reported += outputs.stream().mapToLong(Output::oversizedRecords).sum();
            }
        }
        System.out.println("Oversized random test: " + stats + ", " + reported + " oversized reports");
        assertTrue(reported >= files * 3L, "most files have oversized records: " + reported);
    }

    private static RecordFormat randomFormat(Random random) {
        RecordFormat.Builder format = RecordFormat.builder()
                .delimiter(",;|\t".charAt(random.nextInt(4)))
                .header(random.nextBoolean() ? Header.PRESENT : Header.ABSENT);
        int quoting = random.nextInt(10);
        if (quoting == 0) {
            format.noQuote();
        } else if (quoting == 1) {
            format.quote('\'');
        } else if (quoting == 2) {
            format.escape(Escape.BACKSLASH);
        }
        if (random.nextInt(3) == 0) {
            format.commentPrefix('#');
        }
        return format.build();
    }

    private static List<Long> randomStarts(Random random, int length) {
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        int blocks = random.nextInt(Math.min(length, 12));
        long[] cuts = random.longs(blocks, 1, length + 1).sorted().distinct().toArray();
        for (long cut : cuts) {
            if (cut < length) {
                starts.add(cut);
            }
        }
        return starts;
    }

    /** Builds a file of small generated records and oversized records of a given length. */
    private static final class FileBuilder {
        private final Random random;
        private final RecordFormat format;
        private final LineEnding ending;
        private final int max;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private boolean started;

        FileBuilder(Random random, RecordFormat format, LineEnding ending, int max) {
            this.random = random;
            this.format = format;
            this.ending = ending;
            this.max = max;
        }

        void bom() {
            if (!started) {
                out.write(0xEF);
                out.write(0xBB);
                out.write(0xBF);
            }
        }

        /** Records from {@link CsvFileGenerator}, short enough (the header within the limit). */
        void small(int records, boolean blankLines) {
            // the header only at the start
            RecordFormat generated = started
                    ? new RecordFormat(format.delimiter(), format.quote(), format.escape(), Header.ABSENT, format.commentPrefix())
                    : format;
            Shape shape = new Shape(generated, ending, false, true, format.hasQuote(), blankLines, false, records,
                    1 + random.nextInt(3));
            out.writeBytes(CsvFileGenerator.generate(random, shape));
            started = true;
        }

        /** A record of exactly {@code length} bytes, terminator included. */
        void big(int length) {
            header();
            byte[] body = body(length - terminator().length(), false);
            out.writeBytes(body);
            out.writeBytes(terminator().getBytes(StandardCharsets.ISO_8859_1));
        }

        /** The file's last record, {@code length} bytes and no terminator. */
        void bigUnterminated(int length) {
            header();
            out.writeBytes(body(length, false));
        }

        /** The file's last record, a quoted field opened and never closed, about {@code length} bytes. */
        void bigOpenQuote(int length) {
            header();
            out.write('o');
            out.write(format.delimiter());
            out.write(format.quote());
            out.writeBytes(body(Math.max(1, length - 3), true));
        }

        private void header() {
            if (!started && format.hasHeader()) {
                small(0, false);
            }
            started = true;
        }

        private String terminator() {
            return switch (ending) {
                case LF -> "\n";
                case CRLF -> "\r\n";
                case CR -> "\r";
            };
        }

        /**
         * Fields of exactly {@code length} bytes; starts with a plain letter (never a comment, a
         * blank line or a quote). Inside an open quote: plain letters and terminators.
         */
        private byte[] body(int length, boolean insideQuote) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.write('a' + random.nextInt(26));
            byte[] term = terminator().getBytes(StandardCharsets.ISO_8859_1);
            while (body.size() < length) {
                int left = length - body.size();
                if (insideQuote) {
                    if (left >= term.length && random.nextInt(6) == 0) {
                        body.writeBytes(term);
                    } else {
                        body.write('a' + random.nextInt(26));
                    }
                    continue;
                }
                body.write(format.delimiter());
                left--;
                if (left >= 2 && format.hasQuote() && random.nextBoolean()) {
                    body.writeBytes(quoted(left));
                } else {
                    int plain = Math.min(left, random.nextInt(2 * max));
                    for (int k = 0; k < plain; k++) {
                        body.write('a' + random.nextInt(26));
                    }
                }
            }
            return Arrays.copyOf(body.toByteArray(), length);
        }

        /** A quoted field of at most {@code room} bytes (at least 2). */
        private byte[] quoted(int room) {
            ByteArrayOutputStream field = new ByteArrayOutputStream();
            field.write(format.quote());
            int inner = random.nextInt(Math.min(room - 1, 2 * max));
            byte[] term = terminator().getBytes(StandardCharsets.ISO_8859_1);
            while (field.size() < inner) {
                int left = inner - field.size();
                switch (random.nextInt(6)) {
                    case 0 -> {
                        if (left >= term.length) {
                            field.writeBytes(term);
                        }
                    }
                    case 1 -> {
                        if (left >= 2) {
                            field.write(format.quote());
                            field.write(format.quote());
                        }
                    }
                    case 2 -> {
                        if (left >= 2 && format.escape() == Escape.BACKSLASH) {
                            field.write('\\');
                            field.write(random.nextBoolean() ? format.quote() : '\\');
                        }
                    }
                    case 3 -> field.write(format.delimiter());
                    default -> field.write('a' + random.nextInt(26));
                }
            }
            field.write(format.quote());
            return field.toByteArray();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    /**
     * A file generated on the fly, never held whole: a head, one record of {@code recordBytes}
     * (plain letters, or a quoted field with a line break every 1000 bytes), a tail. Tracks the
     * largest read asked for.
     */
    private static final class VirtualInput implements SeekableInput {
        private final byte[] head;
        private final long recordBytes;
        private final boolean quoted;
        private final byte[] tail;
        long largestRead;
        long bytesRead;

        VirtualInput(String head, long recordBytes, boolean quoted, String tail) {
            this.head = head.getBytes(UTF_8);
            this.recordBytes = recordBytes;
            this.quoted = quoted;
            this.tail = tail.getBytes(UTF_8);
        }

        long recordLines() {
            // line breaks at relative offsets 1000, 2000, ... inside the quotes, plus the terminator
            return (recordBytes - 3) / 1000 + 1;
        }

        private byte at(long position) {
            if (position < head.length) {
                return head[(int) position];
            }
            long r = position - head.length;
            if (r < recordBytes) {
                if (r == recordBytes - 1) {
                    return '\n';
                }
                if (r == 0) {
                    return 'v';
                }
                if (r == 1) {
                    return ',';
                }
                if (!quoted) {
                    return 'x';
                }
                if (r == 2 || r == recordBytes - 2) {
                    return '"';
                }
                return r % 1000 == 0 ? (byte) '\n' : (byte) 'q';
            }
            return tail[(int) (r - recordBytes)];
        }

        @Override
        public long length() {
            return head.length + recordBytes + tail.length;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) {
            if (position >= length()) {
                return -1;
            }
            int n = (int) Math.min(length, length() - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = at(position + i);
            }
            if (position > 0) {
                // not the detection prefix at byte 0
                largestRead = Math.max(largestRead, length);
            }
            bytesRead += n;
            return n;
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
            if (position + length > length()) {
                throw new EOFException("past the end");
            }
            read(position, buffer, offset, length);
        }

        @Override
        public String location() {
            return LOCATION;
        }

        @Override
        public void close() {}
    }
}
