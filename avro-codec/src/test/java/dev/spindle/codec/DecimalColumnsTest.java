package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decimal columns: Avro {@code bytes}/{@code fixed} decimals and Parquet INT32, INT64 and
 * FIXED_LEN_BYTE_ARRAY DECIMAL columns map to DECIMAL columns of the same precision and scale,
 * are read exactly into DecimalVectors, and are written as Avro {@code bytes} decimals and Parquet
 * DECIMAL columns that readers sharing no code with ours (Avro's GenericDatumReader with its
 * DecimalConversion, DuckDB) read back as the same values.
 */
class DecimalColumnsTest {

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    @Test
    void avroDecimalsMapToDecimalColumnsAndBackToBytesDecimals() {
        Schema file = new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[
                 {"name":"price","type":["null",{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}],"default":null},
                 {"name":"total","type":{"type":"fixed","name":"f20","size":9,"logicalType":"decimal","precision":20,"scale":4}},
                 {"name":"whole","type":{"type":"bytes","logicalType":"decimal","precision":38}}]}""");
        TableSchema table = TableSchema.fromAvroSchema(file);
        assertEquals(List.of(Column.decimal("price", "price", true, 10, 2), Column.decimal("total", "total", false, 20, 4),
                Column.decimal("whole", "whole", false, 38, 0)), table.columns());
        assertEquals("decimal(10,2)", table.column(0).typeDescription());

        Schema written = table.toAvroSchema("r");
        Schema price = written.getField("price").schema();
        assertEquals(Schema.Type.UNION, price.getType());
        assertEquals(Schema.Type.NULL, price.getTypes().get(0).getType());
        assertEquals(LogicalTypes.decimal(10, 2), price.getTypes().get(1).getLogicalType());
        assertEquals(Schema.Type.BYTES, price.getTypes().get(1).getType());
        assertEquals(LogicalTypes.decimal(20, 4), written.getField("total").schema().getLogicalType());
        assertEquals(Schema.Type.BYTES, written.getField("total").schema().getType());
        assertEquals(table, TableSchema.fromAvroSchema(written), "the written schema reads back as the same columns");

        org.apache.arrow.vector.types.pojo.Schema arrow = table.toArrowSchema();
        assertEquals(new ArrowType.Decimal(10, 2, 128), arrow.getFields().get(0).getType());
        assertTrue(arrow.getFields().get(0).isNullable());
        assertEquals(new ArrowType.Decimal(20, 4, 128), arrow.getFields().get(1).getType());
    }

    @Test
    void decimalsOutsideTheSupportedRangeAndNestedFieldsAreRefusedNamingTheField() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> TableSchema.fromAvroSchema(new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[{"name":"huge","type":{"type":"bytes","logicalType":"decimal","precision":39,"scale":0}}]}""")));
        assertTrue(wide.getMessage().contains("'huge'") && wide.getMessage().contains("decimal(39,0)"), wide.getMessage());
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class, () -> TableSchema.fromAvroSchema(new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[{"name":"inner","type":{"type":"record","name":"i","fields":[{"name":"x","type":"long"}]}}]}""")));
        assertTrue(nested.getMessage().startsWith("Unsupported Avro type for field 'inner'"), nested.getMessage());
        IllegalArgumentException time = assertThrows(IllegalArgumentException.class, () -> TableSchema.fromAvroSchema(new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[{"name":"clock","type":{"type":"long","logicalType":"time-micros"}}]}""")));
        assertTrue(time.getMessage().contains("'clock'"), time.getMessage());
    }

    @Test
    void csvBatchesRefuseADecimalColumn() {
        TableSchema table = new TableSchema(List.of(Column.of("id", ColumnType.LONG, false), Column.decimal("price", "price", true, 9, 2)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchBuilder.builder(table, allocator).dialect(CsvDialect.defaults()).badRecords(bad -> { }).build());
        assertTrue(e.getMessage().contains("'price' is decimal(9,2), which CSV input cannot hold"), e.getMessage());
    }

    /** DuckDB writes DECIMAL(5,2) as INT32, (15,3) as INT64 and (30,1) as FIXED_LEN_BYTE_ARRAY; every one reads back exactly. */
    @Test
    void parquetIntLongAndFixedDecimalsReadExactly(@TempDir Path dir) throws Exception {
        Path parquet = dir.resolve("decimals.parquet");
        List<BigDecimal[]> expected = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute("""
                    COPY (SELECT i AS id,
                                 CASE WHEN i %% 7 = 0 THEN NULL ELSE (((i * 7919) %% 199999 - 99999)::DECIMAL(18,0) * 0.01)::DECIMAL(5,2) END AS small,
                                 (((i * 104729) %% 1999999999999999 - 999999999999999)::DECIMAL(18,0) * 0.001)::DECIMAL(15,3) AS medium,
                                 (((CASE WHEN i %% 2 = 0 THEN -1 ELSE 1 END) * i::HUGEINT * '12345678901234567890123'::HUGEINT)::DECIMAL(30,0) * 0.1)::DECIMAL(30,1) AS large
                          FROM range(0, 3000) t(i) ORDER BY i)
                    TO '%s' (FORMAT PARQUET, ROW_GROUP_SIZE 1000)""".formatted(parquet));
            try (ResultSet rows = statement.executeQuery("SELECT small, medium, large, typeof(small), typeof(medium), typeof(large) FROM read_parquet('%s') ORDER BY id"
                    .formatted(parquet))) {
                while (rows.next()) {
                    if (expected.isEmpty()) {
                        assertEquals(List.of("DECIMAL(5,2)", "DECIMAL(15,3)", "DECIMAL(30,1)"), List.of(rows.getString(4), rows.getString(5), rows.getString(6)));
                    }
                    expected.add(new BigDecimal[] {rows.getBigDecimal(1), rows.getBigDecimal(2), rows.getBigDecimal(3)});
                }
            }
        }
        assertEquals(3000, expected.size());
        List<BigDecimal[]> read = new ArrayList<>();
        try (ParquetBlockReader reader = ParquetBlockReader.open(new LocalInputFile(parquet), 0, Files.size(parquet), List.of("small", "medium", "large"),
                allocator, 512)) {
            assertEquals(List.of(Column.decimal("small", "small", true, 5, 2), Column.decimal("medium", "medium", true, 15, 3),
                    Column.decimal("large", "large", true, 30, 1)), reader.schema().columns());
            while (reader.next()) {
                VectorSchemaRoot root = reader.root();
                for (int row = 0; row < root.getRowCount(); row++) {
                    BigDecimal[] values = new BigDecimal[3];
                    for (int c = 0; c < 3; c++) {
                        values[c] = ((DecimalVector) root.getVector(c)).getObject(row);
                    }
                    read.add(values);
                }
            }
        }
        assertEquals(expected.size(), read.size());
        int nulls = 0;
        for (int i = 0; i < expected.size(); i++) {
            for (int c = 0; c < 3; c++) {
                BigDecimal want = expected.get(i)[c];
                BigDecimal got = read.get(i)[c];
                if (want == null) {
                    nulls++;
                    assertNull(got, "row " + i + " column " + c);
                } else {
                    assertEquals(want, got, "row " + i + " column " + c); // equals: same value and scale
                }
            }
        }
        assertEquals(429, nulls, "every 7th small value is null");
    }

    /** Values at the edges of the two's complement byte lengths and of 38 digits, both signs, and nulls. */
    private static List<BigDecimal> values(int precision, int scale) {
        List<BigDecimal> values = new ArrayList<>();
        BigInteger max = BigInteger.TEN.pow(precision).subtract(BigInteger.ONE);
        for (BigInteger edge : List.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(127), BigInteger.valueOf(128), BigInteger.valueOf(255),
                BigInteger.valueOf(256), BigInteger.valueOf(32767), BigInteger.valueOf(32768), BigInteger.valueOf(Long.MAX_VALUE),
                BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE), BigInteger.ONE.shiftLeft(100), max)) {
            if (edge.compareTo(max) <= 0) {
                values.add(new BigDecimal(edge, scale));
                values.add(new BigDecimal(edge.negate(), scale));
                values.add(new BigDecimal(edge.negate().subtract(BigInteger.ONE), scale).max(new BigDecimal(max.negate(), scale)));
            }
        }
        Random random = new Random(15);
        for (int i = 0; i < 500; i++) {
            values.add(new BigDecimal(new BigInteger(precision * 3, random).mod(max.add(BigInteger.ONE)).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), scale));
        }
        for (int i = 0; i < values.size(); i += 9) {
            values.set(i, null);
        }
        return values;
    }

    private static VectorSchemaRoot batch(TableSchema table, List<BigDecimal> values, RootAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(table.toArrowSchema(), allocator);
        DecimalVector vector = (DecimalVector) root.getVector(0);
        vector.allocateNew(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                vector.setNull(i);
            } else {
                vector.setSafe(i, values.get(i));
            }
        }
        vector.setValueCount(values.size());
        root.setRowCount(values.size());
        return root;
    }

    @Test
    void avroOutputHoldsBytesDecimalsThatAvroReadsExactly() throws IOException {
        for (int[] type : new int[][] {{38, 0}, {38, 10}, {18, 4}, {9, 2}, {3, 3}}) {
            TableSchema table = new TableSchema(List.of(Column.decimal("amount", "amount", true, type[0], type[1])));
            List<BigDecimal> values = values(type[0], type[1]);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (VectorSchemaRoot root = batch(table, values, allocator); AvroBatchWriter writer = AvroBatchWriter.builder(table, out).syncIntervalBytes(1024).build()) {
                writer.write(root);
            }
            List<BigDecimal> read = new ArrayList<>();
            try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new ByteArrayInputStream(out.toByteArray()), new GenericDatumReader<>())) {
                Schema decimal = stream.getSchema().getField("amount").schema().getTypes().get(1);
                assertEquals(Schema.Type.BYTES, decimal.getType());
                assertEquals(LogicalTypes.decimal(type[0], type[1]), decimal.getLogicalType());
                for (GenericRecord record : stream) {
                    ByteBuffer bytes = (ByteBuffer) record.get("amount");
                    read.add(bytes == null ? null : DECIMALS.fromBytes(bytes, decimal, decimal.getLogicalType()));
                    if (bytes != null) {
                        byte[] raw = new byte[bytes.remaining()];
                        bytes.duplicate().get(raw);
                        assertEquals(new BigInteger(raw).toByteArray().length, raw.length, "the shortest two's complement form");
                    }
                }
            }
            assertEquals(values, read, "decimal(" + type[0] + "," + type[1] + ")");
        }
    }

    @Test
    void parquetOutputHoldsDecimalsThatDuckDbReadsExactly(@TempDir Path dir) throws Exception {
        TableSchema table = new TableSchema(List.of(Column.decimal("amount", "amount", true, 38, 6)));
        List<BigDecimal> values = values(38, 6);
        Path parquet = dir.resolve("out.parquet");
        try (VectorSchemaRoot root = batch(table, values, allocator); java.io.OutputStream out = Files.newOutputStream(parquet);
                ParquetBatchWriter writer = ParquetBatchWriter.builder(table, out).build()) {
            writer.write(root);
        }
        List<BigDecimal> read = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement();
                ResultSet rows = statement.executeQuery("SELECT amount, typeof(amount) FROM read_parquet('%s')".formatted(parquet))) {
            while (rows.next()) {
                assertEquals("DECIMAL(38,6)", rows.getString(2));
                read.add(rows.getBigDecimal(1));
            }
        }
        assertEquals(values, read);
    }

    @Test
    void anAvroValueWithMoreDigitsThanItsPrecisionIsRefused() throws IOException {
        Schema schema = new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[{"name":"d","type":{"type":"bytes","logicalType":"decimal","precision":4,"scale":2}}]}""");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.create(schema, out);
            for (long unscaled : new long[] {9999, -9999, 12345}) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("d", ByteBuffer.wrap(BigInteger.valueOf(unscaled).toByteArray()));
                writer.append(record);
            }
        }
        byte[] bytes = out.toByteArray();
        try (AvroBlockReader reader = AvroBlockReader.open(new SeekableByteArrayInput(bytes), "digits.avro", 0, bytes.length, List.of(), allocator, 2)) {
            assertTrue(reader.next());
            DecimalVector vector = (DecimalVector) reader.root().getVector(0);
            assertEquals(new BigDecimal("99.99"), vector.getObject(0));
            assertEquals(new BigDecimal("-99.99"), vector.getObject(1));
            IOException e = assertThrows(IOException.class, reader::next);
            assertTrue(e.getMessage().contains("Value 123.45") && e.getMessage().contains("decimal(4,2)") && e.getMessage().contains("digits.avro"), e.getMessage());
            assertFalse(e.getMessage().isEmpty());
        }
    }
}
