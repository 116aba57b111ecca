package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --write-mode append} and {@code overwrite-partitions} (and {@code overwrite}'s failure
 * case) on the embedded cluster: what lands, what {@code validate}, {@code count} and DuckDB (a
 * reader sharing no code with ours) see, what is refused before submission, and that a job
 * killed mid-run leaves the previous dataset byte for byte.
 */
@ExtendWith(SharedCluster.Resolver.class)
class WriteModesIT {

    private static final String HEADER = "id,city,fare\n";

    /** {@code rows} rows with ids from {@code firstId}, cities cycling over {@code cities}. */
    private static String csv(int firstId, int rows, String... cities) {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < rows; i++) {
            int id = firstId + i;
            csv.append(id).append(',').append(cities[i % cities.length]).append(',').append(id % 100).append(".25\n");
        }
        return csv.toString();
    }

    private static CliRun convert(SharedCluster cluster, String command, String input, String output, String... more) {
        List<String> args = new ArrayList<>(List.of("--cluster", cluster.confDir(), "--input", input, "--output", output,
                "--block-size", "8k", "--quiet"));
        args.addAll(Arrays.asList(more));
        return CliRun.of(CliRun.withJobJar(command, args.toArray(new String[0])));
    }

    /** Every file of the output but staging, with its bytes: what "the previous dataset, byte for byte" is. */
    private static Map<String, String> snapshot(FileSystem fs, String output) throws IOException {
        Map<String, String> files = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> all = fs.listFiles(new org.apache.hadoop.fs.Path(output), true);
        String root = fs.makeQualified(new org.apache.hadoop.fs.Path(output)).toString();
        while (all.hasNext()) {
            LocatedFileStatus file = all.next();
            String relative = file.getPath().toString().substring(root.length() + 1);
            if (relative.startsWith("_temporary/")) {
                continue;
            }
            try (InputStream in = fs.open(file.getPath())) {
                files.put(relative, java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(in.readAllBytes())) + " " + file.getLen());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
        return files;
    }

    /** DuckDB's count and id sum of a Parquet output copied to local disk, by city when partitioned. */
    private static Map<String, String> duckdb(SharedCluster cluster, String output, boolean partitioned) throws Exception {
        Path local = Files.createTempDirectory(Path.of("target"), "write-modes-");
        cluster.fs().copyToLocalFile(new org.apache.hadoop.fs.Path(output), new org.apache.hadoop.fs.Path(local.toAbsolutePath().toString()));
        String name = output.substring(output.lastIndexOf('/') + 1);
        String files = partitioned ? "/" + name + "/*/*.parquet', hive_partitioning = true" : "/" + name + "/*.parquet'";
        String groupBy = partitioned ? "city" : "'all'";
        Map<String, String> result = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = connection.createStatement();
                ResultSet rows = sql.executeQuery("SELECT " + groupBy + ", count(*), sum(id), count(DISTINCT id) FROM read_parquet('"
                        + local.toAbsolutePath() + files + ") GROUP BY 1")) {
            while (rows.next()) {
                result.put(rows.getString(1), rows.getLong(2) + " rows, ids " + rows.getLong(3) + ", distinct " + rows.getLong(4));
            }
        }
        return result;
    }

    private static String expected(long rows, long firstId) {
        return rows + " rows, ids " + (rows * firstId + rows * (rows - 1) / 2) + ", distinct " + rows;
    }

    /**
     * Submits a job (detached) whose block 1 sleeps, waits until block 0's part is staged, kills
     * the job, waits for its end, and asserts the output is as it was, byte for byte, and still valid.
     */
    private static void killedMidRunLeavesTheDatasetUnchanged(SharedCluster cluster, String command, String input, String output,
            String... more) throws Exception {
        Map<String, String> before = snapshot(cluster.fs(), output);
        List<String> args = new ArrayList<>(List.of("-D", "spindle.test.slow-block=1", "-D", "spindle.test.slow-block-ms=600000",
                "-D", "spindle.yarn.am.max-attempts=1", "--detach"));
        args.addAll(Arrays.asList(more));
        CliRun detached = convert(cluster, command, input, output, args.toArray(new String[0]));
        assertEquals(0, detached.exitCode(), detached.toString());
        String id = detached.out().strip();
        assertTrue(id.matches("application_\\d+_\\d+"), detached.toString());
        org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(output + "/_temporary/" + id);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (!hasStagedPart(cluster.fs(), staging)) {
            assertTrue(System.nanoTime() < deadline, "no part staged by " + id);
            Thread.sleep(200);
        }
        assertEquals(before, snapshot(cluster.fs(), output), "nothing changes while the job runs");

        CliRun kill = CliRun.of("kill", "--cluster", cluster.confDir(), id);
        assertEquals(0, kill.exitCode(), kill.toString());
        CliRun waited = CliRun.of("wait", "--cluster", cluster.confDir(), id);
        assertNotEquals(0, waited.exitCode(), waited.toString());

        assertEquals(before, snapshot(cluster.fs(), output), "the killed job left the dataset byte for byte");
        assertFalse(cluster.fs().exists(new org.apache.hadoop.fs.Path(output + "/" + "_spindle-commit.lock")));
        CliRun validate = CliRun.of("validate", "--cluster", cluster.confDir(), output);
        assertEquals(0, validate.exitCode(), validate.toString());
    }

    private static boolean hasStagedPart(FileSystem fs, org.apache.hadoop.fs.Path staging) throws IOException {
        if (!fs.exists(staging)) {
            return false;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(staging, true);
        while (files.hasNext()) {
            if (files.next().getPath().getName().startsWith("part-")) {
                return true;
            }
        }
        return false;
    }

    @Test
    void appendAddsPartsAndTheManifestListsTheWholeDataset(SharedCluster cluster) throws Exception {
        cluster.write("/data/append/day-1.csv", csv(0, 1500, "Paris", "Rome").getBytes(UTF_8));
        cluster.write("/data/append/day-2.csv", csv(1500, 1000, "Oslo").getBytes(UTF_8));
        cluster.write("/data/append/day-3.csv", csv(2500, 700, "Rome").getBytes(UTF_8));
        String output = "/out/append/trips";

        // append into a missing output: a first write
        CliRun first = convert(cluster, "csv-to-parquet", "/data/append/day-1.csv", output, "--write-mode", "append");
        assertEquals(0, first.exitCode(), first.toString());
        JsonNode manifest = cluster.manifest(output);
        assertTrue(manifest.path("history").isMissingNode(), manifest.toString());
        String firstApp = manifest.path("applicationId").asText();

        // the inferred record would be named day_2: the job takes the dataset's name (day_1)
        CliRun second = convert(cluster, "csv-to-parquet", "/data/append/day-2.csv", output, "--write-mode", "append");
        assertEquals(0, second.exitCode(), second.toString());
        assertTrue(second.out().contains("append: the dataset now holds 2,500 rows"), second.toString());
        manifest = cluster.manifest(output);
        assertEquals(2500, manifest.path("counters").path("rowsWritten").asLong(), manifest.toString());
        assertEquals(2500, manifest.path("counters").path("rowsRead").asLong());
        long parts = 0;
        for (JsonNode part : manifest.path("parts")) {
            parts++;
            assertTrue(cluster.fs().exists(new org.apache.hadoop.fs.Path(output, part.path("path").asText())), part.toString());
        }
        assertEquals(manifest.path("counters").path("blocks").asInt(), parts, "one part per block of both jobs");
        assertEquals(2, manifest.path("history").size());
        assertEquals(firstApp, manifest.path("history").get(0).path("applicationId").asText());
        assertEquals("append", manifest.path("history").get(1).path("writeMode").asText());
        assertEquals(1000, manifest.path("history").get(1).path("counters").path("rowsWritten").asLong());
        assertEquals(manifest.path("applicationId").asText(), manifest.path("history").get(1).path("applicationId").asText());

        CliRun validate = CliRun.of("validate", "--cluster", cluster.confDir(), output);
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals("2500", CliRun.of("count", "--cluster", cluster.confDir(), output).out().strip());
        assertEquals("2500", CliRun.of("count", "--scan", "--cluster", cluster.confDir(), output).out().strip());
        CliRun inspect = CliRun.of("inspect", "-n", "1", "--cluster", cluster.confDir(), output);
        assertTrue(inspect.out().contains("rows:     2,500 (from the manifest; written by 2 jobs"), inspect.toString());
        assertEquals(Map.of("all", expected(2500, 0)), duckdb(cluster, output, false));

        // another schema: refused before submission, exit 2, naming the column
        cluster.write("/data/append/other.csv", "id,city,fare\nx1,Paris,1.5\nx2,Rome,2.5\n".getBytes(UTF_8));
        Map<String, String> before = snapshot(cluster.fs(), output);
        CliRun refused = convert(cluster, "csv-to-parquet", "/data/append/other.csv", output, "--write-mode", "append");
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("Cannot append to hdfs://") && refused.err().contains("the new data's schema differs from the dataset's: "
                + "column id is "), refused.toString());
        assertTrue(refused.err().matches("(?s).*column id is [^;]*long[^;]* in the dataset, [^;]*string[^;]* in the new data.*"), refused.toString());
        assertFalse(refused.err().contains("Submitted"), "refused before submission");
        // another format and partitioning: refused too
        CliRun avro = convert(cluster, "csv-to-avro", "/data/append/day-3.csv", output, "--write-mode", "append");
        assertEquals(2, avro.exitCode(), avro.toString());
        assertTrue(avro.err().contains("Cannot append avro to hdfs://") && avro.err().contains("it is a parquet dataset"), avro.toString());
        CliRun partitioned = convert(cluster, "csv-to-parquet", "/data/append/day-3.csv", output, "--write-mode", "append",
                "--partition-by", "city");
        assertEquals(2, partitioned.exitCode(), partitioned.toString());
        assertTrue(partitioned.err().contains("the dataset is partitioned by nothing, the job by city (--partition-by must not be given)"),
                partitioned.toString());
        assertEquals(before, snapshot(cluster.fs(), output));

        // a killed append, a killed overwrite: the dataset as it was
        killedMidRunLeavesTheDatasetUnchanged(cluster, "csv-to-parquet", "/data/append/day-3.csv", output, "--write-mode", "append");
        killedMidRunLeavesTheDatasetUnchanged(cluster, "csv-to-parquet", "/data/append/day-3.csv", output, "--write-mode", "overwrite");
        assertEquals(Map.of("all", expected(2500, 0)), duckdb(cluster, output, false));

        // overwrite-partitions without --partition-by into an unpartitioned dataset: replaces it whole (as Spark)
        CliRun replaced = convert(cluster, "csv-to-parquet", "/data/append/day-3.csv", output, "--write-mode", "overwrite-partitions");
        assertEquals(0, replaced.exitCode(), replaced.toString());
        assertEquals(Map.of("all", expected(700, 2500)), duckdb(cluster, output, false));
        assertTrue(cluster.manifest(output).path("history").isMissingNode());
        assertEquals(0, CliRun.of("validate", "--cluster", cluster.confDir(), output).exitCode());
    }

    @Test
    void overwritePartitionsReplacesOnlyThePartitionsTheJobWrites(SharedCluster cluster) throws Exception {
        cluster.write("/data/partitions/jan.csv", csv(0, 1200, "Paris", "Rome", "Oslo").getBytes(UTF_8));
        cluster.write("/data/partitions/feb.csv", csv(1200, 600, "Paris", "Lima").getBytes(UTF_8));
        cluster.write("/data/partitions/fix.csv", csv(5000, 600, "Rome", "Lima").getBytes(UTF_8));
        String output = "/out/partitions/trips";

        CliRun first = convert(cluster, "csv-to-parquet", "/data/partitions/jan.csv", output, "--partition-by", "city");
        assertEquals(0, first.exitCode(), first.toString());
        // append to a partitioned dataset: Paris gets more parts, Lima is new
        CliRun appended = convert(cluster, "csv-to-parquet", "/data/partitions/feb.csv", output, "--partition-by", "city",
                "--write-mode", "append");
        assertEquals(0, appended.exitCode(), appended.toString());
        assertEquals(Map.of("Lima", "300 rows, ids " + sumOf(1200, 1800, 2, 1) + ", distinct 300",
                "Oslo", "400 rows, ids " + sumOf(0, 1200, 3, 2) + ", distinct 400",
                "Paris", (400 + 300) + " rows, ids " + (sumOf(0, 1200, 3, 0) + sumOf(1200, 1800, 2, 0)) + ", distinct 700",
                "Rome", "400 rows, ids " + sumOf(0, 1200, 3, 1) + ", distinct 400"), duckdb(cluster, output, true));
        assertEquals(0, CliRun.of("validate", "--cluster", cluster.confDir(), output).exitCode());
        Map<String, String> afterAppend = snapshot(cluster.fs(), output);

        // without the dataset's partition columns: refused before submission
        CliRun unpartitioned = convert(cluster, "csv-to-parquet", "/data/partitions/fix.csv", output, "--write-mode", "overwrite-partitions");
        assertEquals(2, unpartitioned.exitCode(), unpartitioned.toString());
        assertTrue(unpartitioned.err().contains("the dataset is partitioned by city, the job by nothing (--partition-by must be city)"),
                unpartitioned.toString());
        // killed mid-run: as it was
        killedMidRunLeavesTheDatasetUnchanged(cluster, "csv-to-parquet", "/data/partitions/fix.csv", output, "--partition-by", "city",
                "--write-mode", "overwrite-partitions");

        // Rome and Lima are replaced by fix.csv's rows; Paris and Oslo stay byte for byte
        CliRun replaced = convert(cluster, "csv-to-parquet", "/data/partitions/fix.csv", output, "--partition-by", "city",
                "--write-mode", "overwrite-partitions");
        assertEquals(0, replaced.exitCode(), replaced.toString());
        assertEquals(Map.of("Lima", "300 rows, ids " + sumOf(5000, 5600, 2, 1) + ", distinct 300",
                "Oslo", "400 rows, ids " + sumOf(0, 1200, 3, 2) + ", distinct 400",
                "Paris", 700 + " rows, ids " + (sumOf(0, 1200, 3, 0) + sumOf(1200, 1800, 2, 0)) + ", distinct 700",
                "Rome", "300 rows, ids " + sumOf(5000, 5600, 2, 0) + ", distinct 300"), duckdb(cluster, output, true));
        Map<String, String> after = snapshot(cluster.fs(), output);
        afterAppend.forEach((path, digest) -> {
            if (path.startsWith("city=Paris/") || path.startsWith("city=Oslo/")) {
                assertEquals(digest, after.get(path), path);
            }
            if (path.startsWith("city=Rome/") || path.startsWith("city=Lima/")) {
                assertFalse(after.containsKey(path), "an old part of a replaced partition is gone: " + path);
            }
        });
        JsonNode manifest = cluster.manifest(output);
        assertEquals(3, manifest.path("history").size());
        assertEquals("[\"city=Lima\",\"city=Rome\"]", manifest.path("history").get(2).path("partitionsReplaced").toString());
        assertEquals(400 + 700 + 300 + 300, manifest.path("counters").path("rowsWritten").asLong());
        CliRun validate = CliRun.of("validate", "--cluster", cluster.confDir(), output);
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals("1700", CliRun.of("count", "--cluster", cluster.confDir(), output).out().strip());
    }

    /** The sum of the ids in {@code [from, to)} whose row index (id - from) is {@code index} modulo {@code cycle}. */
    private static long sumOf(int from, int to, int cycle, int index) {
        long sum = 0;
        for (int id = from; id < to; id++) {
            if ((id - from) % cycle == index) {
                sum += id;
            }
        }
        return sum;
    }

    @Test
    void twoAppendsAtOnceBothLand(SharedCluster cluster) throws Exception {
        cluster.write("/data/concurrent/base.csv", csv(0, 500, "Paris").getBytes(UTF_8));
        cluster.write("/data/concurrent/a.csv", csv(500, 800, "Rome").getBytes(UTF_8));
        cluster.write("/data/concurrent/b.csv", csv(1300, 900, "Oslo").getBytes(UTF_8));
        String output = "/out/concurrent/trips";
        assertEquals(0, convert(cluster, "csv-to-parquet", "/data/concurrent/base.csv", output).exitCode());

        CompletableFuture<CliRun> a = CompletableFuture.supplyAsync(
                () -> convert(cluster, "csv-to-parquet", "/data/concurrent/a.csv", output, "--write-mode", "append"));
        CompletableFuture<CliRun> b = CompletableFuture.supplyAsync(
                () -> convert(cluster, "csv-to-parquet", "/data/concurrent/b.csv", output, "--write-mode", "append"));
        CliRun ranA = a.get(300, TimeUnit.SECONDS);
        CliRun ranB = b.get(300, TimeUnit.SECONDS);

        // the second to commit waits for the first one's lock (spindle.commit.lock-wait-ms) and reads its manifest
        assertEquals(0, ranA.exitCode(), ranA.toString());
        assertEquals(0, ranB.exitCode(), ranB.toString());
        assertEquals(Map.of("all", expected(2200, 0)), duckdb(cluster, output, false));
        JsonNode manifest = cluster.manifest(output);
        assertEquals(3, manifest.path("history").size(), manifest.toString());
        assertEquals(2200, manifest.path("counters").path("rowsWritten").asLong());
        CliRun validate = CliRun.of("validate", "--cluster", cluster.confDir(), output);
        assertEquals(0, validate.exitCode(), validate.toString());
    }
}
