package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.CommitInfo;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.SeekableInputStream;
import dev.spindle.jobs.filter.FilterExpression;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.JobPreparation;
import dev.spindle.yarn.JobSpec;
import dev.spindle.yarn.PrepareContext;
import dev.spindle.yarn.TaskContext;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * {@code --partition-by} without YARN: prepare, every block attempt, and the committer, on the
 * in-memory store; the committed partitions are compared with the CSV's rows grouped by hand.
 */
class PartitionedWriteTest {

    private static final String INPUT = "memory:/in/trips.csv";
    private static final String OUTPUT = "memory:/out";
    private static final String JOB = "application_1_0001";
    private final InMemoryFileStore store = new InMemoryFileStore();
    private final Configuration conf = new Configuration(false);
    private final CsvConversionTask task = new CsvConversionTask();

    private void writeInput(String csv) throws Exception {
        try (OutputStream out = store.create(INPUT)) {
            out.write(csv.getBytes(UTF_8));
        }
    }

    /** Plans, prepares, runs every block and commits; returns the manifest. */
    private Manifest runAndCommit(CsvJobSpec csv, long blockSize) throws Exception {
        JobSpec spec = JobSpec.builder("csv-to-avro", CsvConversionTask.class).input(INPUT).output(OUTPUT).task(csv).build();
        List<Block> blocks = BlockPlanner.builder().blockSize(blockSize).build().plan(store.list(INPUT)).blocks();
        JobPreparation preparation = task.prepare(new PrepareContext<>(conf, store, spec, csv, store.list(INPUT), blocks));
        PartCommitter committer = PartCommitter.builder().store(store).outputDirectory(OUTPUT).jobId(JOB).build();
        committer.setupJob();
        Map<Integer, Integer> winners = new HashMap<>();
        long read = 0;
        long written = 0;
        long filtered = 0;
        CommitInfo.Builder info = CommitInfo.builder().format("avro").extension("avro").schemaJson(preparation.schemaJson())
                .applicationId(JOB).spindleVersion("test");
        for (Block block : blocks) {
            BlockOutcome outcome = task.run(new TaskContext<>(conf, store, spec, preparation, (CsvJobSpec) preparation.task(), block, 1,
                    committer.attemptDirectory(block.index(), 1), PartCommitter.partFileName(block.index(), "avro"), Map.of()));
            winners.put(block.index(), 1);
            read += outcome.rowsRead();
            written += outcome.rowsWritten();
            filtered += outcome.rowsFiltered();
            info.blockRows(block.index(), outcome.rowsWritten());
        }
        info.counters(new Manifest.Counters(read, written, filtered, 0, 0, blocks.size(), 0, blocks.size()));
        return committer.commitJob(winners, info.build());
    }

    private List<GenericRecord> records(String path) throws Exception {
        List<GenericRecord> records = new ArrayList<>();
        try (SeekableInput input = store.open(OUTPUT + "/" + path);
                DataFileStream<GenericRecord> stream = new DataFileStream<>(new SeekableInputStream(input), new GenericDatumReader<>())) {
            stream.forEach(records::add);
        }
        return records;
    }

    @Test
    void writesHiveDirectoriesWithoutThePartitionColumnAfterFilterAndSelect() throws Exception {
        String[] cities = {"Paris", "", "a/b:c", "Lyon", "100%"};
        StringBuilder csv = new StringBuilder("id,city,fare\n");
        // the expected partitions, computed from the rows as written here: fare > 2 kept, by city
        Map<String, List<Long>> expected = new TreeMap<>();
        for (int id = 0; id < 2_000; id++) {
            String city = cities[(id / 5) % cities.length];
            int fare = id % 5;
            csv.append(id).append(',').append(city).append(',').append(fare).append('\n');
            if (fare > 2) {
                String directory = switch (city) {
                    case "" -> "city=__HIVE_DEFAULT_PARTITION__";
                    case "a/b:c" -> "city=a%2Fb%3Ac";
                    case "100%" -> "city=100%25";
                    default -> "city=" + city;
                };
                expected.computeIfAbsent(directory, d -> new ArrayList<>()).add((long) id);
            }
        }
        writeInput(csv.toString());
        // --select omits the partition column: it still partitions (it is an input column) and stays out of the records
        CsvJobSpec spec = CsvJobSpec.builder().sampleRows(100).filter(FilterExpression.parse("fare > 2"))
                .select(List.of("fare", "id")).partitionBy(List.of("city")).build();

        Manifest manifest = runAndCommit(spec, 4096);

        assertEquals(List.of("city"), manifest.partitionColumns());
        assertEquals(5, manifest.partitions().size());
        assertEquals("[{\"name\":\"city\",\"type\":[\"null\",\"string\"],\"default\":null}]", manifest.partitionSchema().path("fields").toString(),
                "the partition column keeps its input type (nullable: one value is empty)");
        Map<String, List<Long>> actual = new TreeMap<>();
        long partRows = 0;
        for (Manifest.Partition partition : manifest.partitions()) {
            assertFalse(partition.parts().isEmpty(), partition.path());
            for (Manifest.Part part : partition.parts()) {
                assertTrue(part.path().startsWith(partition.path() + "/part-"), part.path());
                List<GenericRecord> records = records(part.path());
                assertEquals(part.rows(), records.size(), part.path());
                for (GenericRecord record : records) {
                    assertEquals(List.of("fare", "id"), record.getSchema().getFields().stream().map(Schema.Field::name).toList());
                    actual.computeIfAbsent(partition.path(), p -> new ArrayList<>()).add((Long) record.get("id"));
                }
                partRows += part.rows();
            }
            assertEquals(partition.parts().stream().mapToLong(Manifest.Part::rows).sum(), partition.rows());
        }
        actual.values().forEach(ids -> ids.sort(null));
        assertEquals(expected, actual);
        assertEquals(manifest.counters().rowsWritten(), partRows);
        assertEquals(manifest.parts().size(), manifest.partitions().stream().mapToInt(p -> p.parts().size()).sum());
        Map<String, String> values = new HashMap<>();
        manifest.partitions().forEach(p -> values.put(p.path(), p.values().get("city")));
        assertEquals("a/b:c", values.get("city=a%2Fb%3Ac"), manifest.partitions().toString());
        assertTrue(values.containsKey("city=__HIVE_DEFAULT_PARTITION__"));
        assertEquals(null, values.get("city=__HIVE_DEFAULT_PARTITION__"));
        // the schema of the records, _schema.avsc, holds no partition column
        Schema written = new Schema.Parser().parse(new String(readAll(OUTPUT + "/_schema.avsc"), UTF_8));
        assertEquals(List.of("fare", "id"), written.getFields().stream().map(Schema.Field::name).toList());
        assertFalse(store.exists(OUTPUT + "/_temporary"));
        // spindle validate finds every listed part in its partition, the right size and row count
        assertEquals(List.of(), ValidateCommand.problems(Dataset.open(store, OUTPUT), manifest));
    }

    @Test
    void tenThousandPartitionsUnderASmallWriterLimitPutEveryRowOnceInItsPartition() throws Exception {
        conf.setInt(CsvConfig.PARTITION_MAX_OPEN_WRITERS, 16);
        StringBuilder csv = new StringBuilder("id,key,day\n");
        int rows = 30_000;
        for (int id = 0; id < rows; id++) {
            // keys cycle, so every writer is closed before its partition comes round again
            csv.append(id).append(',').append(id % 10_000).append(",2013-01-").append(id % 2 == 0 ? "01" : "02").append('\n');
        }
        writeInput(csv.toString());
        CsvJobSpec spec = CsvJobSpec.builder().sampleRows(100).partitionBy(List.of("key", "day")).build();

        Manifest manifest = runAndCommit(spec, 400_000); // two blocks of ~15,000 rows: keys come round in a block

        assertEquals(10_000, manifest.partitions().size(), "10,000 keys, each with one day (the ids of a key share their parity)");
        assertTrue(manifest.parts().size() > manifest.partitions().size(),
                "the limit closed writers and reopened parts: " + manifest.parts().size() + " parts");
        assertTrue(manifest.parts().stream().anyMatch(p -> p.path().matches(".*/part-\\d{5}-\\d+\\.avro")), "no reopened part name");
        boolean[] seen = new boolean[rows];
        for (Manifest.Partition partition : manifest.partitions()) {
            String key = partition.values().get("key");
            String day = partition.values().get("day");
            assertEquals("key=" + key + "/day=" + day, partition.path());
            for (Manifest.Part part : partition.parts()) {
                for (GenericRecord record : records(part.path())) {
                    int id = (int) (long) (Long) record.get("id");
                    assertEquals(record.getSchema().getFields().size(), 1);
                    assertFalse(seen[id], "row " + id + " twice");
                    seen[id] = true;
                    assertEquals(Integer.toString(id % 10_000), key, "row " + id);
                    assertEquals(id % 2 == 0 ? "2013-01-01" : "2013-01-02", day, "row " + id);
                }
            }
        }
        for (int id = 0; id < rows; id++) {
            assertTrue(seen[id], "row " + id + " missing");
        }
    }

    @Test
    void refusesPartitionColumnsThatAreNotInputColumnsOrLeaveNoDataColumn() throws Exception {
        writeInput("id,city\n1,Paris\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> runAndCommit(CsvJobSpec.builder().partitionBy(List.of("town")).build(), 4096));
        assertEquals("Unknown column 'town' in --partition-by; valid columns: id, city", unknown.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> runAndCommit(CsvJobSpec.builder().select(List.of("city")).partitionBy(List.of("city")).build(), 4096));
        assertEquals("No column is left for the records: --partition-by takes every written column (city)", none.getMessage());
    }

    private byte[] readAll(String location) throws Exception {
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return bytes;
        }
    }
}
