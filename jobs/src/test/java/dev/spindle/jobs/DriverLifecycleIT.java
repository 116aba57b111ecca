package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: the driver is not the job. A killed driver leaves the job running and {@code wait}
 * re-attaches with the job's exit code; {@code --detach} returns at once; {@code status} exits
 * with the job's code.
 */
@ExtendWith(SharedCluster.Resolver.class)
class DriverLifecycleIT {

    private static final Pattern SUBMITTED = Pattern.compile("Submitted csv-to-avro as (application_\\d+_\\d+)");

    private static byte[] taxi(long seed, int rows) throws Exception {
        ByteArrayOutputStream csv = new ByteArrayOutputStream();
        new TaxiDataGenerator(seed).write(csv, rows);
        return csv.toByteArray();
    }

    @Test
    void aFailedJobsStatusExits1AndShowsNoTrackingUrlOfItsDeadAm(SharedCluster cluster) throws Exception {
        cluster.write("/data/lifecycle/ragged.csv", "a,b\n1,2\n3\n4,5\n".getBytes(UTF_8));
        CliRun job = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input", "/data/lifecycle/ragged.csv",
                "--output", "/out/lifecycle/ragged", "--max-rejects", "0", "--quiet"));
        assertEquals(1, job.exitCode(), job.toString());

        CliRun status = CliRun.of("status", "--cluster", cluster.confDir(), applicationId(job.err()));
        assertEquals(1, status.exitCode(), status.toString());
        assertTrue(status.out().contains(" FINISHED FAILED progress "), status.toString());
        assertFalse(status.out().contains("tracking URL"), status.toString());
        assertTrue(status.out().contains("diagnostics: BadInputException: 1 of 3 records were bad"), status.toString());
    }

    @Test
    void detachPrintsTheApplicationIdAndWaitEndsWithTheJobsCode(SharedCluster cluster) throws Exception {
        cluster.write("/data/lifecycle/ragged-detached.csv", "a,b\n1,2\n3\n4,5\n".getBytes(UTF_8));
        long started = System.nanoTime();
        CliRun detached = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input",
                "/data/lifecycle/ragged-detached.csv", "--output", "/out/lifecycle/ragged-detached", "--max-rejects", "0", "--detach"));
        long detachSeconds = (System.nanoTime() - started) / 1_000_000_000;
        assertEquals(0, detached.exitCode(), detached.toString());
        String id = detached.out().strip();
        assertTrue(id.matches("application_\\d+_\\d+"), detached.toString());

        CliRun waited = CliRun.of("wait", "--cluster", cluster.confDir(), id);
        assertEquals(1, waited.exitCode(), waited.toString());
        assertTrue(waited.err().contains("spindle wait: job " + id + " FAILED: BadInputException: 1 of 3 records were bad"), waited.toString());
        System.out.printf("--detach returned after %d s%n", detachSeconds);
    }

    @Test
    void waitReattachesToAJobWhoseDriverWasKilledAndExits0WithItsSummary(SharedCluster cluster) throws Exception {
        cluster.write("/data/lifecycle/taxi.csv", taxi(13, 200_000));
        List<String> command = driverCommand(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input", "/data/lifecycle/taxi.csv",
                "--output", "/out/lifecycle/taxi", "--block-size", "2m"));
        Process driver = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        String id = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(driver.getInputStream(), UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                Matcher submitted = SUBMITTED.matcher(line);
                if (submitted.find()) {
                    id = submitted.group(1);
                    break;
                }
            }
            // SIGKILL: no shutdown hook runs, so the job is not killed with the driver
            driver.destroyForcibly();
            assertTrue(driver.waitFor(30, TimeUnit.SECONDS));
        }
        assertTrue(id != null, "the driver printed no application id");

        CliRun waited = CliRun.of("wait", "--cluster", cluster.confDir(), id);
        assertEquals(0, waited.exitCode(), waited.toString());
        assertTrue(waited.out().startsWith("wait SUCCEEDED: " + id), waited.toString());
        assertTrue(waited.out().contains("  rows read              200,000"), waited.toString());
        assertTrue(waited.err().contains("] running"), waited.toString());
        assertEquals(200_000, cluster.manifest("/out/lifecycle/taxi").path("counters").path("rowsRead").asLong());
        assertEquals(200_000, cluster.avroRecords("/out/lifecycle/taxi").size());
        assertTrue(new File(cluster.confDir()).isDirectory());
    }

    @Test
    void hadoopUserNameIsTheUserTheJobRunsAndWritesAs(SharedCluster cluster) throws Exception {
        cluster.write("/data/lifecycle/alice.csv", taxi(17, 2_000));
        // as a cluster admin would: alice has a home (the job's staging) and a place to write
        org.apache.hadoop.fs.FileSystem fs = cluster.fs();
        fs.mkdirs(new org.apache.hadoop.fs.Path("/user"));
        fs.setPermission(new org.apache.hadoop.fs.Path("/user"), new org.apache.hadoop.fs.permission.FsPermission((short) 0755));
        for (String dir : List.of("/user/alice", "/out/lifecycle/alice")) {
            fs.mkdirs(new org.apache.hadoop.fs.Path(dir));
            fs.setOwner(new org.apache.hadoop.fs.Path(dir), "alice", "alice");
        }
        List<String> command = driverCommand(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input", "/data/lifecycle/alice.csv",
                "--output", "/out/lifecycle/alice/taxi", "--quiet"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HADOOP_USER_NAME", "alice");
        Process driver = builder.start();
        String output = new String(driver.getInputStream().readAllBytes(), UTF_8);
        assertTrue(driver.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, driver.exitValue(), output);

        String id = applicationId(output);
        assertEquals("alice", cluster.report(id).getUser(), "the application is alice's in the ResourceManager");
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path("/out/lifecycle/alice/taxi");
        List<String> owners = new ArrayList<>();
        for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(out)) {
            owners.add(file.getPath().getName() + "=" + file.getOwner());
            assertEquals("alice", file.getOwner(), "written by the AM and the workers as alice: " + file.getPath());
        }
        assertTrue(owners.stream().anyMatch(owner -> owner.startsWith("part-")), owners.toString());
        assertTrue(owners.contains("_SUCCESS=alice"), owners.toString());
        assertEquals(2_000, cluster.manifest("/out/lifecycle/alice/taxi").path("counters").path("rowsRead").asLong());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path("/user/alice/.spindle")), "the staging is in alice's home");
    }

    @Test
    void theTokensOfHadoopTokenFileLocationReachTheApplicationMaster(SharedCluster cluster,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        cluster.write("/data/lifecycle/tokens.csv", taxi(19, 2_000));
        // what Oozie's launcher hands its action: a token file, no Kerberos ticket
        org.apache.hadoop.security.Credentials tokens = new org.apache.hadoop.security.Credentials();
        org.apache.hadoop.io.Text service = new org.apache.hadoop.io.Text("spindle-test-service:1");
        tokens.addToken(service, new org.apache.hadoop.security.token.Token<>(new byte[] {1, 2}, new byte[] {3, 4},
                new org.apache.hadoop.io.Text("SPINDLE_TEST_TOKEN"), service));
        java.nio.file.Path file = dir.resolve("launcher.tokens");
        tokens.writeTokenStorageFile(new org.apache.hadoop.fs.Path(file.toUri()), cluster.configuration());
        List<String> command = driverCommand(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input", "/data/lifecycle/tokens.csv",
                "--output", "/out/lifecycle/tokens", "--quiet"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HADOOP_TOKEN_FILE_LOCATION", file.toString());
        Process driver = builder.start();
        String output = new String(driver.getInputStream().readAllBytes(), UTF_8);
        assertTrue(driver.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, driver.exitValue(), output);

        String id = applicationId(output);
        CliRun logs = null;
        for (int i = 0; i < 60; i++) {
            logs = CliRun.of("logs", "--cluster", cluster.confDir(), "--am", id);
            if (logs.exitCode() == 0 && logs.out().contains("with tokens: [")) {
                break;
            }
            Thread.sleep(500);
        }
        assertTrue(logs.out().contains("Kind: SPINDLE_TEST_TOKEN, Service: spindle-test-service:1"),
                "the AM holds the launcher's token: " + logs);
    }

    /** A driver JVM of its own, to be killed or given an environment: {@code java ... SpindleCli ARGS}. */
    private static List<String> driverCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(System.getProperty("java.home") + "/bin/java",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), SpindleCli.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private static String applicationId(String stderr) {
        Matcher submitted = SUBMITTED.matcher(stderr);
        assertTrue(submitted.find(), stderr);
        return submitted.group(1);
    }
}
