package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroBatchReaderTest {

    static final TableSchema SCHEMA = new TableSchema(List.of(
            Column.of("id", ColumnType.LONG, false),
            new Column("name", "full name", ColumnType.STRING, true),
            Column.of("score", ColumnType.DOUBLE, true),
            Column.of("ok", ColumnType.BOOLEAN, true),
            Column.of("day", ColumnType.DATE, true),
            Column.of("local", ColumnType.TIMESTAMP_LOCAL, true),
            Column.of("at", ColumnType.TIMESTAMP_INSTANT, true)));

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    /** Rows 0..n-1 with a null pattern per column, as CSV. */
    static String csv(int rows) {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            csv.append(i).append(',')
                    .append(i % 5 == 1 ? "" : "\"name " + i + ", \"\"q\"\"\"").append(',')
                    .append(i % 5 == 2 ? "" : i * 0.25 - 3).append(',')
                    .append(i % 5 == 3 ? "" : i % 2 == 0).append(',')
                    .append(i % 5 == 4 ? "" : java.time.LocalDate.ofEpochDay(i * 37L - 5000)).append(',')
                    .append(i % 7 == 0 ? "" : "2020-01-01 00:00:" + String.format("%02d", i % 60) + "." + i).append(',')
                    .append(i % 11 == 0 ? "" : "2020-01-01T00:00:00+0" + (i % 10) + ":00").append('\n');
        }
        return csv.toString();
    }

    /** Every batch of {@code csv} as Arrow's TSV text, concatenated. */
    static String arrowText(TableSchema schema, String csv, RootAllocator allocator) {
        StringBuilder text = new StringBuilder();
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).batchRows(1_000_000).badRecords(b -> {
            throw new AssertionError(b.message());
        }).build()) {
            byte[] data = csv.getBytes(StandardCharsets.UTF_8);
            builder.reset(data, 0, data.length, 0, 1);
            while (builder.next()) {
                text.append(builder.root().contentToTSVString());
            }
        }
        return text.toString();
    }

    @Test
    void readsBackWhatTheWriterWrote() throws IOException {
        String csv = csv(2500);
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        try (BatchBuilder builder = BatchBuilder.builder(SCHEMA, allocator).batchRows(300).badRecords(b -> {
            throw new AssertionError(b.message());
        }).build(); AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, avro).build()) {
            byte[] data = csv.getBytes(StandardCharsets.UTF_8);
            builder.reset(data, 0, data.length, 0, 1);
            while (builder.next()) {
                writer.write(builder.root());
            }
        }
        StringBuilder read = new StringBuilder();
        try (AvroBatchReader reader = AvroBatchReader.open(new ByteArrayInputStream(avro.toByteArray()), allocator, 1_000_000)) {
            assertEquals(SCHEMA, reader.schema());
            while (reader.next()) {
                read.append(reader.root().contentToTSVString());
            }
            assertEquals(2500, reader.rowsRead());
        }
        assertEquals(arrowText(SCHEMA, csv, allocator), read.toString());
    }

    @Test
    void smallBatches() throws IOException {
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        try (BatchBuilder builder = BatchBuilder.builder(SCHEMA, allocator).badRecords(b -> {
            throw new AssertionError(b.message());
        }).build(); AvroBatchWriter writer = AvroBatchWriter.builder(SCHEMA, avro).build()) {
            byte[] data = csv(10).getBytes(StandardCharsets.UTF_8);
            builder.reset(data, 0, data.length, 0, 1);
            while (builder.next()) {
                writer.write(builder.root());
            }
        }
        try (AvroBatchReader reader = AvroBatchReader.open(new ByteArrayInputStream(avro.toByteArray()), allocator, 4)) {
            List<Integer> sizes = new java.util.ArrayList<>();
            while (reader.next()) {
                sizes.add(reader.root().getRowCount());
            }
            assertEquals(List.of(4, 4, 2), sizes);
        }
    }

    @Test
    void notAnAvroFile() {
        IOException e = assertThrows(IOException.class,
                () -> AvroBatchReader.open(new ByteArrayInputStream("a,b\n".getBytes(StandardCharsets.UTF_8)), allocator, 10));
        assertEquals("Not an Avro data file.", e.getMessage());
    }
}
