package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.InputCodecs;
import java.util.ArrayList;
import java.util.List;

/**
 * The AM's check that the record ranges its blocks read tile one file exactly, and the decision
 * of which blocks to re-run. Stateless: the AM calls {@link #check} after the first run of every
 * block, re-runs what it says in {@link RecordRangeReader.StartMode#KNOWN_RECORD_START}, replaces
 * those results and calls it again, until {@link Verdict#tiled()}.
 *
 * <p>Why this is exact: the block at byte 0 never guesses, and a block that starts its parse at
 * a true record start parses exactly, so its stop offset is true. Walking the blocks in order,
 * block {@code i} is right if and only if its first record offset equals the stop offset of a
 * block already known right. A block after one that must re-run waits: its predecessor's true
 * stop is not known yet. Each round settles at least the first unsettled block, so the loop ends
 * after at most one round per block (usually one: a re-run block nearly always stops where its
 * wrong first run did).
 *
 * <p>A block owns no record when the true stop of its predecessor is at or after its end (one
 * record spans all of it): then its first record offset and stop offset are both that offset.
 * If its run said otherwise it needs no re-run: {@link Outcome#OWNS_NOTHING} tells the AM to
 * drop its output and record the result {@code (start, end, offset, offset)}.
 *
 * <p>A file that cannot be split (compressed: gzip, deflate, zstd, bzip2; see {@link InputCodecs})
 * is one range read whole, and its reader reports offsets in the decompressed stream, which
 * cannot be compared with the compressed file's length. The AM groups results by file and calls
 * {@link #check(List, List)} with the planned ranges: a file of one unsplittable range is tiled
 * by construction and its block is accepted without comparing offsets. So is a file planned as
 * one range {@code [0, fileLength)}: its block starts at byte 0, never guesses, and reads to the
 * end, and its stop offset may be a UTF-8 position (a UTF-16 file read transcoded, see
 * {@link InputEncodings}) or a decompressed one.
 */
public final class TilingCheck {

    private TilingCheck() {}

    /**
     * What one run of a block reported.
     *
     * @param start the planned range's start
     * @param end the planned range's end
     * @param firstRecordOffset {@link RecordRangeReader#firstRecordOffset()}, or {@link #UNKNOWN}
     * @param stopOffset {@link RecordRangeReader#stopOffset()}, or {@link #UNKNOWN}
     */
    public record RangeResult(long start, long end, long firstRecordOffset, long stopOffset) {
        /** Offsets of a run that failed after guessing its start. */
        public static final long UNKNOWN = -1;

        public RangeResult {
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("Invalid range [%d, %d)".formatted(start, end));
            }
            if ((firstRecordOffset == UNKNOWN) != (stopOffset == UNKNOWN)) {
                throw new IllegalArgumentException("Only one of firstRecordOffset %d and stopOffset %d is unknown"
                        .formatted(firstRecordOffset, stopOffset));
            }
            if (firstRecordOffset != UNKNOWN && (firstRecordOffset < 0 || stopOffset < firstRecordOffset)) {
                throw new IllegalArgumentException("Invalid offsets: first record at %d, stop at %d of range [%d, %d)"
                        .formatted(firstRecordOffset, stopOffset, start, end));
            }
        }

        /**
         * The result of a run that threw {@link BadRecordException} with
         * {@link BadRecordException#guessedStart()}: the block must re-run from a known start.
         */
        public static RangeResult failedAfterGuess(long start, long end) {
            return new RangeResult(start, end, UNKNOWN, UNKNOWN);
        }
    }

    /** What to do with one block. */
    public enum Outcome {
        /** Its run is right: commit its output. */
        ACCEPTED,
        /** Its first record offset was wrong: re-run it from {@link Decision#offset()}. */
        RERUN,
        /** It owns no record: drop its output; its offsets are both {@link Decision#offset()}. */
        OWNS_NOTHING,
        /** Its predecessor re-runs first; check it again after that. */
        WAITING
    }

    /**
     * The decision for one block.
     *
     * @param index the block's index in the list given to {@link #check}
     * @param outcome what to do
     * @param offset for {@link Outcome#RERUN}, the known record start to re-run from; for
     *     {@link Outcome#OWNS_NOTHING}, its first record and stop offset; else -1
     */
    public record Decision(int index, Outcome outcome, long offset) {
        public Decision {
            requireNonNull(outcome, "outcome is null");
        }
    }

    /** The decisions for every block of one file, in file order. */
    public record Verdict(List<Decision> decisions) {
        public Verdict {
            decisions = List.copyOf(decisions);
        }

        /** Whether the file is tiled: every block is accepted or owns nothing. */
        public boolean tiled() {
            for (Decision decision : decisions) {
                if (decision.outcome() == Outcome.RERUN || decision.outcome() == Outcome.WAITING) {
                    return false;
                }
            }
            return true;
        }

        /** The blocks to re-run now. */
        public List<Decision> reruns() {
            List<Decision> reruns = new ArrayList<>();
            for (Decision decision : decisions) {
                if (decision.outcome() == Outcome.RERUN) {
                    reruns.add(decision);
                }
            }
            return reruns;
        }
    }

    /**
     * Checks the results of every block of one file, given its planned ranges. A file planned as
     * one range that cannot be split ({@link BlockRange#splittable()} false: a compressed file
     * read whole) or as one range {@code [0, fileLength)} needs no check: its block is
     * {@link Outcome#ACCEPTED}, whatever its stop offset (a position in a decompressed or UTF-8
     * transcoded stream). Any other file is checked by {@link #check(String, long, List)}.
     *
     * @param planned the file's ranges, in file order
     * @param results one per range, in the same order
     * @throws IllegalArgumentException if the lists differ in size, are empty, name more than one
     *     file, a result's range differs from its planned range, or an unsplittable range is not
     *     the file's only range
     * @throws IllegalStateException if a file read whole reports a first record other than byte 0
     *     (a reader bug)
     */
    public static Verdict check(List<BlockRange> planned, List<RangeResult> results) {
        requireNonNull(planned, "planned is null");
        requireNonNull(results, "results is null");
        if (planned.isEmpty() || planned.size() != results.size()) {
            throw new IllegalArgumentException("%d planned ranges but %d results%s".formatted(planned.size(), results.size(),
                    planned.isEmpty() ? "" : ": " + planned.get(0).location()));
        }
        BlockRange first = planned.get(0);
        for (int i = 0; i < planned.size(); i++) {
            BlockRange range = planned.get(i);
            RangeResult result = results.get(i);
            if (!range.location().equals(first.location())) {
                throw new IllegalArgumentException("Ranges of two files in one check: %s and %s"
                        .formatted(range.location(), first.location()));
            }
            if (result.start() != range.start() || result.end() != range.end()) {
                throw new IllegalArgumentException("Result %d is for [%d, %d), planned [%d, %d): %s"
                        .formatted(i, result.start(), result.end(), range.start(), range.end(), range.location()));
            }
            if (!range.splittable() && planned.size() > 1) {
                throw new IllegalArgumentException("A file that cannot be split has %d ranges, range %d is [%d, %d): %s"
                        .formatted(planned.size(), i, range.start(), range.end(), range.location()));
            }
        }
        boolean whole = planned.size() == 1 && first.start() == 0 && first.end() == first.fileLength();
        if (!first.splittable() || whole) {
            RangeResult result = results.get(0);
            if (result.firstRecordOffset() != 0) {
                throw new IllegalStateException("A file read whole reports its first record at byte %d, not 0: %s"
                        .formatted(result.firstRecordOffset(), first.location()));
            }
            return new Verdict(List.of(new Decision(0, Outcome.ACCEPTED, -1)));
        }
        return check(first.location(), first.fileLength(), results);
    }

    /**
     * Checks the results of every block of one file. For a compressed file read whole, whose
     * offsets are decompressed positions, use {@link #check(List, List)}.
     *
     * @param location the file, for messages
     * @param fileLength the file's length in bytes
     * @param results one per block, in file order; the planned ranges must tile
     *     {@code [0, fileLength)}
     * @throws IllegalArgumentException if the planned ranges do not tile the file
     * @throws IllegalStateException if right runs do not end at the file's length (a reader bug)
     */
    public static Verdict check(String location, long fileLength, List<RangeResult> results) {
        requireNonNull(location, "location is null");
        checkPlan(location, fileLength, results);
        List<Decision> decisions = new ArrayList<>(results.size());
        long knownStop = 0;
        boolean known = true;
        for (int i = 0; i < results.size(); i++) {
            RangeResult result = results.get(i);
            if (!known) {
                decisions.add(new Decision(i, Outcome.WAITING, -1));
                continue;
            }
            long expected = knownStop;
            if (expected >= result.end()) {
                boolean right = result.firstRecordOffset() == expected && result.stopOffset() == expected;
                decisions.add(new Decision(i, right ? Outcome.ACCEPTED : Outcome.OWNS_NOTHING, right ? -1 : expected));
            } else if (result.firstRecordOffset() == expected) {
                decisions.add(new Decision(i, Outcome.ACCEPTED, -1));
                knownStop = result.stopOffset();
            } else {
                decisions.add(new Decision(i, Outcome.RERUN, expected));
                known = false;
            }
        }
        if (known && knownStop != fileLength) {
            throw new IllegalStateException("Accepted record ranges end at byte %d, not at the file's length %d: %s"
                    .formatted(knownStop, fileLength, location));
        }
        return new Verdict(decisions);
    }

    private static void checkPlan(String location, long fileLength, List<RangeResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("No block results: " + location);
        }
        long expectedStart = 0;
        for (int i = 0; i < results.size(); i++) {
            RangeResult result = results.get(i);
            if (result.start() != expectedStart) {
                throw new IllegalArgumentException("Block %d starts at byte %d, expected %d (ranges must tile the file): %s"
                        .formatted(i, result.start(), expectedStart, location));
            }
            expectedStart = result.end();
        }
        if (expectedStart != fileLength) {
            throw new IllegalArgumentException("Blocks end at byte %d, not at the file's length %d: %s"
                    .formatted(expectedStart, fileLength, location));
        }
    }
}
