package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
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
 * The {@code csv-to-avro} command end to end on MiniDFSCluster + MiniYARNCluster, through the
 * command line, the job jar the build shaded, the AM and worker containers, and the commit.
 */
@ExtendWith(SharedCluster.Resolver.class)
class CsvToAvroIT {

    private static final int ROWS = 20_000;
    private static SharedCluster cluster;
    private static FileSystem fs;
    private static String confDir;
    private static byte[] taxiCsv;

    @BeforeAll
    static void writeInput(SharedCluster shared) throws Exception {
        cluster = shared;
        confDir = shared.confDir();
        fs = cluster.fs();
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new TaxiDataGenerator(7).write(csv, ROWS);
        taxiCsv = csv.toByteArray();
        try (OutputStream out = fs.create(new Path("/data/taxi/trip_data.csv"))) {
            out.write(taxiCsv);
        }
    }

    @Test
    void filteredProjectedOutputEqualsAnIndependentReadingOfTheCsv() throws Exception {
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro",
                "--cluster", confDir,
                "--input", "/data/taxi/trip_data.csv",
                "--output", "/out/taxi",
                "--filter", "passenger_count > 3",
                "--select", "pickup_datetime,passenger_count,trip_time_in_secs",
                "--containers", "2",
                // the worker containers' path (their logs and phases below); UberModeIT runs a small job in the AM
                "--no-uber",
                "--name", "taxi filtered",
                "--tags", "nightly,taxi",
                "--result-json", "target/taxi-result.json"));
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("rows read"), run.toString());
        assertTrue(run.err().contains("block 3 done"), "progress per block: " + run);
        // the lines schedulers parse: the application id, then the live tracking URL (a real port, not 0)
        List<String> errLines = run.err().lines().toList();
        int submitted = errLines.indexOf(errLines.stream().filter(l -> l.startsWith("Submitted csv-to-avro as application_")).findFirst()
                .orElseThrow(() -> new AssertionError("no Submitted line: " + run)));
        assertTrue(errLines.get(submitted + 1).matches("Tracking URL: https?://[^/:]+:[1-9][0-9]*/proxy/application_[0-9]+_[0-9]+/?"),
                errLines.get(submitted + 1));

        JsonNode manifest = manifest("/out/taxi");
        CliRun validate = CliRun.of("validate", "--cluster", confDir, "/out/taxi");
        assertEquals(0, validate.exitCode(), validate.toString());
        assertTrue(validate.out().startsWith("OK "), validate.toString());
        JsonNode counters = manifest.path("counters");
        assertTrue(counters.path("blocks").asInt() >= 4, "the 1 MiB HDFS blocks give at least 4 blocks: " + manifest);
        // the embedded cluster's DataNodes and NodeManagers share one host: every block ran where its data is
        assertEquals(counters.path("blocks").asInt(), counters.path("blocksNodeLocal").asInt(), counters.toString());
        assertTrue(run.out().contains("  node-local blocks %d of %d".formatted(counters.path("blocks").asInt(), counters.path("blocks").asInt())),
                run.toString());
        assertEquals(ROWS, counters.path("rowsRead").asLong());
        assertEquals(counters.path("rowsRead").asLong(), counters.path("rowsWritten").asLong()
                + counters.path("rowsFiltered").asLong() + counters.path("rowsRejected").asLong());

        Map<List<Object>, Integer> expected = expectedRows();
        Map<List<Object>, Integer> actual = new HashMap<>();
        long rowsInParts = 0;
        for (JsonNode part : manifest.path("parts")) {
            try (InputStream in = fs.open(new Path("/out/taxi/" + part.path("path").asText()));
                    DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                Schema schema = records.getSchema();
                assertEquals(List.of("pickup_datetime", "passenger_count", "trip_time_in_secs"),
                        schema.getFields().stream().map(Schema.Field::name).toList());
                long rows = 0;
                for (GenericRecord record : records) {
                    List<Object> key = List.of(record.get("pickup_datetime"), record.get("passenger_count"), record.get("trip_time_in_secs"));
                    actual.merge(key, 1, Integer::sum);
                    rows++;
                }
                assertEquals(part.path("rows").asLong(), rows, "manifest rows of " + part);
                rowsInParts += rows;
            }
        }
        assertEquals(counters.path("rowsWritten").asLong(), rowsInParts);
        assertEquals(expected, actual);
        JsonNode result = new com.fasterxml.jackson.databind.ObjectMapper().readTree(new java.io.File("target/taxi-result.json"));
        assertEquals("SUCCEEDED", result.path("state").asText(), result.toString());
        assertEquals(0, result.path("exitCode").asInt());
        assertEquals(manifest.path("applicationId").asText(), result.path("applicationId").asText());
        assertEquals(counters, result.path("counters"), "the manifest's counters");
        assertEquals(manifest.path("parts").size(), result.path("parts").asInt());
        assertTrue(result.path("wallSeconds").asDouble() > 0, result.toString());
        assertEquals("avro", result.path("format").asText());
        // every phase of the job, driver's and AM's, in the order a job goes through them
        List<String> phases = new ArrayList<>();
        result.path("phases").fieldNames().forEachRemaining(phases::add);
        // workers are asked for once the inputs are listed, so the first container may come before or after the plan
        int firstContainer = phases.indexOf("first_container");
        assertTrue(firstContainer > phases.indexOf("registered") && firstContainer < phases.indexOf("first_worker"), result.toString());
        phases.remove("first_container");
        // the AM's JVM may start before the driver's submit call has returned (and marked it)
        int submittedAt = phases.indexOf("submitted");
        assertTrue(submittedAt > phases.indexOf("client_start") && submittedAt < phases.indexOf("registered"), result.toString());
        phases.remove("submitted");
        // the AM lists and plans while it registers (PlanAhead): planned may come before or after registered
        int plannedAt = phases.indexOf("planned");
        assertTrue(plannedAt > phases.indexOf("am_start") && plannedAt < phases.indexOf("prepared"), result.toString());
        phases.remove("planned");
        assertEquals(List.of("client_start", "am_start", "registered", "prepared",
                "first_worker", "blocks_done", "committed", "ended"), phases, result.toString());

        org.apache.hadoop.yarn.api.records.ApplicationReport report = cluster.report(result.path("applicationId").asText());
        assertEquals("taxi filtered", report.getName());
        assertEquals("SPINDLE", report.getApplicationType());
        assertEquals(java.util.Set.of("nightly", "taxi"), report.getApplicationTags());
        assertTrue(report.getQueue().equals("default") || report.getQueue().equals("root.default"), report.getQueue());
        assertEquals(org.apache.hadoop.yarn.api.records.FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus());

        // spindle logs: the AM's and the workers' logs, from YARN's log aggregation once uploaded
        String applicationId = result.path("applicationId").asText();
        CliRun logs = null;
        for (int i = 0; i < 60; i++) {
            logs = CliRun.of("logs", "--cluster", confDir, applicationId);
            if (logs.exitCode() == 0 && logs.out().contains("Committed") && logs.out().contains("Block 0 attempt 1")) {
                break;
            }
            Thread.sleep(500);
        }
        assertEquals(0, logs.exitCode(), logs.toString());
        assertTrue(logs.out().contains("Committed") && logs.out().contains("Block 0 attempt 1"), "the AM's commit and a worker's block: " + logs);
        CliRun amOnly = CliRun.of("logs", "--cluster", confDir, "--am", applicationId);
        assertEquals(0, amOnly.exitCode(), amOnly.toString());
        assertTrue(amOnly.out().contains("Committed") && !amOnly.out().contains("Block 0 attempt 1"), "the AM's log only: " + amOnly);
        assertTrue(amOnly.out().contains("Asking for 1 workers before planning"), "overlap: one file, so one worker before the plan: " + amOnly);
        CliRun notAnId = CliRun.of("logs", "--cluster", confDir, "job_1");
        assertEquals(2, notAnId.exitCode(), notAnId.toString());
        assertAvroToolsReads("/out/taxi/" + manifest.path("parts").get(0).path("path").asText(),
                manifest.path("parts").get(0).path("rows").asLong());
        assertTrue(fs.exists(new Path("/out/taxi/_schema.avsc")));
        assertFalse(fs.exists(new Path("/out/taxi/_temporary")), () -> {
            try {
                List<String> left = new ArrayList<>();
                var files = fs.listFiles(new Path("/out/taxi/_temporary"), true);
                while (files.hasNext()) {
                    left.add(files.next().getPath().toString());
                }
                return "left in _temporary: " + left;
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
    }

    @Test
    void aBadValueUnderTheFailPolicyFailsTheJobNamingWhereAndLeavesNothing() throws Exception {
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 1; i <= 20_000; i++) {
            csv.append(i).append(',').append(i * 10).append('\n');
        }
        long badOffset = csv.length();
        csv.append("20001,4x\n20002,42\n");
        try (OutputStream out = fs.create(new Path("/data/bad/amounts.csv"))) {
            out.write(csv.toString().getBytes(UTF_8));
        }
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro",
                "--cluster", confDir,
                "--input", "/data/bad/amounts.csv",
                "--output", "/out/bad",
                "--block-size", "64k",
                "--sample-rows", "16",
                "--on-bad-record", "fail"));
        assertEquals(ExitCode.JOB_FAILED.code(), run.exitCode(), run.toString());
        String line = run.err().lines().filter(l -> l.startsWith("spindle csv-to-avro: job")).findFirst().orElse(run.err());
        assertTrue(line.contains("Cannot parse column 'amount' (#1) as long: \"4x\" at line 20002, byte " + badOffset), line);
        assertTrue(line.contains("/data/bad/amounts.csv"), line);
        assertFalse(fs.exists(new Path("/out/bad")) && fs.listStatus(new Path("/out/bad")).length > 0,
                "a failed job leaves nothing: " + (fs.exists(new Path("/out/bad")) ? List.of(fs.listStatus(new Path("/out/bad"))) : ""));
    }

    @Test
    void badValuesAreRejectedWithTheirAbsoluteLineAndByteAndCounted() throws Exception {
        StringBuilder csv = new StringBuilder("id,amount\n");
        Set<String> expectedRejects = new HashSet<>();
        for (int i = 1; i <= 30_000; i++) {
            boolean bad = i == 5_000 || i == 12_345 || i == 20_001 || i == 27_777;
            if (bad) {
                // line = header line + i; the record starts at the current length
                expectedRejects.add("line %d byte %d value %sx".formatted(i + 1, csv.length(), i));
            }
            csv.append(i).append(',').append(bad ? i + "x" : String.valueOf(i * 10)).append('\n');
        }
        try (OutputStream out = fs.create(new Path("/data/rejects/amounts.csv"))) {
            out.write(csv.toString().getBytes(UTF_8));
        }
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro",
                "--cluster", confDir,
                "--input", "/data/rejects/amounts.csv",
                "--output", "/out/rejects",
                "--block-size", "64k",
                "--sample-rows", "16"));
        assertEquals(0, run.exitCode(), run.toString());

        JsonNode manifest = manifest("/out/rejects");
        JsonNode counters = manifest.path("counters");
        assertTrue(counters.path("blocks").asInt() >= 4, counters.toString());
        assertEquals(30_000, counters.path("rowsRead").asLong());
        assertEquals(4, counters.path("rowsRejected").asLong());
        assertEquals(29_996, counters.path("rowsWritten").asLong());
        Set<String> rejects = new HashSet<>();
        long rejectRows = 0;
        for (JsonNode file : manifest.path("rejects")) {
            rejectRows += file.path("rows").asLong();
            try (InputStream in = fs.open(new Path("/out/rejects/" + file.path("path").asText()))) {
                for (String line : new String(in.readAllBytes(), UTF_8).split("\n")) {
                    JsonNode reject = new ObjectMapper().readTree(line);
                    assertEquals("amount", reject.path("column").asText());
                    assertEquals(1, reject.path("columnIndex").asInt());
                    assertTrue(reject.path("file").asText().endsWith("/data/rejects/amounts.csv"), reject.toString());
                    assertTrue(reject.path("message").asText().startsWith("Cannot parse column 'amount' (#1) as long: \""
                            + reject.path("value").asText() + "\" at line " + reject.path("line").asLong() + ", byte "
                            + reject.path("byteOffset").asLong() + ": hdfs://"), reject.toString());
                    assertEquals(reject.path("record").asText(), reject.path("value").asText().replace("x", "") + "," + reject.path("value").asText());
                    rejects.add("line %d byte %d value %s".formatted(reject.path("line").asLong(), reject.path("byteOffset").asLong(),
                            reject.path("value").asText()));
                }
            }
        }
        assertEquals(expectedRejects, rejects);
        assertEquals(4, rejectRows);
    }

    @Test
    void theClusterJarRunsUnderHadoopsRunJarLikeYarnJar() throws Exception {
        String jar = System.getProperty("spindle.job.jar");
        // as in a Hadoop installation, Hadoop's own (older) Avro and Jackson come first on the class path
        File[] hadoopsOwn = new File("target/hadoop-own-lib").listFiles((dir, name) -> name.endsWith(".jar"));
        assertTrue(hadoopsOwn != null && hadoopsOwn.length == 4, "target/hadoop-own-lib: Hadoop 3.5.0's Avro 1.11.5 and Jackson 2.18.6");
        String hadoopsOwnJars = java.util.Arrays.stream(hadoopsOwn).map(File::getAbsolutePath).sorted()
                .collect(java.util.stream.Collectors.joining(File.pathSeparator));
        // HADOOP_CONF_DIR of an installation holds a log4j.properties; RunJar logs before Spindle runs
        java.nio.file.Path installConf = java.nio.file.Files.createDirectories(java.nio.file.Path.of("target", "runjar-conf"));
        java.nio.file.Files.copy(java.nio.file.Path.of("../conf/log4j-cli.properties"), installConf.resolve("log4j.properties"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<String> command = List.of(System.getProperty("java.home") + "/bin/java", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "-cp", confDir + File.pathSeparator + installConf.toAbsolutePath() + File.pathSeparator + hadoopsOwnJars
                        + File.pathSeparator + EmbeddedCluster.hadoopClasspath(),
                "org.apache.hadoop.util.RunJar", jar,
                "csv-to-avro", "--input", "/data/taxi/trip_data.csv", "--output", "/out/runjar",
                "--filter", "passenger_count > 3", "--select", "passenger_count", "--quiet");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertEquals(0, process.waitFor(), output);
        assertTrue(output.contains("csv-to-avro SUCCEEDED"), output);
        assertFalse(output.contains("log4j:WARN"), output);
        JsonNode counters = manifest("/out/runjar").path("counters");
        assertEquals(ROWS, counters.path("rowsRead").asLong());
        long expectedRows = expectedRows().values().stream().mapToLong(Integer::longValue).sum();
        assertEquals(expectedRows, counters.path("rowsWritten").asLong());
    }

    @Test
    void anUnknownFilterColumnIsRejectedBeforeSubmissionListingTheValidNames() {
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro",
                "--cluster", confDir,
                "--input", "/data/taxi/trip_data.csv",
                "--output", "/out/never",
                "--filter", "passanger_count > 3"));
        assertEquals(ExitCode.USAGE.code(), run.exitCode(), run.toString());
        assertTrue(run.err().contains("passanger_count"), run.toString());
        assertTrue(run.err().contains("passenger_count, trip_time_in_secs"), run.toString());
        assertFalse(run.err().contains("Submitted"), run.toString());
    }

    /** Avro's own command line tool, in its own JVM, reads a part file: its schema and every record. */
    /**
     * The containers' class-data archives (issue 16's CDS lever) on the real launch path: a worker
     * that writes its node's archive as it exits finishes it before the application ends (the
     * NodeManagers kill an ended application's containers, and a killed dump left a partial file
     * and no archive, so every worker started cold), and a later worker there starts from it. Two
     * NodeManagers: by the third job every node that ran a worker has one.
     */
    @Test
    void aWorkerWritesItsNodesClassDataArchiveBeforeTheJobEndsAndLaterWorkersStartFromIt() throws Exception {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile("Class-data archive: (started from (\\S+)|writing (\\S+) as it exits)");
        int startedFromOne = 0;
        Map<List<Object>, Integer> first = null;
        for (int round = 1; round <= 3; round++) {
            String output = "/out/taxi-cds-" + round;
            CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", confDir, "--input", "/data/taxi/trip_data.csv",
                    "--output", output, "--select", "medallion,pickup_datetime,trip_distance", "--containers", "2", "--no-uber", "--quiet",
                    "--result-json", "target/taxi-cds-" + round + ".json"));
            assertEquals(0, run.exitCode(), run.toString());
            String applicationId = new ObjectMapper().readTree(new File("target/taxi-cds-" + round + ".json")).path("applicationId").asText();
            // the driver ends with the job's result; the AM, and the workers it waits for, end after it
            for (int i = 0; i < 120 && cluster.report(applicationId).getYarnApplicationState()
                    != org.apache.hadoop.yarn.api.records.YarnApplicationState.FINISHED; i++) {
                Thread.sleep(250);
            }
            List<java.util.regex.MatchResult> archives = List.of();
            CliRun logs = null;
            for (int i = 0; i < 60 && archives.size() < 2; i++) {
                Thread.sleep(500);
                logs = CliRun.of("logs", "--cluster", confDir, applicationId);
                archives = line.matcher(logs.out()).results().toList();
            }
            assertEquals(2, archives.size(), "each of the 2 workers logs its archive: " + logs);
            for (java.util.regex.MatchResult archive : archives) {
                if (archive.group(2) != null) {
                    startedFromOne++;
                    assertTrue(new File(archive.group(2)).length() > 0, archive.group());
                } else {
                    String partial = archive.group(3);
                    File written = new File(partial.substring(0, partial.lastIndexOf(".jsa.") + 4));
                    assertTrue(written.length() > 0, "the archive is in place once the job has ended: " + written);
                    assertFalse(new File(partial).exists(), "no partial archive is left: " + partial);
                }
            }
            Map<List<Object>, Integer> records = new HashMap<>();
            for (JsonNode part : manifest(output).path("parts")) {
                try (InputStream in = fs.open(new Path(output + "/" + part.path("path").asText()));
                        DataFileStream<GenericRecord> read = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    for (GenericRecord record : read) {
                        records.merge(List.of(record.get(0).toString(), record.get(1), record.get(2)), 1, Integer::sum);
                    }
                }
            }
            assertEquals(ROWS, records.values().stream().mapToInt(Integer::intValue).sum());
            if (first == null) {
                first = records;
            } else {
                assertEquals(first, records, "a worker started from an archive writes what a cold one writes");
            }
        }
        assertTrue(startedFromOne > 0, "within three jobs on two NodeManagers a worker starts from its node's archive");
    }

    private static void assertAvroToolsReads(String part, long rows) throws Exception {
        File local = File.createTempFile("part-", ".avro", new File("target"));
        local.deleteOnExit();
        fs.copyToLocalFile(new Path(part), new Path(local.getAbsolutePath()));
        String jar = System.getProperty("spindle.avro-tools.jar", "target/tools/avro-tools.jar");
        String schema = run(List.of(System.getProperty("java.home") + "/bin/java", "-jar", jar, "getschema", local.getPath()));
        // whole seconds in the sample: inferred in milliseconds, as local (not UTC) timestamps
        assertTrue(schema.contains("\"local-timestamp-millis\""), schema);
        String json = run(List.of(System.getProperty("java.home") + "/bin/java", "-jar", jar, "tojson", local.getPath()));
        List<String> lines = json.lines().filter(line -> line.startsWith("{")).toList();
        assertEquals(rows, lines.size());
        assertTrue(lines.get(0).contains("\"passenger_count\":"), lines.get(0));
    }

    private static String run(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), UTF_8);
        assertEquals(0, process.waitFor(), command + ": " + err);
        return out;
    }

    private static JsonNode manifest(String output) throws Exception {
        return cluster.manifest(output);
    }

    /** Parses the CSV with commons-csv and applies the predicate and projection in plain Java. */
    private static Map<List<Object>, Integer> expectedRows() throws Exception {
        DateTimeFormatter format = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        Map<List<Object>, Integer> rows = new HashMap<>();
        try (Reader reader = new StringReader(new String(taxiCsv, UTF_8))) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
                String passengers = record.get("passenger_count");
                if (passengers.isEmpty() || Long.parseLong(passengers) <= 3) {
                    continue;
                }
                LocalDateTime pickup = LocalDateTime.parse(record.get("pickup_datetime"), format);
                long millis = pickup.toEpochSecond(ZoneOffset.UTC) * 1000L;
                rows.merge(List.of(millis, Long.parseLong(passengers), Long.parseLong(record.get("trip_time_in_secs"))), 1, Integer::sum);
            }
        }
        return rows;
    }

}
