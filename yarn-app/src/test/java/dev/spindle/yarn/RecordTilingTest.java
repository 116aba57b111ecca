package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which blocks {@link RecordTiling} re-runs, from planned blocks and the offsets their runs reported. */
class RecordTilingTest {

    private static final String BIG = "hdfs://nn/in/big.csv";
    private static final String SMALL = "hdfs://nn/in/small.csv";
    private static final String GZ = "hdfs://nn/in/c.csv.gz";

    private final RecordTiling tiling = new RecordTiling();

    private static BlockRange range(String file, long start, long end, long length) {
        return new BlockRange(file, start, end, length, true);
    }

    private static Block block(int index, BlockRange... ranges) {
        return new Block(index, List.of(ranges), List.of());
    }

    /** A result per block, in block order; {@code offsets} holds (first record, stop) per range. */
    private static BlockResult result(int block, long... offsets) {
        List<BlockOutcome.RangeOutcome> ranges = new ArrayList<>();
        for (int i = 0; i < offsets.length; i += 2) {
            ranges.add(new BlockOutcome.RangeOutcome(offsets[i], offsets[i + 1], 1));
        }
        return new BlockResult(block, 1, "host", 10, false, new BlockOutcome(0, 0, 0, 0, 0, ranges, null));
    }

    /** big.csv of 300 bytes in three blocks. */
    private static List<Block> threeBlocks() {
        return List.of(block(0, range(BIG, 0, 100, 300)), block(1, range(BIG, 100, 200, 300)),
                block(2, range(BIG, 200, 300, 300)));
    }

    @Test
    void blocksThatTileTheFileNeedNoReRun() {
        assertEquals(Map.of(), tiling.reruns(threeBlocks(), List.of(result(0, 0, 120), result(1, 120, 210), result(2, 210, 300))));
    }

    @Test
    void aBlockThatStartedAtAWrongBoundaryReRunsFromItsPredecessorsStopAndTheNextOneWaits() {
        // block 1 guessed a record start at 105 (inside a quoted field); the true one is 120
        Map<Integer, Map<Integer, Long>> reruns = tiling.reruns(threeBlocks(),
                List.of(result(0, 0, 120), result(1, 105, 230), result(2, 230, 300)));

        assertEquals(Map.of(1, Map.of(0, 120L)), reruns);
    }

    @Test
    void aBlockWhoseStartGuessFailedReRunsFromItsPredecessorsStop() {
        assertEquals(Map.of(1, Map.of(0, 130L)), tiling.reruns(threeBlocks(),
                List.of(result(0, 0, 130), result(1, -1, -1), result(2, 210, 300))));
    }

    @Test
    void aBlockOwningNothingIsReRunAtThePredecessorsStopUnlessItAlreadySaidSo() {
        // one record spans [0, 250): block 1 owns nothing
        assertEquals(Map.of(1, Map.of(0, 250L)), tiling.reruns(threeBlocks(),
                List.of(result(0, 0, 250), result(1, 150, 250), result(2, 250, 300))));
        assertEquals(Map.of(), tiling.reruns(threeBlocks(),
                List.of(result(0, 0, 250), result(1, 250, 250), result(2, 250, 300))));
    }

    @Test
    void rangesAreGroupedByFileAndOrderedByOffsetWhateverBlockHoldsThem() {
        // block 0 packs small.csv whole and big.csv's second half; block 1 holds big.csv's first half
        List<Block> blocks = List.of(block(0, range(SMALL, 0, 40, 40), range(BIG, 100, 200, 200)),
                block(1, range(BIG, 0, 100, 200)));

        assertEquals(Map.of(), tiling.reruns(blocks, List.of(result(0, 0, 40, 110, 200), result(1, 0, 110))));
        // big.csv's second range is block 0's range 1: that is what re-runs, from block 1's stop
        assertEquals(Map.of(0, Map.of(1, 110L)), tiling.reruns(blocks,
                List.of(result(0, 0, 40, 104, 200), result(1, 0, 110))));
    }

    @Test
    void wrongBoundariesInTwoFilesReRunOneBlockOfEach() {
        String other = "hdfs://nn/in/other.csv";
        List<Block> blocks = List.of(block(0, range(BIG, 0, 100, 200)), block(1, range(BIG, 100, 200, 200)),
                block(2, range(other, 0, 50, 100)), block(3, range(other, 50, 100, 100)));

        assertEquals(Map.of(1, Map.of(0, 101L), 3, Map.of(0, 60L)), tiling.reruns(blocks,
                List.of(result(0, 0, 101), result(1, 120, 200), result(2, 0, 60), result(3, 55, 100))));
    }

    @Test
    void aCompressedFileReadWholeIsAcceptedWhateverItsDecompressedStopOffset() {
        List<Block> blocks = List.of(block(0, new BlockRange(GZ, 0, 500, 500, false)));

        assertEquals(Map.of(), tiling.reruns(blocks, List.of(result(0, 0, 4_000))));
    }

    @Test
    void acceptedRangesThatDoNotReachTheFilesEndAreAReaderBug() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tiling.reruns(threeBlocks(),
                List.of(result(0, 0, 120), result(1, 120, 210), result(2, 210, 290))));
        assertEquals("Accepted record ranges end at byte 290, not at the file's length 300: " + BIG, e.getMessage());
    }
}
