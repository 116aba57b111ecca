package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** csv-to-parquet, compressed and non-UTF-8 inputs, and infer-schema feeding --schema, on the embedded cluster. */
@ExtendWith(SharedCluster.Resolver.class)
class OtherInputsAndFormatsIT {

    private static SharedCluster cluster;
    private static FileSystem fs;
    private static String confDir;

    @BeforeAll
    static void connect(SharedCluster shared) {
        cluster = shared;
        fs = shared.fs();
        confDir = cluster.confDir();
    }

    private static JsonNode manifest(String output) throws Exception {
        return cluster.manifest(output);
    }

    @Test
    void csvToParquetWritesPartsParquetReadersRead() throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new TaxiDataGenerator(3).write(csv, 5_000);
        cluster.write("/data/parquet-in/trip_data.csv", csv.toByteArray());

        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-parquet", "--cluster", confDir,
                "--input", "/data/parquet-in", "--output", "/out/parquet", "--block-size", "256k",
                "--filter", "vendor_id = 'CMT' AND trip_distance >= 1.5", "--drop", "medallion,hack_license"));
        assertEquals(0, run.exitCode(), run.toString());

        JsonNode manifest = manifest("/out/parquet");
        assertEquals("parquet", manifest.path("format").asText());
        assertTrue(manifest.path("parts").size() >= 2, manifest.toString());
        long rows = 0;
        for (JsonNode part : manifest.path("parts")) {
            assertTrue(part.path("path").asText().endsWith(".parquet"), part.toString());
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path("/out/parquet", part.path("path").asText());
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
                    HadoopInputFile.fromPath(path, fs.getConf())).build()) {
                GenericRecord record;
                while ((record = reader.read()) != null) {
                    assertEquals("CMT", record.get("vendor_id").toString());
                    assertTrue((Double) record.get("trip_distance") >= 1.5, record.toString());
                    assertEquals(12, record.getSchema().getFields().size());
                    rows++;
                }
            }
        }
        assertEquals(manifest.path("counters").path("rowsWritten").asLong(), rows);
        assertEquals(5_000, manifest.path("counters").path("rowsRead").asLong());
        assertTrue(rows > 500 && rows < 2_500, "about half CMT, most trips >= 1.5: " + rows);
        assertDuckDbReads("/out/parquet", rows);
    }

    /** DuckDB, an independent Parquet reader, reads the parts: row count, values and column types. */
    private static void assertDuckDbReads(String output, long rows) throws Exception {
        Path local = Files.createTempDirectory(Path.of("target"), "parquet-");
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(output), new org.apache.hadoop.fs.Path(local.toAbsolutePath().toString()));
        String parts = local.toAbsolutePath() + "/" + new org.apache.hadoop.fs.Path(output).getName() + "/part-*.parquet";
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*), min(vendor_id), max(vendor_id), min(trip_distance), "
                        + "any_value(typeof(pickup_datetime)), any_value(typeof(passenger_count)) FROM read_parquet('" + parts + "')")) {
            assertTrue(result.next());
            assertEquals(rows, result.getLong(1));
            assertEquals("CMT", result.getString(2));
            assertEquals("CMT", result.getString(3));
            assertTrue(result.getDouble(4) >= 1.5);
            assertEquals("TIMESTAMP", result.getString(5), "a local timestamp stays a timestamp without time zone");
            assertEquals("BIGINT", result.getString(6));
        }
    }

    @Test
    void aGzippedUtf16FileWithABomAndAnIsoLatin1FileAreDecoded() throws Exception {
        String text = "city,note\nZürich,\"Grüße,\nmit Umlaut\"\nSão Paulo,café ☕\n";
        ByteArrayOutputStream utf16 = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(utf16)) {
            gzip.write(new byte[] {(byte) 0xFF, (byte) 0xFE});
            gzip.write(text.getBytes(UTF_16LE));
        }
        cluster.write("/data/utf16/cities.csv.gz", utf16.toByteArray());
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir,
                "--input", "/data/utf16/cities.csv.gz", "--output", "/out/utf16"));
        assertEquals(0, run.exitCode(), run.toString());
        List<String> rows = new ArrayList<>();
        cluster.avroRecords("/out/utf16").forEach(r -> rows.add(r.get("city") + "|" + r.get("note")));
        assertEquals(List.of("Zürich|Grüße,\nmit Umlaut", "São Paulo|café ☕"), rows);

        String latin = "city,note\nZürich,Grüße\nSão Paulo,café\n";
        cluster.write("/data/latin1/cities.csv", latin.getBytes(ISO_8859_1));
        CliRun latinRun = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir,
                "--input", "/data/latin1/cities.csv", "--output", "/out/latin1", "--encoding", "ISO-8859-1"));
        assertEquals(0, latinRun.exitCode(), latinRun.toString());
        List<String> latinRows = new ArrayList<>();
        cluster.avroRecords("/out/latin1").forEach(r -> latinRows.add(r.get("city") + "|" + r.get("note")));
        assertEquals(List.of("Zürich|Grüße", "São Paulo|café"), latinRows);
    }

    @Test
    void inferSchemaSniffsTheDialectAndItsSchemaFileDrivesAJob(@TempDir Path dir) throws Exception {
        String csv = "Trip ID|trip distance |Pickup Date|fare\n1|2.5|2013-01-01|007\n2||2013-01-02|010\n3|1e1|2013-01-03|100\n";
        Path local = dir.resolve("trips.psv");
        Files.writeString(local, csv, UTF_8);
        File avsc = dir.resolve("trips.avsc").toFile();

        CliRun infer = CliRun.of("infer-schema", local.toString(), "--avsc-out", avsc.getPath());
        assertEquals(0, infer.exitCode(), infer.toString());
        assertTrue(infer.out().contains("delimiter '|'"), infer.out());
        assertTrue(infer.out().contains("trip_distance            double (nullable)   <- \"trip distance \""), infer.out());
        assertTrue(infer.out().contains("fare                     string"), "leading zeros stay strings: " + infer.out());
        assertTrue(infer.out().contains("--delimiter '|' --schema " + avsc.getPath()), infer.out());
        String schema = Files.readString(avsc.toPath(), UTF_8);
        assertTrue(schema.contains("\"logicalType\" : \"date\""), schema);

        cluster.write("/data/psv/trips.psv", csv.getBytes(UTF_8));
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--input", "/data/psv/trips.psv",
                "--output", "/out/psv", "--delimiter", "|", "--schema", avsc.getPath(), "--filter", "trip_distance IS NULL"));
        assertEquals(0, run.exitCode(), run.toString());
        List<GenericRecord> records = cluster.avroRecords("/out/psv");
        assertEquals(1, records.size());
        assertEquals(2L, records.get(0).get("Trip_ID"));
        assertEquals("010", records.get(0).get("fare").toString());
    }
}
