package dev.spindle.io.commit;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.SupportsDirectories;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WriteMode#APPEND} and {@link WriteMode#OVERWRITE_PARTITIONS} in {@link PartCommitter}. */
class PartCommitterAppendTest {

    private static final String OUT = "memory:/out";
    private static final String JOB_1 = "application_1795225647249_0001";
    private static final String JOB_2 = "application_1795225647249_0002";
    private static final String JOB_3 = "application_1795225647249_0003";
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
    private static final String OTHER_SCHEMA = "{\"type\":\"record\",\"name\":\"r\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final JsonNode CITY_SCHEMA = json("{\"type\":\"record\",\"name\":\"p\",\"fields\":[{\"name\":\"city\",\"type\":\"string\"}]}");

    @TempDir
    Path directory;

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One job's blocks: each block writes into the partition named (a city, or null for an
     * unpartitioned part) the rows given, and odd blocks reject one record.
     */
    private record Block(String city, long rows) {}

    private static Block part(long rows) {
        return new Block(null, rows);
    }

    private static Block city(String city, long rows) {
        return new Block(city, rows);
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

    /** Every file below {@code location} (but {@code _temporary}) with its content, by path relative to it. */
    static Map<String, String> snapshot(FileStore store, String location) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (store.exists(location)) {
            walk(store, location, location, files);
        }
        return files;
    }

    private static void walk(FileStore store, String root, String location, Map<String, String> files) throws IOException {
        List<String> children;
        try {
            children = ((SupportsDirectories) store).listChildren(location);
        } catch (FileNotFoundException e) {
            files.put(location.substring(root.length() + 1), read(store, location));
            return;
        }
        for (String child : children) {
            if (!child.equals(root + "/" + PartCommitter.TEMPORARY) && !child.substring(child.lastIndexOf('/') + 1).startsWith(".")) {
                walk(store, root, child, files);
            }
        }
    }

    private static PartCommitter committer(FileStore store, String output, String job, WriteMode mode) {
        return PartCommitter.builder().store(store).outputDirectory(output).jobId(job).writeMode(mode).build();
    }

    /** Sets a job up and writes its attempts (attempt 1 of each block): the committer, ready to commit. */
    private static Staged stage(FileStore store, String output, String job, WriteMode mode, String schema, Block... blocks)
            throws IOException {
        PartCommitter committer = committer(store, output, job, mode);
        committer.setupJob();
        CommitInfo.Builder info = CommitInfo.builder().format("avro").extension("avro").schemaJson(schema)
                .applicationId(job).spindleVersion("0.1.0");
        Map<Integer, Integer> winners = new TreeMap<>();
        long written = 0;
        long rejected = 0;
        for (int block = 0; block < blocks.length; block++) {
            Block b = blocks[block];
            String attempt = committer.attemptDirectory(block, 1);
            if (b.city() == null) {
                write(store, committer.attemptPartFile(block, 1, "avro"), job + " " + block);
            } else {
                String path = "city=" + b.city() + "/" + PartCommitter.partFileName(block, "avro");
                write(store, attempt + "/" + path, job + " " + block + " " + b.city());
                new AttemptPartitions(List.of("city"), CITY_SCHEMA,
                        List.of(new AttemptPartitions.PartitionPart(path, Map.of("city", b.city()), b.rows()))).write(store, attempt);
            }
            if (block % 2 == 1) {
                write(store, attempt + "/_rejects/rejects-%05d.jsonl".formatted(block), "{\"job\":\"" + job + "\"}\n");
                info.blockRejects(block, 1);
                rejected++;
            }
            info.blockRows(block, b.rows());
            written += b.rows();
            winners.put(block, 1);
        }
        info.counters(new Manifest.Counters(written + rejected + 3, written, 3, rejected, 100, blocks.length, 0, blocks.length));
        return new Staged(committer, winners, info.build());
    }

    record Staged(PartCommitter committer, Map<Integer, Integer> winners, CommitInfo info) {
        Manifest commit() throws IOException {
            return committer.commitJob(winners, info);
        }
    }

    private static Manifest run(FileStore store, String job, WriteMode mode, Block... blocks) throws IOException {
        return stage(store, OUT, job, mode, SCHEMA, blocks).commit();
    }

    private static List<String> paths(List<Manifest.Part> parts) {
        return parts.stream().map(Manifest.Part::path).toList();
    }

    /** What validate checks: the manifest lists exactly the part and reject files there are, and its counters add up. */
    private static void assertConsistent(FileStore store, String output) throws IOException {
        Manifest manifest = ManifestCodec.read(store, output).orElseThrow();
        List<String> present = new ArrayList<>();
        for (String file : snapshot(store, output).keySet()) {
            if (file.contains("part-")) {
                present.add(file);
            }
        }
        assertEquals(new java.util.TreeSet<>(paths(manifest.parts())), new java.util.TreeSet<>(present));
        for (Manifest.Part reject : manifest.rejects()) {
            assertTrue(store.exists(output + "/" + reject.path()), reject.path());
        }
        Manifest.Counters c = manifest.counters();
        assertEquals(manifest.parts().stream().mapToLong(Manifest.Part::rows).sum(), c.rowsWritten());
        assertEquals(c.rowsRead(), c.rowsWritten() + c.rowsFiltered() + c.rowsRejected());
        assertEquals(manifest.rejects().stream().mapToLong(Manifest.Part::rows).sum(), c.rowsRejected());
        for (Manifest.Partition partition : manifest.partitions()) {
            assertEquals(partition.parts().stream().mapToLong(Manifest.Part::rows).sum(), partition.rows());
        }
        assertFalse(store.exists(output + "/" + PartCommitter.COMMIT_LOCK));
    }

    @Test
    void appendToAMissingOutputIsAFirstWrite() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        Manifest manifest = run(store, JOB_1, WriteMode.APPEND, part(4), part(2));

        assertEquals(List.of("part-00000-1795225647249_0001.avro", "part-00001-1795225647249_0001.avro"), paths(manifest.parts()));
        assertEquals(List.of(), manifest.history(), "one job wrote it: no history");
        assertEquals(JOB_1, manifest.applicationId());
        assertEquals(SCHEMA, read(store, OUT + "/_schema.avsc"));
        assertFalse(read(store, OUT + "/_SUCCESS").contains("history"), "absent from the JSON");
        assertConsistent(store, OUT);
    }

    @Test
    void appendToAnOutputHoldingOnlyADeadJobsStagingIsAFirstWrite() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        write(store, OUT + "/_temporary/application_1_0001/block-00000/attempt-1/part-00000.avro", "dead");
        Manifest manifest = run(store, JOB_1, WriteMode.APPEND, part(4));
        assertEquals(List.of("part-00000-1795225647249_0001.avro"), paths(manifest.parts()));
        assertEquals(List.of(), manifest.history());
    }

    @Test
    void appendAddsTheNewPartsAndListsEveryPartOldAndNew() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        Manifest first = run(store, JOB_1, WriteMode.ERROR, part(4), part(2));
        Map<String, String> before = snapshot(store, OUT);

        Manifest manifest = run(store, JOB_2, WriteMode.APPEND, part(5), part(1), part(7));

        assertEquals(List.of("part-00000.avro", "part-00001.avro", "part-00000-1795225647249_0002.avro",
                "part-00001-1795225647249_0002.avro", "part-00002-1795225647249_0002.avro"), paths(manifest.parts()));
        assertEquals(List.of("_rejects/rejects-00001.jsonl", "_rejects/rejects-00001-1795225647249_0002.jsonl"), paths(manifest.rejects()));
        Map<String, String> after = snapshot(store, OUT);
        before.forEach((path, content) -> {
            if (!path.equals("_SUCCESS")) {
                assertEquals(content, after.get(path), "an old file is untouched: " + path);
            }
        });
        assertEquals(JOB_2, manifest.applicationId());
        Manifest.Counters c = manifest.counters();
        assertEquals(6 + 13, c.rowsWritten());
        assertEquals(3 + 3, c.rowsFiltered());
        assertEquals(1 + 1, c.rowsRejected());
        assertEquals(2 + 3, c.blocks());
        assertEquals(200, c.bytesRead());
        assertEquals(List.of(new Manifest.Job(JOB_1, "first", first.counters(), 2, List.of()),
                new Manifest.Job(JOB_2, "append", stageCounters(13, 1, 3), 3, List.of())), manifest.history());
        assertEquals(manifest, ManifestCodec.read(store, OUT).orElseThrow(), "the manifest round-trips, history included");
        assertConsistent(store, OUT);

        // a third append keeps the history and adds to it
        Manifest third = run(store, JOB_3, WriteMode.APPEND, part(1));
        assertEquals(List.of(JOB_1, JOB_2, JOB_3), third.history().stream().map(Manifest.Job::applicationId).toList());
        assertEquals(6 + 13 + 1, third.counters().rowsWritten());
        assertEquals(6, third.parts().size());
        assertConsistent(store, OUT);
    }

    private static Manifest.Counters stageCounters(long written, long rejected, int blocks) {
        return new Manifest.Counters(written + rejected + 3, written, 3, rejected, 100, blocks, 0, blocks);
    }

    @Test
    void appendOfAJobThatFailsOrIsAbortedLeavesTheDatasetByteForByte() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, part(4), part(2));
        Map<String, String> before = snapshot(store, OUT);

        Staged failed = stage(store, OUT, JOB_2, WriteMode.APPEND, SCHEMA, part(5), part(1));
        failed.committer().abortJob();

        assertEquals(before, snapshot(store, OUT));
        assertFalse(store.exists(OUT + "/_temporary"), "the aborted job's staging is gone");
    }

    @Test
    void appendRefusesADatasetOfAnotherSchemaFormatOrPartitioningAndChangesNothing() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, part(4), part(2));
        Map<String, String> before = snapshot(store, OUT);

        Staged schema = stage(store, OUT, JOB_2, WriteMode.APPEND, OTHER_SCHEMA, part(5));
        IncompatibleOutputException e = assertThrows(IncompatibleOutputException.class, schema::commit);
        assertTrue(e.getMessage().startsWith("Cannot append: the job's schema differs from the dataset's; nothing was changed: "
                + OUT), e.getMessage());
        assertTrue(e.getMessage().contains("\"type\":\"long\"") && e.getMessage().contains("\"type\":\"string\""), e.getMessage());
        schema.committer().abortJob();
        assertEquals(before, snapshot(store, OUT));
        assertFalse(store.exists(OUT + "/" + PartCommitter.COMMIT_LOCK), "the lock is released");

        Staged partitioned = stage(store, OUT, JOB_2, WriteMode.APPEND, SCHEMA, city("Paris", 5));
        e = assertThrows(IncompatibleOutputException.class, partitioned::commit);
        assertEquals("Cannot append: the dataset is partitioned by nothing, the job by [city]; nothing was changed: " + OUT,
                e.getMessage());
        partitioned.committer().abortJob();

        PartCommitter parquet = committer(store, OUT, JOB_3, WriteMode.APPEND);
        parquet.setupJob();
        write(store, parquet.attemptDirectory(0, 1) + "/" + parquet.jobPartFileName(0, "parquet"), "p");
        CommitInfo info = CommitInfo.builder().format("parquet").extension("parquet").schemaJson(SCHEMA).applicationId(JOB_3)
                .spindleVersion("0.1.0").counters(new Manifest.Counters(1, 1, 0, 0, 1, 1, 0, 1)).blockRows(0, 1).build();
        e = assertThrows(IncompatibleOutputException.class, () -> parquet.commitJob(Map.of(0, 1), info));
        assertEquals("Cannot append parquet parts to a avro dataset; nothing was changed: " + OUT, e.getMessage());
        parquet.abortJob();
        assertEquals(before, snapshot(store, OUT));
    }

    @Test
    void appendToAPartitionedDatasetNeedsItsPartitionColumns() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, city("Paris", 4));
        Staged unpartitioned = stage(store, OUT, JOB_2, WriteMode.APPEND, SCHEMA, part(5));
        IncompatibleOutputException e = assertThrows(IncompatibleOutputException.class, unpartitioned::commit);
        assertEquals("Cannot append: the dataset is partitioned by [city], the job by nothing; nothing was changed: " + OUT,
                e.getMessage());
    }

    @Test
    void appendRefusesFilesWithoutAManifest() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        write(store, OUT + "/data.csv", "a,b");
        Staged job = stage(store, OUT, JOB_1, WriteMode.APPEND, SCHEMA, part(5));
        IncompatibleOutputException e = assertThrows(IncompatibleOutputException.class, job::commit);
        assertEquals("Cannot append: the output holds files (data.csv) but no _SUCCESS manifest, so it is not a committed "
                + "Spindle dataset; nothing was changed (use --write-mode overwrite to replace it): " + OUT, e.getMessage());
        job.committer().abortJob();
        assertEquals(Map.of("data.csv", "a,b"), snapshot(store, OUT));
    }

    @Test
    void appendToAPartitionedDatasetAddsToItsPartitions() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, city("Paris", 4), city("Rome", 2));

        Manifest manifest = run(store, JOB_2, WriteMode.APPEND, city("Paris", 3), city("Berlin", 1));

        assertEquals(List.of("city"), manifest.partitionColumns());
        assertEquals(CITY_SCHEMA, manifest.partitionSchema());
        Map<String, Long> rows = new LinkedHashMap<>();
        Map<String, List<String>> parts = new LinkedHashMap<>();
        manifest.partitions().forEach(p -> {
            rows.put(p.path(), p.rows());
            parts.put(p.path(), paths(p.parts()));
        });
        assertEquals(Map.of("city=Berlin", 1L, "city=Paris", 7L, "city=Rome", 2L), rows);
        assertEquals(List.of("city=Berlin", "city=Paris", "city=Rome"), List.copyOf(rows.keySet()), "sorted by path");
        assertEquals(List.of("city=Paris/part-00000.avro", "city=Paris/part-00000-1795225647249_0002.avro"), parts.get("city=Paris"));
        assertEquals("application_1795225647249_0001 0 Paris", read(store, OUT + "/city=Paris/part-00000.avro"));
        assertConsistent(store, OUT);
    }

    @Test
    void overwritePartitionsReplacesOnlyThePartitionsTheJobWrites() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, city("Paris", 4), city("Rome", 2), city("Paris", 1));
        Map<String, String> before = snapshot(store, OUT);

        Manifest manifest = run(store, JOB_2, WriteMode.OVERWRITE_PARTITIONS, city("Paris", 3), city("Berlin", 5));

        Map<String, String> after = snapshot(store, OUT);
        assertEquals(before.get("city=Rome/part-00001.avro"), after.get("city=Rome/part-00001.avro"));
        assertEquals(List.of("city=Paris/part-00000-1795225647249_0002.avro"),
                after.keySet().stream().filter(path -> path.startsWith("city=Paris/")).toList(), "the old Paris parts are gone");
        assertEquals(List.of("city=Rome/part-00001.avro", "city=Paris/part-00000-1795225647249_0002.avro",
                "city=Berlin/part-00001-1795225647249_0002.avro"), paths(manifest.parts()));
        assertEquals(List.of("city=Berlin", "city=Paris", "city=Rome"), manifest.partitions().stream().map(Manifest.Partition::path).toList());
        assertEquals(2 + 3 + 5, manifest.counters().rowsWritten());
        Manifest.Job job = manifest.history().get(1);
        assertEquals("overwrite-partitions", job.writeMode());
        assertEquals(List.of("city=Paris"), job.partitionsReplaced());
        assertEquals(List.of("_rejects/rejects-00001.jsonl", "_rejects/rejects-00001-1795225647249_0002.jsonl"), paths(manifest.rejects()),
                "rejects are not in partitions: every job's stay listed");
        assertEquals(before.get("_schema.avsc"), after.get("_schema.avsc"));
        assertConsistent(store, OUT);
    }

    @Test
    void overwritePartitionsOfAnOutputThatIsNotPartitionedReplacesItWhole() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, part(4), part(2));
        Staged partitioned = stage(store, OUT, JOB_3, WriteMode.OVERWRITE_PARTITIONS, SCHEMA, city("Paris", 5));
        IncompatibleOutputException e = assertThrows(IncompatibleOutputException.class, partitioned::commit);
        assertEquals("Cannot overwrite-partitions: the dataset is partitioned by nothing, the job by [city]; nothing was changed: "
                + OUT, e.getMessage());
        partitioned.committer().abortJob();

        // as overwrite: another schema is fine
        Manifest manifest = stage(store, OUT, JOB_2, WriteMode.OVERWRITE_PARTITIONS, OTHER_SCHEMA, part(5)).commit();

        assertEquals(List.of("part-00000-1795225647249_0002.avro"), paths(manifest.parts()));
        assertEquals(List.of(), manifest.history(), "as overwrite: the output is one job's");
        assertEquals(List.of("_SUCCESS", "_schema.avsc", "part-00000-1795225647249_0002.avro"), List.copyOf(snapshot(store, OUT).keySet()));
        assertEquals(OTHER_SCHEMA, read(store, OUT + "/_schema.avsc"));
        assertConsistent(store, OUT);
    }

    @Test
    void overwritePartitionsOfAPartitionedDatasetNeedsItsPartitionColumns() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, city("Paris", 4));
        Map<String, String> before = snapshot(store, OUT);
        Staged unpartitioned = stage(store, OUT, JOB_2, WriteMode.OVERWRITE_PARTITIONS, SCHEMA, part(5));
        IncompatibleOutputException e = assertThrows(IncompatibleOutputException.class, unpartitioned::commit);
        assertEquals("Cannot overwrite-partitions: the dataset is partitioned by [city], the job by nothing; nothing was changed: "
                + OUT, e.getMessage());
        unpartitioned.committer().abortJob();
        assertEquals(before, snapshot(store, OUT));
    }

    @Test
    void overwritePartitionsOfAJobThatFailsLeavesTheDatasetByteForByte() throws IOException {
        InMemoryFileStore store = new InMemoryFileStore();
        run(store, JOB_1, WriteMode.ERROR, city("Paris", 4), city("Rome", 2));
        Map<String, String> before = snapshot(store, OUT);
        Staged failed = stage(store, OUT, JOB_2, WriteMode.OVERWRITE_PARTITIONS, SCHEMA, city("Paris", 3));
        failed.committer().abortJob();
        assertEquals(before, snapshot(store, OUT));
    }

    @Test
    void everyModeAppendedInEveryOrderOnTheLocalFileSystemStaysConsistent() throws IOException {
        FileStore store = FileStores.hadoop(new Configuration(false));
        WriteMode[] modes = {WriteMode.APPEND, WriteMode.OVERWRITE_PARTITIONS, WriteMode.OVERWRITE, WriteMode.ERROR};
        int runs = 0;
        for (WriteMode a : modes) {
            for (WriteMode b : modes) {
                String output = "file:" + directory + "/out-" + runs++;
                stage(store, output, JOB_1, a, SCHEMA, city("Paris", 4), city("Rome", 2)).commit();
                if (b == WriteMode.ERROR) {
                    assertThrows(OutputExistsException.class, () -> stage(store, output, JOB_2, b, SCHEMA, city("Paris", 3)));
                    assertEquals(6, ManifestCodec.read(store, output).orElseThrow().counters().rowsWritten());
                    assertConsistent(store, output);
                    continue;
                }
                Staged second = stage(store, output, JOB_2, b, SCHEMA, city("Paris", 3), city("Oslo", 1));
                Manifest manifest = second.commit();
                long expected = switch (b) {
                    case APPEND -> 6 + 4;
                    case OVERWRITE_PARTITIONS -> 2 + 4;
                    default -> 4;
                };
                assertEquals(expected, manifest.counters().rowsWritten(), a + " then " + b);
                assertConsistent(store, output);
            }
        }
        assertEquals(16, runs);
    }

    /** The in-memory store with pending uploads that records the sweeps asked of it. */
    private static final class SweptStore implements FileStore, dev.spindle.io.store.SupportsRename, SupportsDirectories,
            dev.spindle.io.store.SupportsPendingUploads {
        private final InMemoryFileStore delegate = new InMemoryFileStore();
        final List<String> sweeps = new ArrayList<>();

        @Override
        public List<dev.spindle.io.store.FileEntry> list(String pattern) throws IOException {
            return delegate.list(pattern);
        }

        @Override
        public SeekableInput open(String location) throws IOException {
            return delegate.open(location);
        }

        @Override
        public OutputStream create(String location) throws IOException {
            return delegate.create(location);
        }

        @Override
        public boolean exists(String location) throws IOException {
            return delegate.exists(location);
        }

        @Override
        public void delete(String location) throws IOException {
            delegate.delete(location);
        }

        @Override
        public void rename(String source, String target) throws IOException {
            delegate.rename(source, target);
        }

        @Override
        public void createDirectories(String location) throws IOException {
            delegate.createDirectories(location);
        }

        @Override
        public List<String> listChildren(String location) throws IOException {
            return delegate.listChildren(location);
        }

        @Override
        public List<Upload> listPendingUploads(String location) {
            return List.of();
        }

        @Override
        public List<Upload> abortPendingUploads(String location, java.time.Instant startedBefore) {
            sweeps.add(location);
            return List.of();
        }
    }

    @Test
    void appendAndOverwritePartitionsLeaveOtherJobsPendingUploadsAlone() throws IOException {
        SweptStore store = new SweptStore();
        run(store, JOB_1, WriteMode.OVERWRITE, city("Paris", 4));
        assertEquals(List.of(OUT), store.sweeps, "overwrite sweeps the uploads of dead jobs");
        run(store, JOB_2, WriteMode.APPEND, city("Paris", 1));
        run(store, JOB_3, WriteMode.OVERWRITE_PARTITIONS, city("Rome", 1));
        assertEquals(List.of(OUT), store.sweeps, "a job appending meanwhile would lose its uploads");
        assertConsistent(store, OUT);
    }
}
