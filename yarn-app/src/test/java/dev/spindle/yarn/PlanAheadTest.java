package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileEntry;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.security.PrivilegedExceptionAction;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.security.UserGroupInformation;
import org.junit.jupiter.api.Test;

class PlanAheadTest {

    private static final List<FileEntry> FILES = List.of(new FileEntry("mem://in/a.csv", 10, 10, List.of()));
    private static final List<Block> BLOCKS = List.of();

    @Test
    void runsListPlanPrepareInOrderOnItsOwnThreadAsTheCallersUser() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        List<String> users = Collections.synchronizedList(new ArrayList<>());
        UserGroupInformation alice = UserGroupInformation.createRemoteUser("alice");
        JobPreparation preparation = new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", CopySpec.plain());
        Fake steps = new Fake(calls, users, preparation);
        PlanAhead planning = alice.doAs((PrivilegedExceptionAction<PlanAhead>) () -> PlanAhead.start(steps, true, () -> calls.add("planned")));
        try (planning) {
            assertTrue(planning.preparesAhead());
            assertSame(FILES, planning.files());
            assertSame(BLOCKS, planning.blocks());
            assertSame(preparation, planning.preparation());
        }
        assertEquals(List.of("list", "plan", "planned", "prepare"), calls);
        assertEquals(List.of("alice", "alice", "alice"), users);
        assertTrue(steps.threads.stream().allMatch("spindle-am-plan"::equals), steps.threads.toString());
    }

    @Test
    void withoutPrepareOnlyListsAndPlans() throws Exception {
        List<String> calls = Collections.synchronizedList(new ArrayList<>());
        try (PlanAhead planning = PlanAhead.start(new Fake(calls, new ArrayList<>(), null), false, () -> {})) {
            assertSame(BLOCKS, planning.blocks());
            assertFalse(planning.preparesAhead());
            assertThrows(IllegalStateException.class, planning::preparation);
        }
        assertEquals(List.of("list", "plan"), calls);
    }

    @Test
    void aFailedListingComesOutOfEveryLaterStepUnwrapped() throws Exception {
        FileNotFoundException missing = new FileNotFoundException("No input matches mem://in/*.csv");
        AtomicInteger planned = new AtomicInteger();
        PlanAhead.Steps steps = new PlanAhead.Steps() {
            @Override
            public List<FileEntry> list() throws IOException {
                throw missing;
            }

            @Override
            public List<Block> plan(List<FileEntry> files) {
                planned.incrementAndGet();
                return BLOCKS;
            }

            @Override
            public JobPreparation prepare(List<FileEntry> files, List<Block> blocks) {
                throw new AssertionError("not reached");
            }
        };
        try (PlanAhead planning = PlanAhead.start(steps, true, planned::incrementAndGet)) {
            assertSame(missing, assertThrows(FileNotFoundException.class, planning::files));
            assertSame(missing, assertThrows(FileNotFoundException.class, planning::blocks));
            assertSame(missing, assertThrows(FileNotFoundException.class, planning::preparation));
        }
        assertEquals(0, planned.get());
    }

    @Test
    void aFailedPreparationLeavesTheListingAndPlanUsable() throws Exception {
        IllegalArgumentException unknown = new IllegalArgumentException("Unknown column 'fare' in --filter");
        PlanAhead.Steps steps = new Fake(new ArrayList<>(), new ArrayList<>(), null) {
            @Override
            public JobPreparation prepare(List<FileEntry> files, List<Block> blocks) {
                throw unknown;
            }
        };
        try (PlanAhead planning = PlanAhead.start(steps, true, () -> {})) {
            assertSame(FILES, planning.files());
            assertSame(BLOCKS, planning.blocks());
            assertSame(unknown, assertThrows(IllegalArgumentException.class, planning::preparation));
        }
    }

    @Test
    void anErrorIsRethrownAsItself() throws Exception {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        PlanAhead.Steps steps = new Fake(new ArrayList<>(), new ArrayList<>(), null) {
            @Override
            public List<Block> plan(List<FileEntry> files) {
                throw oom;
            }
        };
        try (PlanAhead planning = PlanAhead.start(steps, false, () -> {})) {
            assertSame(oom, assertThrows(OutOfMemoryError.class, planning::blocks));
        }
    }

    @Test
    void closeInterruptsAStepStillRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        PlanAhead.Steps steps = new Fake(new ArrayList<>(), new ArrayList<>(), null) {
            @Override
            public List<FileEntry> list() throws InterruptedException {
                started.countDown();
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return FILES;
            }
        };
        PlanAhead planning = PlanAhead.start(steps, true, () -> {});
        assertTrue(started.await(10, TimeUnit.SECONDS));
        planning.close();
        assertTrue(interrupted.await(10, TimeUnit.SECONDS), "the listing was not interrupted");
    }

    /** Records each step, its thread and its user. */
    private static class Fake implements PlanAhead.Steps {
        final List<String> calls;
        final List<String> users;
        final List<String> threads = Collections.synchronizedList(new ArrayList<>());
        final JobPreparation preparation;

        Fake(List<String> calls, List<String> users, JobPreparation preparation) {
            this.calls = calls;
            this.users = users;
            this.preparation = preparation;
        }

        private void record(String step) throws IOException {
            calls.add(step);
            users.add(UserGroupInformation.getCurrentUser().getShortUserName());
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public List<FileEntry> list() throws Exception {
            record("list");
            return FILES;
        }

        @Override
        public List<Block> plan(List<FileEntry> files) throws Exception {
            assertSame(FILES, files);
            record("plan");
            return BLOCKS;
        }

        @Override
        public JobPreparation prepare(List<FileEntry> files, List<Block> blocks) throws Exception {
            assertSame(FILES, files);
            assertSame(BLOCKS, blocks);
            record("prepare");
            return preparation;
        }
    }
}
