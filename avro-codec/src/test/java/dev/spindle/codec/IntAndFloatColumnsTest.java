package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avro {@code int} and {@code float} and Parquet INT32 and FLOAT columns stay 32-bit: they map to
 * INT and FLOAT columns (IntVector, Float4Vector), are read exactly, and are written as Avro
 * {@code int}/{@code float} and Parquet INT32/FLOAT that Avro's GenericDatumReader and DuckDB
 * read back bit for bit.
 */
class IntAndFloatColumnsTest {

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    private static final TableSchema TABLE = new TableSchema(List.of(Column.of("n", ColumnType.INT, true), Column.of("f", ColumnType.FLOAT, true),
            Column.of("m", ColumnType.INT, false)));

    @Test
    void avroIntAndFloatMapToIntAndFloatColumnsAndBack() {
        Schema file = new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[
                 {"name":"n","type":["null","int"],"default":null},
                 {"name":"f","type":["float","null"]},
                 {"name":"m","type":"int"}]}""");
        TableSchema table = TableSchema.fromAvroSchema(file);
        assertEquals(TABLE, table);
        Schema written = table.toAvroSchema("r");
        assertEquals(Schema.Type.INT, written.getField("n").schema().getTypes().get(1).getType());
        assertEquals(Schema.Type.FLOAT, written.getField("f").schema().getTypes().get(1).getType());
        assertEquals(Schema.Type.INT, written.getField("m").schema().getType());
        assertEquals(table, TableSchema.fromAvroSchema(written));
        assertEquals(new ArrowType.Int(32, true), table.toArrowSchema().getFields().get(0).getType());
        assertEquals(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE), table.toArrowSchema().getFields().get(1).getType());
        // an int with a logical type other than date stays refused, naming the field
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableSchema.fromAvroSchema(new Schema.Parser().parse("""
                {"type":"record","name":"r","fields":[{"name":"t","type":{"type":"int","logicalType":"time-millis"}}]}""")));
        assertTrue(e.getMessage().startsWith("Unsupported Avro type for field 't'"), e.getMessage());
    }

    @Test
    void csvBatchesRefuseIntAndFloatColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchBuilder.builder(TABLE, allocator).dialect(CsvDialect.defaults()).badRecords(bad -> { }).build());
        assertTrue(e.getMessage().contains("'n' is int, which CSV input cannot hold"), e.getMessage());
    }

    /** Edge values of both types, seeded random ones, and nulls in the nullable columns. */
    private static List<Object[]> rows() {
        int[] ints = {0, 1, -1, 63, 64, -64, -65, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 28, -(1 << 28)};
        float[] floats = {0f, -0f, 1.5f, -2.25e-3f, Float.MIN_VALUE, -Float.MIN_NORMAL, Float.MAX_VALUE, -Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.1f};
        List<Object[]> rows = new ArrayList<>();
        Random random = new Random(15);
        for (int i = 0; i < 3000; i++) {
            Integer n = i < ints.length ? ints[i] : random.nextInt();
            Float f = i < floats.length ? floats[i] : Float.intBitsToFloat(random.nextInt());
            if (Float.isNaN(f) && i >= floats.length) {
                f = random.nextFloat();
            }
            rows.add(new Object[] {i % 7 == 5 ? null : n, i % 5 == 3 ? null : f, random.nextInt()});
        }
        return rows;
    }

    private static VectorSchemaRoot batch(List<Object[]> rows, RootAllocator allocator) {
        VectorSchemaRoot root = VectorSchemaRoot.create(TABLE.toArrowSchema(), allocator);
        IntVector n = (IntVector) root.getVector("n");
        Float4Vector f = (Float4Vector) root.getVector("f");
        IntVector m = (IntVector) root.getVector("m");
        for (int i = 0; i < rows.size(); i++) {
            Object[] row = rows.get(i);
            if (row[0] == null) {
                n.setNull(i);
            } else {
                n.setSafe(i, (Integer) row[0]);
            }
            if (row[1] == null) {
                f.setNull(i);
            } else {
                f.setSafe(i, (Float) row[1]);
            }
            m.setSafe(i, (Integer) row[2]);
        }
        root.setRowCount(rows.size());
        return root;
    }

    private static String text(Object[] row) {
        return row[0] + "|" + (row[1] == null ? "null" : Integer.toHexString(Float.floatToIntBits((Float) row[1]))) + "|" + row[2];
    }

    @Test
    void avroOutputHoldsIntsAndFloatsBitForBit() throws IOException {
        List<Object[]> rows = rows();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (VectorSchemaRoot root = batch(rows, allocator); AvroBatchWriter writer = AvroBatchWriter.builder(TABLE, out).syncIntervalBytes(512).build()) {
            writer.write(root);
        }
        List<String> read = new ArrayList<>();
        try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new ByteArrayInputStream(out.toByteArray()), new GenericDatumReader<>())) {
            for (GenericRecord record : stream) {
                read.add(text(new Object[] {record.get("n"), record.get("f"), record.get("m")}));
            }
        }
        assertEquals(rows.stream().map(IntAndFloatColumnsTest::text).toList(), read);
    }

    @Test
    void parquetOutputIsInt32AndFloatThatDuckDbReadsExactly(@TempDir Path dir) throws Exception {
        List<Object[]> rows = rows();
        Path parquet = dir.resolve("out.parquet");
        try (VectorSchemaRoot root = batch(rows, allocator); java.io.OutputStream out = Files.newOutputStream(parquet);
                ParquetBatchWriter writer = ParquetBatchWriter.builder(TABLE, out).build()) {
            writer.write(root);
        }
        List<String> read = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            try (ResultSet types = statement.executeQuery("SELECT name, type FROM parquet_schema('%s') WHERE type IS NOT NULL".formatted(parquet))) {
                List<String> physical = new ArrayList<>();
                while (types.next()) {
                    physical.add(types.getString(1) + " " + types.getString(2));
                }
                assertEquals(List.of("n INT32", "f FLOAT", "m INT32"), physical);
            }
            try (ResultSet result = statement.executeQuery("SELECT n, f, m FROM read_parquet('%s')".formatted(parquet))) {
                while (result.next()) {
                    Object n = result.getObject(1);
                    Object f = result.getObject(2);
                    read.add(text(new Object[] {n, f, result.getObject(3)}));
                }
            }
        }
        assertEquals(rows.stream().map(IntAndFloatColumnsTest::text).toList(), read);
    }

    @Test
    void duckDbIntegerAndFloatColumnsReadAsIntAndFloat(@TempDir Path dir) throws Exception {
        Path parquet = dir.resolve("duck.parquet");
        List<String> expected = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute(("COPY (SELECT CASE WHEN i %% 9 = 0 THEN NULL ELSE ((i * 2654435761) %% 4294967296 - 2147483648)::INTEGER END AS n, "
                    + "(i * 0.37 - 500)::FLOAT AS f, (i - 1000)::INTEGER AS m FROM range(0, 4000) t(i)) TO '%s' (FORMAT PARQUET, ROW_GROUP_SIZE 1000)")
                    .formatted(parquet));
            try (ResultSet result = statement.executeQuery("SELECT n, f, m FROM read_parquet('%s')".formatted(parquet))) {
                while (result.next()) {
                    expected.add(text(new Object[] {result.getObject(1), result.getObject(2), result.getObject(3)}));
                }
            }
        }
        List<String> read = new ArrayList<>();
        try (ParquetBlockReader reader = ParquetBlockReader.open(new LocalInputFile(parquet), 0, Files.size(parquet), List.of(), allocator, 700)) {
            assertEquals(List.of(ColumnType.INT, ColumnType.FLOAT, ColumnType.INT), reader.schema().columns().stream().map(Column::type).toList());
            while (reader.next()) {
                VectorSchemaRoot root = reader.root();
                for (int row = 0; row < root.getRowCount(); row++) {
                    read.add(text(new Object[] {root.getVector(0).getObject(row), root.getVector(1).getObject(row), root.getVector(2).getObject(row)}));
                }
            }
        }
        assertEquals(4000, expected.size());
        assertEquals(expected, read);
    }
}
