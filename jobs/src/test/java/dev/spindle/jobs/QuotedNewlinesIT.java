package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Quoted fields holding newlines and lines that look like records, cut into many small blocks
 * on the embedded cluster, with a look-ahead window so short that blocks starting inside a
 * quoted field guess wrong: the tiling check must catch every wrong guess and the re-runs must
 * make the output exactly that of a one-block run.
 */
@ExtendWith(SharedCluster.Resolver.class)
class QuotedNewlinesIT {

    private static final String INPUT = "/data/quoted/notes.csv";
    private static SharedCluster cluster;
    private static FileSystem fs;
    private static String confDir;
    private static Map<List<Object>, Integer> expected;
    private static int records;

    @BeforeAll
    static void writeInput(SharedCluster shared) throws Exception {
        cluster = shared;
        fs = shared.fs();
        confDir = cluster.confDir();
        String csv = SchemaSamplerTest.quotedNotes(new Random(11), 2_000);
        try (OutputStream out = fs.create(new Path(INPUT))) {
            out.write(csv.getBytes(UTF_8));
        }
        expected = new HashMap<>();
        for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(csv))) {
            expected.merge(List.of(Long.parseLong(record.get("id")), record.get("note"), Long.parseLong(record.get("amount"))), 1, Integer::sum);
            records++;
        }
    }

    @Test
    void manyBlocksWithWrongStartGuessesGiveExactlyTheOneBlockOutput() throws Exception {
        CliRun single = CliRun.of(CliRun.withJobJar("csv-to-avro",
                "--cluster", confDir, "--input", INPUT, "--output", "/out/quoted-one-block", "--block-size", "64m"));
        assertEquals(0, single.exitCode(), single.toString());

        CliRun many = CliRun.of(CliRun.withJobJar("csv-to-avro",
                "-D", CsvConfig.LOOK_AHEAD_BYTES + "=40",
                "--cluster", confDir, "--input", INPUT, "--output", "/out/quoted-many-blocks", "--block-size", "4k"));
        assertEquals(0, many.exitCode(), many.toString());

        JsonNode oneBlock = manifest("/out/quoted-one-block");
        JsonNode manyBlocks = manifest("/out/quoted-many-blocks");
        assertEquals(1, oneBlock.path("counters").path("blocks").asInt());
        assertTrue(manyBlocks.path("counters").path("blocks").asInt() >= 20, manyBlocks.toString());
        assertTrue(manyBlocks.path("counters").path("blocksRerun").asInt() > 0,
                "a 40-byte look-ahead inside quoted fake records must guess wrong somewhere: " + manyBlocks.path("counters"));
        assertTrue(many.err().contains("(re-run)"), "progress shows re-runs: " + many);
        System.out.println("quoted newlines, 4 KiB blocks, 40-byte look-ahead: " + manyBlocks.path("counters"));
        assertEquals(records, oneBlock.path("counters").path("rowsRead").asLong());
        assertEquals(records, manyBlocks.path("counters").path("rowsRead").asLong());
        assertEquals(records, manyBlocks.path("counters").path("rowsWritten").asLong());

        assertSameRows(expected, read("/out/quoted-one-block", oneBlock));
        assertSameRows(expected, read("/out/quoted-many-blocks", manyBlocks));
    }

    /** Equal multisets, or a message naming the first rows missing and the first extra. */
    private static void assertSameRows(Map<List<Object>, Integer> expected, Map<List<Object>, Integer> actual) {
        List<String> differences = new ArrayList<>();
        for (Map.Entry<List<Object>, Integer> row : expected.entrySet()) {
            int found = actual.getOrDefault(row.getKey(), 0);
            if (found != row.getValue()) {
                differences.add("expected %d, found %d: %s".formatted(row.getValue(), found, row.getKey()));
            }
        }
        for (Map.Entry<List<Object>, Integer> row : actual.entrySet()) {
            if (!expected.containsKey(row.getKey())) {
                differences.add("unexpected %d: %s".formatted(row.getValue(), row.getKey()));
            }
        }
        List<String> shown = new ArrayList<>(differences.subList(0, Math.min(3, differences.size())));
        differences.stream().filter(d -> d.startsWith("unexpected")).limit(3).forEach(shown::add);
        assertTrue(differences.isEmpty(), differences.size() + " differences, among them: " + String.join("\n", shown).replace("\n", "\\n"));
    }

    private static JsonNode manifest(String output) throws Exception {
        return cluster.manifest(output);
    }

    private static Map<List<Object>, Integer> read(String output, JsonNode manifest) throws Exception {
        Map<List<Object>, Integer> rows = new HashMap<>();
        List<String> parts = new ArrayList<>();
        manifest.path("parts").forEach(part -> parts.add(part.path("path").asText()));
        for (String part : parts) {
            try (InputStream in = fs.open(new Path(output, part));
                    DataFileStream<GenericRecord> file = new DataFileStream<>(in, new GenericDatumReader<>())) {
                for (GenericRecord record : file) {
                    rows.merge(List.of(record.get("id"), record.get("note").toString(), record.get("amount")), 1, Integer::sum);
                }
            }
        }
        return rows;
    }
}
