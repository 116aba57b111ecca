package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.BadInputException;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.CommitContext;
import dev.spindle.yarn.JobPreparation;
import dev.spindle.yarn.JobSpec;
import dev.spindle.yarn.PrepareContext;
import dev.spindle.yarn.TaskContext;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The CSV task without YARN: prepare, run every block, fix lines before commit, on the in-memory store. */
class CsvConversionTaskTest {

    private static final String INPUT = "memory:/in/amounts.csv";
    private static final String OUTPUT = "memory:/out";
    private final InMemoryFileStore store = new InMemoryFileStore();
    private final Configuration conf = new Configuration(false);
    private final CsvConversionTask task = new CsvConversionTask();

    /** 3,000 rows {@code id,amount}; rows 1000 and 2500 hold {@code 4x}; returns the bad rows' byte offsets. */
    private List<Long> writeAmounts() throws Exception {
        StringBuilder csv = new StringBuilder("id,amount\n");
        List<Long> badOffsets = new ArrayList<>();
        for (int i = 1; i <= 3_000; i++) {
            boolean bad = i == 1000 || i == 2500;
            if (bad) {
                badOffsets.add((long) csv.length());
            }
            csv.append(i).append(',').append(bad ? "4x" : String.valueOf(i)).append('\n');
        }
        try (OutputStream out = store.create(INPUT)) {
            out.write(csv.toString().getBytes(UTF_8));
        }
        return badOffsets;
    }

    private JobSpec spec(String policy, String filter) {
        return JobSpec.builder("csv-to-avro", CsvConversionTask.class).input(INPUT).output(OUTPUT)
                .task(CsvJobSpec.builder().onBadRecord(BadRecordPolicy.parse(policy))
                        .filter(filter == null ? null : FilterExpression.parse(filter)).sampleRows(8).build())
                .build();
    }

    private List<Block> plan() throws Exception {
        List<FileEntry> files = store.list(INPUT);
        return BlockPlanner.builder().blockSize(4096).build().plan(files).blocks();
    }

    private record Job(JobPreparation preparation, List<Block> blocks, List<BlockResult> results) {}

    private Job run(JobSpec spec) throws Exception {
        List<Block> blocks = plan();
        JobPreparation preparation = task.prepare(new PrepareContext<>(conf, store, spec, (CsvJobSpec) spec.task(), store.list(INPUT), blocks));
        List<BlockResult> results = new ArrayList<>();
        for (Block block : blocks) {
            String attempt = OUTPUT + "/_temporary/job/block-%05d/attempt-1".formatted(block.index());
            BlockOutcome outcome = task.run(new TaskContext<>(conf, store, spec, preparation, (CsvJobSpec) preparation.task(), block, 1, attempt,
                    "part-%05d.avro".formatted(block.index()), Map.of()));
            results.add(new BlockResult(block.index(), 1, "localhost", 0, false, outcome));
        }
        return new Job(preparation, blocks, results);
    }

    @Test
    void rejectsBadValuesWithAbsoluteLinesAndKeepsTheCountersExact() throws Exception {
        List<Long> badOffsets = writeAmounts();
        JobSpec spec = spec("reject", "amount > 100");
        Job job = run(spec);
        assertTrue(job.blocks().size() >= 4, "blocks: " + job.blocks().size());

        long read = 0;
        long written = 0;
        long filtered = 0;
        long rejected = 0;
        Map<Integer, String> attempts = new HashMap<>();
        for (BlockResult result : job.results()) {
            BlockOutcome outcome = result.outcome();
            read += outcome.rowsRead();
            written += outcome.rowsWritten();
            filtered += outcome.rowsFiltered();
            rejected += outcome.rowsRejected();
            attempts.put(result.block(), OUTPUT + "/_temporary/job/block-%05d/attempt-1".formatted(result.block()));
        }
        assertEquals(3_000, read);
        assertEquals(2, rejected);
        assertEquals(100, filtered, "ids 1..100 fail amount > 100");
        assertEquals(3_000 - 2 - 100, written);

        task.beforeCommit(new CommitContext<>(conf, store, spec, job.preparation(), (CsvJobSpec) job.preparation().task(), job.blocks(), job.results(), attempts));
        List<JsonNode> rejects = new ArrayList<>();
        for (BlockResult result : job.results()) {
            String file = attempts.get(result.block()) + "/_rejects/" + RejectWriter.fileName(result.block());
            if (store.exists(file)) {
                for (String line : read(file).split("\n")) {
                    rejects.add(new ObjectMapper().readTree(line));
                }
            }
        }
        assertEquals(2, rejects.size());
        assertEquals(1001, rejects.get(0).path("line").asLong(), rejects.get(0).toString());
        assertEquals(badOffsets.get(0), rejects.get(0).path("byteOffset").asLong());
        assertEquals("Cannot parse column 'amount' (#1) as long: \"4x\" at line 2501, byte " + badOffsets.get(1) + ": " + INPUT,
                rejects.get(1).path("message").asText());
        assertEquals("2500,4x", rejects.get(1).path("record").asText());
    }

    @Test
    void skippedPreambleLinesAreNeitherHeaderNorRowsAndLineNumbersStayTheFiles() throws Exception {
        List<Long> badOffsets = writeAmounts();
        String preamble = "Amounts export\nsource: ledger, 2013\n";
        byte[] original;
        try (SeekableInput input = store.open(INPUT)) {
            original = new byte[(int) input.length()];
            input.readFully(0, original, 0, original.length);
        }
        store.delete(INPUT);
        try (OutputStream out = store.create(INPUT)) {
            out.write(preamble.getBytes(UTF_8));
            out.write(original);
        }
        JobSpec spec = JobSpec.builder("csv-to-avro", CsvConversionTask.class).input(INPUT).output(OUTPUT)
                .task(CsvJobSpec.builder().onBadRecord(BadRecordPolicy.parse("fail")).sampleRows(8).skipLines(2).build())
                .build();
        List<Block> blocks = plan();
        JobPreparation preparation = task.prepare(new PrepareContext<>(conf, store, spec, (CsvJobSpec) spec.task(), store.list(INPUT), blocks));
        assertEquals(List.of("id", "amount"), ((CsvJobSpec) preparation.task()).table().orElseThrow().names());
        long badOffset = badOffsets.get(0) + preamble.length();
        Block withBadRow = blocks.stream().filter(b -> b.ranges().get(0).start() <= badOffset && badOffset < b.ranges().get(0).end())
                .findFirst().orElseThrow();
        BadInputException failure = assertThrows(BadInputException.class, () -> task.run(new TaskContext<>(conf, store, spec,
                preparation, (CsvJobSpec) preparation.task(), withBadRow, 1, OUTPUT + "/_temporary/job/x/attempt-1", "part-00009.avro", Map.of())));
        assertTrue(failure.getMessage().contains("\"4x\" at line 1003, byte " + badOffset), failure.getMessage());
        // the block at byte 0 reads 2 preamble lines and the header, then rows 1, 2, ...
        BlockOutcome first = task.run(new TaskContext<>(conf, store, spec, preparation, (CsvJobSpec) preparation.task(), blocks.get(0), 1,
                OUTPUT + "/_temporary/job/block-00000/attempt-1", "part-00000.avro", Map.of()));
        assertEquals(first.rowsWritten(), first.rowsRead());
        assertTrue(first.rowsRead() > 100, "rows of the first block: " + first.rowsRead());
    }

    @Test
    void everyPartDeclaresTheSchemaOfTheManifestAndSchemaAvscRecordNameIncluded() throws Exception {
        writeAmounts();
        Job job = run(spec("skip", "amount > 100"));
        org.apache.avro.Schema declared = new org.apache.avro.Schema.Parser().parse(job.preparation().schemaJson());
        assertEquals("amounts", declared.getName());
        int parts = 0;
        for (Block block : job.blocks()) {
            String part = OUTPUT + "/_temporary/job/block-%05d/attempt-1/part-%05d.avro".formatted(block.index(), block.index());
            if (!store.exists(part)) {
                continue;
            }
            try (SeekableInput input = store.open(part);
                    DataFileStream<GenericRecord> records = new DataFileStream<>(
                            new dev.spindle.io.store.SeekableInputStream(input), new GenericDatumReader<>())) {
                assertEquals(declared, records.getSchema(), part);
            }
            parts++;
        }
        assertTrue(parts >= 3, "parts: " + parts);
    }

    @Test
    void skipCountsBadRecordsAndWritesThemNowhere() throws Exception {
        writeAmounts();
        Job job = run(spec("skip", null));
        long rejected = job.results().stream().mapToLong(r -> r.outcome().rowsRejected()).sum();
        long written = job.results().stream().mapToLong(r -> r.outcome().rowsWritten()).sum();
        assertEquals(2, rejected);
        assertEquals(2_998, written);
        for (Block block : job.blocks()) {
            assertFalse(store.exists(OUTPUT + "/_temporary/job/block-%05d/attempt-1/_rejects".formatted(block.index())));
        }
    }

    @Test
    void failStopsAtTheFirstBadRecordNamingItsAbsoluteLineAndFile() throws Exception {
        List<Long> badOffsets = writeAmounts();
        JobSpec spec = spec("fail", null);
        List<Block> blocks = plan();
        JobPreparation preparation = task.prepare(new PrepareContext<>(conf, store, spec, (CsvJobSpec) spec.task(), store.list(INPUT), blocks));
        Block withBadRow = blocks.stream().filter(b -> b.ranges().get(0).start() <= badOffsets.get(1)
                && badOffsets.get(1) < b.ranges().get(0).end()).findFirst().orElseThrow();
        assertTrue(withBadRow.ranges().get(0).start() > 0);

        BadInputException failure = assertThrows(BadInputException.class, () -> task.run(new TaskContext<>(conf, store, spec,
                preparation, (CsvJobSpec) preparation.task(), withBadRow, 1, OUTPUT + "/_temporary/job/x/attempt-1", "part-00009.avro", Map.of())));
        assertEquals("Cannot parse column 'amount' (#1) as long: \"4x\" at line 2501, byte " + badOffsets.get(1) + ": " + INPUT,
                failure.getMessage());
    }

    @Test
    void aReRunFromAKnownRecordStartOwnsExactlyTheRecordsFromThere() throws Exception {
        writeAmounts();
        JobSpec spec = spec("skip", null);
        Job job = run(spec);
        BlockResult second = job.results().get(1);
        BlockResult first = job.results().get(0);
        assertEquals(first.outcome().ranges().get(0).stopOffset(), second.outcome().ranges().get(0).firstRecordOffset());

        long known = second.outcome().ranges().get(0).firstRecordOffset();
        BlockOutcome rerun = task.run(new TaskContext<>(conf, store, spec, job.preparation(), (CsvJobSpec) job.preparation().task(), job.blocks().get(1), 2,
                OUTPUT + "/_temporary/job/block-00001/attempt-2", "part-00001.avro", Map.of(0, known)));
        assertEquals(second.outcome().rowsRead(), rerun.rowsRead());
        assertEquals(second.outcome().ranges(), rerun.ranges());

        BlockOutcome ownsNothing = task.run(new TaskContext<>(conf, store, spec, job.preparation(), (CsvJobSpec) job.preparation().task(), job.blocks().get(1), 3,
                OUTPUT + "/_temporary/job/block-00001/attempt-3", "part-00001.avro",
                Map.of(0, job.blocks().get(1).ranges().get(0).end() + 100)));
        assertEquals(0, ownsNothing.rowsRead());
        assertNull(ownsNothing.partFile());
    }

    @Test
    void partFilesHoldTheWrittenRows() throws Exception {
        writeAmounts();
        Job job = run(spec("skip", "id <= 10"));
        BlockResult first = job.results().get(0);
        assertEquals(10, first.outcome().rowsWritten());
        String part = OUTPUT + "/_temporary/job/block-00000/attempt-1/part-00000.avro";
        try (DataFileStream<GenericRecord> records = new DataFileStream<>(new ByteArrayInputStream(bytes(part)), new GenericDatumReader<>())) {
            long id = 1;
            for (GenericRecord record : records) {
                assertEquals(id, record.get("id"));
                assertEquals(id, record.get("amount"));
                id++;
            }
            assertEquals(11, id);
        }
        for (BlockResult result : job.results().subList(1, job.results().size())) {
            assertNull(result.outcome().partFile(), "no row of later blocks passes the filter");
        }
    }

    private byte[] bytes(String location) throws Exception {
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return bytes;
        }
    }

    private String read(String location) throws Exception {
        return new String(bytes(location), UTF_8);
    }
}
