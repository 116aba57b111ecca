package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BlockSchedulerTest {

    private static final BlockScheduler.TilingVerifier EXACT = (blocks, results) -> Map.of();

    private static List<Block> blocks(int count, List<String> hostsOfOdd) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            blocks.add(new Block(i, List.of(new BlockRange("memory:/in/a.csv", i * 100L, i * 100L + 100, count * 100L, true)),
                    i % 2 == 1 ? hostsOfOdd : List.of()));
        }
        return blocks;
    }

    private static BlockOutcome outcome(Block block) {
        BlockRange range = block.ranges().get(0);
        return new BlockOutcome(10, 7, 2, 1, 100, List.of(new BlockOutcome.RangeOutcome(range.start(), range.end(), 1)), "part");
    }

    private static BlockScheduler scheduler(int blocks, int maxAttempts, BlockScheduler.TilingVerifier verifier) {
        return new BlockScheduler(blocks(blocks, List.of("nodeB")), maxAttempts, verifier, () -> 0L);
    }

    @Test
    void handsOutBlocksStoredOnTheWorkersHostFirst() {
        BlockScheduler scheduler = scheduler(4, 3, EXACT);

        assertEquals(1, scheduler.next("w1", "nodeB").orElseThrow().block().index());
        assertEquals(3, scheduler.next("w1", "nodeB").orElseThrow().block().index());
        assertEquals(0, scheduler.next("w1", "nodeB").orElseThrow().block().index());
        assertEquals(2, scheduler.next("w2", "nodeA").orElseThrow().block().index());
        assertEquals(Optional.empty(), scheduler.next("w2", "nodeA"));
        assertEquals(2, scheduler.localAssignments());
    }

    @Test
    void completesWhenEveryBlockSucceededAndTheRangesTile() {
        BlockScheduler scheduler = scheduler(3, 3, EXACT);
        for (int i = 0; i < 3; i++) {
            BlockScheduler.Assignment work = scheduler.next("w1", "nodeA").orElseThrow();
            assertFalse(scheduler.isOver());
            scheduler.succeeded("w1", work.block().index(), work.attempt(), "nodeA", outcome(work.block()));
        }

        assertTrue(scheduler.isComplete());
        assertEquals(3, scheduler.results().size());
        assertEquals(3, scheduler.totalAttempts());
        assertEquals(0, scheduler.blocksRerun());
    }

    @Test
    void retriesAFailedBlockUntilItFailedMaxAttemptsTimesThenFailsTheJobWithTheLastError() {
        BlockScheduler scheduler = scheduler(1, 2, EXACT);

        BlockScheduler.Assignment first = scheduler.next("w1", "nodeA").orElseThrow();
        scheduler.failed("w1", 0, first.attempt(), "disk full");
        assertFalse(scheduler.isOver());
        BlockScheduler.Assignment second = scheduler.next("w2", "nodeA").orElseThrow();
        assertEquals(2, second.attempt());
        scheduler.failed("w2", 0, second.attempt(), "disk still full");

        assertTrue(scheduler.isOver());
        assertFalse(scheduler.isComplete());
        assertEquals("Block 0 (memory:/in/a.csv bytes 0-100) failed 2 of 2 attempts; last error: disk still full; in the log of w2", scheduler.failure().orElseThrow());
        assertEquals(Optional.empty(), scheduler.next("w3", "nodeA"));
    }

    @Test
    void badInputFailsTheJobWithoutRetrying() {
        BlockScheduler scheduler = scheduler(2, 3, EXACT);
        BlockScheduler.Assignment work = scheduler.next("w1", "nodeA").orElseThrow();

        scheduler.badInput(work.block().index(), work.attempt(), "Cannot parse column 'x' (#0) as long: \"4x\"");

        assertTrue(scheduler.isOver());
        assertEquals("Bad input in block 0: Cannot parse column 'x' (#0) as long: \"4x\"", scheduler.failure().orElseThrow());
        assertEquals(1, scheduler.totalAttempts());
    }

    @Test
    void aLostWorkersAttemptsAreRetriedAndItsLateReportIsIgnored() {
        BlockScheduler scheduler = scheduler(2, 3, EXACT);
        BlockScheduler.Assignment lost = scheduler.next("w1", "nodeA").orElseThrow();
        BlockScheduler.Assignment kept = scheduler.next("w2", "nodeA").orElseThrow();

        scheduler.workerLost("w1", "exit status 137");
        BlockScheduler.Assignment retry = scheduler.next("w2", "nodeA").orElseThrow();
        assertEquals(lost.block().index(), retry.block().index());
        assertEquals(2, retry.attempt());
        scheduler.succeeded("w1", lost.block().index(), lost.attempt(), "nodeA", outcome(lost.block()));
        assertEquals(BlockStatus.State.RUNNING, scheduler.statuses().get(lost.block().index()).state(), "the lost attempt's report is stale");
        assertTrue(scheduler.statuses().get(lost.block().index()).lastError().contains("exit status 137"));

        scheduler.succeeded("w2", retry.block().index(), retry.attempt(), "nodeA", outcome(retry.block()));
        scheduler.succeeded("w2", kept.block().index(), kept.attempt(), "nodeA", outcome(kept.block()));
        assertTrue(scheduler.isComplete());
        assertEquals(2, scheduler.results().get(lost.block().index()).attempt());
        assertEquals(1, scheduler.blocksRerun(), "the lost worker's block ran twice");
        assertEquals(3, scheduler.totalAttempts());
        assertEquals(0, scheduler.tilingReruns());
    }

    @Test
    void aRunningBlockShowsItsWorker() {
        BlockScheduler scheduler = scheduler(2, 3, EXACT);
        BlockScheduler.Assignment work = scheduler.next("container_1_0001_01_000002", "nodeA").orElseThrow();
        assertEquals("container_1_0001_01_000002", scheduler.statuses().get(work.block().index()).worker());
        scheduler.succeeded("container_1_0001_01_000002", work.block().index(), work.attempt(), "nodeA", outcome(work.block()));
        assertEquals(null, scheduler.statuses().get(work.block().index()).worker());
    }

    @Test
    void reRunsTheBlocksTheTilingCheckNamesFromTheirKnownRecordStarts() {
        Deque<Map<Integer, Map<Integer, Long>>> verdicts = new ArrayDeque<>(List.of(
                Map.of(1, Map.of(0, 130L)),
                Map.of(2, Map.of(0, 230L)),
                Map.of()));
        List<List<BlockResult>> seen = new ArrayList<>();
        BlockScheduler scheduler = scheduler(3, 3, (blocks, results) -> {
            seen.add(results);
            return verdicts.poll();
        });
        runAll(scheduler, 3);
        assertFalse(scheduler.isOver());

        BlockScheduler.Assignment rerun = scheduler.next("w1", "nodeA").orElseThrow();
        assertEquals(1, rerun.block().index());
        assertEquals(Map.of(0, 130L), rerun.knownRecordStarts());
        assertTrue(rerun.rerun());
        scheduler.succeeded("w1", 1, rerun.attempt(), "nodeA", outcome(rerun.block()));

        BlockScheduler.Assignment cascade = scheduler.next("w1", "nodeA").orElseThrow();
        assertEquals(2, cascade.block().index());
        assertEquals(Map.of(0, 230L), cascade.knownRecordStarts());
        scheduler.succeeded("w1", 2, cascade.attempt(), "nodeA", outcome(cascade.block()));

        assertTrue(scheduler.isComplete());
        assertEquals(2, scheduler.blocksRerun());
        assertEquals(2, scheduler.tilingReruns());
        assertEquals(5, scheduler.totalAttempts());
        assertEquals(3, seen.size());
        assertTrue(scheduler.results().get(1).rerun());
    }

    @Test
    void aBlockThatStillDoesNotTileAfterItsReRunFailsTheJob() {
        BlockScheduler scheduler = scheduler(2, 3, (blocks, results) -> Map.of(1, Map.of(0, 150L)));
        runAll(scheduler, 2);
        BlockScheduler.Assignment rerun = scheduler.next("w1", "nodeA").orElseThrow();
        scheduler.succeeded("w1", 1, rerun.attempt(), "nodeA", outcome(rerun.block()));

        assertTrue(scheduler.isOver());
        assertEquals("Block 1 was re-run from known record starts {0=150} and still does not tile its file",
                scheduler.failure().orElseThrow());
    }

    /** Runs the first attempt of every block, successfully. */
    private static void runAll(BlockScheduler scheduler, int blocks) {
        for (int i = 0; i < blocks; i++) {
            BlockScheduler.Assignment work = scheduler.next("w1", "nodeA").orElseThrow();
            assertEquals(1, work.attempt());
            scheduler.succeeded("w1", work.block().index(), work.attempt(), "nodeA", outcome(work.block()));
        }
    }

    @Test
    void anAttemptWithoutProgressForTheStallTimeoutFailsAndIsRetriedElsewhere() {
        long[] now = {0};
        BlockScheduler scheduler = new BlockScheduler(blocks(2, List.of()), 2, EXACT, () -> now[0]);
        BlockScheduler.Assignment first = scheduler.next("w1", "nodeA").orElseThrow();
        BlockScheduler.Assignment second = scheduler.next("w2", "nodeA").orElseThrow();
        now[0] = 4_000;
        assertTrue(scheduler.heartbeat("w1", first.block().index(), first.attempt(), 100));
        assertTrue(scheduler.heartbeat("w2", second.block().index(), second.attempt(), 100));
        now[0] = 8_000;
        assertTrue(scheduler.heartbeat("w1", first.block().index(), first.attempt(), 200), "w1 moved bytes");
        assertTrue(scheduler.heartbeat("w2", second.block().index(), second.attempt(), 100), "w2 did not");
        assertEquals(List.of(), scheduler.expireStalled(5_000));

        now[0] = 9_000;
        List<BlockScheduler.Stalled> stalled = scheduler.expireStalled(5_000);
        assertEquals(1, stalled.size());
        assertEquals("w2", stalled.get(0).worker());
        assertEquals("block 1 attempt 1 made no progress for 5000 ms on worker w2 (spindle.yarn.worker.stall-timeout-ms)",
                stalled.get(0).reason());
        assertFalse(scheduler.heartbeat("w2", 1, 1, 300), "a given-up attempt is not wanted any more");
        BlockScheduler.Assignment retry = scheduler.next("w3", "nodeA").orElseThrow();
        assertEquals(1, retry.block().index());
        assertEquals(2, retry.attempt());
        assertEquals(BlockStatus.State.RUNNING, scheduler.statuses().get(1).state());
        assertEquals(stalled.get(0).reason(), scheduler.statuses().get(1).lastError());
    }

    @Test
    void aWorkerRunningTwoBlocksStoppedForOneStalledAttemptRequeuesTheOtherWithoutChargingIt() {
        long[] now = {0};
        BlockScheduler scheduler = new BlockScheduler(blocks(2, List.of()), 2, EXACT, () -> now[0]);
        BlockScheduler.Assignment stuck = scheduler.next("w1", "nodeA").orElseThrow();
        BlockScheduler.Assignment busy = scheduler.next("w1", "nodeA").orElseThrow(); // w1's second slot
        now[0] = 6_000;
        assertTrue(scheduler.heartbeat("w1", busy.block().index(), busy.attempt(), 42), "its slot's thread used CPU");
        List<BlockScheduler.Stalled> stalled = scheduler.expireStalled(5_000);
        assertEquals(List.of(stuck.block().index()), stalled.stream().map(BlockScheduler.Stalled::block).toList());
        assertEquals(Optional.empty(), scheduler.next("w1", "nodeA"), "the AM is stopping w1: its other slot gets no new block");

        assertFalse(scheduler.workerLost("w1", "exit status 143"), "a stalled worker's node is still charged");
        assertEquals(BlockStatus.State.PENDING, scheduler.statuses().get(busy.block().index()).state());
        BlockScheduler.Assignment again = scheduler.next("w2", "nodeA").orElseThrow();
        assertEquals(busy.block().index(), again.block().index(), "the block it lost with its worker goes first");
        assertEquals(2, again.attempt());
        scheduler.failed("w2", again.block().index(), again.attempt(), "a failure of its own");
        assertFalse(scheduler.isOver(), "the collateral end was not charged: 1 of 2 attempts failed");
        BlockScheduler.Assignment third = scheduler.next("w2", "nodeA").orElseThrow();
        assertEquals(busy.block().index(), third.block().index());
        scheduler.failed("w2", third.block().index(), third.attempt(), "a second failure");
        assertTrue(scheduler.isOver(), "2 of 2 attempts failed");
    }

    @Test
    void aWorkerStoppedForASupersededAttemptRequeuesItsOtherAttemptUncharged() {
        long[] now = {0};
        BlockScheduler scheduler = new BlockScheduler(blocks(4, List.of()), 1, EXACT, () -> now[0], SPECULATE);
        assertEquals(0, scheduler.next("w1", "nodeA").orElseThrow().block().index());
        assertEquals(1, scheduler.next("w1", "nodeA").orElseThrow().block().index()); // w1's second slot
        for (int block = 2; block < 4; block++) {
            BlockScheduler.Assignment work = scheduler.next("w2", "nodeB").orElseThrow();
            now[0] += 100;
            scheduler.succeeded("w2", work.block().index(), work.attempt(), "nodeB", outcome(work.block()));
        }
        now[0] = 1_001;
        BlockScheduler.Assignment speculative = scheduler.next("w2", "nodeB").orElseThrow();
        assertEquals(0, speculative.block().index());
        scheduler.succeeded("w2", 0, speculative.attempt(), "nodeB", outcome(speculative.block()));
        assertEquals(List.of("w1"), scheduler.takeSuperseded(), "the AM stops w1, block 1's attempt with it");

        assertTrue(scheduler.workerLost("w1", "exit status 143"));
        assertFalse(scheduler.isOver(), "with 1 attempt allowed, a charged loss of block 1 would have failed the job");
        BlockScheduler.Assignment again = scheduler.next("w2", "nodeB").orElseThrow();
        assertEquals(1, again.block().index());
        assertEquals(2, again.attempt());
        scheduler.succeeded("w2", 1, again.attempt(), "nodeB", outcome(again.block()));
        assertTrue(scheduler.isComplete());
    }

    @Test
    void anAttemptWhoseWorkerNeverSentAHeartbeatStallsToo() {
        long[] now = {0};
        BlockScheduler scheduler = new BlockScheduler(blocks(1, List.of()), 1, EXACT, () -> now[0]);
        scheduler.next("w1", "nodeA").orElseThrow();
        now[0] = 10_000;
        assertEquals(1, scheduler.expireStalled(10_000).size());
        assertTrue(scheduler.isOver());
        assertTrue(scheduler.failure().orElseThrow().startsWith("Block 0 (memory:/in/a.csv bytes 0-100) failed 1 of 1 attempts; last error: block 0 attempt 1 made no progress"),
                scheduler.failure().orElseThrow());
    }

    @Test
    void aLaterAmAttemptTakesOverTheAcceptedBlocksAndNumbersNewAttemptsAfterTheOldOnes() {
        List<Block> blocks = blocks(3, List.of());
        BlockResult done = new BlockResult(1, 2, "nodeA", 10, false, outcome(blocks.get(1)));
        BlockScheduler scheduler = new BlockScheduler(blocks, 3, EXACT, () -> 0L);
        scheduler.recover(Map.of(0, 1, 1, 2), Map.of(1, done));

        assertEquals(1, scheduler.blocksRecovered());
        assertEquals(BlockStatus.State.SUCCEEDED, scheduler.statuses().get(1).state());
        BlockScheduler.Assignment first = scheduler.next("w1", "nodeA").orElseThrow();
        BlockScheduler.Assignment second = scheduler.next("w1", "nodeA").orElseThrow();
        assertEquals(List.of(0, 2), List.of(first.block().index(), second.block().index()), "the recovered block does not run");
        assertEquals(2, first.attempt(), "attempt-1 of block 0 exists already");
        assertEquals(1, second.attempt());
        assertEquals(Optional.empty(), scheduler.next("w1", "nodeA"));
        assertEquals(first.block().index(), scheduler.succeeded("w1", 0, 2, "nodeA", outcome(first.block())).block());
        scheduler.succeeded("w1", 2, 1, "nodeA", outcome(second.block()));
        assertTrue(scheduler.isComplete());
        assertEquals(done, scheduler.results().get(1));
        assertEquals(5, scheduler.totalAttempts(), "1 + 1 before, 2 + 1 now");
        assertEquals(null, scheduler.succeeded("w1", 2, 1, "nodeA", outcome(second.block())), "a repeated report is ignored");
    }

    @Test
    void recoveringEveryBlockCompletesTheJob() {
        List<Block> blocks = blocks(2, List.of());
        BlockScheduler scheduler = new BlockScheduler(blocks, 3, EXACT, () -> 0L);
        scheduler.recover(Map.of(), Map.of(0, new BlockResult(0, 1, "h", 1, false, outcome(blocks.get(0))),
                1, new BlockResult(1, 1, "h", 1, false, outcome(blocks.get(1)))));
        assertTrue(scheduler.isComplete());
        assertEquals(2, scheduler.blocksRecovered());
    }

    @Test
    void aMultiLineErrorFailsTheJobInOneLine() {
        BlockScheduler scheduler = scheduler(1, 1, EXACT);
        BlockScheduler.Assignment work = scheduler.next("w1", "nodeA").orElseThrow();
        scheduler.failed("w1", 0, work.attempt(), "IOException: boom\n\tat a.B.c(B.java:1)\r\n\tat d.E.f(E.java:2)\n");
        assertEquals("Block 0 (memory:/in/a.csv bytes 0-100) failed 1 of 1 attempts; last error: IOException: boom | at a.B.c(B.java:1) | at d.E.f(E.java:2); in the log of w1",
                scheduler.failure().orElseThrow());
    }

    private static final BlockScheduler.Speculation SPECULATE = new BlockScheduler.Speculation(true, 3, 1_000);

    /** Four blocks: w1 takes block 0 and hangs; w2 runs blocks 1-3 in 100 ms each. */
    private static BlockScheduler straggling(long[] now, BlockScheduler.Speculation speculation) {
        BlockScheduler scheduler = new BlockScheduler(blocks(4, List.of()), 2, EXACT, () -> now[0], speculation);
        assertEquals(0, scheduler.next("w1", "nodeA").orElseThrow().block().index());
        for (int block = 1; block < 4; block++) {
            BlockScheduler.Assignment work = scheduler.next("w2", "nodeB").orElseThrow();
            now[0] += 100;
            scheduler.succeeded("w2", work.block().index(), work.attempt(), "nodeB", outcome(work.block()));
        }
        return scheduler;
    }

    @Test
    void aStragglerGetsOneSpeculativeAttemptOnAnotherWorkerAndTheFirstToFinishWins() {
        long[] now = {0};
        BlockScheduler scheduler = straggling(now, SPECULATE);
        assertEquals(Optional.empty(), scheduler.next("w2", "nodeB"), "300 ms is not over the 1,000 ms minimum");
        now[0] = 1_001;
        assertEquals(Optional.empty(), scheduler.next("w1", "nodeA"), "a worker never speculates its own attempt");

        BlockScheduler.Assignment speculative = scheduler.next("w2", "nodeB").orElseThrow();
        assertEquals(0, speculative.block().index());
        assertEquals(2, speculative.attempt());
        assertEquals(Optional.empty(), scheduler.next("w3", "nodeC"), "one speculative attempt per block");
        assertEquals(BlockStatus.State.RUNNING, scheduler.statuses().get(0).state());

        now[0] = 1_200;
        BlockResult accepted = scheduler.succeeded("w2", 0, 2, "nodeB", outcome(speculative.block()));
        assertEquals(2, accepted.attempt());
        assertTrue(scheduler.isComplete());
        assertEquals(List.of("w1"), scheduler.takeSuperseded(), "the AM stops the loser");
        assertEquals(List.of(), scheduler.takeSuperseded());
        assertFalse(scheduler.heartbeat("w1", 0, 1, 500), "the loser is not wanted any more");
        assertEquals(null, scheduler.succeeded("w1", 0, 1, "nodeA", outcome(speculative.block())), "the loser's late success is ignored");
        assertEquals(2, scheduler.results().get(0).attempt(), "exactly one attempt per block is committed: the winner");
        assertTrue(scheduler.workerLost("w1", "exit status 143"), "the loser's end is the AM's doing");
        assertFalse(scheduler.workerLost("w2", "exit status 0"));
        assertEquals(1, scheduler.speculativeAttempts());
        assertEquals(5, scheduler.totalAttempts());
        assertEquals(0, scheduler.blocksRerun(), "a speculative attempt is not a re-run");
    }

    @Test
    void whenTheOriginalAttemptFinishesFirstTheSpeculativeOneLoses() {
        long[] now = {0};
        BlockScheduler scheduler = straggling(now, SPECULATE);
        now[0] = 5_000;
        BlockScheduler.Assignment speculative = scheduler.next("w2", "nodeB").orElseThrow();
        scheduler.succeeded("w1", 0, 1, "nodeA", outcome(speculative.block()));
        assertEquals(List.of("w2"), scheduler.takeSuperseded());
        assertEquals(1, scheduler.results().get(0).attempt());
        assertTrue(scheduler.isComplete());
    }

    @Test
    void theThresholdIsTheFactorTimesTheMedianOfTheFinishedBlocks() {
        long[] now = {0};
        BlockScheduler scheduler = straggling(now, new BlockScheduler.Speculation(true, 3, 1));
        // the finished blocks took 100 ms each: block 0 is a straggler after 3 x 100 ms
        now[0] = 300;
        assertEquals(Optional.empty(), scheduler.next("w2", "nodeB"));
        now[0] = 301;
        assertEquals(0, scheduler.next("w2", "nodeB").orElseThrow().block().index());
    }

    @Test
    void aFailedSpeculativeAttemptLeavesTheOriginalRunningAndCountsAgainstTheBlocksAttempts() {
        long[] now = {0};
        BlockScheduler scheduler = straggling(now, SPECULATE);
        now[0] = 5_000;
        BlockScheduler.Assignment speculative = scheduler.next("w2", "nodeB").orElseThrow();
        scheduler.failed("w2", 0, speculative.attempt(), "disk full");
        assertEquals(BlockStatus.State.RUNNING, scheduler.statuses().get(0).state(), "attempt 1 still runs");
        assertEquals(Optional.empty(), scheduler.next("w2", "nodeB"), "not pending, not speculated twice");
        assertTrue(scheduler.heartbeat("w1", 0, 1, 10));
        scheduler.workerLost("w1", "exit status 137");
        assertTrue(scheduler.isOver(), "2 of 2 attempts failed");
        assertTrue(scheduler.failure().orElseThrow().startsWith("Block 0 (memory:/in/a.csv bytes 0-100) failed 2 of 2 attempts; last error: worker w1 was lost"),
                scheduler.failure().orElseThrow());
    }

    @Test
    void noSpeculationWhenItIsOffOrBeforeHalfTheBlocksFinished() {
        long[] now = {0};
        BlockScheduler off = straggling(now, new BlockScheduler.Speculation(false, 3, 1));
        now[0] = 1_000_000;
        assertEquals(Optional.empty(), off.next("w2", "nodeB"));

        long[] clock = {0};
        BlockScheduler early = new BlockScheduler(blocks(4, List.of()), 2, EXACT, () -> clock[0], SPECULATE);
        early.next("w1", "nodeA");
        early.next("w1", "nodeA");
        early.next("w1", "nodeA");
        BlockScheduler.Assignment only = early.next("w2", "nodeB").orElseThrow();
        early.succeeded("w2", only.block().index(), only.attempt(), "nodeB", outcome(only.block()));
        clock[0] = 1_000_000;
        assertEquals(Optional.empty(), early.next("w2", "nodeB"), "1 of 4 blocks finished is no median to judge by");
    }

    @Test
    void aStragglerOnAnotherHostIsPreferred() {
        long[] now = {0};
        BlockScheduler scheduler = new BlockScheduler(blocks(4, List.of()), 2, EXACT, () -> now[0], SPECULATE);
        scheduler.next("w1", "nodeA");
        now[0] = 10;
        scheduler.next("w3", "nodeC");
        for (int i = 0; i < 2; i++) {
            BlockScheduler.Assignment work = scheduler.next("w2", "nodeB").orElseThrow();
            scheduler.succeeded("w2", work.block().index(), work.attempt(), "nodeB", outcome(work.block()));
        }
        now[0] = 5_000;
        BlockScheduler.Assignment speculative = scheduler.next("w4", "nodeA").orElseThrow();
        assertEquals(1, speculative.block().index(), "block 0 runs on nodeA already, block 1 on nodeC");
    }
}
