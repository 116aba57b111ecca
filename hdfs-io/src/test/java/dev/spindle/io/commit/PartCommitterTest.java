package dev.spindle.io.commit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FaultyFileStore;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PartCommitterTest {

    private static final String OUT = "memory:/out";
    private static final String JOB = "application_1795225647249_0001";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[]}";
    private static final String STAGING = OUT + "/_temporary/" + JOB;

    private enum Outcome { SUCCEEDED, FAILED, ABSENT, WROTE_NOTHING }

    /** The attempts of one block (attempt numbers from 1) and the winner, or 0 when none succeeded. */
    private record BlockCase(List<Outcome> attempts, int winner) {}

    private static List<BlockCase> everyBlockCase() {
        List<BlockCase> cases = new ArrayList<>();
        for (int attempts = 1; attempts <= 3; attempts++) {
            int combinations = (int) Math.pow(4, attempts);
            for (int combination = 0; combination < combinations; combination++) {
                List<Outcome> outcomes = new ArrayList<>();
                for (int i = 0, rest = combination; i < attempts; i++, rest /= 4) {
                    outcomes.add(Outcome.values()[rest % 4]);
                }
                boolean anyWinner = false;
                for (int attempt = 1; attempt <= attempts; attempt++) {
                    Outcome outcome = outcomes.get(attempt - 1);
                    if (outcome == Outcome.SUCCEEDED || outcome == Outcome.WROTE_NOTHING) {
                        cases.add(new BlockCase(outcomes, attempt));
                        anyWinner = true;
                    }
                }
                if (!anyWinner) {
                    cases.add(new BlockCase(outcomes, 0));
                }
            }
        }
        return cases;
    }

    private static void write(FileStore store, String location, String content) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(content.getBytes(UTF_8));
        }
    }

    /** Odd blocks reject records: every attempt that wrote a part writes a rejects file too. */
    private static void writeRejects(FileStore store, PartCommitter committer, int block, int attempt) throws IOException {
        if (block % 2 == 1) {
            write(store, committer.attemptDirectory(block, attempt) + "/_rejects/rejects-%05d.jsonl".formatted(block),
                    rejectsContent(block, attempt));
        }
    }

    private static String rejectsContent(int block, int attempt) {
        return "{\"rejected\": \"block %s attempt %s\"}\n".formatted(block, attempt);
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

    private static Manifest.Counters counters(long rowsWritten, int blocks) {
        return new Manifest.Counters(rowsWritten + 7, rowsWritten, 5, 2, 999, blocks, 1, blocks + 1);
    }

    private static CommitInfo.Builder info(long rowsWritten, int blocks) {
        return CommitInfo.builder().format("avro").extension("avro").schemaJson(SCHEMA)
                .counters(counters(rowsWritten, blocks)).applicationId(JOB).spindleVersion("0.1.0");
    }

    private static long rowsOf(int block, int attempt) {
        return 10L * block + attempt;
    }

    @Test
    void everyAttemptOutcomeCommitsExactlyTheWinnersParts() throws IOException {
        List<BlockCase> cases = everyBlockCase();
        assertEquals((2 + 2) + (16 + 4) + (96 + 8), cases.size()); // winner cases + no-winner cases, by attempts
        int jobs = 0;
        for (int blocks = 1; blocks <= 4; blocks++) {
            for (int job = 0; job < cases.size(); job++) {
                List<BlockCase> blockCases = new ArrayList<>();
                for (int block = 0; block < blocks; block++) {
                    blockCases.add(cases.get((job + 37 * block) % cases.size()));
                }
                runJob(blockCases);
                jobs++;
            }
        }
        assertEquals(4 * cases.size(), jobs);
    }

    private void runJob(List<BlockCase> blockCases) throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        for (int block = 0; block < blockCases.size(); block++) {
            List<Outcome> attempts = blockCases.get(block).attempts();
            for (int attempt = 1; attempt <= attempts.size(); attempt++) {
                switch (attempts.get(attempt - 1)) {
                    case SUCCEEDED -> {
                        write(store, committer.attemptPartFile(block, attempt, "avro"), "block %s attempt %s".formatted(block, attempt));
                        writeRejects(store, committer, block, attempt);
                    }
                    case FAILED -> {
                        write(store, committer.attemptPartFile(block, attempt, "avro"), "partial");
                        writeRejects(store, committer, block, attempt);
                    }
                    case WROTE_NOTHING -> store.createDirectories(committer.attemptDirectory(block, attempt));
                    case ABSENT -> { }
                }
            }
        }
        String description = blockCases.toString();

        if (blockCases.stream().anyMatch(blockCase -> blockCase.winner() == 0)) {
            committer.abortJob();
            assertFalse(store.exists(OUT), description);
            return;
        }

        Map<Integer, Integer> winners = new HashMap<>();
        CommitInfo.Builder info = info(0, blockCases.size());
        long rowsWritten = 0;
        List<Manifest.Part> expectedParts = new ArrayList<>();
        List<Manifest.Part> expectedRejects = new ArrayList<>();
        List<String> expectedNames = new ArrayList<>(List.of(OUT + "/_SUCCESS", OUT + "/_schema.avsc"));
        for (int block = 0; block < blockCases.size(); block++) {
            int winner = blockCases.get(block).winner();
            winners.put(block, winner);
            if (blockCases.get(block).attempts().get(winner - 1) == Outcome.SUCCEEDED) {
                info.blockRows(block, rowsOf(block, winner));
                rowsWritten += rowsOf(block, winner);
                String name = "part-%05d.avro".formatted(block);
                expectedParts.add(new Manifest.Part(name, rowsOf(block, winner),
                        "block %s attempt %s".formatted(block, winner).length()));
                expectedNames.add(OUT + "/" + name);
                if (block % 2 == 1) {
                    info.blockRejects(block, 3);
                    expectedRejects.add(new Manifest.Part("_rejects/rejects-%05d.jsonl".formatted(block), 3,
                            rejectsContent(block, winner).length()));
                }
            } else if (block % 2 == 0) {
                info.blockRows(block, 0); // the AM may or may not report the 0 rows of an empty winner
            }
        }
        Manifest manifest = committer.commitJob(winners, info.counters(counters(rowsWritten, blockCases.size())).build());

        assertEquals(expectedParts, manifest.parts(), description);
        assertEquals(expectedRejects, manifest.rejects(), description);
        if (!expectedRejects.isEmpty()) {
            expectedNames.add(OUT + "/_rejects");
        }
        expectedNames.sort(null);
        for (Manifest.Part reject : expectedRejects) {
            int block = Integer.parseInt(reject.path().substring("_rejects/rejects-".length(), "_rejects/rejects-".length() + 5));
            assertEquals(rejectsContent(block, winners.get(block)), read(store, OUT + "/" + reject.path()), description);
        }
        assertEquals(counters(rowsWritten, blockCases.size()), manifest.counters(), description);
        assertEquals(expectedNames, store.listChildren(OUT), description);
        for (Manifest.Part part : expectedParts) {
            int block = Integer.parseInt(part.path().substring(5, 10));
            assertEquals("block %s attempt %s".formatted(block, winners.get(block)), read(store, OUT + "/" + part.path()));
        }
        try (SeekableInput input = store.open(OUT + "/_SUCCESS")) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            assertEquals(manifest, Manifest.read(new ByteArrayInputStream(bytes)));
        }
        assertEquals(SCHEMA, read(store, OUT + "/_schema.avsc"));
    }

    @Test
    void whatALateAttemptRecreatesInStagingGoesAfterTheCommitAndNothingElse() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "part 0");
        committer.removeLeftovers(); // before the commit: staging is the job's work, kept
        assertTrue(store.exists(committer.attemptPartFile(0, 1, "avro")));
        committer.commitJob(Map.of(0, 1), info(rowsOf(0, 1), 1).blockRows(0, rowsOf(0, 1)).build());
        assertFalse(store.exists(OUT + "/_temporary"));
        // a superseded attempt still writing when the job committed recreates its attempt directory
        write(store, committer.attemptDirectory(0, 2) + "/_rejects/rejects-00000.jsonl", rejectsContent(0, 2));
        assertTrue(store.exists(STAGING));
        committer.removeLeftovers();
        assertFalse(store.exists(OUT + "/_temporary"));
        assertTrue(store.exists(OUT + "/_SUCCESS"));
        assertEquals("part 0", read(store, OUT + "/part-00000.avro"));
    }

    @Test
    void namesTheStagingLayout() {
        PartCommitter committer = committer(new InMemoryFileStore(), WriteMode.ERROR);

        assertEquals(STAGING, committer.stagingDirectory());
        assertEquals(STAGING + "/block-00042/attempt-1", committer.attemptDirectory(42, 1));
        assertEquals("part-00042.avro", PartCommitter.partFileName(42, "avro"));
        assertEquals("part-123456.parquet", PartCommitter.partFileName(123456, "parquet"));
        assertEquals(STAGING + "/block-00003/attempt-2/part-00003.avro", committer.attemptPartFile(3, 2, "avro"));
        assertEquals(OUT, PartCommitter.builder().store(new InMemoryFileStore()).outputDirectory(OUT + "//")
                .jobId(JOB).build().outputDirectory());
    }

    @Test
    void refusesAStoreWithoutRename() {
        FileStore withoutRename = new FileStore() {
            @Override
            public List<FileEntry> list(String pattern) {
                return List.of();
            }

            @Override
            public SeekableInput open(String location) {
                throw new UnsupportedOperationException();
            }

            @Override
            public OutputStream create(String location) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean exists(String location) {
                return false;
            }

            @Override
            public void delete(String location) {}
        };

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PartCommitter.builder().store(withoutRename).outputDirectory("s3://b/out").jobId(JOB).build());
        assertEquals("The commit protocol needs a store with atomic rename and directories (SupportsRename and "
                + "SupportsDirectories); " + withoutRename.getClass().getSimpleName() + " has neither: s3://b/out",
                e.getMessage());
    }

    @Test
    void errorModeRefusesAnOutputWithContent() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        write(store, OUT + "/part-00000.avro", "old");
        write(store, OUT + "/_SUCCESS", "{}");

        OutputExistsException e = assertThrows(OutputExistsException.class, () -> committer(store, WriteMode.ERROR).setupJob());
        assertEquals("Output directory is not empty (holds _SUCCESS, part-00000.avro); use --write-mode overwrite "
                + "to replace it: memory:/out", e.getMessage());
        assertFalse(store.exists(OUT + "/_temporary"));
    }

    @Test
    void errorModeNamesAtMostThreeEntries() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        for (String name : List.of(".a", "_b", "c", "d", "e")) {
            write(store, OUT + "/" + name, "x");
        }

        OutputExistsException e = assertThrows(OutputExistsException.class, () -> committer(store, WriteMode.ERROR).setupJob());
        assertEquals("Output directory is not empty (holds .a, _b, c and 2 more); use --write-mode overwrite "
                + "to replace it: memory:/out", e.getMessage());
    }

    @Test
    void errorModeAcceptsAnEmptyOutputOrOneWithOnlyOtherJobsStaging() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        store.createDirectories(OUT + "/_temporary/application_1_0009");
        PartCommitter committer = committer(store, WriteMode.ERROR);

        committer.setupJob();
        committer.abortJob();

        assertEquals(List.of(OUT + "/_temporary"), store.listChildren(OUT));
        assertEquals(List.of(OUT + "/_temporary/application_1_0009"), store.listChildren(OUT + "/_temporary"));
    }

    @Test
    void errorModeRefusesAtCommitWhatSomeoneElseWroteMeanwhile() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "mine");
        write(store, OUT + "/part-00000.avro", "theirs");

        OutputExistsException e = assertThrows(OutputExistsException.class,
                () -> committer.commitJob(Map.of(0, 1), info(4, 1).blockRows(0, 4).build()));
        assertEquals("Output directory was written by someone else while the job ran (holds part-00000.avro): memory:/out",
                e.getMessage());
        assertEquals("mine", read(store, committer.attemptPartFile(0, 1, "avro")));
        assertEquals("theirs", read(store, OUT + "/part-00000.avro"));
    }

    private static void writeOldOutput(FileStore store) throws IOException {
        for (String name : List.of("part-00000.avro", "part-00007.avro", "_SUCCESS", "_schema.avsc", ".hidden",
                "sub/x.avro")) {
            write(store, OUT + "/" + name, "old " + name);
        }
    }

    private static final List<String> OLD_OUTPUT = List.of(OUT + "/.hidden", OUT + "/_SUCCESS", OUT + "/_schema.avsc",
            OUT + "/part-00000.avro", OUT + "/part-00007.avro", OUT + "/sub");

    @Test
    void overwriteReplacesTheOldOutputAtCommitOnly() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        writeOldOutput(store);
        PartCommitter committer = committer(store, WriteMode.OVERWRITE);

        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "new");
        List<String> beforeCommit = new ArrayList<>(OLD_OUTPUT);
        beforeCommit.add(3, OUT + "/_temporary");
        assertEquals(beforeCommit, store.listChildren(OUT));
        assertEquals("old part-00000.avro", read(store, OUT + "/part-00000.avro"));

        Manifest manifest = committer.commitJob(Map.of(0, 1), info(4, 1).blockRows(0, 4).build());

        String part = "part-00000-1795225647249_0001.avro";
        assertEquals(List.of(OUT + "/_SUCCESS", OUT + "/_schema.avsc", OUT + "/" + part), store.listChildren(OUT));
        assertEquals("new", read(store, OUT + "/" + part));
        assertEquals(SCHEMA, read(store, OUT + "/_schema.avsc"));
        assertEquals(List.of(new Manifest.Part(part, 4, 3)), manifest.parts());
    }

    @Test
    void overwriteDeletesTheOldOutputOnlyOnceTheNewManifestIsWritten() throws IOException {
        // the old files are deleted after the new _SUCCESS exists: a failure there finds the new manifest in place
        FaultyFileStore store = new FaultyFileStore().failDelete(OUT + "/part-00007.avro");
        writeOldOutput(store);
        write(store, OUT + "/_rejects/rejects-00001.jsonl", "old rejects");
        PartCommitter committer = committer(store, WriteMode.OVERWRITE);
        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "new 0");
        write(store, committer.attemptPartFile(1, 1, "avro"), "new 1");
        writeRejects(store, committer, 1, 1);

        IOException e = assertThrows(IOException.class, () -> committer.commitJob(Map.of(0, 1, 1, 1),
                info(2, 2).blockRows(0, 1).blockRows(1, 1).blockRejects(1, 1).build()));

        assertEquals("Job committed (_SUCCESS written), but deleting the old output failed at memory:/out/part-00007.avro: "
                + "memory:/out", e.getMessage());
        Manifest manifest = Manifest.read(new ByteArrayInputStream(read(store, OUT + "/_SUCCESS").getBytes(UTF_8)));
        assertEquals(List.of("part-00000-1795225647249_0001.avro", "part-00001-1795225647249_0001.avro"),
                manifest.parts().stream().map(Manifest.Part::path).toList());
        assertEquals(List.of("_rejects/rejects-00001-1795225647249_0001.jsonl"),
                manifest.rejects().stream().map(Manifest.Part::path).toList());
        assertEquals(rejectsContent(1, 1), read(store, OUT + "/_rejects/rejects-00001-1795225647249_0001.jsonl"));
        assertEquals("old part-00007.avro", read(store, OUT + "/part-00007.avro"), "the delete that failed");
        assertEquals("new 0", read(store, OUT + "/part-00000-1795225647249_0001.avro"));
    }

    @Test
    void overwriteOfAFailedJobLeavesTheOldOutputAsItWas() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        writeOldOutput(store);
        PartCommitter committer = committer(store, WriteMode.OVERWRITE);

        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "new");
        committer.abortJob();

        assertEquals(OLD_OUTPUT, store.listChildren(OUT));
        assertEquals("old _SUCCESS", read(store, OUT + "/_SUCCESS"));
    }

    @Test
    void abortIsIdempotentAndLeavesNothingOfANewOutput() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        write(store, "memory:/other.csv", "keep");
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "p");
        write(store, committer.attemptPartFile(1, 2, "avro"), "p");

        committer.abortJob();
        committer.abortJob();

        assertFalse(store.exists(OUT));
        assertEquals("keep", read(store, "memory:/other.csv"));
    }

    @Test
    void abortKeepsAnOutputDirectoryThatExistedBefore() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        store.createDirectories(OUT);
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();

        committer.abortJob();

        assertTrue(store.exists(OUT));
        assertEquals(List.of(), store.listChildren(OUT));
    }

    @Test
    void abortWithoutSetupDeletesOnlyTheStaging() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        store.createDirectories(STAGING + "/block-00000/attempt-1");

        committer(store, WriteMode.ERROR).abortJob();

        assertFalse(store.exists(STAGING));
        assertTrue(store.exists(OUT + "/_temporary"));
    }

    @Test
    void setupDeletesStagingLeftByAnEarlierAttemptOfTheJob() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        write(store, STAGING + "/block-00000/attempt-1/part-00000.avro", "stale");

        committer(store, WriteMode.ERROR).setupJob();

        assertTrue(store.exists(STAGING));
        assertEquals(List.of(), store.listChildren(STAGING));
    }

    @Test
    void aFailedRenameInTheMiddleLeavesTheCommitStateUnknown() throws IOException {
        for (int failing = 1; failing <= 3; failing++) {
            FaultyFileStore store = new FaultyFileStore().failRename(failing);
            PartCommitter committer = committer(store, WriteMode.ERROR);
            committer.setupJob();
            CommitInfo.Builder info = info(3, 3);
            for (int block = 0; block < 3; block++) {
                write(store, committer.attemptPartFile(block, 2, "avro"), "p" + block);
                info.blockRows(block, 1);
            }

            CommitStateUnknownException e = assertThrows(CommitStateUnknownException.class,
                    () -> committer.commitJob(Map.of(0, 2, 1, 2, 2, 2), info.build()));

            int block = failing - 1;
            assertEquals(("Commit state unknown: failed promoting part-0000%s.avro (block %s, attempt 2) after %s of 3 "
                    + "parts, from %s; _SUCCESS is absent and nothing was cleaned up: memory:/out")
                    .formatted(block, block, block, committer.attemptPartFile(block, 2, "avro")), e.getMessage());
            assertEquals("Injected rename failure: " + committer.attemptPartFile(block, 2, "avro"), e.getCause().getMessage());
            assertFalse(store.exists(OUT + "/_SUCCESS"));
            for (int promoted = 0; promoted < block; promoted++) {
                assertTrue(store.exists(OUT + "/part-0000" + promoted + ".avro"));
            }
            committer.abortJob();
            assertTrue(store.exists(committer.attemptPartFile(block, 2, "avro")), "abort must not delete then");
            IllegalStateException again = assertThrows(IllegalStateException.class,
                    () -> committer.commitJob(Map.of(0, 2, 1, 2, 2, 2), info.build()));
            assertEquals("An earlier commit of this job failed half-way; not committing again: memory:/out",
                    again.getMessage());
        }
    }

    @Test
    void aFailureWritingTheManifestLeavesTheCommitStateUnknown() throws IOException {
        List<FaultyFileStore> failures = List.of(
                new FaultyFileStore().failCreate(STAGING + "/_SUCCESS"),
                new FaultyFileStore().failRename(3)); // part, _schema.avsc, _SUCCESS
        for (FaultyFileStore store : failures) {
            PartCommitter committer = committer(store, WriteMode.ERROR);
            committer.setupJob();
            write(store, committer.attemptPartFile(0, 1, "avro"), "p");

            CommitStateUnknownException e = assertThrows(CommitStateUnknownException.class,
                    () -> committer.commitJob(Map.of(0, 1), info(1, 1).blockRows(0, 1).build()));

            assertEquals("Commit state unknown: failed writing _SUCCESS; _SUCCESS is absent and nothing was cleaned up: "
                    + "memory:/out", e.getMessage());
            assertFalse(store.exists(OUT + "/_SUCCESS"));
            assertTrue(store.exists(OUT + "/part-00000.avro"));
            assertTrue(store.exists(STAGING));
        }
    }

    @Test
    void aFailureDeletingTheOldManifestLeavesTheCommitStateUnknown() throws IOException {
        FaultyFileStore store = new FaultyFileStore().failDelete(OUT + "/_SUCCESS");
        writeOldOutput(store);
        PartCommitter committer = committer(store, WriteMode.OVERWRITE);
        committer.setupJob();
        write(store, committer.attemptPartFile(0, 1, "avro"), "p");

        CommitStateUnknownException e = assertThrows(CommitStateUnknownException.class,
                () -> committer.commitJob(Map.of(0, 1), info(1, 1).blockRows(0, 1).build()));

        assertEquals("Commit state unknown: failed deleting old output memory:/out/_SUCCESS; _SUCCESS is absent "
                + "and nothing was cleaned up: memory:/out", e.getMessage());
        assertEquals("old part-00007.avro", read(store, OUT + "/part-00007.avro"), "old parts go after the new manifest");
        assertEquals("p", read(store, OUT + "/part-00000-1795225647249_0001.avro"));
    }

    @Test
    void aFailureDeletingStagingAfterTheManifestSaysTheJobIsCommitted() throws IOException {
        FaultyFileStore store = new FaultyFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        store.failDelete(STAGING);

        IOException e = assertThrows(IOException.class,
                () -> committer.commitJob(Map.of(0, 1), info(0, 1).build()));

        assertFalse(e instanceof CommitStateUnknownException);
        assertEquals("Job committed (_SUCCESS written), but deleting the staging directory failed: " + STAGING,
                e.getMessage());
        assertTrue(store.exists(OUT + "/_SUCCESS"));
    }

    @Test
    void committingWithoutSetupFailsBeforeChangingAnything() {
        InMemoryFileStore store = new InMemoryFileStore();

        IOException e = assertThrows(IOException.class,
                () -> committer(store, WriteMode.ERROR).commitJob(Map.of(0, 1), info(0, 1).build()));
        assertEquals("Staging directory is missing (job not set up, or aborted): " + STAGING, e.getMessage());
        assertFalse(store.exists(OUT));
    }

    @Test
    void everyBlockNeedsAWinner() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> committer.commitJob(Map.of(0, 1, 2, 1, 5, 1), info(0, 3).build()));
        assertEquals("Winning attempts must name every block 0..2 once; missing [1], given [0, 2, 5]: memory:/out",
                e.getMessage());
    }

    @Test
    void aWinnerReportingRowsMustHaveWrittenAPart() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();

        IOException e = assertThrows(IOException.class,
                () -> committer.commitJob(Map.of(0, 1), info(5, 1).blockRows(0, 5).build()));
        assertEquals("Winning attempt 1 of block 0 reports 5 rows but wrote no part file: "
                + committer.attemptPartFile(0, 1, "avro"), e.getMessage());
        assertEquals(List.of(OUT + "/_temporary"), store.listChildren(OUT));
    }

    @Test
    void countersMustReconcile() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        CommitInfo info = info(0, 1).counters(new Manifest.Counters(10, 4, 5, 0, 0, 1, 0, 1)).build();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> committer.commitJob(new TreeMap<>(Map.of(0, 1)), info));
        assertEquals("Counters do not reconcile: rowsRead 10 must be rowsWritten 4 + rowsFiltered 5 + rowsRejected 0, "
                + "and rowsWritten the sum of the blocks' rows 0: memory:/out", e.getMessage());
    }

    @Test
    void theSchemaMustBeJson() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> committer.commitJob(Map.of(0, 1), info(0, 1).schemaJson("{not json").build()));
        assertTrue(e.getMessage().startsWith("Schema is not valid JSON: "), e.getMessage());
    }

    @Test
    void aLaterApplicationMasterAttemptResumesTheStagingWithItsAttempts() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        committer(store, WriteMode.ERROR).setupJob();
        write(store, STAGING + "/block-00000/attempt-1/part-00000.avro", "first attempt's part");

        PartCommitter second = committer(store, WriteMode.ERROR);
        assertTrue(second.resumeJob());
        assertEquals("first attempt's part", read(store, STAGING + "/block-00000/attempt-1/part-00000.avro"));
        second.abortJob();
        assertFalse(store.exists(STAGING));
        assertTrue(store.exists(OUT), "a resumed job cannot know it created the output: abort leaves the directory");
    }

    @Test
    void resumingWithoutStagingSetsTheJobUp() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        assertFalse(committer.resumeJob());
        assertTrue(store.exists(STAGING));
    }

    private static final com.fasterxml.jackson.databind.JsonNode CITY_SCHEMA;

    static {
        try {
            CITY_SCHEMA = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree("{\"type\":\"record\",\"name\":\"p\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void overwritingAPartitionedOutputKeepsEveryNewPartAndDeletesEveryOldOne() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        // the old dataset: partitions Paris and Rome, with the part names a new job writes too
        write(store, OUT + "/_SUCCESS", "old manifest");
        write(store, OUT + "/_schema.avsc", "old schema");
        write(store, OUT + "/city=Paris/part-00000.avro", "old paris");
        write(store, OUT + "/city=Rome/part-00000.avro", "old rome");
        PartCommitter committer = committer(store, WriteMode.OVERWRITE);
        committer.setupJob();
        Map<String, String> paris = Map.of("city", "Paris");
        String attempt = committer.attemptDirectory(0, 1);
        write(store, attempt + "/city=Paris/part-00000.avro", "new paris");
        new AttemptPartitions(List.of("city"), CITY_SCHEMA, List.of(new AttemptPartitions.PartitionPart("city=Paris/part-00000.avro", paris, 4)))
                .write(store, attempt);

        Manifest manifest = committer.commitJob(Map.of(0, 1), info(4, 1).blockRows(0, 4).build());

        String newPart = "city=Paris/" + committer.jobPartFileName(0, "avro");
        assertEquals(List.of(newPart), manifest.parts().stream().map(Manifest.Part::path).toList());
        assertEquals("new paris", read(store, OUT + "/" + newPart), "the new part survives the old output's deletion");
        assertEquals(List.of(OUT + "/" + newPart), store.listChildren(OUT + "/city=Paris"));
        assertFalse(store.exists(OUT + "/city=Rome"), "an old partition the new job did not write is gone");
        assertEquals(List.of(OUT + "/_SUCCESS", OUT + "/_schema.avsc", OUT + "/city=Paris"), store.listChildren(OUT));
    }

    @Test
    void promotesThePartsOfPartitionedAttemptsAndListsEveryPartitionInTheManifest() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        Map<String, String> paris = Map.of("city", "Paris");
        Map<String, String> unknown = new HashMap<>();
        unknown.put("city", null);
        // block 0 (attempt 2 wins) wrote Paris twice (its writer was closed and reopened) and the default partition
        String winner0 = committer.attemptDirectory(0, 2);
        write(store, winner0 + "/city=Paris/part-00000.avro", "p0");
        write(store, winner0 + "/city=Paris/part-00000-1.avro", "p0-1");
        write(store, winner0 + "/city=__HIVE_DEFAULT_PARTITION__/part-00000.avro", "d0");
        new AttemptPartitions(List.of("city"), CITY_SCHEMA, List.of(
                new AttemptPartitions.PartitionPart("city=Paris/part-00000.avro", paris, 3),
                new AttemptPartitions.PartitionPart("city=Paris/part-00000-1.avro", paris, 1),
                new AttemptPartitions.PartitionPart("city=__HIVE_DEFAULT_PARTITION__/part-00000.avro", unknown, 2)))
                .write(store, winner0);
        // the losing attempt of block 0 must not be promoted
        write(store, committer.attemptDirectory(0, 1) + "/city=Lyon/part-00000.avro", "lost");
        String winner1 = committer.attemptDirectory(1, 1);
        write(store, winner1 + "/city=Paris/part-00001.avro", "p1");
        new AttemptPartitions(List.of("city"), CITY_SCHEMA, List.of(new AttemptPartitions.PartitionPart("city=Paris/part-00001.avro", paris, 5)))
                .write(store, winner1);

        Manifest manifest = committer.commitJob(Map.of(0, 2, 1, 1), info(11, 2).blockRows(0, 6).blockRows(1, 5).build());

        assertEquals(List.of(OUT + "/_SUCCESS", OUT + "/_schema.avsc", OUT + "/city=Paris", OUT + "/city=__HIVE_DEFAULT_PARTITION__"),
                store.listChildren(OUT));
        assertEquals(List.of(OUT + "/city=Paris/part-00000-1.avro", OUT + "/city=Paris/part-00000.avro", OUT + "/city=Paris/part-00001.avro"),
                store.listChildren(OUT + "/city=Paris"));
        assertEquals("p0-1", read(store, OUT + "/city=Paris/part-00000-1.avro"));
        assertEquals(List.of("city"), manifest.partitionColumns());
        assertEquals(CITY_SCHEMA, manifest.partitionSchema());
        Manifest.Part p0 = new Manifest.Part("city=Paris/part-00000.avro", 3, 2);
        Manifest.Part p01 = new Manifest.Part("city=Paris/part-00000-1.avro", 1, 4);
        Manifest.Part d0 = new Manifest.Part("city=__HIVE_DEFAULT_PARTITION__/part-00000.avro", 2, 2);
        Manifest.Part p1 = new Manifest.Part("city=Paris/part-00001.avro", 5, 2);
        assertEquals(List.of(p0, p01, d0, p1), manifest.parts());
        assertEquals(List.of(new Manifest.Partition("city=Paris", paris, 9, List.of(p0, p01, p1)),
                new Manifest.Partition("city=__HIVE_DEFAULT_PARTITION__", unknown, 2, List.of(d0))), manifest.partitions());
        try (SeekableInput input = store.open(OUT + "/_SUCCESS")) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            assertEquals(manifest, Manifest.read(new ByteArrayInputStream(bytes)));
            String json = new String(bytes, UTF_8);
            assertTrue(json.contains("\"partitionColumns\" : [ \"city\" ]"), json);
            assertTrue(json.contains("\"city\" : null"), json);
        }
        assertFalse(store.exists(STAGING));
    }

    @Test
    void refusesAPartitionedAttemptWhoseListingDisagreesWithItsRows() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        PartCommitter committer = committer(store, WriteMode.ERROR);
        committer.setupJob();
        String attempt = committer.attemptDirectory(0, 1);
        write(store, attempt + "/city=Paris/part-00000.avro", "p0");
        new AttemptPartitions(List.of("city"), CITY_SCHEMA, List.of(
                new AttemptPartitions.PartitionPart("city=Paris/part-00000.avro", Map.of("city", "Paris"), 3),
                new AttemptPartitions.PartitionPart("city=Rome/part-00000.avro", Map.of("city", "Rome"), 1)))
                .write(store, attempt);

        IOException missing = assertThrows(IOException.class,
                () -> committer.commitJob(Map.of(0, 1), info(4, 1).blockRows(0, 4).build()));
        assertEquals("Winning attempt 1 of block 0 lists city=Rome/part-00000.avro in _partitions.json, but it is missing: "
                + attempt + "/city=Rome/part-00000.avro", missing.getMessage());
        write(store, attempt + "/city=Rome/part-00000.avro", "r0");
        IOException rows = assertThrows(IOException.class,
                () -> committer.commitJob(Map.of(0, 1), info(5, 1).blockRows(0, 5).build()));
        assertEquals("Winning attempt 1 of block 0 reports 5 rows but its _partitions.json lists 4: " + attempt, rows.getMessage());
        assertEquals(List.of(OUT + "/_temporary"), store.listChildren(OUT));
    }
}
