package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AvroBatchWriterTest {

    private static final TableSchema SCHEMA = new TableSchema(List.of(
            Column.of("id", ColumnType.LONG, false),
            new Column("name", "full name", ColumnType.STRING, true),
            Column.of("score", ColumnType.DOUBLE, true),
            Column.of("ok", ColumnType.BOOLEAN, false),
            Column.of("day", ColumnType.DATE, true),
            Column.of("local", ColumnType.TIMESTAMP_LOCAL, true),
            Column.of("at", ColumnType.TIMESTAMP_INSTANT, true)));

    private static final String CSV = "1,Ann,1.5,true,2024-01-02,2024-01-02 03:04:05.000006,2024-01-02T03:04:05Z\n"
            + "2,,,false,,,\n"
            + "3,\"Bö, \"\"B\"\"\",-0.0,TRUE,1969-12-31,1969-12-31T23:59:59,1970-01-01T00:00:00+01:00\n";

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    @ParameterizedTest
    @EnumSource(AvroBatchWriter.Codec.class)
    void writesEveryTypeWithEveryCodec(AvroBatchWriter.Codec codec) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, out).codec(codec).recordName("row").build();
        try (writer; BatchBuilder batches = batches(CSV)) {
            while (batches.next()) {
                writer.write(batches.root());
            }
            assertEquals(3, writer.rowsWritten());
        }
        assertEquals(out.size(), writer.bytesWritten());
        List<GenericRecord> records = read(out.toByteArray());
        assertEquals(3, records.size());
        assertEquals("{\"id\": 1, \"name\": \"Ann\", \"score\": 1.5, \"ok\": true, \"day\": 19724, \"local\": 1704164645000006, \"at\": 1704164645000000}",
                records.get(0).toString());
        assertEquals("{\"id\": 2, \"name\": null, \"score\": null, \"ok\": false, \"day\": null, \"local\": null, \"at\": null}",
                records.get(1).toString());
        assertEquals("{\"id\": 3, \"name\": \"Bö, \\\"B\\\"\", \"score\": -0.0, \"ok\": true, \"day\": -1, \"local\": -1000000, \"at\": -3600000000}",
                records.get(2).toString());
        assertEquals("full name", records.get(0).getSchema().getField("name").getProp(TableSchema.ORIGINAL_NAME_PROPERTY));
        assertEquals(SCHEMA, TableSchema.fromAvroSchema(records.get(0).getSchema()));
    }

    @Test
    void writesSelectedRowsProjected() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BatchBuilder batches = batches(CSV);
                AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, out).columns(List.of("ok", "full name", "id")).codec(AvroBatchWriter.Codec.NULL).build()) {
            assertTrue(batches.next());
            writer.write(batches.root(), new int[] {2, 0, 99}, 2);
        }
        List<GenericRecord> records = read(out.toByteArray());
        assertEquals(List.of("{\"ok\": true, \"name\": \"Bö, \\\"B\\\"\", \"id\": 3}", "{\"ok\": true, \"name\": \"Ann\", \"id\": 1}"),
                records.stream().map(Object::toString).toList());
    }

    @Test
    void smallSyncIntervalMakesManyBlocks() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            csv.append(i).append(",n").append(i).append(",,true,,,\n");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BatchBuilder batches = batches(csv.toString());
                AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, out).syncIntervalBytes(1000).build()) {
            while (batches.next()) {
                writer.write(batches.root());
            }
        }
        List<GenericRecord> records = read(out.toByteArray());
        assertEquals(5000, records.size());
        assertEquals("n4999", records.get(4999).get("name").toString());
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(out.toByteArray()), new GenericDatumReader<>())) {
            int blocks = 0;
            while (reader.hasNext()) {
                reader.nextBlock();
                blocks++;
            }
            assertTrue(blocks > 20, "blocks: " + blocks);
        }
    }

    @Test
    void deflateLevelsAllReadBackAndHigherIsNotLarger() throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            csv.append(i).append(",name number ").append(i % 17).append(",").append(i % 100).append(".25,true,2024-01-02,,\n");
        }
        long[] sizes = new long[10];
        for (int level : new int[] {1, 3, 6, 9}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (BatchBuilder batches = batches(csv.toString());
                    AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, out).codec(AvroBatchWriter.Codec.DEFLATE).deflateLevel(level).build()) {
                while (batches.next()) {
                    writer.write(batches.root());
                }
            }
            List<GenericRecord> records = read(out.toByteArray());
            assertEquals(3000, records.size());
            assertEquals("name number " + (2999 % 17), records.get(2999).get("name").toString());
            sizes[level] = out.size();
        }
        assertTrue(sizes[9] <= sizes[1], "level 9: " + sizes[9] + " bytes, level 1: " + sizes[1] + " bytes");
    }

    @Test
    void deflateLevelOutsideOneToNineIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroBatchWriter.builder(SCHEMA, new ByteArrayOutputStream()).deflateLevel(0).build());
        assertEquals("Deflate level must be in [1, 9]: 0", e.getMessage());
        assertEquals(1, AvroBatchWriter.DEFLATE_LEVEL_DEFAULT);
    }

    @Test
    void emptyFileHasSchemaAndNoRows() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, out).build()) {
            assertEquals(0, writer.rowsWritten());
        }
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(out.toByteArray()), new GenericDatumReader<>())) {
            assertEquals(SCHEMA, TableSchema.fromAvroSchema(reader.getSchema()));
            assertEquals("deflate", reader.getMetaString("avro.codec"));
            assertTrue(!reader.hasNext());
        }
    }

    @Test
    void failedWriterIsPoisoned() throws IOException {
        FailingStream failing = new FailingStream();
        try (BatchBuilder batches = batches(CSV)) {
            assertTrue(batches.next());
            AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, failing).codec(AvroBatchWriter.Codec.NULL).syncIntervalBytes(32).build();
            failing.fail = true;
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> writer.write(batches.root()));
            assertEquals("Avro write failed after 0 rows, " + writer.bytesWritten() + " bytes", e.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> writer.write(batches.root()));
            assertEquals("Avro writer failed earlier and cannot be used: disk full", again.getMessage());
            writer.close();
            assertTrue(failing.closed);
        }
    }

    @Test
    void unknownColumnsAndCodecsListTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroBatchWriter.builder(SCHEMA, new ByteArrayOutputStream()).columns(List.of("id", "nope")).build());
        assertEquals("No column 'nope'; valid names: [id, name, score, ok, day, local, at]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AvroBatchWriter.Codec.fromName("lz4"));
        assertEquals("Unknown Avro codec 'lz4'; valid: null, deflate, snappy, zstandard", e.getMessage());
        assertEquals(AvroBatchWriter.Codec.ZSTANDARD, AvroBatchWriter.Codec.fromName("zstandard"));
    }

    @Test
    void vectorsShorterThanTheBatchAreRefused() throws IOException {
        try (BatchBuilder batches = batches(CSV);
                AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, new ByteArrayOutputStream()).build()) {
            assertTrue(batches.next());
            batches.root().getVector("score").setValueCount(1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(batches.root()));
            assertEquals("Column 'score' holds 1 values but the batch has 3 rows", e.getMessage());
        }
    }

    @Test
    void nullInANonNullableColumnPoisonsTheWriter() throws IOException {
        TableSchema strict = new TableSchema(List.of(Column.of("id", ColumnType.LONG, false), new Column("name", "full name", ColumnType.STRING, false)));
        try (BatchBuilder batches = batches(CSV);
                AvroBatchWriter writer = AvroBatchWriter.builder(strict, new ByteArrayOutputStream()).build()) {
            assertTrue(batches.next());
            writer.write(batches.root(), new int[] {0, 2}, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(batches.root()));
            assertEquals("Null value at row 1 in non-nullable column 'name' (#1)", e.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> writer.write(batches.root(), new int[] {0}, 1));
            assertEquals("Avro writer failed earlier and cannot be used: Null value at row 1 in non-nullable column 'name' (#1)", again.getMessage());
        }
    }

    @Test
    void stringsOfEveryShortLengthReadBackExactly() throws IOException {
        // strings of up to 32 bytes are copied 32 bytes at a time, longer ones exactly: random
        // lengths around that boundary, next to each other and to nulls, must read back as written
        TableSchema strings = new TableSchema(List.of(Column.of("a", ColumnType.STRING, false), Column.of("b", ColumnType.STRING, true)));
        java.util.Random random = new java.util.Random(23);
        List<String> expected = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (int row = 0; row < 5_000; row++) {
            String a = randomText(random, 1 + random.nextInt(80));
            String b = randomText(random, random.nextInt(40));
            csv.append(a).append(',').append(b).append('\n');
            expected.add("{\"a\": \"" + a + "\", \"b\": " + (b.isEmpty() ? "null" : "\"" + b + "\"") + "}");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (BatchBuilder batches = BatchBuilder.builder(strings, allocator).batchRows(700).badRecords(b -> {
                    throw new AssertionError(b.message());
                }).build();
                AvroBatchWriter writer = AvroBatchWriter.builder(strings, out).syncIntervalBytes(5_000).build()) {
            byte[] data = csv.toString().getBytes(StandardCharsets.UTF_8);
            batches.reset(data, 0, data.length, 0, 1);
            while (batches.next()) {
                writer.write(batches.root());
            }
        }
        assertEquals(expected, read(out.toByteArray()).stream().map(Object::toString).toList());
    }

    private static String randomText(java.util.Random random, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    @Test
    void batchMissingAColumnFails() throws IOException {
        TableSchema other = new TableSchema(List.of(Column.of("id", ColumnType.LONG, false), Column.of("extra", ColumnType.STRING, true)));
        try (BatchBuilder batches = batches(CSV);
                AvroBatchWriter writer = AvroBatchWriter.builder(other, new ByteArrayOutputStream()).build()) {
            assertTrue(batches.next());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(batches.root()));
            assertEquals("Batch has no column 'extra'; batch columns: [id, name, score, ok, day, local, at]", e.getMessage());
        }
    }

    private BatchBuilder batches(String csv) {
        BatchBuilder builder = BatchBuilder.builder(SCHEMA, allocator).batchRows(1000).badRecords(b -> {
            throw new AssertionError(b.message());
        }).build();
        byte[] data = csv.getBytes(StandardCharsets.UTF_8);
        builder.reset(data, 0, data.length, 0, 1);
        return builder;
    }

    static List<GenericRecord> read(byte[] avro) throws IOException {
        List<GenericRecord> records = new ArrayList<>();
        try (DataFileReader<GenericRecord> reader = new DataFileReader<>(new SeekableByteArrayInput(avro), new GenericDatumReader<>())) {
            reader.forEach(records::add);
        }
        return records;
    }

    private static final class FailingStream extends OutputStream {
        boolean fail;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fail) {
                throw new IOException("disk full");
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
