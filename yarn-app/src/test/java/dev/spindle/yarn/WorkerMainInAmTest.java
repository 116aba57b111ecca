package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * Uber mode's block runner: the worker's loop and attempt code, asking the AM's state in this
 * JVM; a real scheduler, committer and task on the in-memory store, no YARN.
 */
class WorkerMainInAmTest {

    private static final String AM_CONTAINER = "container_1_0001_01_000001";

    private final InMemoryFileStore store = FileStores.inMemory();
    private final JobSpec spec = JobSpec.builder("copy", ByteCopyTask.class).input("memory:/in").output("memory:/out")
            .task(CopySpec.plain()).build();
    private final JobCommit commit = new JobCommit(store, spec, "application_1_0001");
    private final AmState state = new AmState("application_1_0001");

    @Test
    void runsEveryBlockThroughTheWorkersAttemptCodeIntoItsAttemptDirectoryAndExitsWhenDone() throws Exception {
        byte[] input = new byte[300];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) i;
        }
        try (OutputStream out = store.create("memory:/in/a.bin")) {
            out.write(input);
        }
        List<Block> blocks = List.of(
                new Block(0, List.of(new BlockRange("memory:/in/a.bin", 0, 100, 300, true)), List.of()),
                new Block(1, List.of(new BlockRange("memory:/in/a.bin", 100, 200, 300, true)), List.of()),
                new Block(2, List.of(new BlockRange("memory:/in/a.bin", 200, 300, 300, true)), List.of()));
        BlockScheduler scheduler = new BlockScheduler(blocks, 2, (planned, results) -> java.util.Map.of(), System::currentTimeMillis);
        commit.setup();
        state.runInAm();
        state.start(new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", CopySpec.plain()), scheduler, commit,
                new AmRecovery(store, commit.stagingDirectory(), Protocol.newMapper()));

        int code = WorkerMain.runInAm(state, new Configuration(false), spec, BlockTasks.instantiate(spec), store, AM_CONTAINER, "nodeA");

        assertEquals(WorkerMain.EXIT_DONE, code);
        assertTrue(scheduler.isComplete(), scheduler.statuses().toString());
        assertEquals(1.0, state.progress());
        for (BlockStatus status : scheduler.statuses()) {
            assertEquals(BlockStatus.State.SUCCEEDED, status.state(), status.toString());
            assertEquals("nodeA", status.result().host(), "run on the AM's host");
            assertEquals(1, status.attempts(), status.toString());
            int block = status.block();
            String part = commit.attemptDirectory(block, 1) + "/" + commit.partFileName(block, "bin");
            byte[] written = new byte[100];
            try (SeekableInput in = store.open(part)) {
                in.readFully(0, written, 0, written.length);
            }
            assertArrayEquals(Arrays.copyOfRange(input, block * 100, block * 100 + 100), written, part);
        }
        JobStatus served = Protocol.newMapper().readValue(Protocol.newMapper().writeValueAsBytes(state.status()), JobStatus.class);
        assertTrue(served.uber(), "the status the driver reads says the blocks ran in the AM");
        assertTrue(served.phases().containsKey("first_worker"));
        assertFalse(served.phases().containsKey("first_container"), "no container was launched");
    }
}
