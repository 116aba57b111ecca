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
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.DeflateCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.io.compress.bzip2.CBZip2OutputStream;
import org.apache.hadoop.util.ReflectionUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compressed inputs: every codec, generated CSV (quoted newlines, header or not, every line
 * ending, BOM), compressed by the codec's own output stream, planned by {@link BlockPlanner} and
 * read whole by {@link RecordRangeReader} with {@link InputCodecs}; the records must equal a
 * whole-file parse of the plain text, at decompressed offsets.
 */
class RecordRangeReaderCompressedTest {
    private static final Configuration CONF = new Configuration(false);
    private static final InputCodecs CODECS = InputCodecs.from(CONF);

    enum Codec {
        GZIP(".gz"),
        DEFLATE(".deflate"),
        BZIP2(".bz2"),
        ZSTD(".zst");

        final String extension;

        Codec(String extension) {
            this.extension = extension;
        }

        /**
         * Hadoop's own output stream; for zstd aircompressor's, since Hadoop's zstd codec needs
         * native libhadoop, which this build has not.
         */
        byte[] compress(byte[] plain) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (OutputStream out = open(bytes)) {
                out.write(plain);
            }
            return bytes.toByteArray();
        }

        private OutputStream open(OutputStream bytes) throws IOException {
            Class<? extends CompressionCodec> type = switch (this) {
                case GZIP -> GzipCodec.class;
                case DEFLATE -> DeflateCodec.class;
                case BZIP2 -> BZip2Codec.class;
                case ZSTD -> null;
            };
            return type == null ? new ZstdOutputStream(bytes) : ReflectionUtils.newInstance(type, CONF).createOutputStream(bytes);
        }
    }

    record Variant(String name, Codec codec, Shape shape, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        long seed = 100;
        for (Codec codec : Codec.values()) {
            for (LineEnding ending : LineEnding.values()) {
                for (Header header : Header.values()) {
                    boolean bom = seed % 2 == 0;
                    RecordFormat format = RecordFormat.builder().header(header).commentPrefix('#').build();
                    Shape shape = new Shape(format, ending, bom, seed % 3 != 0, true, true, false, 300, 4);
                    variants.add(new Variant("%s %s header=%s bom=%s".formatted(codec, ending, header, bom), codec, shape, seed++));
                }
            }
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aCompressedFileIsOneBlockWhoseRecordsEqualTheWholeFileParse(Variant variant) throws Exception {
        byte[] plain = CsvFileGenerator.generate(new Random(variant.seed()), variant.shape());
        RecordFormat format = variant.shape().format();
        InMemoryFileStore store = FileStores.inMemory();
        String location = "memory:/in/a.csv" + variant.codec().extension;
        write(store, location, variant.codec().compress(plain));

        BlockPlan plan = BlockPlanner.builder().blockSize(64).codecs(CONF).build().plan(store.list(location));

        assertEquals(1, plan.blocks().size(), variant.toString());
        BlockRange range = plan.blocks().get(0).ranges().get(0);
        assertFalse(range.splittable(), variant.toString());
        for (int buffer : new int[] {16, 1000, RecordRangeReader.READ_BUFFER_BYTES_DEFAULT}) {
            String context = variant + ", buffer " + buffer;
            Output output;
            try (SeekableInput input = store.open(location);
                    RecordRangeReader reader = RecordRangeReader.builder(input, range, format)
                            .codecs(CODECS)
                            .readBufferBytes(buffer)
                            .open()) {
                output = BlockSimulation.readAll(reader, 0);
            }
            assertEquals(0, output.firstRecordOffset(), context);
            assertEquals(plain.length, output.stopOffset(), "stop offset = decompressed length: " + context);
            assertEquals(variant.shape().lineEnding(), output.lineEnding(), context);
            BlockSimulation.assertUnionEqualsWholeFile(plain, format, List.of(output), context);
            RangeResult result = new RangeResult(range.start(), range.end(), output.firstRecordOffset(), output.stopOffset());
            assertTrue(TilingCheck.check(List.of(range), List.of(result)).tiled(), context);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("codecs")
    void aCompressedFileOnHadoopsLocalFileSystemReadsLikeThePlainText(Codec codec, @TempDir Path directory) throws Exception {
        Shape shape = new Shape(RecordFormat.builder().header(Header.PRESENT).build(), LineEnding.CRLF, false, true, true, false,
                false, 3000, 5);
        byte[] plain = CsvFileGenerator.generate(new Random(7), shape);
        assertTrue(plain.length > FirstRecordFinder.DETECTION_PREFIX_BYTES, "the file outgrows the detection prefix");
        Files.write(directory.resolve("a.csv" + codec.extension), codec.compress(plain));
        FileStore store = FileStores.hadoop(CONF);

        List<FileEntry> files = store.list("file:" + directory);
        BlockPlan plan = BlockPlanner.builder().blockSize(1024).codecs(CODECS).build().plan(files);

        assertEquals(1, plan.blocks().size(), codec.toString());
        BlockRange range = plan.blocks().get(0).ranges().get(0);
        Output output;
        try (SeekableInput input = store.open(range.location());
                RecordRangeReader reader = RecordRangeReader.builder(input, range, shape.format()).codecs(CODECS).open()) {
            output = BlockSimulation.readAll(reader, 0);
        }
        assertEquals(plain.length, output.stopOffset(), codec.toString());
        BlockSimulation.assertUnionEqualsWholeFile(plain, shape.format(), List.of(output), codec.toString());
    }

    static Stream<Codec> codecs() {
        return Stream.of(Codec.values());
    }

    @Test
    void aBzip2FileOfManyBlocksAndConcatenatedGzipMembersReadWhole() throws Exception {
        Shape shape = new Shape(RecordFormat.builder().header(Header.PRESENT).build(), LineEnding.LF, false, true, true, false,
                false, 12000, 8);
        byte[] plain = CsvFileGenerator.generate(new Random(13), shape);
        InMemoryFileStore store = FileStores.inMemory();
        ByteArrayOutputStream bzip2 = new ByteArrayOutputStream();
        bzip2.write(new byte[] {'B', 'Z'});
        try (CBZip2OutputStream out = new CBZip2OutputStream(bzip2, 1)) {
            out.write(plain);
        }
        assertTrue(plain.length > 3 * 100_000, "several bzip2 blocks of 100k: " + plain.length);
        write(store, "memory:/in/a.csv.bz2", bzip2.toByteArray());
        int cut = plain.length / 3;
        ByteArrayOutputStream members = new ByteArrayOutputStream();
        members.write(Codec.GZIP.compress(Arrays.copyOf(plain, cut)));
        members.write(Codec.GZIP.compress(Arrays.copyOfRange(plain, cut, plain.length)));
        write(store, "memory:/in/a.csv.gz", members.toByteArray());

        for (String location : List.of("memory:/in/a.csv.bz2", "memory:/in/a.csv.gz")) {
            Output output = readWhole(store, location, shape.format());

            assertEquals(plain.length, output.stopOffset(), location);
            BlockSimulation.assertUnionEqualsWholeFile(plain, shape.format(), List.of(output), location);
        }
    }

    @Test
    void aCorruptGzipFileFailsNamingTheFile() throws Exception {
        byte[] plain = CsvFileGenerator.generate(new Random(3),
                new Shape(RecordFormat.csv(), LineEnding.LF, false, true, true, false, false, 2000, 4));
        byte[] gzip = Codec.GZIP.compress(plain);
        InMemoryFileStore store = FileStores.inMemory();
        byte[] corrupt = gzip.clone();
        for (int i = gzip.length / 2; i < gzip.length / 2 + 64; i++) {
            corrupt[i] = (byte) (corrupt[i] ^ 0x5A);
        }
        write(store, "memory:/in/corrupt.csv.gz", corrupt);
        write(store, "memory:/in/truncated.csv.gz", Arrays.copyOf(gzip, gzip.length / 2));
        write(store, "memory:/in/plain-text.csv.gz", plain);

        for (String location : List.of("memory:/in/corrupt.csv.gz", "memory:/in/truncated.csv.gz", "memory:/in/plain-text.csv.gz")) {
            IOException e = assertThrows(IOException.class, () -> readWhole(store, location, RecordFormat.csv()), location);
            assertTrue(e.getMessage().matches("Cannot (decompress|open) GzipCodec data.*: " + location), e.getMessage());
        }
    }

    @Test
    void badRecordOffsetsArePositionsInTheDecompressedStream() throws Exception {
        byte[] plain = "a,b\n1,2\n3,\"open\n4,5\n".getBytes(StandardCharsets.UTF_8);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv.gz", Codec.GZIP.compress(plain));

        BadRecordException e = assertThrows(BadRecordException.class,
                () -> readWhole(store, "memory:/in/a.csv.gz", RecordFormat.csv()));

        assertEquals(10, e.byteOffset());
        assertEquals("Unterminated quoted field starting at line 3, byte 10 runs to end of file: memory:/in/a.csv.gz", e.getMessage());
    }

    @Test
    void aRecordLongerThanTheLimitInACompressedFileFailsAtItsDecompressedOffset() throws Exception {
        byte[] plain = "a,b\n1,2\n3,4444444444\n5,6\n".getBytes(StandardCharsets.UTF_8);
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv.zst", Codec.ZSTD.compress(plain));
        BlockRange range = new BlockRange("memory:/in/a.csv.zst", 0, store.list("memory:/in/a.csv.zst").get(0).length(),
                store.list("memory:/in/a.csv.zst").get(0).length(), false);

        BadRecordException e = assertThrows(BadRecordException.class, () -> {
            try (SeekableInput input = store.open(range.location());
                    RecordRangeReader reader = RecordRangeReader.builder(input, range, RecordFormat.csv())
                            .codecs(CODECS).maxRecordBytes(8).readBufferBytes(16).open()) {
                BlockSimulation.readAll(reader, 0);
            }
        });

        assertEquals("Record longer than 8 bytes (spindle.csv.max-record-bytes) at line 3, byte 8: memory:/in/a.csv.zst",
                e.getMessage());
    }

    @Test
    void anEmptyCompressedStreamHasNoRecords() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/empty.csv.gz", Codec.GZIP.compress(new byte[0]));

        Output output = readWhole(store, "memory:/in/empty.csv.gz", RecordFormat.builder().header(Header.PRESENT).build());

        assertEquals(0, output.records());
        assertEquals(0, output.stopOffset());
        assertTrue(output.header().isEmpty());
    }

    @Test
    void aCompressedFileMustBeReadWhole() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        byte[] gzip = Codec.GZIP.compress("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        write(store, "memory:/in/a.csv.gz", gzip);
        BlockRange half = new BlockRange("memory:/in/a.csv.gz", 0, gzip.length / 2, gzip.length, true);

        try (SeekableInput input = store.open(half.location())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> RecordRangeReader.builder(input, half, RecordFormat.csv()).codecs(CODECS).open());
            assertEquals("A compressed file (GzipCodec) is read whole, not as [0, %d) of %d bytes: memory:/in/a.csv.gz"
                    .formatted(gzip.length / 2, gzip.length), e.getMessage());
        }
    }

    @Test
    void aPlainFileReadsTheSameWithCodecs() throws Exception {
        byte[] plain = CsvFileGenerator.generate(new Random(11),
                new Shape(RecordFormat.csv(), LineEnding.LF, false, true, true, false, false, 50, 3));
        InMemoryFileStore store = FileStores.inMemory();
        write(store, "memory:/in/a.csv", plain);
        long split = plain.length / 2;
        List<Output> outputs = new ArrayList<>();
        for (BlockRange range : List.of(new BlockRange("memory:/in/a.csv", 0, split, plain.length, true),
                new BlockRange("memory:/in/a.csv", split, plain.length, plain.length, true))) {
            try (SeekableInput input = store.open(range.location());
                    RecordRangeReader reader = RecordRangeReader.builder(input, range, RecordFormat.csv()).codecs(CODECS).open()) {
                outputs.add(BlockSimulation.readAll(reader, range.start()));
            }
        }

        assertEquals(outputs.get(0).stopOffset(), outputs.get(1).firstRecordOffset());
        BlockSimulation.assertUnionEqualsWholeFile(plain, RecordFormat.csv(), outputs, "plain file split at " + split);
    }

    @Test
    void theCodecsFindCompressedFilesByExtension() {
        assertEquals(List.of("GzipCodec", "DeflateCodec", "ZStandardCodec", "BZip2Codec"),
                Stream.of("a.csv.gz", "a.csv.deflate", "a.csv.zst", "hdfs://nn/in/a.csv.bz2")
                        .map(location -> CODECS.codecName(location).orElseThrow()).toList());
        assertTrue(CODECS.codecName("memory:/in/a.csv").isEmpty());
        assertTrue(CODECS.splittable("memory:/in/a.csv"));
        assertFalse(CODECS.splittable("memory:/in/a.csv.bz2"));
    }

    @Test
    void decompressedInputReadsAtAnyPosition() throws Exception {
        byte[] plain = CsvFileGenerator.generate(new Random(5),
                new Shape(RecordFormat.csv(), LineEnding.LF, false, true, true, false, false, 500, 4));
        byte[] gzip = Codec.GZIP.compress(plain);
        try (SeekableInput input = CODECS.decompressed(new ByteArrayInput(gzip, "memory:/in/a.csv.gz"))) {
            Random random = new Random(1);
            for (int i = 0; i < 50; i++) {
                int position = random.nextInt(plain.length);
                int length = 1 + random.nextInt(Math.min(200, plain.length - position));
                byte[] read = new byte[length];
                input.readFully(position, read, 0, length);
                assertArrayEquals(Arrays.copyOfRange(plain, position, position + length), read, "at " + position);
            }
            assertEquals(-1, input.read(plain.length, new byte[1], 0, 1));
            IOException e = assertThrows(IOException.class, () -> input.readFully(plain.length - 1, new byte[2], 0, 2));
            assertEquals("GzipCodec data ended at decompressed byte %d, reading 2 bytes at %d: memory:/in/a.csv.gz"
                    .formatted(plain.length, plain.length - 1), e.getMessage());
        }
    }

    private static Output readWhole(InMemoryFileStore store, String location, RecordFormat format) throws Exception {
        long length = store.list(location).get(0).length();
        BlockRange range = new BlockRange(location, 0, length, length, false);
        try (SeekableInput input = store.open(location);
                RecordRangeReader reader = RecordRangeReader.builder(input, range, format).codecs(CODECS).open()) {
            return BlockSimulation.readAll(reader, 0);
        }
    }

    private static void write(FileStore store, String location, byte[] bytes) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(bytes);
        }
    }
}
