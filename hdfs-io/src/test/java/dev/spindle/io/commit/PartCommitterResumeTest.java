package dev.spindle.io.commit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FaultyFileStore;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Commit state unknown: an ApplicationMaster attempt dies with the commit half-done (here its
 * store fails the Nth move, for every N a commit makes); the next attempt of the same job finishes
 * the commit from the plan the first one left, keeps every file the first one already moved, and
 * ends with the output an undisturbed commit writes.
 */
class PartCommitterResumeTest {

    private static final String OUT = "memory:/out";
    private static final String JOB = "application_1795225647249_0001";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}";
    private static final Map<Integer, Integer> WINNERS = Map.of(0, 1, 1, 2, 2, 1);
    // three parts, one rejects file, _schema.avsc and _SUCCESS
    private static final int MOVES = 6;

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

    private static PartCommitter committer(FileStore store, WriteMode mode) {
        return PartCommitter.builder().store(store).outputDirectory(OUT).jobId(JOB).writeMode(mode).build();
    }

    private static CommitInfo info() {
        CommitInfo.Builder info = CommitInfo.builder().format("avro").extension("avro").schemaJson(SCHEMA)
                .counters(new Manifest.Counters(13, 6, 5, 2, 999, 3, 1, 4)).applicationId(JOB).spindleVersion("0.1.0");
        for (int block = 0; block < 3; block++) {
            info.blockRows(block, 2);
        }
        return info.blockRejects(1, 2).build();
    }

    /** What the job's attempts wrote: each winner a part, block 1's winner a rejects file too, and a loser's part. */
    private static void writeAttempts(FileStore store, PartCommitter committer) throws IOException {
        for (Map.Entry<Integer, Integer> winner : WINNERS.entrySet()) {
            write(store, committer.attemptPartFile(winner.getKey(), winner.getValue(), "avro"), "part of block " + winner.getKey());
        }
        write(store, committer.attemptPartFile(1, 1, "avro"), "superseded attempt");
        write(store, committer.attemptDirectory(1, 2) + "/_rejects/rejects-00001.jsonl", "{\"rejected\":1}\n");
    }

    @Test
    void aNextAttemptFinishesACommitThatDiedAfterAnyNumberOfMoves() throws IOException {
        for (WriteMode mode : List.of(WriteMode.ERROR, WriteMode.OVERWRITE)) {
            for (int failing = 1; failing <= MOVES; failing++) {
                String what = mode + ", move " + failing + " failing";
                FaultyFileStore store = new FaultyFileStore().failRename(failing);
                List<String> old = new ArrayList<>();
                if (mode == WriteMode.OVERWRITE) {
                    for (String name : List.of("part-00000.avro", "part-00009.avro", "_SUCCESS", "_schema.avsc", "_rejects/rejects-00000.jsonl")) {
                        write(store, OUT + "/" + name, "old " + name);
                        old.add(name);
                    }
                }
                PartCommitter first = committer(store, mode);
                first.setupJob();
                writeAttempts(store, first);
                assertThrows(CommitStateUnknownException.class, () -> first.commitJob(WINNERS, info()), what);
                List<String> movedByTheFirst = new ArrayList<>();
                for (int block = 0; block < 3; block++) {
                    String name = first.jobPartFileName(block, "avro");
                    if (store.exists(OUT + "/" + name) && read(store, OUT + "/" + name).startsWith("part of")) {
                        movedByTheFirst.add(name);
                    }
                }
                assertEquals(Math.min(failing - 1, 3), movedByTheFirst.size(), what);

                // the AM dies; YARN's next attempt of the same application resumes the job and commits
                store.heal();
                PartCommitter second = committer(store, mode);
                assertTrue(second.resumeJob(), what);
                Manifest manifest = second.commitJob(WINNERS, info());

                List<String> names = manifest.parts().stream().map(Manifest.Part::path).toList();
                List<String> expected = List.of(second.jobPartFileName(0, "avro"), second.jobPartFileName(1, "avro"),
                        second.jobPartFileName(2, "avro"));
                assertEquals(expected, names, what);
                for (int block = 0; block < 3; block++) {
                    Manifest.Part part = manifest.parts().get(block);
                    assertEquals(2, part.rows(), what);
                    assertEquals("part of block " + block, read(store, OUT + "/" + part.path()), what);
                    assertEquals(("part of block " + block).length(), part.bytes(), what);
                }
                assertEquals(1, manifest.rejects().size(), what);
                assertEquals("{\"rejected\":1}\n", read(store, OUT + "/" + manifest.rejects().get(0).path()), what);
                Manifest written;
                try (SeekableInput input = store.open(OUT + "/_SUCCESS")) {
                    byte[] bytes = new byte[(int) input.length()];
                    input.readFully(0, bytes, 0, bytes.length);
                    written = Manifest.read(new ByteArrayInputStream(bytes));
                }
                assertEquals(manifest.parts(), written.parts(), what);
                assertEquals(SCHEMA, read(store, OUT + "/_schema.avsc"), what);
                // nothing of the old output is left, nothing of the job's staging, no lock
                List<String> left = new ArrayList<>();
                for (String child : store.listChildren(OUT)) {
                    left.add(child.substring(OUT.length() + 1));
                }
                List<String> expectedLeft = new ArrayList<>(List.of("_SUCCESS", "_rejects", "_schema.avsc"));
                expectedLeft.addAll(expected);
                java.util.Collections.sort(expectedLeft);
                assertEquals(expectedLeft, left, what);
                assertEquals(1, store.listChildren(OUT + "/_rejects").size(), what);
                assertFalse(store.exists(OUT + "/" + PartCommitter.COMMIT_LOCK), what);
            }
        }
    }

    @Test
    void anAppendThatDiedHalfWayIsFinishedWithTheSameMerge() throws IOException {
        // an append keeps the dataset's _schema.avsc: one move fewer
        for (int failing = 1; failing <= MOVES - 1; failing++) {
            String what = "append, move " + failing + " failing";
            FaultyFileStore store = new FaultyFileStore();
            // the dataset appended to: one earlier job's commit
            PartCommitter earlier = PartCommitter.builder().store(store).outputDirectory(OUT).jobId("application_1795225647249_0000")
                    .writeMode(WriteMode.ERROR).build();
            earlier.setupJob();
            write(store, earlier.attemptPartFile(0, 1, "avro"), "earlier part");
            earlier.commitJob(Map.of(0, 1), CommitInfo.builder().format("avro").extension("avro").schemaJson(SCHEMA)
                    .counters(new Manifest.Counters(2, 2, 0, 0, 9, 1, 0, 1)).applicationId("application_1795225647249_0000")
                    .spindleVersion("0.1.0").blockRows(0, 2).build());

            store.failRename(store.renames() + failing);
            PartCommitter first = committer(store, WriteMode.APPEND);
            first.setupJob();
            writeAttempts(store, first);
            assertThrows(CommitStateUnknownException.class, () -> first.commitJob(WINNERS, info()), what);
            assertEquals("earlier part", read(store, OUT + "/part-00000.avro"), what);

            store.heal();
            PartCommitter second = committer(store, WriteMode.APPEND);
            assertTrue(second.resumeJob(), what);
            Manifest manifest = second.commitJob(WINNERS, info());

            List<String> names = manifest.parts().stream().map(Manifest.Part::path).toList();
            assertEquals(List.of("part-00000.avro", second.jobPartFileName(0, "avro"), second.jobPartFileName(1, "avro"),
                    second.jobPartFileName(2, "avro")), names, what);
            assertEquals(2 + 3 * 2, manifest.parts().stream().mapToLong(Manifest.Part::rows).sum(), what);
            assertEquals(2, manifest.history().size(), what + ": " + manifest.history());
            for (Manifest.Part part : manifest.parts()) {
                assertTrue(store.exists(OUT + "/" + part.path()), what + ": " + part);
            }
            assertFalse(store.exists(OUT + "/" + PartCommitter.COMMIT_LOCK), what);
        }
    }

    @Test
    void aCommitPlanOfAnotherJobIsNeverCarriedOut() throws IOException {
        FaultyFileStore store = new FaultyFileStore().failRename(2);
        PartCommitter first = committer(store, WriteMode.ERROR);
        first.setupJob();
        writeAttempts(store, first);
        assertThrows(CommitStateUnknownException.class, () -> first.commitJob(WINNERS, info()));
        store.heal();

        // another job into the same output finds the first one's lock: it changes nothing
        PartCommitter other = PartCommitter.builder().store(store).outputDirectory(OUT).jobId("application_1795225647249_0002")
                .writeMode(WriteMode.OVERWRITE).build();
        other.setupJob();
        write(store, other.attemptPartFile(0, 1, "avro"), "other");
        CommitInfo.Builder info = CommitInfo.builder().format("avro").extension("avro").schemaJson(SCHEMA)
                .counters(new Manifest.Counters(2, 2, 0, 0, 9, 1, 0, 1)).applicationId("application_1795225647249_0002")
                .spindleVersion("0.1.0").blockRows(0, 2);
        assertThrows(ConcurrentCommitException.class, () -> other.commitJob(Map.of(0, 1), info.build()));
        assertEquals("part of block 0", read(store, OUT + "/part-00000.avro"));
        assertFalse(store.exists(OUT + "/_SUCCESS"));
    }
}
