package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FileStores;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.arrow.vector.table.Row;
import org.apache.arrow.vector.table.Table;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parallel reads of Avro and Parquet datasets, written here with the formats' own writers. */
class DatasetReaderTest {

    private static final Schema SCHEMA = SchemaBuilder.record("trip").fields()
            .requiredLong("id").optionalString("note").requiredDouble("fare").endRecord();

    @TempDir
    Path dir;

    private static GenericRecord trip(long id) {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", id);
        record.put("note", id % 7 == 0 ? null : "note " + id);
        record.put("fare", id * 0.25);
        return record;
    }

    private static void writeAvro(File file, long from, long to) throws Exception {
        file.getParentFile().mkdirs();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            writer.setSyncInterval(2048); // many data blocks: many ranges of one file
            writer.create(SCHEMA, file);
            for (long id = from; id < to; id++) {
                writer.append(trip(id));
            }
        }
    }

    private static void writeParquet(File file, long from, long to) throws Exception {
        file.getParentFile().mkdirs();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toURI()), new Configuration())).withSchema(SCHEMA)
                .withRowGroupSize(16 * 1024L).withPageSize(4 * 1024).build()) {
            for (long id = from; id < to; id++) {
                writer.write(trip(id));
            }
        }
    }

    private DatasetReader.Builder reader(Path dataset) {
        return DatasetReader.builder(FileStores.hadoop(new Configuration()), dataset.toUri().toString());
    }

    /** Every id read, with how often. */
    private static Map<Long, Integer> ids(List<Table> tables) {
        Map<Long, Integer> ids = new HashMap<>();
        for (Table table : tables) {
            for (Row row : table) {
                ids.merge(row.getBigInt("id"), 1, Integer::sum);
            }
        }
        return ids;
    }

    @Test
    void anAvroDatasetCutIntoManyRangesIsReadWholeOnceInParallel() throws Exception {
        Path dataset = dir.resolve("avro");
        writeAvro(dataset.resolve("part-00000.avro").toFile(), 0, 4_000);
        writeAvro(dataset.resolve("part-00001.avro").toFile(), 4_000, 9_000);
        writeAvro(dataset.resolve("part-00002.avro").toFile(), 9_000, 9_001);
        Files.writeString(dataset.resolve("_SUCCESS.txt.crc"), "hidden");

        for (int threads : new int[] {1, 4}) {
            try (DatasetReader reader = reader(dataset).threads(threads).rangeBytes(8 * 1024).batchRows(500).build()) {
                assertTrue(reader.ranges().size() > 10, "many ranges: " + reader.ranges().size());
                List<Table> tables = reader.readAll();
                try {
                    Map<Long, Integer> ids = ids(tables);
                    assertEquals(9_001, ids.size());
                    assertTrue(ids.values().stream().allMatch(count -> count == 1), "each record once");
                    // in dataset order: the first table starts at id 0
                    Row row = tables.get(0).immutableRow();
                    row.setPosition(0);
                    assertEquals(0L, row.getBigInt("id"));
                    row.setPosition(1);
                    assertEquals("note 1", row.getVarCharObj("note"));
                    assertEquals(0.25, row.getFloat8("fare"));
                } finally {
                    tables.forEach(Table::close);
                }
            }
        }
    }

    @Test
    void aPartitionedParquetDatasetGetsItsPartitionColumnsAndOnlyTheAskedColumns() throws Exception {
        Path dataset = dir.resolve("parquet");
        writeParquet(dataset.resolve("city=Paris/part-00000.parquet").toFile(), 0, 3_000);
        writeParquet(dataset.resolve("city=A%2FB/part-00001.parquet").toFile(), 3_000, 5_000);
        writeParquet(dataset.resolve("city=__HIVE_DEFAULT_PARTITION__/part-00002.parquet").toFile(), 5_000, 5_500);

        try (DatasetReader reader = reader(dataset).columns("id").threads(3).rangeBytes(4 * 1024).build()) {
            List<Table> tables = reader.readAll();
            try {
                Map<String, Integer> byCity = new HashMap<>();
                for (Table table : tables) {
                    assertEquals(List.of("id", "city"), table.getSchema().getFields().stream().map(f -> f.getName()).toList());
                    for (Row row : table) {
                        long id = row.getBigInt("id");
                        String city = row.isNull("city") ? null : row.getVarCharObj("city");
                        if (id < 3_000) {
                            assertEquals("Paris", city);
                        } else if (id < 5_000) {
                            assertEquals("A/B", city, "the value unescaped");
                        } else {
                            assertNull(city, "the default partition is null");
                        }
                        byCity.merge(String.valueOf(city), 1, Integer::sum);
                    }
                }
                assertEquals(Map.of("Paris", 3_000, "A/B", 2_000, "null", 500), byCity);
                assertEquals(5_500, ids(tables).size());
            } finally {
                tables.forEach(Table::close);
            }
        }

        // forEachBatch: the same rows, handed to the consumer on the readers' threads
        Map<String, Long> rowsByPart = new ConcurrentHashMap<>();
        try (DatasetReader reader = reader(dataset).threads(4).rangeBytes(4 * 1024).build()) {
            long rows = reader.forEachBatch((part, batch) -> rowsByPart.merge(part, (long) batch.getRowCount(), Long::sum));
            assertEquals(5_500, rows);
        }
        assertEquals(Map.of("city=Paris/part-00000.parquet", 3_000L, "city=A%2FB/part-00001.parquet", 2_000L,
                "city=__HIVE_DEFAULT_PARTITION__/part-00002.parquet", 500L), rowsByPart);
    }

    @Test
    void partitionValuesAreReadFromTheDirectoriesOfThePath() {
        assertEquals(Map.of(), DatasetReader.partitionValues("part-00000.avro"));
        Map<String, String> values = DatasetReader.partitionValues("year=2024/city=A%3DB%25%3A/part-1.avro");
        assertEquals(new ArrayList<>(List.of("year", "city")), new ArrayList<>(values.keySet()));
        assertEquals("2024", values.get("year"));
        assertEquals("A=B%:", values.get("city"), "Hive's escapes undone");
        assertEquals(PartitionPaths.escape("A=B%:"), "A%3DB%25%3A");
    }
}
