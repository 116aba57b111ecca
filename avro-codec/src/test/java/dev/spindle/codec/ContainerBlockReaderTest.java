package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.InputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Blocks of Avro and Parquet files: over seeded-random cuts of a file into ranges, every record
 * is read exactly once, the reported offsets tile the file, projection reads only the asked
 * columns, and logical types keep their values.
 */
class ContainerBlockReaderTest {

    private static final Schema SCHEMA = new Schema.Parser().parse("""
            {"type":"record","name":"trip","namespace":"t","fields":[
             {"name":"id","type":"long"},
             {"name":"name","type":["null","string"]},
             {"name":"day","type":["null",{"type":"int","logicalType":"date"}]},
             {"name":"local","type":["null",{"type":"long","logicalType":"local-timestamp-millis"}]},
             {"name":"at","type":["null",{"type":"long","logicalType":"timestamp-micros"}]}]}""");
    private static final int ROWS = 5_000;

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    private static GenericRecord record(int i) {
        GenericRecord record = new GenericData.Record(SCHEMA);
        record.put("id", (long) i);
        record.put("name", i % 7 == 3 ? null : "name " + i);
        record.put("day", i % 11 == 4 ? null : 19_000 + i % 400);
        record.put("local", 1_700_000_000_000L + i * 1_001L);
        record.put("at", 1_700_000_000_000_000L + i * 7L);
        return record;
    }

    static byte[] avroFile(int syncInterval) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            writer.setSyncInterval(syncInterval);
            writer.create(SCHEMA, bytes);
            for (int i = 0; i < ROWS; i++) {
                writer.append(record(i));
            }
        }
        return bytes.toByteArray();
    }

    static byte[] parquetFile(long rowGroupBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new StreamOutputFile(bytes))
                .withConf(new PlainParquetConfiguration())
                .withSchema(SCHEMA)
                .withRowGroupSize(rowGroupBytes)
                .withMinRowCountForPageSizeCheck(10)
                .build()) {
            for (int i = 0; i < ROWS; i++) {
                writer.write(record(i));
            }
        }
        return bytes.toByteArray();
    }

    private interface Opener {
        ContainerBlockReader open(long start, long end, List<String> columns) throws IOException;
    }

    private Opener avro(byte[] file) {
        return (start, end, columns) -> AvroBlockReader.open(new SeekableByteArrayInput(file), "mem.avro", start, end, columns, allocator, 300);
    }

    private Opener parquet(byte[] file) {
        InputFile input = ParquetBatchReader.inMemory(file);
        return (start, end, columns) -> ParquetBlockReader.open(input, start, end, columns, allocator, 300);
    }

    @Test
    void avroBlocksAlignedToSyncMarkersReadEveryRecordOnce() throws IOException {
        byte[] file = avroFile(512);
        checkTiling(avro(file), file.length, 40);
    }

    @Test
    void parquetRowGroupsAreReadOnceByTheBlockHoldingTheirMidpoint() throws IOException {
        byte[] file = parquetFile(4_096);
        try (ParquetFileReader footer = ParquetFileReader.open(ParquetBatchReader.inMemory(file))) {
            List<BlockMetaData> groups = footer.getFooter().getBlocks();
            assertTrue(groups.size() >= 5, "row groups: " + groups.size());
            // a cut at every midpoint and one byte either side of it
            for (BlockMetaData group : groups) {
                long midpoint = ParquetBlockReader.midpoint(group);
                for (long cut = midpoint - 1; cut <= midpoint + 1; cut++) {
                    assertEquals(ROWS, readAll(parquet(file), List.of(0L, cut, (long) file.length)));
                }
            }
        }
        checkTiling(parquet(file), file.length, 40);
    }

    /** Seeded-random cuts, from one range per byte-ish to the whole file. */
    private void checkTiling(Opener opener, long length, int trials) throws IOException {
        Random random = new Random(15);
        for (int trial = 0; trial < trials; trial++) {
            long maxBlock = 1 + random.nextInt((int) Math.min(Integer.MAX_VALUE, length / (1 + trial % 8) + 1));
            List<Long> cuts = new ArrayList<>(List.of(0L));
            while (cuts.get(cuts.size() - 1) < length) {
                cuts.add(Math.min(length, cuts.get(cuts.size() - 1) + 1 + (long) (random.nextDouble() * maxBlock)));
            }
            assertEquals(ROWS, readAll(opener, cuts), "cuts " + cuts);
        }
    }

    /** Reads every range between consecutive cuts; checks ids are each seen once and the offsets tile; returns rows. */
    private int readAll(Opener opener, List<Long> cuts) throws IOException {
        boolean[] seen = new boolean[ROWS];
        int rows = 0;
        long previousStop = 0;
        for (int b = 0; b + 1 < cuts.size(); b++) {
            try (ContainerBlockReader reader = opener.open(cuts.get(b), cuts.get(b + 1), List.of())) {
                assertEquals(previousStop, reader.firstRecordOffset(), "block " + b + " of cuts " + cuts);
                while (reader.next()) {
                    VectorSchemaRoot root = reader.root();
                    BigIntVector ids = (BigIntVector) root.getVector("id");
                    for (int r = 0; r < root.getRowCount(); r++) {
                        int id = (int) ids.get(r);
                        assertTrue(!seen[id], "id " + id + " read twice, block " + b + " of cuts " + cuts);
                        seen[id] = true;
                        rows++;
                    }
                }
                assertTrue(reader.stopOffset() >= cuts.get(b + 1), "block " + b + " stops before its end");
                previousStop = reader.stopOffset();
            }
        }
        assertEquals(cuts.get(cuts.size() - 1), previousStop, "the last block stops at the file's end");
        return rows;
    }

    @Test
    void projectionReadsOnlyTheAskedColumnsWithTheirLogicalTypes() throws IOException {
        for (Opener opener : List.of(avro(avroFile(2_048)), parquet(parquetFile(8_192)))) {
            try (ContainerBlockReader reader = opener.open(0, Long.MAX_VALUE >> 1, List.of("at", "day", "local", "name"))) {
                assertEquals(List.of("name", "day", "local", "at"), reader.schema().names(), "the file's order");
                assertEquals(ColumnType.DATE, reader.schema().column("day").type());
                assertEquals(ColumnType.TIMESTAMP_LOCAL, reader.schema().column("local").type());
                assertEquals(ColumnType.TIMESTAMP_INSTANT, reader.schema().column("at").type());
                int row = 0;
                while (reader.next()) {
                    VectorSchemaRoot root = reader.root();
                    assertEquals(4, root.getFieldVectors().size());
                    for (int r = 0; r < root.getRowCount(); r++, row++) {
                        GenericRecord expected = record(row);
                        VarCharVector name = (VarCharVector) root.getVector("name");
                        assertEquals(expected.get("name") == null, name.isNull(r), "row " + row);
                        if (!name.isNull(r)) {
                            assertEquals(expected.get("name"), new Utf8(name.get(r)).toString());
                        }
                        DateDayVector day = (DateDayVector) root.getVector("day");
                        assertEquals(expected.get("day"), day.isNull(r) ? null : day.get(r), "row " + row);
                        assertEquals((Long) expected.get("local") * 1000, ((TimeStampMicroVector) root.getVector("local")).get(r));
                        assertEquals(expected.get("at"), ((TimeStampMicroTZVector) root.getVector("at")).get(r));
                    }
                }
                assertEquals(ROWS, row);
            }
        }
    }

    @Test
    void anUnknownColumnIsNamedWithTheFilesColumns() throws IOException {
        byte[] file = avroFile(2_048);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> avro(file).open(0, file.length, List.of("id", "nope")));
        assertEquals("No column nope in the file; its columns are id, name, day, local, at: mem.avro", e.getMessage());
    }

    @Test
    void aCorruptAvroBlockNamesTheFileAndOffset() throws IOException {
        byte[] file = avroFile(512);
        file[file.length / 2] ^= 0x55;
        file[file.length / 2 + 1] ^= 0x55;
        IOException e = assertThrows(IOException.class, () -> {
            try (ContainerBlockReader reader = avro(file).open(0, file.length, List.of())) {
                while (reader.next()) {
                    // read to the corrupt block
                }
            }
        });
        assertTrue(e.getMessage().startsWith("Cannot read the Avro data block after the sync marker ending at byte "), e.getMessage());
        assertTrue(e.getMessage().endsWith(": mem.avro"), e.getMessage());
    }
}
