package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
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
 * Avro {@code enum} becomes a string column (its symbol), Avro {@code bytes} and {@code fixed}
 * without a logical type and Parquet BINARY without an annotation become bytes columns
 * (VarBinaryVector), written as Avro {@code bytes} and Parquet BINARY that Avro's
 * GenericDatumReader and DuckDB read back byte for byte.
 */
class BytesAndEnumColumnsTest {

    private static final Schema FILE = new Schema.Parser().parse("""
            {"type":"record","name":"r","fields":[
             {"name":"kind","type":["null",{"type":"enum","name":"Kind","symbols":["CASH","CARD","NONE"]}],"default":null},
             {"name":"blob","type":["null","bytes"],"default":null},
             {"name":"tag","type":{"type":"fixed","name":"Tag","size":4}}]}""");

    private final RootAllocator allocator = new RootAllocator();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    @Test
    void enumIsAStringColumnAndBytesAndFixedAreBytesColumns() {
        TableSchema table = TableSchema.fromAvroSchema(FILE);
        assertEquals(List.of(Column.of("kind", ColumnType.STRING, true), Column.of("blob", ColumnType.BYTES, true), Column.of("tag", ColumnType.BYTES, false)),
                table.columns());
        Schema written = table.toAvroSchema("r");
        assertEquals(Schema.Type.STRING, written.getField("kind").schema().getTypes().get(1).getType());
        assertEquals(Schema.Type.BYTES, written.getField("blob").schema().getTypes().get(1).getType());
        assertEquals(Schema.Type.BYTES, written.getField("tag").schema().getType());
        assertEquals(table, TableSchema.fromAvroSchema(written));
        assertEquals(ArrowType.Binary.INSTANCE, table.toArrowSchema().getFields().get(1).getType());
    }

    /** Row i: kind, blob (empty, every byte value, longer than 32 bytes, null), tag. */
    private static List<Object[]> rows() {
        Random random = new Random(15);
        String[] kinds = {"CASH", "CARD", "NONE"};
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            byte[] blob = new byte[i == 0 ? 0 : random.nextInt(i % 10 == 1 ? 300 : 40)];
            random.nextBytes(blob);
            byte[] tag = new byte[4];
            random.nextBytes(tag);
            rows.add(new Object[] {i % 6 == 2 ? null : kinds[random.nextInt(3)], i % 8 == 5 ? null : blob, tag});
        }
        return rows;
    }

    private static byte[] avroFile(List<Object[]> rows) throws IOException {
        Schema kind = FILE.getField("kind").schema().getTypes().get(1);
        Schema tag = FILE.getField("tag").schema();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(FILE))) {
            writer.setSyncInterval(2048);
            writer.create(FILE, out);
            for (Object[] row : rows) {
                GenericRecord record = new GenericData.Record(FILE);
                record.put("kind", row[0] == null ? null : new GenericData.EnumSymbol(kind, (String) row[0]));
                record.put("blob", row[1] == null ? null : ByteBuffer.wrap((byte[]) row[1]));
                record.put("tag", new GenericData.Fixed(tag, (byte[]) row[2]));
                writer.append(record);
            }
        }
        return out.toByteArray();
    }

    private static String text(Object kind, byte[] blob, byte[] tag) {
        return kind + "|" + (blob == null ? "null" : java.util.HexFormat.of().formatHex(blob)) + "|" + java.util.HexFormat.of().formatHex(tag);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    @Test
    void anAvroFileReadAndWrittenAsAvroAndParquetKeepsEveryByteAndSymbol(@TempDir Path dir) throws Exception {
        List<Object[]> rows = rows();
        List<String> expected = rows.stream().map(r -> text(r[0], (byte[]) r[1], (byte[]) r[2])).toList();
        byte[] input = avroFile(rows);
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        Path parquet = dir.resolve("out.parquet");
        try (AvroBlockReader reader = AvroBlockReader.open(new SeekableByteArrayInput(input), "in.avro", 0, input.length, List.of(), allocator, 600);
                java.io.OutputStream parquetOut = Files.newOutputStream(parquet)) {
            AvroBatchWriter avroWriter = AvroBatchWriter.builder(reader.schema(), avro).syncIntervalBytes(1024).build();
            ParquetBatchWriter parquetWriter = ParquetBatchWriter.builder(reader.schema(), parquetOut).build();
            try (avroWriter; parquetWriter) {
                while (reader.next()) {
                    VectorSchemaRoot root = reader.root();
                    assertTrue(root.getVector("kind") instanceof VarCharVector);
                    assertTrue(root.getVector("tag") instanceof VarBinaryVector);
                    avroWriter.write(root);
                    parquetWriter.write(root);
                }
            }
        }
        List<String> fromAvro = new ArrayList<>();
        try (DataFileStream<GenericRecord> stream = new DataFileStream<>(new ByteArrayInputStream(avro.toByteArray()), new GenericDatumReader<>())) {
            assertEquals(Schema.Type.BYTES, stream.getSchema().getField("tag").schema().getType());
            for (GenericRecord record : stream) {
                Object kind = record.get("kind");
                fromAvro.add(text(kind == null ? null : kind.toString(), bytes((ByteBuffer) record.get("blob")), bytes((ByteBuffer) record.get("tag"))));
            }
        }
        assertEquals(expected, fromAvro);
        List<String> fromDuckDb = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement();
                ResultSet result = statement.executeQuery("SELECT kind, blob, tag, typeof(kind), typeof(blob), typeof(tag) FROM read_parquet('%s')".formatted(parquet))) {
            while (result.next()) {
                assertEquals("VARCHAR|BLOB|BLOB", result.getString(4) + "|" + result.getString(5) + "|" + result.getString(6));
                fromDuckDb.add(text(result.getString(1), result.getBytes(2), result.getBytes(3)));
            }
        }
        assertEquals(expected, fromDuckDb);
    }

    @Test
    void duckDbBlobsReadAsBytes(@TempDir Path dir) throws Exception {
        Path parquet = dir.resolve("blobs.parquet");
        List<byte[]> expected = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute(("COPY (SELECT CASE WHEN i %% 5 = 0 THEN NULL ELSE ('\\x00\\xFF' || repeat('ab', (i %% 40)::INTEGER) || i::VARCHAR)::BLOB END AS b "
                    + "FROM range(0, 3000) t(i)) TO '%s' (FORMAT PARQUET)").formatted(parquet));
            try (ResultSet result = statement.executeQuery("SELECT b FROM read_parquet('%s')".formatted(parquet))) {
                while (result.next()) {
                    expected.add(result.getBytes(1));
                }
            }
        }
        List<byte[]> read = new ArrayList<>();
        try (ParquetBlockReader reader = ParquetBlockReader.open(new LocalInputFile(parquet), 0, Files.size(parquet), List.of("b"), allocator, 1000)) {
            assertEquals(List.of(Column.of("b", ColumnType.BYTES, true)), reader.schema().columns());
            while (reader.next()) {
                VarBinaryVector vector = (VarBinaryVector) reader.root().getVector(0);
                for (int row = 0; row < vector.getValueCount(); row++) {
                    read.add(vector.getObject(row));
                }
            }
        }
        assertEquals(expected.size(), read.size());
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) == null) {
                assertNull(read.get(i), "row " + i);
            } else {
                assertArrayEquals(expected.get(i), read.get(i), "row " + i);
                assertEquals(0, expected.get(i)[0], "the blob starts with a zero byte");
            }
        }
    }
}
