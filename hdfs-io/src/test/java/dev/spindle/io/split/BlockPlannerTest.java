package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FaultyFileStore;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.StorageBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.DefaultCodec;
import org.junit.jupiter.api.Test;

class BlockPlannerTest {

    private static final long MIB = 1024 * 1024;

    /** A file on one host per storage block: host "h{n}" holds block n. */
    private static FileEntry file(String name, long length, long blockSize) {
        List<StorageBlock> blocks = new ArrayList<>();
        for (long offset = 0; offset < length; offset += blockSize) {
            blocks.add(new StorageBlock(offset, Math.min(blockSize, length - offset), List.of("h" + offset / blockSize)));
        }
        return new FileEntry("memory:/in/" + name, length, blockSize, blocks);
    }

    private static FileEntry fileOnHosts(String name, long length, long blockSize, List<String> hosts) {
        return new FileEntry("memory:/in/" + name, length, blockSize,
                length == 0 ? List.of() : List.of(new StorageBlock(0, length, hosts)));
    }

    private static BlockRange range(String name, long start, long end, long length) {
        return new BlockRange("memory:/in/" + name, start, end, length, true);
    }

    @Test
    void aFileOfEverySizeAroundBlockMultiplesIsCutAtMultiplesOfItsBlockSize() {
        BlockPlanner planner = BlockPlanner.builder().build();
        for (long blockSize : List.of(1L, 2L, 3L, 10L)) {
            for (long length = 1; length <= 4 * blockSize + 1; length++) {
                BlockPlan plan = planner.plan(List.of(file("a.csv", length, blockSize)));

                List<Block> expected = new ArrayList<>();
                for (long start = 0; start < length; start += blockSize) {
                    long end = Math.min(length, start + blockSize);
                    expected.add(new Block(expected.size(), List.of(range("a.csv", start, end, length)),
                            List.of("h" + start / blockSize)));
                }
                assertEquals(expected, plan.blocks(), "length " + length + ", block size " + blockSize);
                assertEquals(List.of(), plan.emptyFiles());
            }
        }
    }

    @Test
    void theBuilderBlockSizeOverridesTheStorageBlockSize() {
        for (long length = 1; length <= 50; length++) {
            BlockPlan plan = BlockPlanner.builder().blockSize(12).build()
                    .plan(List.of(file("a.csv", length, 128 * MIB), file("b.csv", 40, 128 * MIB)));

            List<BlockRange> ranges = new ArrayList<>();
            for (Block block : plan.blocks()) {
                ranges.addAll(block.ranges());
                assertTrue(block.length() <= 12, block.toString());
            }
            List<BlockRange> expected = new ArrayList<>();
            if (length < 12) {
                expected.add(range("a.csv", 0, length, length));
            } else {
                for (long start = 0; start < length; start += 12) {
                    expected.add(range("a.csv", start, Math.min(length, start + 12), length));
                }
            }
            for (long start = 0; start < 40; start += 12) {
                expected.add(range("b.csv", start, Math.min(40, start + 12), 40));
            }
            assertEquals(expected, ranges, "length " + length);
        }
    }

    @Test
    void hostsAreThoseOfTheOverlappedStorageBlocksByBytesDescending() {
        FileEntry entry = new FileEntry("memory:/in/a.csv", 30, 10, List.of(
                new StorageBlock(0, 10, List.of("h1", "h2")),
                new StorageBlock(10, 10, List.of("h2", "h3")),
                new StorageBlock(20, 10, List.of("h4", "h3"))));

        BlockPlan plan = BlockPlanner.builder().blockSize(15).build().plan(List.of(entry));

        // [0, 15): h1 10, h2 15, h3 5; [15, 30): h2 5, h3 15, h4 10.
        assertEquals(List.of("h2", "h1", "h3"), plan.blocks().get(0).hosts());
        assertEquals(List.of("h3", "h4", "h2"), plan.blocks().get(1).hosts());
    }

    @Test
    void equalBytesOrderHostsByName() {
        FileEntry entry = new FileEntry("memory:/in/a.csv", 10, 10,
                List.of(new StorageBlock(0, 10, List.of("z", "a", "m"))));

        assertEquals(List.of("a", "m", "z"), BlockPlanner.builder().build().plan(List.of(entry)).blocks().get(0).hosts());
    }

    @Test
    void aStoreWithoutLocalityGivesNoHosts() {
        FileEntry entry = new FileEntry("memory:/in/a.csv", 25, 10, List.of());

        for (Block block : BlockPlanner.builder().build().plan(List.of(entry)).blocks()) {
            assertEquals(List.of(), block.hosts());
        }
    }

    @Test
    void smallFilesArePackedUpToTheBlockSize() {
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            files.add(file("f" + i + ".csv", 4, 10));
        }

        BlockPlan plan = BlockPlanner.builder().build().plan(files);

        assertEquals(4, plan.blocks().size());
        assertEquals(List.of(range("f0.csv", 0, 4, 4), range("f1.csv", 0, 4, 4)), plan.blocks().get(0).ranges());
        assertEquals(List.of(range("f6.csv", 0, 4, 4)), plan.blocks().get(3).ranges());
        assertEquals(List.of("h0"), plan.blocks().get(0).hosts());
    }

    @Test
    void filesFillingABlockExactlyArePackedTogether() {
        BlockPlan plan = BlockPlanner.builder().build()
                .plan(List.of(file("a.csv", 3, 10), file("b.csv", 7, 10), file("c.csv", 1, 10)));

        assertEquals(List.of(
                new Block(0, List.of(range("a.csv", 0, 3, 3), range("b.csv", 0, 7, 7)), List.of("h0")),
                new Block(1, List.of(range("c.csv", 0, 1, 1)), List.of("h0"))), plan.blocks());
    }

    @Test
    void tenThousandTinyFilesAreAFewBlocks() {
        List<FileEntry> files = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            files.add(file("part-%05d.csv".formatted(i), 1000, 128 * MIB));
        }

        BlockPlan plan = BlockPlanner.builder().blockSize(4 * MIB).build().plan(files);

        // 4 MiB / 1000 bytes = 4194 files per block.
        assertEquals(3, plan.blocks().size());
        assertEquals(4194, plan.blocks().get(0).ranges().size());
        assertEquals(10_000 - 2 * 4194, plan.blocks().get(2).ranges().size());
    }

    @Test
    void aFileOfTheBlockSizeOrLargerIsNeverPacked() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(
                file("a.csv", 2, 10), file("b.csv", 10, 10), file("c.csv", 11, 10), file("d.csv", 2, 10)));

        assertEquals(List.of(
                new Block(0, List.of(range("a.csv", 0, 2, 2), range("d.csv", 0, 2, 2)), List.of("h0")),
                new Block(1, List.of(range("b.csv", 0, 10, 10)), List.of("h0")),
                new Block(2, List.of(range("c.csv", 0, 10, 11)), List.of("h0")),
                new Block(3, List.of(range("c.csv", 10, 11, 11)), List.of("h1"))), plan.blocks());
    }

    @Test
    void packingKeepsFilesOfOneHostTogether() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(
                fileOnHosts("a.csv", 5, 10, List.of("x")),
                fileOnHosts("b.csv", 5, 10, List.of("y")),
                fileOnHosts("c.csv", 5, 10, List.of("x")),
                fileOnHosts("d.csv", 5, 10, List.of("y"))));

        assertEquals(List.of(
                new Block(0, List.of(range("a.csv", 0, 5, 5), range("c.csv", 0, 5, 5)), List.of("x")),
                new Block(1, List.of(range("b.csv", 0, 5, 5), range("d.csv", 0, 5, 5)), List.of("y"))), plan.blocks());
    }

    @Test
    void aPackedBlockPrefersTheHostsOfMostOfItsBytes() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(
                fileOnHosts("a.csv", 2, 10, List.of("x", "z")),
                fileOnHosts("b.csv", 7, 10, List.of("y", "z"))));

        // z holds 2 + 7 bytes, y 7, x 2.
        assertEquals(1, plan.blocks().size());
        assertEquals(List.of("z", "y", "x"), plan.blocks().get(0).hosts());
    }

    @Test
    void emptyFilesGetNoBlockButAreReported() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(
                file("b.csv", 0, 10), file("a.csv", 3, 10), file("c.csv.gz", 0, 10)));

        assertEquals(List.of(new Block(0, List.of(range("a.csv", 0, 3, 3)), List.of("h0"))), plan.blocks());
        assertEquals(List.of("memory:/in/b.csv", "memory:/in/c.csv.gz"), plan.emptyFiles());
    }

    @Test
    void onlyEmptyFilesGiveAnEmptyPlan() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(file("a.csv", 0, 10)));

        assertEquals(new BlockPlan(List.of(), List.of("memory:/in/a.csv")), plan);
    }

    @Test
    void gzipDeflateAndZstdAreOneWholeBlockEach() {
        for (String name : List.of("a.csv.gz", "a.csv.deflate", "a.csv.zst")) {
            for (long length : List.of(1L, 9L, 10L, 11L, 35L)) {
                BlockPlan plan = BlockPlanner.builder().build()
                        .plan(List.of(file(name, length, 10), file("small.csv", 1, 10)));

                List<String> expectedHosts = new ArrayList<>();
                for (long offset = 0; offset < length; offset += 10) {
                    expectedHosts.add("h" + offset / 10);
                }
                Collections.sort(expectedHosts, (a, b) -> {
                    long bytesA = Math.min(10, length - 10 * Long.parseLong(a.substring(1)));
                    long bytesB = Math.min(10, length - 10 * Long.parseLong(b.substring(1)));
                    return bytesA != bytesB ? Long.compare(bytesB, bytesA) : a.compareTo(b);
                });
                assertEquals(List.of(
                        new Block(0, List.of(new BlockRange("memory:/in/" + name, 0, length, length, false)), expectedHosts),
                        new Block(1, List.of(range("small.csv", 0, 1, 1)), List.of("h0"))),
                        plan.blocks(), name + " of " + length + " bytes");
            }
        }
    }

    @Test
    void bzip2IsOneWholeBlockToo() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(file("a.csv.bz2", 25, 10), file("small.csv.bz2", 3, 10)));

        assertEquals(List.of(new BlockRange("memory:/in/a.csv.bz2", 0, 25, 25, false),
                        new BlockRange("memory:/in/small.csv.bz2", 0, 3, 3, false)),
                plan.blocks().stream().flatMap(block -> block.ranges().stream()).toList());
    }

    @Test
    void theConfigurationAddsCodecs() {
        Configuration conf = new Configuration(false);
        conf.set("io.compression.codecs", WholeFileCodec.class.getName());

        BlockPlan withCodec = BlockPlanner.builder().codecs(conf).build().plan(List.of(file("a.csv.whole", 15, 10)));
        BlockPlan without = BlockPlanner.builder().build().plan(List.of(file("a.csv.whole", 15, 10)));

        assertEquals(List.of(new BlockRange("memory:/in/a.csv.whole", 0, 15, 15, false)),
                withCodec.blocks().stream().flatMap(block -> block.ranges().stream()).toList());
        assertEquals(2, without.blocks().size());
    }

    /** A codec Hadoop does not know by default; like gzip, it cannot split. */
    public static final class WholeFileCodec extends DefaultCodec {
        @Override
        public String getDefaultExtension() {
            return ".whole";
        }
    }

    @Test
    void aCallerRuleDecidesSplittability() {
        BlockPlan plan = BlockPlanner.builder().splittable(location -> !location.endsWith(".whole")).build()
                .plan(List.of(file("a.whole", 15, 10), file("b.csv.gz", 15, 10)));

        assertEquals(List.of(new BlockRange("memory:/in/a.whole", 0, 15, 15, false), range("b.csv.gz", 0, 10, 15),
                range("b.csv.gz", 10, 15, 15)), plan.blocks().stream().map(block -> block.ranges().get(0)).toList());
    }

    @Test
    void blocksAreIndexedByLocationThenOffsetWhateverTheInputOrder() {
        List<FileEntry> files = new ArrayList<>(List.of(
                file("c.csv", 25, 10), file("a.csv", 3, 10), file("b.csv.gz", 30, 10), file("d.csv", 4, 10)));
        BlockPlan sorted = BlockPlanner.builder().build().plan(files);

        assertEquals(List.of("memory:/in/a.csv", "memory:/in/b.csv.gz", "memory:/in/c.csv", "memory:/in/c.csv",
                "memory:/in/c.csv"), sorted.blocks().stream().map(block -> block.ranges().get(0).location()).toList());
        assertEquals(List.of(0L, 0L, 0L, 10L, 20L),
                sorted.blocks().stream().map(block -> block.ranges().get(0).start()).toList());
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(files, random);
            assertEquals(sorted, BlockPlanner.builder().build().plan(files));
        }
    }

    @Test
    void aLocationListedTwiceIsPlannedOnce() {
        BlockPlan plan = BlockPlanner.builder().build().plan(List.of(file("a.csv", 15, 10), file("a.csv", 15, 10)));

        assertEquals(2, plan.blocks().size());
    }

    @Test
    void everyByteOfRandomInputsIsPlannedExactlyOnce() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            long blockSize = 1 + random.nextInt(40);
            List<FileEntry> files = new ArrayList<>();
            int count = 1 + random.nextInt(30);
            for (int i = 0; i < count; i++) {
                String name = "f%02d.csv%s".formatted(i, random.nextInt(5) == 0 ? ".gz" : "");
                files.add(file(name, random.nextInt(5) == 0 ? 0 : random.nextInt(120), blockSize));
            }

            BlockPlan plan = BlockPlanner.builder().build().plan(files);

            Map<String, List<BlockRange>> rangesByFile = new HashMap<>();
            for (int i = 0; i < plan.blocks().size(); i++) {
                Block block = plan.blocks().get(i);
                assertEquals(i, block.index());
                boolean whole = block.ranges().size() == 1 && !block.ranges().get(0).splittable();
                assertTrue(whole || block.length() <= blockSize, "round " + round + ": " + block);
                for (BlockRange range : block.ranges()) {
                    rangesByFile.computeIfAbsent(range.location(), key -> new ArrayList<>()).add(range);
                }
            }
            for (FileEntry file : files) {
                List<BlockRange> ranges = rangesByFile.getOrDefault(file.location(), List.of());
                if (file.length() == 0) {
                    assertTrue(ranges.isEmpty());
                    assertTrue(plan.emptyFiles().contains(file.location()));
                    continue;
                }
                long next = 0;
                for (BlockRange range : ranges) {
                    assertEquals(next, range.start(), "round " + round + ": " + ranges);
                    assertTrue(range.start() % blockSize == 0);
                    next = range.end();
                }
                assertEquals(file.length(), next, "round " + round + ": " + ranges);
            }
        }
    }

    @Test
    void aNonPositiveBlockSizeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlockPlanner.builder().blockSize(0));
        assertEquals("Block size must be positive: 0 bytes", e.getMessage());
    }

    @Test
    void withEncodingsALargeUnicodeFileIsOneBlockAndOnlyLargePlainFilesArePeekedAt() throws Exception {
        FaultyFileStore store = new FaultyFileStore();
        byte[] utf16 = ("\ufeff" + "a,b\n1,2\n".repeat(30)).getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        byte[] utf8 = "a,b\n1,2\n".repeat(60).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        write(store, "memory:/in/big16.csv", utf16);
        write(store, "memory:/in/big8.csv", utf8);
        write(store, "memory:/in/small16.csv", "\ufeffa\n1\n".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
        write(store, "memory:/in/big.csv.gz", new byte[500]);
        List<FileEntry> files = store.list("memory:/in");

        BlockPlan detected = BlockPlanner.builder().blockSize(100).encodings(InputEncodings.detecting(), store).build().plan(files);

        assertEquals(List.of("memory:/in/big16.csv", "memory:/in/big8.csv"), store.opened);
        assertEquals(List.of(new BlockRange("memory:/in/big16.csv", 0, utf16.length, utf16.length, false)), rangesOf(detected, "memory:/in/big16.csv"));
        assertEquals((utf8.length + 99) / 100, rangesOf(detected, "memory:/in/big8.csv").size());
        assertEquals(List.of(new BlockRange("memory:/in/small16.csv", 0, 10, 10, true)), rangesOf(detected, "memory:/in/small16.csv"));

        store.opened.clear();
        BlockPlan declared16 = BlockPlanner.builder().blockSize(100).encodings(InputEncodings.declared(java.nio.charset.StandardCharsets.UTF_16), store)
                .build().plan(files);
        BlockPlan declaredLatin1 = BlockPlanner.builder().blockSize(100)
                .encodings(InputEncodings.declared(java.nio.charset.StandardCharsets.ISO_8859_1), store).build().plan(files);

        assertEquals(List.of(), store.opened, "a declared charset needs no read");
        assertEquals(1, rangesOf(declared16, "memory:/in/big8.csv").size());
        assertEquals((utf16.length + 99) / 100, rangesOf(declaredLatin1, "memory:/in/big16.csv").size());
    }

    private static List<BlockRange> rangesOf(BlockPlan plan, String location) {
        List<BlockRange> ranges = new ArrayList<>();
        for (Block block : plan.blocks()) {
            for (BlockRange range : block.ranges()) {
                if (range.location().equals(location)) {
                    ranges.add(range);
                }
            }
        }
        return ranges;
    }

    private static void write(FileStore store, String location, byte[] bytes) throws java.io.IOException {
        try (java.io.OutputStream out = store.create(location)) {
            out.write(bytes);
        }
    }
}
