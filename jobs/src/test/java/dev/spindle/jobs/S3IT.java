package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.s3.S3Config;
import dev.spindle.s3.S3Server;
import java.io.File;
import java.io.InputStream;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.alias.CredentialProvider;
import org.apache.hadoop.security.alias.CredentialProviderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code csv-to-avro} with input and output in a real S3-compatible server (S3Proxy on
 * 127.0.0.1), on the embedded cluster: S3 -> S3, HDFS -> S3 and S3 -> HDFS, each output compared
 * as a multiset with an independent parse of the input (Commons CSV), Parquet HDFS -> S3, a
 * quoted-newline file cut into many small S3 blocks, and a failed job that must leave no object
 * and no pending multipart upload under its output. The AM and the workers get the keys only from a JCEKS credential
 * store (no key on the command line or in the job configuration).
 */
@ExtendWith(SharedCluster.Resolver.class)
class S3IT {

    @RegisterExtension
    static final S3Server SERVER = new S3Server();

    private static final int ROWS = 6_000;
    private static SharedCluster cluster;
    private static S3Client s3;
    private static String trips;
    private static String notes;
    private static List<String> s3Options;

    @BeforeAll
    static void writeInputs(SharedCluster shared) throws Exception {
        cluster = shared;
        s3 = SERVER.client();
        SERVER.createBucket("raw");
        SERVER.createBucket("clean");

        File jceks = new File("target/s3-it/s3.jceks").getAbsoluteFile();
        jceks.getParentFile().mkdirs();
        jceks.delete();
        String provider = "jceks://file" + jceks.getPath();
        // made as a user would, with spindle credential create, the keys on standard input
        for (String[] entry : List.of(new String[] {"fs.s3a.access.key", S3Server.ACCESS_KEY},
                new String[] {"fs.s3a.secret.key", S3Server.SECRET_KEY})) {
            java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
            java.io.PrintStream print = new java.io.PrintStream(output, true, UTF_8);
            int code = org.apache.hadoop.util.ToolRunner.run(new Configuration(false),
                    new CredentialCommand(print, print, new java.io.ByteArrayInputStream((entry[1] + "\n").getBytes(UTF_8))),
                    new String[] {"create", entry[0], "-provider", provider});
            assertEquals(0, code, output.toString(UTF_8));
        }
        s3Options = List.of(
                "-D", S3Config.ENDPOINT + "=" + SERVER.endpoint(),
                "-D", S3Config.PATH_STYLE + "=true",
                "-D", CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH + "=" + provider);

        trips = trips(new Random(5), ROWS);
        putObject("raw", "trips/2024/part-a.csv", trips.substring(0, trips.indexOf('\n', trips.length() / 2) + 1));
        putObject("raw", "trips/2024/part-b.csv", "id,city,fare,passengers\n" + trips.substring(trips.indexOf('\n', trips.length() / 2) + 1));
        putObject("raw", "trips/_SUCCESS", "");
        cluster.write("/data/s3it/trips.csv", trips.getBytes(UTF_8));

        putBadAmounts();
        notes = SchemaSamplerTest.quotedNotes(new Random(11), 2_000);
        putObject("raw", "notes/notes.csv", notes);
    }

    @AfterAll
    static void closeClient() {
        s3.close();
    }

    @Test
    void s3ToS3() throws Exception {
        CliRun run = run("--input", "s3://raw/trips/", "--output", "s3://clean/trips-avro", "--block-size", "64k");

        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = json(getObject("clean", "trips-avro/_SUCCESS"));
        assertTrue(manifest.path("counters").path("blocks").asInt() > 2, manifest.path("counters").toString());
        assertSameRows(expectedTrips(), rows(s3Parts("clean", "trips-avro", manifest), S3IT::trip));
        assertTrue(listKeys("clean", "trips-avro/").stream().noneMatch(key -> key.contains("_temporary")),
                "staging is gone: " + listKeys("clean", "trips-avro/"));
    }

    @Test
    void hdfsToS3() throws Exception {
        CliRun run = run("--input", "/data/s3it/trips.csv", "--output", "s3a://clean/from-hdfs", "--block-size", "64k");

        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = json(getObject("clean", "from-hdfs/_SUCCESS"));
        assertSameRows(expectedTrips(), rows(s3Parts("clean", "from-hdfs", manifest), S3IT::trip));
    }

    @Test
    void hdfsToS3Parquet(@org.junit.jupiter.api.io.TempDir java.nio.file.Path downloads) throws Exception {
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-parquet", options("--input", "/data/s3it/trips.csv",
                "--output", "s3://clean/from-hdfs-parquet", "--block-size", "64k")));

        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = json(getObject("clean", "from-hdfs-parquet/_SUCCESS"));
        Map<List<Object>, Integer> rows = new HashMap<>();
        for (JsonNode part : manifest.path("parts")) {
            java.nio.file.Path local = downloads.resolve(part.path("path").asText());
            java.nio.file.Files.write(local, getObject("clean", "from-hdfs-parquet/" + part.path("path").asText()));
            try (org.apache.parquet.hadoop.ParquetReader<GenericRecord> reader = org.apache.parquet.avro.AvroParquetReader
                    .<GenericRecord>builder(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
                            new Path(local.toUri()), new Configuration())).build()) {
                for (GenericRecord record; (record = reader.read()) != null;) {
                    rows.merge(trip(record), 1, Integer::sum);
                }
            }
        }
        assertSameRows(expectedTrips(), rows);

        // the inspection commands read the Parquet parts on S3 through the store's positional reads
        String output = "s3://clean/from-hdfs-parquet";
        CliRun validate = CliRun.of(command("validate", output));
        assertEquals(0, validate.exitCode(), validate.toString());
        assertTrue(validate.out().startsWith("OK "), validate.toString());
        assertTrue(validate.out().contains(" rows, "), validate.toString());
        CliRun count = CliRun.of(command("count", "--scan", output));
        assertEquals(String.valueOf(ROWS), count.out().strip(), count.toString());
        CliRun inspect = CliRun.of(command("inspect", "-n", "2", output));
        assertEquals(0, inspect.exitCode(), inspect.toString());
        assertTrue(inspect.out().contains("format:   parquet"), inspect.toString());
        CliRun head = CliRun.of(command("head", "-n", "3", output));
        assertEquals(0, head.exitCode(), head.toString());
        assertEquals(3, head.out().lines().count(), head.toString());
        for (String line : head.out().lines().toList()) {
            JsonNode record = new ObjectMapper().readTree(line);
            assertTrue(expectedTrips().containsKey(List.of(record.path("id").asLong(), record.path("city").asText(),
                    record.path("fare").asDouble(), record.path("passengers").asLong())), line);
        }
        CliRun schema = CliRun.of(command("schema", output));
        assertEquals(0, schema.exitCode(), schema.toString());
        assertTrue(schema.out().contains("\"fare\""), schema.toString());
    }

    @Test
    void aFailedJobLeavesNoObjectAndNoPendingUploadUnderTheOutput() throws Exception {
        CliRun run = run("--schema", amountsSchema().toString(), "--input", "s3://raw/bad/amounts.csv", "--output", "s3://clean/failed",
                "--block-size", "64k");

        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(run.err().contains("nothing was committed"), run.toString());
        assertEquals(List.of(), listKeys("clean", "failed/"));
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("clean").prefix("failed/")).uploads());
    }

    @Test
    void appendAddsToAnS3DatasetAndARefusedAppendLeavesItByteForByte() throws Exception {
        // into a missing output: a first write; then part-b's rows are added (its inferred record would be part_b)
        CliRun first = run("--input", "s3://raw/trips/2024/part-a.csv", "--output", "s3://clean/appended", "--block-size", "64k",
                "--write-mode", "append");
        assertEquals(0, first.exitCode(), first.toString());
        CliRun second = run("--input", "s3://raw/trips/2024/part-b.csv", "--output", "s3://clean/appended", "--block-size", "64k",
                "--write-mode", "append");
        assertEquals(0, second.exitCode(), second.toString());

        JsonNode manifest = json(getObject("clean", "appended/_SUCCESS"));
        assertEquals(2, manifest.path("history").size(), manifest.toString());
        assertEquals(ROWS, manifest.path("counters").path("rowsWritten").asLong(), manifest.path("counters").toString());
        assertSameRows(expectedTrips(), rows(s3Parts("clean", "appended", manifest), S3IT::trip));
        List<String> listed = new ArrayList<>();
        manifest.path("parts").forEach(part -> listed.add("appended/" + part.path("path").asText()));
        assertEquals(listed.stream().sorted().toList(),
                listKeys("clean", "appended/").stream().filter(key -> key.startsWith("appended/part-")).sorted().toList(),
                "every part object is listed, old and new");
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("clean").prefix("appended/")).uploads());
        List<String> validateArgs = new ArrayList<>(List.of("validate"));
        validateArgs.addAll(List.of(options("s3://clean/appended")));
        CliRun validate = CliRun.of(validateArgs.toArray(new String[0]));
        assertEquals(0, validate.exitCode(), validate.toString());

        // another schema: refused before submission, every object as it was
        Map<String, byte[]> old = new java.util.TreeMap<>();
        for (String key : listKeys("clean", "appended/")) {
            old.put(key, getObject("clean", key));
        }
        CliRun refused = run("--input", "s3://raw/bad/amounts.csv", "--output", "s3://clean/appended", "--write-mode", "append");
        assertEquals(2, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("the new data's schema differs from the dataset's"), refused.toString());
        assertEquals(old.keySet(), new java.util.TreeSet<>(listKeys("clean", "appended/")));
        for (Map.Entry<String, byte[]> object : old.entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(object.getValue(), getObject("clean", object.getKey()), object.getKey());
        }
    }

    @Test
    void overwriteReplacesAnS3DatasetOnlyOnceTheNewOneIsCommitted() throws Exception {
        CliRun first = run("--input", "s3://raw/trips/2024/part-a.csv", "--output", "s3://clean/over", "--block-size", "64k");
        assertEquals(0, first.exitCode(), first.toString());
        Map<String, byte[]> old = new java.util.TreeMap<>();
        for (String key : listKeys("clean", "over/")) {
            old.put(key, getObject("clean", key));
        }
        assertTrue(old.containsKey("over/part-00000.avro"), old.keySet().toString());

        // fails before its commit (over --max-rejects): the old objects stay, byte for byte
        CliRun failed = run("--schema", amountsSchema().toString(), "--input", "s3://raw/bad/amounts.csv",
                "--output", "s3://clean/over", "--write-mode", "overwrite");
        assertEquals(1, failed.exitCode(), failed.toString());
        assertEquals(old.keySet(), new java.util.TreeSet<>(listKeys("clean", "over/")));
        for (Map.Entry<String, byte[]> object : old.entrySet()) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(object.getValue(), getObject("clean", object.getKey()), object.getKey());
        }

        CliRun overwrite = run("--input", "s3://raw/trips/2024/part-b.csv", "--output", "s3://clean/over",
                "--write-mode", "overwrite");
        assertEquals(0, overwrite.exitCode(), overwrite.toString());
        JsonNode manifest = json(getObject("clean", "over/_SUCCESS"));
        // the new job's last tracking page is part of its output (a hidden name, as _SUCCESS)
        List<String> expected = new ArrayList<>(List.of("over/_SUCCESS", "over/_schema.avsc", "over/_spindle-status.html"));
        for (JsonNode part : manifest.path("parts")) {
            assertTrue(part.path("path").asText().matches("part-00000-\\d+_\\d{4}\\.avro"), part.toString());
            expected.add("over/" + part.path("path").asText());
        }
        assertEquals(expected, listKeys("clean", "over/"), "only the new dataset remains");
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("clean").prefix("over/")).uploads());
        long partB = trips.substring(trips.indexOf('\n', trips.length() / 2) + 1).lines().count();
        assertEquals(partB, manifest.path("counters").path("rowsWritten").asLong(), manifest.path("counters").toString());
    }

    @Test
    void throttledUploadsAreRetriedAndCountedInTheManifest() throws Exception {
        try (dev.spindle.s3.S3FaultProxy proxy = dev.spindle.s3.S3FaultProxy.start(SERVER.endpoint())) {
            proxy.slowDownUploadParts(3); // only workers upload parts: the driver and the AM never see these
            List<String> args = new ArrayList<>(s3Options);
            args.set(1, S3Config.ENDPOINT + "=" + proxy.endpoint());
            args.addAll(List.of("-D", S3Config.RETRY_BASE_DELAY + "=10ms", "--input", "s3://raw/trips/", "--output",
                    "s3://clean/throttled", "--block-size", "64k", "--cluster", cluster.confDir()));

            CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", args.toArray(new String[0])));

            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(3, proxy.injected());
            JsonNode manifest = json(getObject("clean", "throttled/_SUCCESS"));
            int retries = assertRetriesCounted(3, manifest);
            assertTrue(run.out().contains("S3 requests retried " + retries), run.toString());
            assertSameRows(expectedTrips(), rows(s3Parts("clean", "throttled", manifest), S3IT::trip));
        }
    }

    @Test
    void serverErrorsAndBodiesCutMidStreamOnTheWorkersReadsAreRetriedAndTheOutputIsExact() throws Exception {
        java.nio.file.Path schema = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "trips", ".avsc");
        // a given schema: the AM samples nothing, so once blocks run only the workers read the input
        java.nio.file.Files.writeString(schema, "{\"type\":\"record\",\"name\":\"trips\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"},"
                + "{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"fare\",\"type\":\"double\"},"
                + "{\"name\":\"passengers\",\"type\":\"long\"}]}");
        try (dev.spindle.s3.S3FaultProxy proxy = dev.spindle.s3.S3FaultProxy.start(SERVER.endpoint())) {
            proxy.delayUploadParts(300); // blocks last long enough for the faults to meet the workers' reads
            List<String> args = new ArrayList<>(s3Options);
            args.set(1, S3Config.ENDPOINT + "=" + proxy.endpoint());
            // 16 KiB ranged reads, one at a time: every block past a file's first starts past byte 0,
            // and no read-ahead GET is dropped unread, so each fault costs exactly one retry
            args.addAll(List.of("-D", S3Config.RETRY_BASE_DELAY + "=10ms", "-D", S3Config.READ_PART_SIZE + "=16k",
                    "-D", S3Config.READ_CONCURRENCY + "=1", "--input", "s3://raw/trips/", "--output", "s3://clean/broken-reads",
                    "--schema", schema.toString(), "--block-size", "16k", "--cluster", cluster.confDir()));
            java.util.concurrent.CompletableFuture<CliRun> driver = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CliRun.of(CliRun.withJobJar("csv-to-avro", args.toArray(new String[0]))));
            // the driver's header read is done once a block's part is pending: from here on the faults meet workers
            long deadline = System.nanoTime() + 180_000_000_000L;
            while (listKeys("clean", "broken-reads/_temporary/").stream().noneMatch(key -> key.endsWith(".pending"))) {
                assertTrue(System.nanoTime() < deadline, "no block finished");
                assertFalse(driver.isDone(), () -> "the job ended before the faults were armed: " + driver.join());
                Thread.sleep(20);
            }
            proxy.failRangedGets(2);
            proxy.cutRangedGets(2);

            CliRun run = driver.get(240, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(0, run.exitCode(), run.toString());
            assertEquals(4, proxy.injected(), "every fault was served");
            JsonNode manifest = json(getObject("clean", "broken-reads/_SUCCESS"));
            assertRetriesCounted(4, manifest);
            assertEquals(ROWS, manifest.path("counters").path("rowsWritten").asInt(), manifest.path("counters").toString());
            assertSameRows(expectedTrips(), rows(s3Parts("clean", "broken-reads", manifest), S3IT::trip));
        }
    }

    @Test
    void aKilledApplicationMasterLeavesNoVisibleObjectAndTheNextCommitAbortsItsUploads() throws Exception {
        // many small blocks on one worker: its parts' uploads are pending for a while before the commit
        CliRun detached = run("-D", "spindle.yarn.am.max-attempts=1", "--input", "s3://raw/trips/", "--output",
                "s3://clean/killed", "--block-size", "8k", "--containers", "1", "--detach");
        assertEquals(0, detached.exitCode(), detached.toString());
        String id = detached.out().strip();
        assertTrue(id.matches("application_\\d+_\\d+"), detached.toString());
        String containers = "-Dspindle.container-id=container_" + id.substring("application_".length()) + "_";
        long deadline = System.nanoTime() + 180_000_000_000L;
        // a part whose upload is complete on the worker's side and pending until the commit (its .pending
        // record is written): the worker's exit aborts only an upload still being written, never that one
        while (s3.listMultipartUploads(b -> b.bucket("clean").prefix("killed/")).uploads().isEmpty()
                || listKeys("clean", "killed/_temporary/").stream().noneMatch(key -> key.endsWith(".pending"))) {
            assertTrue(System.nanoTime() < deadline, "no upload pending its commit");
            Thread.sleep(20);
        }
        ProcessHandle am = containerJvm(containers + "01_000001");
        am.destroyForcibly(); // SIGKILL: no abort runs, staging and the pending uploads stay
        while (ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine().orElse("").contains(containers))) {
            assertTrue(System.nanoTime() < deadline, "the job's containers did not end");
            Thread.sleep(200);
        }

        // With one AM attempt the job is over; whether its uploads are still pending depends on how far the
        // worker got when YARN stopped it (the second-attempt test below shows a live job keeps them). What
        // must hold either way is that nothing is visible and that the next commit leaves no pending upload.
        int pendingAfterKill = s3.listMultipartUploads(b -> b.bucket("clean").prefix("killed/")).uploads().size();
        System.out.printf("uploads pending under killed/ after the AM's SIGKILL: %d%n", pendingAfterKill);
        assertEquals(List.of(), listKeys("clean", "killed/").stream().filter(key -> !key.startsWith("killed/_temporary/")).toList(),
                "the killed job left no visible object");

        // --write-mode error: an output that holds only a dead job's _temporary is no output
        CliRun next = run("--input", "s3://raw/trips/2024/part-a.csv", "--output", "s3://clean/killed");

        assertEquals(0, next.exitCode(), next.toString());
        assertTrue(listKeys("clean", "killed/").contains("killed/_SUCCESS"), listKeys("clean", "killed/").toString());
        assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("clean").prefix("killed/")).uploads(),
                "the next commit aborted the killed job's uploads");
        // housekeeping after the commit, once the job has unregistered: the driver may return first
        long swept = System.nanoTime() + 60_000_000_000L;
        while (!listKeys("clean", "killed/_temporary/").isEmpty() && System.nanoTime() < swept) {
            Thread.sleep(200);
        }
        assertEquals(List.of(), listKeys("clean", "killed/_temporary/"), "the next commit removed the dead job's staging");
    }

    @Test
    void anApplicationMasterSigkilledMidJobIsFollowedByASecondAttemptThatCommitsTheRecoveredUploads() throws Exception {
        try (dev.spindle.s3.S3FaultProxy proxy = dev.spindle.s3.S3FaultProxy.start(SERVER.endpoint())) {
            // a slow link: each part takes a while, so the AM dies with some blocks done and some not
            proxy.delayUploadParts(400);
            List<String> args = new ArrayList<>(s3Options);
            args.set(1, S3Config.ENDPOINT + "=" + proxy.endpoint());
            args.addAll(List.of("--input", "s3://raw/trips/", "--output", "s3://clean/recovered", "--block-size", "8k",
                    "--containers", "1", "--no-uber", "--cluster", cluster.confDir()));
            java.util.concurrent.CompletableFuture<CliRun> driver = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> CliRun.of(CliRun.withJobJar("csv-to-avro", args.toArray(new String[0]))));
            long deadline = System.nanoTime() + 180_000_000_000L;
            // three blocks accepted by the AM: their parts are complete on the worker's side, pending the commit
            while (listKeys("clean", "recovered/_temporary/").stream().filter(key -> key.endsWith(".pending")).count() < 3) {
                assertTrue(System.nanoTime() < deadline, "no three uploads pending their commit");
                assertFalse(driver.isDone(), () -> "the job ended before the kill: " + driver.join());
                Thread.sleep(20);
            }
            // the staging is recovered/_temporary/<application id>/...
            String staged = listKeys("clean", "recovered/_temporary/").get(0);
            String id = staged.split("/")[2];
            assertTrue(id.matches("application_\\d+_\\d+"), staged);
            String amContainer = "-Dspindle.container-id=container_" + id.substring("application_".length()) + "_01_000001 ";
            ProcessHandle am = containerJvm(amContainer);
            am.destroyForcibly();

            CliRun run = driver.get(240, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(0, run.exitCode(), run.toString());
            JsonNode manifest = json(getObject("clean", "recovered/_SUCCESS"));
            JsonNode counters = manifest.path("counters");
            assertTrue(counters.path("blocksRecovered").asInt() >= 1, "attempt 2 recovered blocks: " + counters);
            assertEquals(counters.path("blocks").asInt(), manifest.path("parts").size(), "one part per block: " + counters);
            assertSameRows(expectedTrips(), rows(s3Parts("clean", "recovered", manifest), S3IT::trip));
            assertEquals(List.of(), s3.listMultipartUploads(b -> b.bucket("clean").prefix("recovered/")).uploads(),
                    "no upload left pending");
            assertTrue(listKeys("clean", "recovered/").stream().noneMatch(key -> key.contains("_temporary")),
                    listKeys("clean", "recovered/").toString());
            System.out.printf("S3 job after the AM's SIGKILL: %s%n", counters);
        }
    }

    private static java.nio.file.Path amountsSchema() throws Exception {
        java.nio.file.Path schema = java.nio.file.Files.createTempFile(java.nio.file.Path.of("target"), "amounts", ".avsc");
        java.nio.file.Files.writeString(schema, "{\"type\":\"record\",\"name\":\"amounts\",\"fields\":"
                + "[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"amount\",\"type\":\"long\"}]}");
        return schema;
    }

    private static void putBadAmounts() {
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 1; i <= 20_000; i++) {
            csv.append(i).append(',').append(i % 25 == 0 ? i + "x" : String.valueOf(i)).append('\n'); // 4% bad
        }
        putObject("raw", "bad/amounts.csv", csv.toString());
    }

    @Test
    void wrongKeysFailBeforeSubmissionNamingTheBucketAndTheErrorCode() throws Exception {
        File jceks = new File("target/s3-it/wrong.jceks").getAbsoluteFile();
        jceks.delete();
        Configuration credentials = new Configuration(false);
        credentials.set(CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH, "jceks://file" + jceks.getPath());
        CredentialProvider store = CredentialProviderFactory.getProviders(credentials).get(0);
        store.createCredentialEntry("fs.s3a.access.key", S3Server.ACCESS_KEY.toCharArray());
        store.createCredentialEntry("fs.s3a.secret.key", "not-the-secret".toCharArray());
        store.flush();

        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "-D", S3Config.ENDPOINT + "=" + SERVER.endpoint(),
                "-D", S3Config.PATH_STYLE + "=true", "-D", CredentialProviderFactory.CREDENTIAL_PROVIDER_PATH + "=jceks://file" + jceks.getPath(),
                "--input", "s3://raw/trips/", "--output", "s3://clean/never", "--cluster", cluster.confDir()));

        assertEquals(4, run.exitCode(), run.toString());
        assertFalse(run.err().contains("Submitted"), "fails before anything is submitted: " + run);
        assertTrue(run.err().matches("(?s)spindle csv-to-avro: error: .*S3 error (AccessDenied|SignatureDoesNotMatch) \\(HTTP 403\\).*bucket raw.*"),
                run.toString());
        assertFalse(run.err().contains("not-the-secret"), run.toString());
        assertEquals(List.of(), listKeys("clean", "never/"));
    }

    @Test
    void s3ToHdfs() throws Exception {
        CliRun run = run("--input", "s3://raw/trips/2024/*.csv", "--output", "/out/s3it/from-s3", "--block-size", "64k");

        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = cluster.manifest("/out/s3it/from-s3");
        List<InputStream> parts = new ArrayList<>();
        for (JsonNode part : manifest.path("parts")) {
            parts.add(cluster.fs().open(new Path("/out/s3it/from-s3", part.path("path").asText())));
        }
        assertSameRows(expectedTrips(), rows(parts, S3IT::trip));
    }

    @Test
    void quotedNewlinesCutIntoManySmallS3BlocksStayExact() throws Exception {
        // no --block-size: the planner cuts at the objects' own block size, spindle.s3.block-size
        CliRun run = run("-D", S3Config.BLOCK_SIZE + "=4k", "-D", CsvConfig.LOOK_AHEAD_BYTES + "=40",
                "--input", "s3://raw/notes/notes.csv", "--output", "s3://clean/notes-avro");

        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = json(getObject("clean", "notes-avro/_SUCCESS"));
        JsonNode counters = manifest.path("counters");
        assertTrue(counters.path("blocks").asInt() >= 20, counters.toString());
        assertTrue(counters.path("blocksRerun").asInt() > 0, "a 40-byte look-ahead guesses wrong somewhere: " + counters);
        Map<List<Object>, Integer> expected = new HashMap<>();
        for (CSVRecord record : parse(notes)) {
            expected.merge(List.of(Long.parseLong(record.get("id")), record.get("note"), Long.parseLong(record.get("amount"))),
                    1, Integer::sum);
        }
        assertSameRows(expected, rows(s3Parts("clean", "notes-avro", manifest),
                record -> List.of(record.get("id"), record.get("note").toString(), record.get("amount"))));
    }

    @Test
    void noKeyInTheManifestTheOutputOrTheLogs() throws Exception {
        CliRun run = run("--input", "s3://raw/trips/2024/part-a.csv", "--output", "s3://clean/keys-check");

        assertEquals(0, run.exitCode(), run.toString());
        for (String key : listKeys("clean", "keys-check/")) {
            String content = new String(getObject("clean", key), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertFalse(content.contains(S3Server.SECRET_KEY), key);
            assertFalse(content.contains(S3Server.ACCESS_KEY), key);
        }
        assertFalse(run.out().contains(S3Server.SECRET_KEY) || run.err().contains(S3Server.SECRET_KEY));

        // the AM's and the workers' logs, once YARN's log aggregation has them
        java.util.regex.Matcher submitted = java.util.regex.Pattern.compile("Submitted csv-to-avro as (application_\\d+_\\d+)")
                .matcher(run.err() + run.out());
        assertTrue(submitted.find(), run.toString());
        CliRun logs = null;
        for (int i = 0; i < 60; i++) {
            logs = CliRun.of("logs", "--cluster", cluster.confDir(), submitted.group(1));
            if (logs.exitCode() == 0 && logs.out().contains("Committed") && logs.out().contains("Block 0 attempt 1")) {
                break;
            }
            Thread.sleep(500);
        }
        assertTrue(logs.out().contains("Committed") && logs.out().contains("Block 0 attempt 1"), "the AM's and a worker's log: " + logs);
        assertFalse(logs.out().contains(S3Server.SECRET_KEY), "a log holds the secret key");
        assertFalse(logs.out().contains(S3Server.ACCESS_KEY), "a log holds the access key");
    }

    private static CliRun run(String... args) {
        return CliRun.of(CliRun.withJobJar("csv-to-avro", options(args)));
    }

    /**
     * The JVM of a container, by the container id on its command line: the java process itself,
     * never the NodeManager's bash wrapper whose command line holds the same text (killing that
     * one leaves the JVM running, orphaned).
     */
    private static ProcessHandle containerJvm(String marker) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/bin/java")
                        && process.info().commandLine().orElse("").contains(marker))
                .findFirst().orElseThrow(() -> new AssertionError("no JVM with " + marker));
    }

    private static String[] command(String name, String... args) {
        List<String> all = new ArrayList<>(List.of(name));
        all.addAll(List.of(options(args)));
        return all.toArray(new String[0]);
    }

    private static String[] options(String... args) {
        List<String> all = new ArrayList<>(s3Options);
        all.addAll(List.of(args)); // -D options first, as Hadoop's generic options parser wants
        all.addAll(List.of("--cluster", cluster.confDir()));
        return all.toArray(new String[0]);
    }

    /** id,city,fare,passengers; cities sometimes quoted with a comma. */
    private static String trips(Random random, int rows) {
        String[] cities = {"Lisbon", "Oslo", "\"Washington, D.C.\"", "Kyoto", "\"Paris, Texas\""};
        StringBuilder csv = new StringBuilder("id,city,fare,passengers\n");
        for (int id = 0; id < rows; id++) {
            csv.append(id).append(',').append(cities[random.nextInt(cities.length)]).append(',')
                    .append(random.nextInt(10_000)).append('.').append(10 + random.nextInt(90)).append(',')
                    .append(random.nextInt(7)).append('\n');
        }
        return csv.toString();
    }

    private static Map<List<Object>, Integer> expectedTrips() throws Exception {
        Map<List<Object>, Integer> expected = new HashMap<>();
        for (CSVRecord record : parse(trips)) {
            expected.merge(List.of(Long.parseLong(record.get("id")), record.get("city"), Double.parseDouble(record.get("fare")),
                    Long.parseLong(record.get("passengers"))), 1, Integer::sum);
        }
        return expected;
    }

    private static List<Object> trip(GenericRecord record) {
        return List.of(record.get("id"), record.get("city").toString(), record.get("fare"), record.get("passengers"));
    }

    private static Iterable<CSVRecord> parse(String csv) throws Exception {
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build().parse(new StringReader(csv));
    }

    private static List<InputStream> s3Parts(String bucket, String output, JsonNode manifest) {
        List<InputStream> parts = new ArrayList<>();
        for (JsonNode part : manifest.path("parts")) {
            parts.add(s3.getObject(b -> b.bucket(bucket).key(output + "/" + part.path("path").asText())));
        }
        assertFalse(parts.isEmpty(), manifest.toString());
        return parts;
    }

    private static Map<List<Object>, Integer> rows(List<InputStream> parts, Function<GenericRecord, List<Object>> row) throws Exception {
        Map<List<Object>, Integer> rows = new HashMap<>();
        for (InputStream part : parts) {
            try (InputStream in = part; DataFileStream<GenericRecord> file = new DataFileStream<>(in, new GenericDatumReader<>())) {
                for (GenericRecord record : file) {
                    rows.merge(row.apply(record), 1, Integer::sum);
                }
            }
        }
        return rows;
    }

    private static void assertSameRows(Map<List<Object>, Integer> expected, Map<List<Object>, Integer> actual) {
        List<String> differences = new ArrayList<>();
        expected.forEach((row, count) -> {
            if (!count.equals(actual.getOrDefault(row, 0))) {
                differences.add("expected %d, found %d: %s".formatted(count, actual.getOrDefault(row, 0), row));
            }
        });
        actual.forEach((row, count) -> {
            if (!expected.containsKey(row)) {
                differences.add("unexpected %d: %s".formatted(count, row));
            }
        });
        assertTrue(differences.isEmpty(), differences.size() + " differences, among them: "
                + String.join("\n", differences.subList(0, Math.min(5, differences.size()))));
    }

    private static void putObject(String bucket, String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content, UTF_8));
    }

    private static byte[] getObject(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    private static List<String> listKeys(String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(object -> keys.add(object.key()));
        return keys;
    }

    /**
     * Each injected fault costs one retry; a request that then meets a pooled connection left dead
     * (a body cut off, or a connection closed while idle) is retried once more, and every retry is
     * counted: between one and two per fault. Returns the count.
     */
    private static int assertRetriesCounted(int faults, JsonNode manifest) {
        int retries = manifest.path("counters").path("s3Retries").asInt();
        assertTrue(retries >= faults && retries <= 2 * faults,
                faults + " faults, " + retries + " retries counted: " + manifest.path("counters"));
        return retries;
    }

    private static JsonNode json(byte[] bytes) throws Exception {
        return new ObjectMapper().readTree(bytes);
    }
}
