package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    /**
     * DuckDB, a Parquet reader that shares no code with parquet-java, reads what the annotations
     * say: a millisecond column (as inference makes one) is still stored and annotated as
     * microseconds, local timestamps are not adjusted to UTC, instants are, dates are DATE and
     * strings STRING. Issue 10: the values were micros under a TIMESTAMP(MILLIS) annotation.
     */
    @Test
    void duckDbReadsTheLogicalTypesAsWritten(@TempDir Path dir) throws Exception {
        TableSchema schema = new TableSchema(List.of(
                Column.of("id", ColumnType.LONG, false),
                Column.of("name", ColumnType.STRING, true),
                Column.of("day", ColumnType.DATE, true),
                Column.of("local", ColumnType.TIMESTAMP_LOCAL, true).withTimestampUnit(TimestampUnit.MILLIS),
                Column.of("at", ColumnType.TIMESTAMP_INSTANT, true).withTimestampUnit(TimestampUnit.MILLIS),
                Column.of("fine", ColumnType.TIMESTAMP_LOCAL, true)));
        String csv = "id,name,day,local,at,fine\n"
                + "1,Zürich,2013-01-01,2013-01-01 00:00:51,2013-01-01T00:00:51Z,2013-01-01 00:00:51.123456\n"
                + "-2,,1969-12-31,1969-12-31 23:59:59.999,1969-12-31T23:59:59.999+01:00,\n";
        Path file = dir.resolve("types.parquet");
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
                    throw new AssertionError(b.message());
                }).build();
                ParquetBatchWriter writer = ParquetBatchWriter.builder(schema, Files.newOutputStream(file)).build()) {
            byte[] data = csv.substring(csv.indexOf('\n') + 1).getBytes(StandardCharsets.UTF_8);
            builder.reset(data, 0, data.length, 0, 2);
            while (builder.next()) {
                writer.write(builder.root());
            }
        }
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            Map<String, String> logical = new HashMap<>();
            try (ResultSet types = statement.executeQuery("SELECT name, logical_type FROM parquet_schema('" + file + "')")) {
                while (types.next()) {
                    logical.put(types.getString(1), String.valueOf(types.getString(2)));
                }
            }
            assertTrue(logical.get("local").contains("isAdjustedToUTC=0") && logical.get("local").contains("MICROS=MicroSeconds()"), logical.get("local"));
            assertTrue(logical.get("at").contains("isAdjustedToUTC=1") && logical.get("at").contains("MICROS=MicroSeconds()"), logical.get("at"));
            assertTrue(logical.get("fine").contains("MICROS=MicroSeconds()"), logical.get("fine"));
            assertTrue(logical.get("day").startsWith("DateType"), logical.get("day"));
            assertTrue(logical.get("name").startsWith("StringType"), logical.get("name"));
            try (ResultSet rows = statement.executeQuery("SELECT id, name, CAST(day AS VARCHAR), CAST(\"local\" AS VARCHAR), epoch_us(\"at\"), "
                    + "typeof(\"local\"), typeof(\"at\"), CAST(fine AS VARCHAR) FROM read_parquet('" + file + "') ORDER BY id DESC")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getLong(1));
                assertEquals("Zürich", rows.getString(2));
                assertEquals("2013-01-01", rows.getString(3));
                assertEquals("2013-01-01 00:00:51", rows.getString(4));
                assertEquals(1356998451_000_000L, rows.getLong(5));
                assertEquals("TIMESTAMP", rows.getString(6));
                assertEquals("TIMESTAMP WITH TIME ZONE", rows.getString(7));
                assertEquals("2013-01-01 00:00:51.123456", rows.getString(8));
                assertTrue(rows.next());
                assertEquals(-2, rows.getLong(1));
                assertEquals(null, rows.getString(2));
                assertEquals("1969-12-31", rows.getString(3));
                assertEquals("1969-12-31 23:59:59.999", rows.getString(4));
                assertEquals(-3_600_000_000L - 1000, rows.getLong(5));
                assertEquals(null, rows.getString(8));
            }
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
