package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalTypes;
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

/**
 * {@code inspect}, {@code count}, {@code schema}, {@code head} and {@code validate} on real Avro
 * and Parquet files on local disk: a committed output (parts and a {@code _SUCCESS} manifest) and
 * plain files without one; {@code validate} catching a deleted, an extra and a truncated part.
 */
class DatasetCommandsTest {

    private static final Schema SCHEMA = SchemaBuilder.record("trip").fields()
            .requiredLong("id")
            .optionalString("city")
            .name("pickup").type().unionOf().nullType().and()
                    .type(LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG))).endUnion().nullDefault()
            .endRecord();

    private static List<GenericRecord> records(int from, int count) {
        List<GenericRecord> records = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            GenericRecord record = new GenericData.Record(SCHEMA);
            record.put("id", (long) i);
            record.put("city", i % 7 == 0 ? null : "city " + i);
            record.put("pickup", i * 1_000_000L);
            records.add(record);
        }
        return records;
    }

    private static long writeAvro(Path file, List<GenericRecord> records) throws Exception {
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            writer.setSyncInterval(1024); // several blocks per file
            writer.create(SCHEMA, file.toFile());
            for (GenericRecord record : records) {
                writer.append(record);
            }
        }
        return Files.size(file);
    }

    private static long writeParquet(Path file, List<GenericRecord> records) throws Exception {
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(
                HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration())).withSchema(SCHEMA).build()) {
            for (GenericRecord record : records) {
                writer.write(record);
            }
        }
        return Files.size(file);
    }

    /** A committed output of three parts (500, 300, 200 rows) and its manifest. */
    private static Path committed(Path dir, String format) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out-" + format));
        int[] sizes = {500, 300, 200};
        List<Manifest.Part> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < sizes.length; i++) {
            String name = "part-%05d.%s".formatted(i, format);
            List<GenericRecord> rows = records(from, sizes[i]);
            long bytes = format.equals("avro") ? writeAvro(out.resolve(name), rows) : writeParquet(out.resolve(name), rows);
            parts.add(new Manifest.Part(name, sizes[i], bytes));
            from += sizes[i];
        }
        Manifest manifest = new Manifest("test", "application_1_0001", format, new ObjectMapper().readTree(SCHEMA.toString()),
                new Manifest.Counters(1_010, 1_000, 7, 3, 123_456, 3, 0, 3), parts, List.of());
        try (OutputStream stream = Files.newOutputStream(out.resolve("_SUCCESS"))) {
            manifest.write(stream);
        }
        return out;
    }

    @Test
    void countSchemaHeadAndInspectReadACommittedAvroOutput(@TempDir Path dir) throws Exception {
        Path out = committed(dir, "avro");
        CliRun count = CliRun.of("count", out.toString());
        assertEquals("1000", count.out().strip(), count.toString());
        assertEquals("1000", CliRun.of("count", "--scan", out.toString()).out().strip());
        CliRun schema = CliRun.of("schema", out.toString());
        assertEquals(SCHEMA, new Schema.Parser().parse(schema.out()), schema.toString());
        CliRun head = CliRun.of("head", "-n", "3", out.toString());
        assertEquals(List.of("{\"id\":0,\"city\":null,\"pickup\":\"1970-01-01T00:00\"}",
                "{\"id\":1,\"city\":\"city 1\",\"pickup\":\"1970-01-01T00:00:01\"}",
                "{\"id\":2,\"city\":\"city 2\",\"pickup\":\"1970-01-01T00:00:02\"}"), head.out().lines().toList(), head.toString());
        CliRun inspect = CliRun.of("inspect", "-n", "2", out.toString());
        assertEquals(0, inspect.exitCode(), inspect.toString());
        String text = inspect.out();
        assertTrue(text.contains("format:   avro"), text);
        assertTrue(text.contains("parts:    3"), text);
        assertTrue(text.contains("rows:     1,000 (from the manifest of application_1_0001)"), text);
        assertTrue(text.contains("counters: read 1,010, written 1,000, filtered 7, rejected 3; 3 blocks"), text);
        assertTrue(text.contains("  city    string?"), text);
        assertTrue(text.contains("  pickup  local-timestamp-micros?"), text);
        assertTrue(text.contains("id | city   | pickup"), text);
        assertTrue(text.contains("1  | city 1 | 1970-01-01T00:00:01"), text);
        assertTrue(text.contains("(2 records shown)"), text);
    }

    @Test
    void parquetPartsAndPlainFilesWithoutAManifestAreReadByTheirMagicBytes(@TempDir Path dir) throws Exception {
        Path out = committed(dir, "parquet");
        assertEquals("1000", CliRun.of("count", "--scan", out.toString()).out().strip());
        assertEquals("{\"id\":500,\"city\":\"city 500\",\"pickup\":\"1970-01-01T00:08:20\"}",
                CliRun.of("head", "-n", "501", out.toString()).out().lines().toList().get(500));
        CliRun parquetSchema = CliRun.of("schema", "--parquet", out.resolve("part-00001.parquet").toString());
        assertTrue(parquetSchema.out().contains("optional int64 pickup (TIMESTAMP(MICROS,false))"), parquetSchema.toString());
        // a file whose name says nothing: detected as Avro by its first bytes
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        writeAvro(plain.resolve("data.bin"), records(0, 42));
        writeAvro(plain.resolve("more.bin"), records(42, 8));
        assertEquals("50", CliRun.of("count", plain.toString()).out().strip());
        CliRun inspect = CliRun.of("inspect", "-n", "0", plain.toString());
        assertTrue(inspect.out().contains("rows:     50 (counted; no manifest)"), inspect.toString());
        Files.writeString(plain.resolve("notes.txt"), "not a data file");
        CliRun mixed = CliRun.of("count", plain.toString());
        assertEquals(ExitCode.USAGE.code(), mixed.exitCode(), mixed.toString());
        assertTrue(mixed.err().contains("Not an Avro or Parquet file (by its first bytes): "), mixed.toString());
        assertTrue(mixed.err().contains("notes.txt"), mixed.toString());
    }

    @Test
    void headAndInspectPrintDecimalsAsNumbersOfTheirScale(@TempDir Path dir) throws Exception {
        Schema decimal = LogicalTypes.decimal(38, 10).addToSchema(Schema.create(Schema.Type.BYTES));
        Schema schema = SchemaBuilder.record("ledger").fields().name("amount").type(decimal).noDefault().endRecord();
        Path file = dir.resolve("ledger.avro");
        java.util.List<java.math.BigDecimal> values = List.of(new java.math.BigDecimal("12.3000000000"), new java.math.BigDecimal("-0.0000000001"),
                new java.math.BigDecimal("9999999999999999999999999999.9999999999"));
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            writer.create(schema, file.toFile());
            for (java.math.BigDecimal value : values) {
                GenericRecord record = new GenericData.Record(schema);
                record.put("amount", java.nio.ByteBuffer.wrap(value.unscaledValue().toByteArray()));
                writer.append(record);
            }
        }
        CliRun head = CliRun.of("head", "-n", "3", file.toString());
        assertEquals(values.stream().map(v -> "{\"amount\":" + v.toPlainString() + "}").toList(), head.out().lines().toList(), head.toString());
        CliRun inspect = CliRun.of("inspect", "-n", "3", file.toString());
        for (java.math.BigDecimal value : values) {
            assertTrue(inspect.out().contains(value.toPlainString()), inspect.toString());
        }
    }

    @Test
    void validatePassesAnIntactOutputAndNamesADeletedAnExtraAndATruncatedPart(@TempDir Path dir) throws Exception {
        for (String format : List.of("avro", "parquet")) {
            Path out = committed(dir, format);
            CliRun ok = CliRun.of("validate", out.toString());
            assertEquals(0, ok.exitCode(), ok.toString());
            assertTrue(ok.out().startsWith("OK "), ok.toString());
            assertTrue(ok.out().contains(": 3 parts, 1000 rows, "), ok.toString());

            Files.delete(out.resolve("part-00000." + format));
            Files.copy(out.resolve("part-00002." + format), out.resolve("part-00009." + format));
            long size = Files.size(out.resolve("part-00001." + format));
            try (RandomAccessFile file = new RandomAccessFile(out.resolve("part-00001." + format).toFile(), "rw")) {
                file.setLength(size - 100);
            }
            CliRun bad = CliRun.of("validate", out.toString());
            assertEquals(ExitCode.JOB_FAILED.code(), bad.exitCode(), bad.toString());
            List<String> lines = bad.out().lines().toList();
            assertTrue(lines.get(0).startsWith("MISSING part-00000." + format + ": listed with 500 rows"), bad.toString());
            assertEquals("SIZE part-00001.%s: %d bytes, the manifest says %d".formatted(format, size - 100, size), lines.get(1), bad.toString());
            assertTrue(lines.get(2).startsWith("UNREADABLE part-00001." + format + ": ")
                    || lines.get(2).startsWith("ROWS part-00001." + format + ": "), bad.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("UNLISTED part-00009." + format + ": ")), bad.toString());
            assertTrue(lines.get(lines.size() - 1).startsWith("INVALID "), bad.toString());
        }
    }

    @Test
    void validateRefusesAPathWithoutAManifest(@TempDir Path dir) throws Exception {
        writeAvro(dir.resolve("a.avro"), records(0, 3));
        CliRun run = CliRun.of("validate", dir.toString());
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("no _SUCCESS manifest"), run.toString());
    }
}
