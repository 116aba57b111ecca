package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.io.split.TilingCheck.Decision;
import dev.spindle.io.split.TilingCheck.Outcome;
import dev.spindle.io.split.TilingCheck.RangeResult;
import dev.spindle.io.split.TilingCheck.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TilingCheckTest {
    private static final String LOCATION = "hdfs://nn/in/a.csv";

    private static RangeResult result(long start, long end, long first, long stop) {
        return new RangeResult(start, end, first, stop);
    }

    private static List<Outcome> outcomes(Verdict verdict) {
        return verdict.decisions().stream().map(Decision::outcome).toList();
    }

    @Test
    void rangesThatTileAreAccepted() {
        Verdict verdict = TilingCheck.check(LOCATION, 30, List.of(
                result(0, 10, 0, 12), result(10, 20, 12, 25), result(20, 30, 25, 30)));
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.ACCEPTED), outcomes(verdict));
        assertTrue(verdict.tiled());
        assertEquals(List.of(), verdict.reruns());
    }

    @Test
    void aWrongFirstOffsetIsRerunFromThePredecessorsStopAndItsSuccessorsWait() {
        Verdict verdict = TilingCheck.check(LOCATION, 40, List.of(
                result(0, 10, 0, 12), result(10, 20, 15, 22), result(20, 30, 22, 31), result(30, 40, 31, 40)));
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.RERUN, Outcome.WAITING, Outcome.WAITING), outcomes(verdict));
        assertEquals(List.of(new Decision(1, Outcome.RERUN, 12)), verdict.reruns());
        assertFalse(verdict.tiled());
        // The re-run stops where the wrong run did: everything is accepted in the next round.
        Verdict second = TilingCheck.check(LOCATION, 40, List.of(
                result(0, 10, 0, 12), result(10, 20, 12, 22), result(20, 30, 22, 31), result(30, 40, 31, 40)));
        assertTrue(second.tiled());
    }

    @Test
    void aCascadeOfWrongGuessesSettlesOneBlockPerRound() {
        List<RangeResult> results = new ArrayList<>(List.of(
                result(0, 10, 0, 11), result(10, 20, 14, 24), result(20, 30, 26, 30)));
        Verdict first = TilingCheck.check(LOCATION, 30, results);
        assertEquals(List.of(new Decision(1, Outcome.RERUN, 11)), first.reruns());
        results.set(1, result(10, 20, 11, 21));
        Verdict second = TilingCheck.check(LOCATION, 30, results);
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.RERUN), outcomes(second));
        assertEquals(21, second.reruns().get(0).offset());
        results.set(2, result(20, 30, 21, 30));
        assertTrue(TilingCheck.check(LOCATION, 30, results).tiled());
    }

    @Test
    void aFailedGuessIsRerun() {
        Verdict verdict = TilingCheck.check(LOCATION, 20, List.of(result(0, 10, 0, 13), RangeResult.failedAfterGuess(10, 20)));
        assertEquals(List.of(new Decision(1, Outcome.RERUN, 13)), verdict.reruns());
    }

    @Test
    void aBlockInsideOneRecordOwnsNothing() {
        // One record spans [5, 27): block 1 owns nothing, its offsets are both 27.
        Verdict right = TilingCheck.check(LOCATION, 30, List.of(
                result(0, 10, 0, 27), result(10, 20, 27, 27), result(20, 30, 27, 30)));
        assertTrue(right.tiled());
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.ACCEPTED, Outcome.ACCEPTED), outcomes(right));
        Verdict wrong = TilingCheck.check(LOCATION, 30, List.of(
                result(0, 10, 0, 27), result(10, 20, 12, 21), result(20, 30, 27, 30)));
        assertEquals(new Decision(1, Outcome.OWNS_NOTHING, 27), wrong.decisions().get(1));
        assertEquals(Outcome.ACCEPTED, wrong.decisions().get(2).outcome());
        assertTrue(wrong.tiled());
    }

    @Test
    void anEmptyFileIsOneEmptyBlock() {
        assertTrue(TilingCheck.check(LOCATION, 0, List.of(result(0, 0, 0, 0))).tiled());
    }

    @Test
    void plansThatDoNotTileTheFileAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TilingCheck.check(LOCATION, 20, List.of(result(0, 10, 0, 10), result(11, 20, 11, 20))));
        assertEquals("Block 1 starts at byte 11, expected 10 (ranges must tile the file): " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TilingCheck.check(LOCATION, 20, List.of(result(0, 10, 0, 10))));
        assertEquals("Blocks end at byte 10, not at the file's length 20: " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TilingCheck.check(LOCATION, 20, List.of()));
        assertEquals("No block results: " + LOCATION, e.getMessage());
    }

    @Test
    void aFileReadWholeIsTiledWhateverItsDecompressedStop() {
        BlockRange gzip = new BlockRange("hdfs://nn/in/a.csv.gz", 0, 20, 20, false);

        Verdict verdict = TilingCheck.check(List.of(gzip), List.of(result(0, 20, 0, 5000)));

        assertTrue(verdict.tiled());
        assertEquals(List.of(new Decision(0, Outcome.ACCEPTED, -1)), verdict.decisions());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TilingCheck.check(List.of(gzip), List.of(result(0, 20, 3, 5000))));
        assertEquals("A file read whole reports its first record at byte 3, not 0: hdfs://nn/in/a.csv.gz", e.getMessage());
    }

    @Test
    void aFileOfOneWholeRangeIsTiledWhateverItsTranscodedStop() {
        // a small UTF-16 file packed whole: its reader stops at the UTF-8 length, not the file's
        BlockRange packed = new BlockRange(LOCATION, 0, 20, 20, true);

        Verdict verdict = TilingCheck.check(List.of(packed), List.of(result(0, 20, 0, 11)));

        assertEquals(List.of(new Decision(0, Outcome.ACCEPTED, -1)), verdict.decisions());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TilingCheck.check(List.of(packed), List.of(result(0, 20, 2, 11))));
        assertEquals("A file read whole reports its first record at byte 2, not 0: " + LOCATION, e.getMessage());
    }

    @Test
    void plannedRangesOfASplittableFileAreCheckedByOffsets() {
        List<BlockRange> planned = List.of(new BlockRange(LOCATION, 0, 10, 20, true), new BlockRange(LOCATION, 10, 20, 20, true));

        assertTrue(TilingCheck.check(planned, List.of(result(0, 10, 0, 12), result(10, 20, 12, 20))).tiled());
        assertEquals(List.of(Outcome.ACCEPTED, Outcome.RERUN),
                outcomes(TilingCheck.check(planned, List.of(result(0, 10, 0, 12), result(10, 20, 15, 20)))));
    }

    @Test
    void plannedRangesThatDoNotMatchTheResultsAreRejected() {
        BlockRange first = new BlockRange(LOCATION, 0, 10, 20, true);
        BlockRange second = new BlockRange(LOCATION, 10, 20, 20, true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TilingCheck.check(List.of(first, second), List.of(result(0, 10, 0, 12))));
        assertEquals("2 planned ranges but 1 results: " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TilingCheck.check(List.of(first, second), List.of(result(0, 10, 0, 12), result(10, 19, 12, 19))));
        assertEquals("Result 1 is for [10, 19), planned [10, 20): " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TilingCheck.check(
                List.of(first, new BlockRange("hdfs://nn/in/b.csv", 10, 20, 20, true)),
                List.of(result(0, 10, 0, 12), result(10, 20, 12, 20))));
        assertEquals("Ranges of two files in one check: hdfs://nn/in/b.csv and " + LOCATION, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TilingCheck.check(
                List.of(first, new BlockRange(LOCATION, 10, 20, 20, false)),
                List.of(result(0, 10, 0, 12), result(10, 20, 12, 20))));
        assertEquals("A file that cannot be split has 2 ranges, range 1 is [10, 20): " + LOCATION, e.getMessage());
    }

    @Test
    void acceptedRangesThatStopBeforeTheEndAreAReaderBug() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TilingCheck.check(LOCATION, 20, List.of(result(0, 10, 0, 12), result(10, 20, 12, 18))));
        assertEquals("Accepted record ranges end at byte 18, not at the file's length 20: " + LOCATION, e.getMessage());
    }

    @Test
    void invalidResultsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> result(0, 10, 5, 3));
        assertEquals("Invalid offsets: first record at 5, stop at 3 of range [0, 10)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> result(0, 10, -1, 3));
        assertEquals("Only one of firstRecordOffset -1 and stopOffset 3 is unknown", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> result(5, 4, 5, 5));
        assertEquals("Invalid range [5, 4)", e.getMessage());
    }

    /**
     * Every set of record starts in an 8-byte file, every plan of up to four blocks, and every
     * combination of first runs (right; wrong first offset with the right stop; wrong first and
     * wrong stop; bad-record failure): the AM loop (check, re-run with the known start, check
     * again) must end, within one round per block, with every block's true offsets.
     */
    @Test
    void everyCombinationOfWrongGuessesConvergesToTheTruth() {
        int length = 8;
        int simulations = 0;
        for (int mask = 0; mask < 1 << (length - 1); mask++) {
            List<Long> recordStarts = new ArrayList<>();
            recordStarts.add(0L);
            for (int b = 1; b < length; b++) {
                if ((mask & 1 << (b - 1)) != 0) {
                    recordStarts.add((long) b);
                }
            }
            for (List<Long> plan : plans(length, 4)) {
                int guessed = plan.size() - 1;
                for (int behaviours = 0; behaviours < 1 << (2 * guessed); behaviours++) {
                    simulate(length, recordStarts, plan, behaviours);
                    simulations++;
                }
            }
        }
        assertTrue(simulations > 100_000, "simulations: " + simulations);
    }

    private static void simulate(int length, List<Long> recordStarts, List<Long> starts, int behaviours) {
        int n = starts.size();
        List<RangeResult> truth = new ArrayList<>();
        List<RangeResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = starts.get(i);
            long end = i + 1 < n ? starts.get(i + 1) : length;
            long first = i == 0 ? 0 : nextRecordStart(recordStarts, start, length);
            long stop = nextRecordStart(recordStarts, Math.max(end, first), length);
            if (first >= end && i > 0) {
                stop = first;
            }
            truth.add(result(start, end, first, stop));
            int behaviour = i == 0 ? 0 : behaviours >> (2 * (i - 1)) & 3;
            results.add(switch (behaviour) {
                case 0 -> truth.get(i);
                case 1 -> wrong(start, end, first, stop, length, false);
                case 2 -> wrong(start, end, first, stop, length, true);
                default -> RangeResult.failedAfterGuess(start, end);
            });
        }
        String context = "record starts " + recordStarts + ", block starts " + starts + ", behaviours " + behaviours;
        for (int round = 1; ; round++) {
            if (round > n) {
                fail("no tiling after " + n + " rounds: " + context);
            }
            Verdict verdict = TilingCheck.check(LOCATION, length, results);
            if (verdict.tiled()) {
                for (Decision decision : verdict.decisions()) {
                    if (decision.outcome() == Outcome.OWNS_NOTHING) {
                        RangeResult old = results.get(decision.index());
                        results.set(decision.index(), result(old.start(), old.end(), decision.offset(), decision.offset()));
                    }
                }
                assertEquals(truth, results, context);
                return;
            }
            for (Decision decision : verdict.decisions()) {
                int i = decision.index();
                if (decision.outcome() == Outcome.RERUN) {
                    assertEquals(truth.get(i).firstRecordOffset(), decision.offset(), "re-run offset of block " + i + ": " + context);
                    results.set(i, truth.get(i));
                } else if (decision.outcome() == Outcome.OWNS_NOTHING) {
                    RangeResult old = results.get(i);
                    results.set(i, result(old.start(), old.end(), decision.offset(), decision.offset()));
                }
            }
        }
    }

    /** A first run that took a wrong first offset, stopping right or wrong. */
    private static RangeResult wrong(long start, long end, long first, long stop, long length, boolean wrongStop) {
        long guessed = first < length ? first + 1 : first - 1;
        if (guessed < start) {
            return RangeResult.failedAfterGuess(start, end);
        }
        long guessedStop = Math.max(stop, guessed);
        if (wrongStop) {
            long alternative = guessedStop < length ? guessedStop + 1 : guessedStop;
            guessedStop = alternative != stop ? alternative : guessedStop;
        }
        return result(start, end, guessed, guessedStop);
    }

    private static long nextRecordStart(List<Long> recordStarts, long from, long length) {
        for (long start : recordStarts) {
            if (start >= from) {
                return start;
            }
        }
        return length;
    }

    /** Every list of block starts: 0 and up to {@code maxBlocks - 1} cuts in [1, length). */
    private static List<List<Long>> plans(int length, int maxBlocks) {
        List<List<Long>> plans = new ArrayList<>();
        for (int mask = 0; mask < 1 << (length - 1); mask++) {
            if (Integer.bitCount(mask) >= maxBlocks) {
                continue;
            }
            List<Long> plan = new ArrayList<>();
            plan.add(0L);
            for (int b = 1; b < length; b++) {
                if ((mask & 1 << (b - 1)) != 0) {
                    plan.add((long) b);
                }
            }
            plans.add(plan);
        }
        return plans;
    }
}
