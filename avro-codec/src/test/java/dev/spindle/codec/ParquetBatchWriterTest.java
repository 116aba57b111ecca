package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ParquetBatchWriterTest {

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    @ParameterizedTest
    @EnumSource(ParquetBatchWriter.Compression.class)
    void roundTripsEveryTypeWithEveryCompression(ParquetBatchWriter.Compression compression) throws IOException {
        String csv = AvroBatchReaderTest.csv(3000);
        ByteArrayOutputStream parquet = new ByteArrayOutputStream();
        ParquetBatchWriter writer = ParquetBatchWriter.builder(AvroBatchReaderTest.SCHEMA, parquet).compression(compression).build();
        try (writer; BatchBuilder builder = builder(csv, 700)) {
            while (builder.next()) {
                writer.write(builder.root());
            }
        }
        assertEquals(3000, writer.rowsWritten());
        assertEquals(parquet.size(), writer.bytesWritten());
        assertEquals("PAR1", new String(parquet.toByteArray(), 0, 4, StandardCharsets.US_ASCII));
        StringBuilder read = new StringBuilder();
        try (ParquetBatchReader reader = ParquetBatchReader.open(ParquetBatchReader.inMemory(parquet.toByteArray()), allocator, 1_000_000)) {
            assertEquals(AvroBatchReaderTest.SCHEMA, reader.schema());
            while (reader.next()) {
                read.append(reader.root().contentToTSVString());
            }
            assertEquals(3000, reader.rowsRead());
        }
        assertEquals(AvroBatchReaderTest.arrowText(AvroBatchReaderTest.SCHEMA, csv, allocator), read.toString());
    }

    @Test
    void writesSelectedRowsProjectedAndEmptyFiles() throws IOException {
        ByteArrayOutputStream parquet = new ByteArrayOutputStream();
        try (BatchBuilder builder = builder(AvroBatchReaderTest.csv(10), 100);
                ParquetBatchWriter writer = ParquetBatchWriter.builder(AvroBatchReaderTest.SCHEMA, parquet).columns(List.of("score", "id")).build()) {
            assertTrue(builder.next());
            writer.write(builder.root(), new int[] {9, 0}, 2);
        }
        try (ParquetBatchReader reader = ParquetBatchReader.open(ParquetBatchReader.inMemory(parquet.toByteArray()), allocator, 10)) {
            assertEquals(List.of("score", "id"), reader.schema().names());
            assertTrue(reader.next());
            assertEquals("score\tid\n-0.75\t9\n-3.0\t0\n", reader.root().contentToTSVString());
        }

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        ParquetBatchWriter.builder(AvroBatchReaderTest.SCHEMA, empty).build().close();
        try (ParquetBatchReader reader = ParquetBatchReader.open(ParquetBatchReader.inMemory(empty.toByteArray()), allocator, 10)) {
            assertEquals(AvroBatchReaderTest.SCHEMA, reader.schema());
            assertEquals(false, reader.next());
        }
    }

    @Test
    void selectionOutsideTheBatchPoisonsTheWriter() throws IOException {
        try (BatchBuilder builder = builder(AvroBatchReaderTest.csv(3), 100);
                ParquetBatchWriter writer = ParquetBatchWriter.builder(AvroBatchReaderTest.SCHEMA, new ByteArrayOutputStream()).build()) {
            assertTrue(builder.next());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> writer.write(builder.root(), new int[] {0, 3}, 2));
            assertEquals("Selected row 3 (selection[1]) outside batch of 3 rows", e.getMessage());
            IllegalStateException again = assertThrows(IllegalStateException.class, () -> writer.write(builder.root()));
            assertEquals("Parquet writer failed earlier and cannot be used: Selected row 3 (selection[1]) outside batch of 3 rows", again.getMessage());
        }
    }

    @Test
    void unknownCompressionListsTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParquetBatchWriter.Compression.fromName("lzo"));
        assertEquals("Unknown Parquet compression 'lzo'; valid: uncompressed, snappy, gzip, zstd", e.getMessage());
    }

    private BatchBuilder builder(String csv, int batchRows) {
        BatchBuilder builder = BatchBuilder.builder(AvroBatchReaderTest.SCHEMA, allocator).batchRows(batchRows).badRecords(b -> {
            throw new AssertionError(b.message());
        }).build();
        byte[] data = csv.getBytes(StandardCharsets.UTF_8);
        builder.reset(data, 0, data.length, 0, 1);
        return builder;
    }
}
