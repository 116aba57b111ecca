package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The AM's shared state with a real scheduler and committer on the in-memory store; no YARN. */
class AmStateTest {

    private static final List<Block> BLOCKS = List.of(
            new Block(0, List.of(new BlockRange("memory:/in/a.bin", 0, 100, 200, true)), List.of()),
            new Block(1, List.of(new BlockRange("memory:/in/a.bin", 100, 200, 200, true)), List.of()));
    private static final JobPreparation PREPARATION = new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", CopySpec.plain());

    private final InMemoryFileStore store = FileStores.inMemory();
    private final JobCommit commit = new JobCommit(store,
            JobSpec.builder("copy", ByteCopyTask.class).input("memory:/in").output("memory:/out").task(CopySpec.plain()).build(), "application_1_0001");
    private final AmRecovery recovery = new AmRecovery(store, commit.stagingDirectory(), Protocol.newMapper());
    private final BlockScheduler scheduler = new BlockScheduler(BLOCKS, 2, (blocks, results) -> Map.of(), () -> 0L);
    private final AmState state = new AmState("application_1_0001");

    private static BlockOutcome outcome(int block) {
        return new BlockOutcome(100, 100, 0, 0, 100, List.of(new BlockOutcome.RangeOutcome(block * 100L, block * 100L + 100, 0)),
                "part-%05d.bin".formatted(block));
    }

    private void start() throws Exception {
        commit.setup();
        state.start(PREPARATION, scheduler, commit, recovery);
    }

    @Test
    void handsOutBlocksWithTheirAttemptDirectoryAndSavesEveryAcceptedResultForALaterAttempt() throws Exception {
        start();
        Protocol.WorkResponse work = state.next(new Protocol.WorkRequest("container_1", "nodeA"));
        assertEquals(Protocol.Action.RUN, work.action());
        assertEquals("memory:/out/_temporary/application_1_0001/block-00000/attempt-1", work.attemptDirectory());
        assertEquals("part-00000.bin", work.partFileName());

        state.report(new Protocol.AttemptReport("container_1", "nodeA", 0, 1, outcome(0), null, false));
        assertEquals(Map.of(0, new BlockResult(0, 1, "nodeA", 0, false, outcome(0))), recovery.results(2));
        state.report(new Protocol.AttemptReport("container_1", "nodeA", 0, 1, outcome(0), null, false));
        assertEquals(1, recovery.results(2).size(), "a repeated report changes nothing");
    }

    @Test
    void aHeartbeatKeepsItsAttemptUntilTheJobFails() throws Exception {
        start();
        Protocol.WorkResponse work = state.next(new Protocol.WorkRequest("container_1", "nodeA"));
        assertTrue(state.heartbeat(new Protocol.Heartbeat("container_1", "nodeA", 0, work.attempt(), 10)).keepRunning());
        assertFalse(state.heartbeat(new Protocol.Heartbeat("container_2", "nodeA", 0, work.attempt(), 10)).keepRunning(),
                "not that worker's attempt");
        assertTrue(state.heartbeat(new Protocol.Heartbeat("container_3", "nodeA", -1, 0, 10)).keepRunning(), "an idle worker");

        state.fail("stop");
        assertFalse(state.heartbeat(new Protocol.Heartbeat("container_1", "nodeA", 0, work.attempt(), 20)).keepRunning());
        assertEquals(Protocol.Action.EXIT, state.next(new Protocol.WorkRequest("container_1", "nodeA")).action());
    }

    @Test
    void anErrorServingARequestFailsTheJobNamingTheCallAndTheKeyToRaise() throws Exception {
        start();
        state.serveFailed("/v1/preparation", new OutOfMemoryError("Java heap space"));
        assertTrue(state.failed());
        assertEquals("The ApplicationMaster could not answer /v1/preparation: OutOfMemoryError: Java heap space (raise spindle.yarn.am.memory-mb)",
                state.message());
        assertEquals(JobState.RUNNING, state.current(), "FAILED is shown only after the output was cleaned");
        state.publishFailure();
        assertEquals(JobState.FAILED, state.status().state());
    }

    @Test
    void beforePlanningWorkersWaitAndTheStatusIsEmpty() {
        assertEquals(Protocol.Action.WAIT, state.next(new Protocol.WorkRequest("container_1", "nodeA")).action());
        assertEquals(List.of(), state.status().blocks());
        assertEquals(0, state.progress());
    }

    @Test
    void theWorkersToldToExitThatWriteAClassDataArchiveAreTheOnesTheAmWaitsFor() throws Exception {
        assertEquals(Protocol.Action.WAIT, state.next(new Protocol.WorkRequest("container_1", "nodeA", true)).action());
        start();
        state.next(new Protocol.WorkRequest("container_1", "nodeA", true));
        state.next(new Protocol.WorkRequest("container_2", "nodeA", false));
        assertEquals(List.of(), state.archivingWorkers(), "none is told EXIT while there are blocks");
        state.report(new Protocol.AttemptReport("container_1", "nodeA", 0, 1, outcome(0), null, false));
        state.report(new Protocol.AttemptReport("container_2", "nodeA", 1, 1, outcome(1), null, false));
        assertEquals(Protocol.Action.WAIT, state.next(new Protocol.WorkRequest("container_1", "nodeA", true)).action(),
                "the blocks are done, the commit is not: a worker that dumps an archive as it exits waits for the job's end");
        assertEquals(Protocol.Action.EXIT, state.next(new Protocol.WorkRequest("container_3", "nodeA", false)).action());
        assertEquals(List.of(), state.archivingWorkers());

        state.fail("stop");
        assertEquals(Protocol.Action.EXIT, state.next(new Protocol.WorkRequest("container_1", "nodeA", true)).action());
        assertEquals(Protocol.Action.EXIT, state.next(new Protocol.WorkRequest("container_2", "nodeA", false)).action());
        assertEquals(List.of("container_1"), state.archivingWorkers());
        assertTrue(WorkerMain.archivesAtExit(List.of("-Xmx768m", "-XX:ArchiveClassesAtExit=/nm/filecache/10/j.jar.WorkerMain.1.jsa.7.tmp")));
        assertFalse(WorkerMain.archivesAtExit(List.of("-Xmx768m", "-XX:SharedArchiveFile=/nm/filecache/10/j.jar.WorkerMain.1.jsa")));
        assertEquals("started from /nm/j.jsa", WorkerMain.classDataArchive(List.of("-Xmx768m", "-XX:SharedArchiveFile=/nm/j.jsa")));
        assertEquals("writing /nm/j.jsa.7.tmp as it exits", WorkerMain.classDataArchive(List.of("-XX:ArchiveClassesAtExit=/nm/j.jsa.7.tmp")));
        assertEquals("none", WorkerMain.classDataArchive(List.of("-Xmx768m")));
    }
}
