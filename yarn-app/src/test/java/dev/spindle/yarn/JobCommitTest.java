package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.ConcurrentCommitException;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Listing, planning, resuming and committing a job on the in-memory store; no YARN. */
class JobCommitTest {

    private final InMemoryFileStore store = FileStores.inMemory();
    private final JobSpec spec = JobSpec.builder("copy", ByteCopyTask.class).input("memory:/in").output("memory:/out").blockSize(100).task(CopySpec.plain()).build();

    private void write(String location, int bytes) throws Exception {
        try (OutputStream out = store.create(location)) {
            out.write(new byte[bytes]);
        }
    }

    @Test
    void commitsTheAcceptedAttemptOfEveryBlockWithTheSchedulersCounters() throws Exception {
        write("memory:/in/a.bin", 250);
        JobCommit commit = new JobCommit(store, spec, "application_1_0001");
        List<Block> blocks = commit.plan(new Configuration(false), commit.listInputs());
        assertEquals(3, blocks.size(), "250 bytes in 100-byte blocks");
        commit.setup();
        BlockScheduler scheduler = new BlockScheduler(blocks, 3, (planned, results) -> Map.of(), () -> 0L);
        scheduler.recover(Map.of(), Map.of());
        for (int i = 0; i < blocks.size(); i++) {
            BlockScheduler.Assignment work = scheduler.next("w", "h").orElseThrow();
            if (i == 0) {
                scheduler.failed("w", work.block().index(), work.attempt(), "boom");
                work = scheduler.next("w", "h").orElseThrow();
            }
            int block = work.block().index();
            try (OutputStream out = store.create(commit.attemptDirectory(block, work.attempt()) + "/" + commit.partFileName(block, "bin"))) {
                out.write(("block " + block).getBytes(UTF_8));
            }
            long length = work.block().length();
            scheduler.succeeded("w", block, work.attempt(), "h", new BlockOutcome(length, length, 0, 0, length,
                    List.of(new BlockOutcome.RangeOutcome(work.block().ranges().get(0).start(), work.block().ranges().get(0).end(), 0)),
                    commit.partFileName(block, "bin")));
        }
        scheduler.addStoreRetries(3); // as AmState adds what each attempt report says
        scheduler.addStoreRetries(0);
        scheduler.addStoreRetries(2);
        Manifest manifest = commit.commit(new Configuration(false), BlockTasks.instantiate(spec),
                new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", CopySpec.plain()), blocks, scheduler);

        assertEquals(new Manifest.Counters(250, 250, 0, 0, 250, 3, 1, 4, 0, 0, 5), manifest.counters());
        assertEquals(List.of("part-00000.bin", "part-00001.bin", "part-00002.bin"),
                manifest.parts().stream().map(Manifest.Part::path).toList());
        assertTrue(store.exists("memory:/out/_SUCCESS"));
        assertFalse(store.exists(commit.stagingDirectory()));
    }

    @Test
    void aLaterAttemptResumesTheStagingAndAbortRemovesOnlyIt() throws Exception {
        JobCommit first = new JobCommit(store, spec, "application_1_0001");
        first.setup();
        write(first.attemptDirectory(0, 1) + "/part-00000.bin", 10);

        JobCommit second = new JobCommit(store, spec, "application_1_0001");
        assertTrue(second.resume());
        assertTrue(store.exists(first.attemptDirectory(0, 1) + "/part-00000.bin"), "the first attempt's part is kept");
        second.abort();
        assertFalse(store.exists(second.stagingDirectory()));
    }

    @Test
    void aJobCommittingWhileAnotherHoldsTheOutputFailsWithTheConflictAndItsAbortLeavesTheOtherJobsOutput() throws Exception {
        JobSpec overwrite = JobSpec.builder("copy", ByteCopyTask.class).input("memory:/in").output("memory:/out").blockSize(100)
                .task(CopySpec.plain()).writeMode(WriteMode.OVERWRITE).build();
        write("memory:/in/a.bin", 150);
        // the other job is half-way through its commit: its lock taken, one part promoted
        write("memory:/out/part-00000.bin", 7);
        try (OutputStream out = store.create("memory:/out/" + PartCommitter.COMMIT_LOCK)) {
            out.write("application_1_0001".getBytes(UTF_8));
        }
        JobCommit commit = new JobCommit(store, overwrite, "application_1_0002");
        List<Block> blocks = commit.plan(new Configuration(false), commit.listInputs());
        commit.setup();
        BlockScheduler scheduler = new BlockScheduler(blocks, 1, (planned, results) -> Map.of(), () -> 0L);
        scheduler.recover(Map.of(), Map.of());
        for (int i = 0; i < blocks.size(); i++) {
            BlockScheduler.Assignment work = scheduler.next("w", "h").orElseThrow();
            int block = work.block().index();
            write(commit.attemptDirectory(block, work.attempt()) + "/" + commit.partFileName(block, "bin"), 3);
            long length = work.block().length();
            scheduler.succeeded("w", block, work.attempt(), "h", new BlockOutcome(length, length, 0, 0, length,
                    List.of(new BlockOutcome.RangeOutcome(work.block().ranges().get(0).start(), work.block().ranges().get(0).end(), 0)),
                    commit.partFileName(block, "bin")));
        }

        Exception e = assertThrows(ConcurrentCommitException.class,
                () -> commit.commit(new Configuration(false), BlockTasks.instantiate(overwrite),
                        new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", CopySpec.plain()), blocks, scheduler));
        assertTrue(ApplicationMaster.describe(e).startsWith("ConcurrentCommitException: Another job (application_1_0001) "
                + "is committing to memory:/out; nothing was changed."), ApplicationMaster.describe(e));

        commit.abort();
        assertFalse(store.exists(commit.stagingDirectory()));
        assertEquals(List.of("memory:/out/_spindle-commit.lock", "memory:/out/part-00000.bin"), store.listChildren("memory:/out"));
        assertEquals(7, store.list("memory:/out/part-00000.bin").get(0).length(), "the other job's part is untouched");
    }
}
