package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Input that is not what it should be, end to end on the embedded cluster (issue 10): bytes that
 * are not UTF-8 are bad records and never reach an Avro string, random bytes are refused before
 * submission (exit 2), and a job with more bad records than {@code --max-rejects} fails (exit 1)
 * and commits nothing.
 */
@ExtendWith(SharedCluster.Resolver.class)
class BadInputIT {

    private static SharedCluster cluster;
    private static FileSystem fs;
    private static String confDir;

    @BeforeAll
    static void connect(SharedCluster shared) {
        cluster = shared;
        fs = shared.fs();
        confDir = shared.confDir();
    }

    private static byte[] taxi(long seed, int rows) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new TaxiDataGenerator(seed).write(csv, rows);
        return csv.toByteArray();
    }

    /** The byte offset where line {@code line} (1-based) of {@code data} starts. */
    private static int lineStart(byte[] data, int line) {
        int at = 0;
        for (int l = 1; l < line; l++) {
            while (data[at] != '\n') {
                at++;
            }
            at++;
        }
        return at;
    }

    @Test
    void invalidUtf8InAStringIsRejectedAsInvalidEncodingAndNeverWritten() throws Exception {
        byte[] csv = taxi(11, 5_000);
        // the medallion of the record on line 3001 becomes AB\xFF\xFECD... (same length, so the file stays taxi-shaped)
        int record = lineStart(csv, 3001);
        csv[record + 2] = (byte) 0xFF;
        csv[record + 3] = (byte) 0xFE;
        cluster.write("/data/bad-utf8/trips.csv", csv);

        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir,
                "--input", "/data/bad-utf8/trips.csv", "--output", "/out/bad-utf8", "--block-size", "64k"));
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = cluster.manifest("/out/bad-utf8");
        assertEquals(1, manifest.path("counters").path("rowsRejected").asLong(), manifest.toString());
        assertEquals(4_999, manifest.path("counters").path("rowsWritten").asLong());
        JsonNode reject = cluster.rejects("/out/bad-utf8").get(0);
        assertEquals("invalid-encoding", reject.path("reason").asText());
        assertEquals("medallion", reject.path("column").asText());
        assertEquals(0, reject.path("columnIndex").asInt());
        assertEquals(3001, reject.path("line").asLong());
        assertEquals(record, reject.path("byteOffset").asLong());
        assertTrue(reject.path("message").asText().startsWith("Invalid UTF-8 in column 'medallion' (#0): byte 0xFF at byte " + (record + 2)),
                reject.toString());
        assertTrue(reject.path("value").asText().contains("\\xFF\\xFE"), reject.toString());
        long strings = 0;
        for (GenericRecord row : cluster.avroRecords("/out/bad-utf8")) {
            for (org.apache.avro.Schema.Field field : row.getSchema().getFields()) {
                if (row.get(field.pos()) instanceof Utf8 text) {
                    strictUtf8(text);
                    strings++;
                }
            }
        }
        assertTrue(strings > 4_999, "strings checked: " + strings);

        CliRun failing = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--on-bad-record", "fail",
                "--input", "/data/bad-utf8/trips.csv", "--output", "/out/bad-utf8-fail", "--block-size", "64k"));
        assertEquals(1, failing.exitCode(), failing.toString());
        assertTrue(failing.err().contains("Invalid UTF-8 in column 'medallion' (#0): byte 0xFF at byte " + (record + 2)), failing.toString());
        assertTrue(failing.err().contains("line 3001"), failing.toString());
        assertFalse(fs.exists(new Path("/out/bad-utf8-fail/_SUCCESS")));
    }

    @Test
    void randomBytesAreRefusedBeforeSubmission() throws Exception {
        byte[] noise = new byte[5 << 20];
        new Random(5).nextBytes(noise);
        cluster.write("/data/noise/urandom.bin", noise);
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir,
                "--input", "/data/noise/urandom.bin", "--output", "/out/noise"));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("/data/noise/urandom.bin does not look like CSV in UTF-8: "), run.toString());
        assertTrue(run.err().matches("(?s).*\\d+% of sampled bytes invalid, [0-9,]+ distinct field counts in [0-9,]+ sampled rows.*"), run.toString());
        assertFalse(run.err().contains("Submitted"), run.toString());
        assertFalse(fs.exists(new Path("/out/noise")));

        CliRun parquet = CliRun.of(CliRun.withJobJar("csv-to-parquet", "--cluster", confDir,
                "--input", "/data/noise/urandom.bin", "--output", "/out/noise-parquet"));
        assertEquals(2, parquet.exitCode(), parquet.toString());
    }

    @Test
    void moreBadRecordsThanTheLimitFailTheJobAndCommitNothing() throws Exception {
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 1; i <= 20_000; i++) {
            csv.append(i).append(',').append(i % 25 == 0 ? i + "x" : String.valueOf(i)).append('\n'); // 4% bad
        }
        cluster.write("/data/many-bad/amounts.csv", csv.toString().getBytes(UTF_8));
        java.nio.file.Path schema = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "amounts", ".avsc");
        java.nio.file.Files.writeString(schema, "{\"type\":\"record\",\"name\":\"amounts\",\"fields\":"
                + "[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"amount\",\"type\":\"long\"}]}");

        java.nio.file.Path resultJson = java.nio.file.Path.of("target", "many-bad-result.json");
        java.nio.file.Files.deleteIfExists(resultJson);
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--schema", schema.toString(),
                "--input", "/data/many-bad/amounts.csv", "--output", "/out/many-bad", "--block-size", "64k", "--result-json", resultJson.toString()));
        assertEquals(1, run.exitCode(), run.toString());
        JsonNode failed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resultJson.toFile());
        assertEquals("FAILED", failed.path("state").asText(), failed.toString());
        assertEquals(1, failed.path("exitCode").asInt());
        assertTrue(failed.path("applicationId").asText().startsWith("application_"), failed.toString());
        assertTrue(failed.path("message").asText().contains("over --max-rejects 1%"), failed.toString());
        assertEquals(20_000, failed.path("counters").path("rowsRead").asLong(), "counted over the blocks that finished: " + failed);
        assertEquals(800, failed.path("counters").path("rowsRejected").asLong());
        assertEquals(0, failed.path("parts").asInt());
        assertTrue(failed.path("output").asText().endsWith("/out/many-bad"), failed.toString());
        assertTrue(run.err().contains("800 of 20,000 records were bad (4.00%), over --max-rejects 1%; nothing was committed. First: Cannot parse column 'amount'"),
                run.toString());
        assertFalse(fs.exists(new Path("/out/many-bad")), "nothing committed, no output directory");

        CliRun counted = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--schema", schema.toString(), "--max-rejects", "799",
                "--input", "/data/many-bad/amounts.csv", "--output", "/out/many-bad", "--block-size", "64k"));
        assertEquals(1, counted.exitCode(), counted.toString());
        assertTrue(counted.err().contains("over --max-rejects 799"), counted.toString());

        CliRun unlimited = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--schema", schema.toString(), "--max-rejects", "unlimited",
                "--input", "/data/many-bad/amounts.csv", "--output", "/out/many-bad", "--block-size", "64k"));
        assertEquals(0, unlimited.exitCode(), unlimited.toString());
        assertEquals(800, cluster.manifest("/out/many-bad").path("counters").path("rowsRejected").asLong());

        CliRun usage = CliRun.of("csv-to-avro", "--cluster", confDir, "--max-rejects", "lots",
                "--input", "/data/many-bad/amounts.csv", "--output", "/out/many-bad-usage", "--result-json", resultJson.toString());
        assertEquals(2, usage.exitCode(), usage.toString());
        JsonNode notSubmitted = new com.fasterxml.jackson.databind.ObjectMapper().readTree(resultJson.toFile());
        assertEquals("NOT_SUBMITTED", notSubmitted.path("state").asText(), notSubmitted.toString());
        assertEquals(2, notSubmitted.path("exitCode").asInt());
        assertTrue(notSubmitted.path("applicationId").isNull(), notSubmitted.toString());
        assertTrue(notSubmitted.path("message").asText().startsWith("--max-rejects takes a count"), notSubmitted.toString());
    }

    @Test
    void aRecordOverTheSizeLimitIsABadRecordAndAHeaderOverItAUsageError() throws Exception {
        byte[] csv = taxi(13, 4_000);
        int record = lineStart(csv, 2001);
        ByteArrayOutputStream withGiant = new ByteArrayOutputStream();
        withGiant.write(csv, 0, record);
        // line 2001 becomes one record of ~2 MB: a quoted medallion with line breaks inside
        withGiant.writeBytes(("\"" + "x\n".repeat(1 << 20) + "\",").getBytes(UTF_8));
        withGiant.write(csv, record, csv.length - record);
        cluster.write("/data/giant/trips.csv", withGiant.toByteArray());

        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--max-record-bytes", "1m",
                "--input", "/data/giant/trips.csv", "--output", "/out/giant", "--block-size", "256k"));
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = cluster.manifest("/out/giant");
        assertEquals(4_000, manifest.path("counters").path("rowsRead").asLong(), manifest.toString());
        assertEquals(3_999, manifest.path("counters").path("rowsWritten").asLong());
        assertEquals(1, manifest.path("counters").path("rowsRejected").asLong());
        JsonNode reject = cluster.rejects("/out/giant").get(0);
        assertEquals("record-too-long", reject.path("reason").asText());
        assertEquals(record, reject.path("byteOffset").asLong());
        assertEquals(2001, reject.path("line").asLong());
        assertTrue(reject.path("message").asText().startsWith("Record longer than 1048576 bytes (--max-record-bytes) at line 2001, byte " + record),
                reject.toString());

        byte[] oneLine = new byte[10 << 20];
        java.util.Arrays.fill(oneLine, (byte) 'a');
        cluster.write("/data/one-line/huge.csv", oneLine);
        CliRun header = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir,
                "--input", "/data/one-line/huge.csv", "--output", "/out/one-line"));
        assertEquals(2, header.exitCode(), header.toString());
        assertTrue(header.err().contains("Record longer than 8388608 bytes"), header.toString());
        assertTrue(header.err().contains("--max-record-bytes"), header.toString());
        assertFalse(header.err().contains("Submitted"), header.toString());
    }

    private static void strictUtf8(Utf8 text) {
        try {
            UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(text.getBytes(), 0, text.getByteLength()));
        } catch (CharacterCodingException e) {
            throw new AssertionError("Not UTF-8 in an Avro string: " + text, e);
        }
    }
}
