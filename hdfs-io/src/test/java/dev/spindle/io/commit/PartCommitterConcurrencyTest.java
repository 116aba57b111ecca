package dev.spindle.io.commit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.SupportsDirectories;
import dev.spindle.io.store.SupportsRename;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two jobs committing into one output with {@link WriteMode#OVERWRITE}: the second job's whole
 * commit runs in the middle of the first's, at every step of it, on the in-memory store and on
 * Hadoop's local file system. The output must always end as one job's complete output.
 */
class PartCommitterConcurrencyTest {

    private static final String JOB_A = "application_1795225647249_0001";
    private static final String JOB_B = "application_1795225647249_0002";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}";

    @TempDir
    Path directory;

    /** Delegates to a store; runs a hook once, just before its Nth call that changes something. */
    private static final class InterleavingStore implements FileStore, SupportsRename, SupportsDirectories {
        private final FileStore delegate;
        private int changes;
        private int hookAt = -1;
        private Runnable hook;
        /** A file whose writes fail when closed, or null. */
        String failClosing;

        InterleavingStore(FileStore delegate) {
            this.delegate = delegate;
        }

        /** Runs {@code hook} before the {@code n}th change (from 1) counted from now. */
        void before(int n, Runnable hook) {
            this.changes = 0;
            this.hookAt = n;
            this.hook = hook;
        }

        int changesSinceArmed() {
            return changes;
        }

        private void change() {
            changes++;
            if (changes == hookAt && hook != null) {
                Runnable run = hook;
                hook = null;
                run.run();
            }
        }

        @Override
        public List<FileEntry> list(String pattern) throws IOException {
            return delegate.list(pattern);
        }

        @Override
        public SeekableInput open(String location) throws IOException {
            return delegate.open(location);
        }

        @Override
        public OutputStream create(String location) throws IOException {
            change();
            OutputStream out = delegate.create(location);
            if (!location.equals(failClosing)) {
                return out;
            }
            return new java.io.FilterOutputStream(out) {
                @Override
                public void close() throws IOException {
                    super.close();
                    throw new IOException("Injected close failure: " + location);
                }
            };
        }

        @Override
        public boolean exists(String location) throws IOException {
            return delegate.exists(location);
        }

        @Override
        public void delete(String location) throws IOException {
            change();
            delegate.delete(location);
        }

        @Override
        public void rename(String source, String target) throws IOException {
            change();
            ((SupportsRename) delegate).rename(source, target);
        }

        @Override
        public void createDirectories(String location) throws IOException {
            change();
            ((SupportsDirectories) delegate).createDirectories(location);
        }

        @Override
        public List<String> listChildren(String directory) throws IOException {
            return ((SupportsDirectories) delegate).listChildren(directory);
        }
    }

    /** One job, set up, with a part written by attempt 1 of each block holding "job block". */
    private record StagedJob(PartCommitter committer, CommitInfo info, Map<Integer, Integer> winners) {
        Manifest commit() throws IOException {
            return committer.commitJob(winners, info);
        }
    }

    private static StagedJob stage(FileStore store, String output, String jobId, int blocks) throws IOException {
        return stage(store, output, jobId, blocks, WriteMode.OVERWRITE, java.time.Duration.ZERO);
    }

    private static StagedJob stage(FileStore store, String output, String jobId, int blocks, WriteMode mode,
            java.time.Duration lockWait) throws IOException {
        PartCommitter committer = PartCommitter.builder().store(store).outputDirectory(output).jobId(jobId)
                .writeMode(mode).lockWait(lockWait).build();
        committer.setupJob();
        CommitInfo.Builder info = CommitInfo.builder().format("avro").extension("avro").schemaJson(SCHEMA)
                .counters(new Manifest.Counters(blocks, blocks, 0, 0, 10, blocks, 0, blocks))
                .applicationId(jobId).spindleVersion("0.1.0");
        Map<Integer, Integer> winners = new TreeMap<>();
        for (int block = 0; block < blocks; block++) {
            write(store, committer.attemptPartFile(block, 1, "avro"), jobId + " " + block);
            info.blockRows(block, 1);
            winners.put(block, 1);
        }
        return new StagedJob(committer, info.build(), winners);
    }

    private static void write(FileStore store, String location, String content) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(content.getBytes(UTF_8));
        }
    }

    private static String read(FileStore store, String location) throws IOException {
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return new String(bytes, UTF_8);
        }
    }

    private static List<String> names(FileStore store, String output) throws IOException {
        List<String> names = new ArrayList<>();
        for (String child : ((SupportsDirectories) store).listChildren(output)) {
            names.add(child.substring(child.lastIndexOf('/') + 1));
        }
        return names;
    }

    /**
     * The output is exactly one job's: its {@code _SUCCESS} names that job and lists every part
     * file there is, each written by that job; no lock is left. Returns the job's id.
     */
    private static String assertOneCompleteJob(FileStore store, String output) throws IOException {
        Manifest manifest = ManifestCodec.read(store, output).orElseThrow();
        String jobId = manifest.applicationId();
        List<String> listed = manifest.parts().stream().map(Manifest.Part::path).toList();
        List<String> present = new ArrayList<>();
        for (String name : names(store, output)) {
            if (name.startsWith("part-")) {
                present.add(name);
                assertEquals(jobId + " " + Integer.parseInt(name.substring(5, 10)), read(store, output + "/" + name),
                        "a part of another job than the manifest's: " + name);
            }
        }
        assertEquals(listed, present, "the parts present are the manifest's parts");
        assertFalse(store.exists(output + "/" + PartCommitter.COMMIT_LOCK));
        return jobId;
    }

    private static void writeOldOutput(FileStore store, String output) throws IOException {
        for (int block = 0; block < 4; block++) {
            write(store, output + "/" + PartCommitter.partFileName(block, "avro"), "old " + block);
        }
        write(store, output + "/_SUCCESS", "{}");
    }

    @Test
    void aSecondJobCommittingMeanwhileFailsAndTheFirstOneCompletesInMemory() throws IOException {
        aSecondJobCommittingMeanwhileFailsAndTheFirstOneCompletes(new InMemoryFileStore(), "memory:/out");
    }

    @Test
    void aSecondJobCommittingMeanwhileFailsAndTheFirstOneCompletesOnTheLocalFileSystem() throws IOException {
        aSecondJobCommittingMeanwhileFailsAndTheFirstOneCompletes(FileStores.hadoop(new Configuration(false)),
                "file:" + directory + "/out");
    }

    /** Job B (2 blocks) commits while job A (3 blocks) is about to promote its last part. */
    private void aSecondJobCommittingMeanwhileFailsAndTheFirstOneCompletes(FileStore base, String output)
            throws IOException {
        InterleavingStore store = new InterleavingStore(base);
        writeOldOutput(store, output);
        StagedJob a = stage(store, output, JOB_A, 3);
        StagedJob b = stage(store, output, JOB_B, 2);
        IOException[] bFailure = new IOException[1];
        // A's changes: the lock, then its parts and the new manifest, then the old output's deletes
        store.before(9, () -> bFailure[0] = assertThrows(IOException.class, b::commit));

        Manifest manifest = a.commit();

        ConcurrentCommitException conflict = assertInstanceOf(ConcurrentCommitException.class, bFailure[0]);
        assertEquals(("Another job (%s) is committing to %s; nothing was changed. If that job is no longer running, "
                + "its commit state is unknown: check the output, delete %s/_spindle-commit.lock and run again")
                .formatted(JOB_A, output, output), conflict.getMessage());
        assertEquals(3, manifest.parts().size());
        assertEquals(JOB_A, assertOneCompleteJob(store, output));
        // overwrite names the new parts with the job id (PartCommitter.jobPartFileName)
        assertEquals(List.of("_SUCCESS", "_schema.avsc", "_temporary", a.committer().jobPartFileName(0, "avro"),
                a.committer().jobPartFileName(1, "avro"), a.committer().jobPartFileName(2, "avro")),
                names(store, output).stream().filter(name -> !name.startsWith(".")).toList());

        b.committer().abortJob();
        assertEquals(JOB_A, assertOneCompleteJob(store, output));
        assertFalse(store.exists(b.committer().stagingDirectory()), "the loser's abort removes its staging");
    }

    @Test
    void atEveryStepOfACommitAnotherJobsCommitLeavesOneCompleteOutputInMemory() throws IOException {
        int steps = 0;
        int locked = 0;
        for (int step = 1; ; step++) {
            InterleavingStore store = new InterleavingStore(new InMemoryFileStore());
            Boolean wasLocked = interleaveAt(store, "memory:/out", step);
            if (wasLocked == null) {
                break;
            }
            steps++;
            locked += wasLocked ? 1 : 0;
        }
        assertTrue(steps >= 12, "a commit of 3 parts over an old output has at least 12 changes: " + steps);
        assertTrue(locked >= 10 && locked < steps, "A holds the lock from its first change to after _SUCCESS: " + locked);
    }

    @Test
    void atEveryStepOfACommitAnotherJobsCommitLeavesOneCompleteOutputOnTheLocalFileSystem() throws IOException {
        int steps = 0;
        int locked = 0;
        for (int step = 1; ; step++) {
            InterleavingStore store = new InterleavingStore(FileStores.hadoop(new Configuration(false)));
            Boolean wasLocked = interleaveAt(store, "file:" + directory + "/out-" + step, step);
            if (wasLocked == null) {
                break;
            }
            steps++;
            locked += wasLocked ? 1 : 0;
        }
        assertTrue(steps >= 12, "a commit of 3 parts over an old output has at least 12 changes: " + steps);
        assertTrue(locked >= 10 && locked < steps, "A holds the lock from its first change to after _SUCCESS: " + locked);
    }

    /**
     * Runs job B's commit just before job A's change number {@code step}. While A holds the lock
     * B fails on it and A completes; before A takes it, B commits and A replaces B's output;
     * after A releases it (A is committed), B commits and replaces A's output.
     *
     * @return whether A held the lock when B ran; null when A's commit has fewer changes than {@code step}
     */
    private static Boolean interleaveAt(InterleavingStore store, String output, int step) throws IOException {
        writeOldOutput(store, output);
        StagedJob a = stage(store, output, JOB_A, 3);
        StagedJob b = stage(store, output, JOB_B, 2);
        IOException[] bFailure = new IOException[1];
        boolean[] bRan = new boolean[1];
        boolean[] locked = new boolean[1];
        store.before(step, () -> {
            bRan[0] = true;
            try {
                locked[0] = store.exists(output + "/" + PartCommitter.COMMIT_LOCK);
                b.commit();
            } catch (IOException e) {
                bFailure[0] = e;
            }
        });

        a.commit();

        if (!bRan[0]) {
            assertTrue(store.changesSinceArmed() < step);
            return null;
        }
        if (locked[0]) {
            assertInstanceOf(ConcurrentCommitException.class, bFailure[0], "step " + step);
            assertEquals(JOB_A, assertOneCompleteJob(store, output), "step " + step);
        } else {
            assertNull(bFailure[0], "step " + step);
            assertEquals(step == 1 ? JOB_A : JOB_B, assertOneCompleteJob(store, output), "step " + step);
        }
        return locked[0];
    }

    @Test
    void aLockLeftByAnotherJobStopsTheCommitBeforeAnythingChanges() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        writeOldOutput(store, "memory:/out");
        StagedJob a = stage(store, "memory:/out", JOB_A, 3);
        write(store, "memory:/out/" + PartCommitter.COMMIT_LOCK, JOB_B);

        ConcurrentCommitException e = assertThrows(ConcurrentCommitException.class, a::commit);

        assertTrue(e.getMessage().startsWith("Another job (%s) is committing to memory:/out; nothing was changed."
                .formatted(JOB_B)), e.getMessage());
        assertEquals("{}", read(store, "memory:/out/_SUCCESS"));
        assertEquals(List.of("_SUCCESS", "_spindle-commit.lock", "_temporary", "part-00000.avro", "part-00001.avro",
                "part-00002.avro", "part-00003.avro"), names(store, "memory:/out"));
        a.committer().abortJob();
        assertEquals(JOB_B, read(store, "memory:/out/" + PartCommitter.COMMIT_LOCK), "abort leaves the other job's lock");
        assertFalse(store.exists(a.committer().stagingDirectory()));
    }

    @Test
    void aLockWithTheJobsOwnIdIsAnEarlierAttemptsAndIsTakenOver() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        writeOldOutput(store, "memory:/out");
        StagedJob a = stage(store, "memory:/out", JOB_A, 3);
        write(store, "memory:/out/" + PartCommitter.COMMIT_LOCK, JOB_A + "\n");

        a.commit();

        assertEquals(JOB_A, assertOneCompleteJob(store, "memory:/out"));
    }

    @Test
    void aLockThatCannotBeWrittenIsRemovedAndTheOutputIsUnchanged() throws IOException {
        InterleavingStore store = new InterleavingStore(new InMemoryFileStore());
        writeOldOutput(store, "memory:/out");
        StagedJob a = stage(store, "memory:/out", JOB_A, 3);
        store.failClosing = "memory:/out/" + PartCommitter.COMMIT_LOCK;

        IOException e = assertThrows(IOException.class, a::commit);

        assertEquals("Cannot write the commit lock; nothing was changed: memory:/out/_spindle-commit.lock", e.getMessage());
        assertFalse(store.exists("memory:/out/" + PartCommitter.COMMIT_LOCK));
        assertEquals("{}", read(store, "memory:/out/_SUCCESS"));
        store.failClosing = null;
        a.commit();
        assertEquals(JOB_A, assertOneCompleteJob(store, "memory:/out"));
    }

    private static final String JOB_0 = "application_1795225647249_0000";

    /** The dataset two appends add to: one part of job 0, committed in error mode. */
    private static void writeOldDataset(FileStore store, String output) throws IOException {
        PartCommitter first = PartCommitter.builder().store(store).outputDirectory(output).jobId(JOB_0).build();
        first.setupJob();
        write(store, first.attemptPartFile(0, 1, "avro"), JOB_0 + " 0");
        first.commitJob(Map.of(0, 1), CommitInfo.builder().format("avro").extension("avro").schemaJson(SCHEMA)
                .counters(new Manifest.Counters(1, 1, 0, 0, 10, 1, 0, 1)).applicationId(JOB_0).spindleVersion("0.1.0")
                .blockRows(0, 1).build());
    }

    /**
     * The manifest lists exactly the part files there are, each written by the job its name says
     * (job 0's untagged, the others' tagged), and its rows add up; no lock is left. Returns the
     * jobs whose parts are listed, in manifest order.
     */
    private static List<String> assertConsistentDataset(FileStore store, String output) throws IOException {
        Manifest manifest = ManifestCodec.read(store, output).orElseThrow();
        List<String> listed = manifest.parts().stream().map(Manifest.Part::path).sorted().toList();
        List<String> present = new ArrayList<>();
        for (String name : names(store, output)) {
            if (name.startsWith("part-")) {
                present.add(name);
                String job = name.length() > "part-00000.avro".length()
                        ? "application_" + name.substring(11, name.length() - ".avro".length()) : JOB_0;
                assertEquals(job + " " + Integer.parseInt(name.substring(5, 10)), read(store, output + "/" + name), name);
            }
        }
        assertEquals(listed, present.stream().sorted().toList(), "the parts present are the manifest's parts");
        assertEquals(manifest.parts().size(), manifest.counters().rowsWritten(), "one row a part");
        assertFalse(store.exists(output + "/" + PartCommitter.COMMIT_LOCK));
        List<String> jobs = new ArrayList<>();
        for (Manifest.Part part : manifest.parts()) {
            String job = part.path().length() > "part-00000.avro".length()
                    ? "application_" + part.path().substring(11, part.path().length() - ".avro".length()) : JOB_0;
            if (!jobs.contains(job)) {
                jobs.add(job);
            }
        }
        return jobs;
    }

    @Test
    void twoAppendsAtEveryStepOfOneAnotherBothLandOrTheSecondFailsOnTheLockInMemory() throws IOException {
        int locked = 0;
        int steps = 0;
        for (int step = 1; ; step++) {
            InterleavingStore store = new InterleavingStore(new InMemoryFileStore());
            Boolean wasLocked = interleaveAppendsAt(store, "memory:/out", step);
            if (wasLocked == null) {
                break;
            }
            steps++;
            locked += wasLocked ? 1 : 0;
        }
        assertTrue(steps >= 6, "an append of 3 parts has at least 6 changes: " + steps);
        assertTrue(locked >= 4 && locked < steps, "A holds the lock from its first change to after _SUCCESS: " + locked);
    }

    @Test
    void twoAppendsAtEveryStepOfOneAnotherBothLandOrTheSecondFailsOnTheLockOnTheLocalFileSystem() throws IOException {
        int steps = 0;
        for (int step = 1; ; step++) {
            InterleavingStore store = new InterleavingStore(FileStores.hadoop(new Configuration(false)));
            if (interleaveAppendsAt(store, "file:" + directory + "/append-" + step, step) == null) {
                break;
            }
            steps++;
        }
        assertTrue(steps >= 6, "an append of 3 parts has at least 6 changes: " + steps);
    }

    /**
     * Runs append B's whole commit just before append A's change number {@code step}. While A
     * holds the lock B fails on it, changing nothing, and the dataset is job 0's and A's; before
     * A takes it or after A released it, both land: the dataset lists job 0's, A's and B's parts.
     */
    private static Boolean interleaveAppendsAt(InterleavingStore store, String output, int step) throws IOException {
        writeOldDataset(store, output);
        StagedJob a = stage(store, output, JOB_A, 3, WriteMode.APPEND, java.time.Duration.ZERO);
        StagedJob b = stage(store, output, JOB_B, 2, WriteMode.APPEND, java.time.Duration.ZERO);
        IOException[] bFailure = new IOException[1];
        boolean[] bRan = new boolean[1];
        boolean[] locked = new boolean[1];
        store.before(step, () -> {
            bRan[0] = true;
            try {
                locked[0] = store.exists(output + "/" + PartCommitter.COMMIT_LOCK);
                b.commit();
            } catch (IOException e) {
                bFailure[0] = e;
            }
        });

        a.commit();

        if (!bRan[0]) {
            return null;
        }
        if (locked[0]) {
            assertInstanceOf(ConcurrentCommitException.class, bFailure[0], "step " + step);
            b.committer().abortJob();
            assertEquals(List.of(JOB_0, JOB_A), assertConsistentDataset(store, output), "step " + step);
        } else {
            assertNull(bFailure[0], "step " + step);
            List<String> jobs = assertConsistentDataset(store, output);
            assertEquals(step == 1 ? List.of(JOB_0, JOB_B, JOB_A) : List.of(JOB_0, JOB_A, JOB_B), jobs, "step " + step);
            assertEquals(1 + 3 + 2, ManifestCodec.read(store, output).orElseThrow().parts().size());
        }
        return locked[0];
    }

    @Test
    void anAppendWaitingForTheLockLandsAfterTheOtherJobsCommit() throws Exception {
        InMemoryFileStore store = new InMemoryFileStore();
        writeOldDataset(store, "memory:/out");
        StagedJob a = stage(store, "memory:/out", JOB_A, 3, WriteMode.APPEND, java.time.Duration.ZERO);
        StagedJob b = stage(store, "memory:/out", JOB_B, 2, WriteMode.APPEND, java.time.Duration.ofSeconds(30));
        // A is committing: it holds the lock while B's commit starts and waits
        write(store, "memory:/out/" + PartCommitter.COMMIT_LOCK, JOB_A);
        java.util.concurrent.CompletableFuture<Manifest> bCommit = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return b.commit();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(700);
        assertFalse(bCommit.isDone(), "B waits for the lock");
        assertEquals(List.of(JOB_0), listedJobsWhileLocked(store));
        a.commit(); // A's own lock is taken over as an earlier attempt's; A releases it after _SUCCESS

        Manifest manifest = bCommit.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertEquals(JOB_B, manifest.applicationId());
        assertEquals(List.of(JOB_0, JOB_A, JOB_B), assertConsistentDataset(store, "memory:/out"));
        assertEquals(List.of(JOB_0, JOB_A, JOB_B), manifest.history().stream().map(Manifest.Job::applicationId).toList());
    }

    private static List<String> listedJobsWhileLocked(FileStore store) throws IOException {
        Manifest manifest = ManifestCodec.read(store, "memory:/out").orElseThrow();
        return manifest.parts().stream().map(part -> part.path().equals("part-00000.avro") ? JOB_0 : "?").toList();
    }

    @Test
    void anAppendWaitingForALockThatStaysFailsNamingTheHolderAndTheWait() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        writeOldDataset(store, "memory:/out");
        StagedJob b = stage(store, "memory:/out", JOB_B, 2, WriteMode.APPEND, java.time.Duration.ofSeconds(1));
        write(store, "memory:/out/" + PartCommitter.COMMIT_LOCK, JOB_A);

        ConcurrentCommitException e = assertThrows(ConcurrentCommitException.class, b::commit);

        assertTrue(e.getMessage().startsWith("Another job (%s) is committing to memory:/out; nothing was changed.".formatted(JOB_A)),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("(waited 1 s for the lock)"), e.getMessage());
        b.committer().abortJob();
        assertEquals(List.of(JOB_0), listedJobsWhileLocked(store));
    }
}
