package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: two real jobs overwriting one output at the same time end with one complete job's
 * output, never a mix of the two; a job that loses the race to the commit lock fails with a
 * message that says so.
 */
@ExtendWith(SharedCluster.Resolver.class)
class ConcurrentOverwriteIT {

    private static final String OUTPUT = "/out/race/trips";

    @Test
    void twoJobsOverwritingOneOutputAtOnceLeaveOneCompleteJobsOutput(SharedCluster cluster) throws Exception {
        List<Set<String>> medallions = new ArrayList<>();
        int[] rows = {30_000, 50_000};
        for (int job = 0; job < 2; job++) {
            ByteArrayOutputStream csv = new ByteArrayOutputStream();
            new TaxiDataGenerator(100 + job).write(csv, rows[job]);
            cluster.write("/data/race/trips-" + job + ".csv", csv.toByteArray());
            Set<String> ids = new HashSet<>();
            csv.toString(UTF_8).lines().skip(1).forEach(line -> ids.add(line.substring(0, line.indexOf(','))));
            medallions.add(ids);
        }
        // an earlier dataset that both jobs replace
        ByteArrayOutputStream earlier = new ByteArrayOutputStream();
        new TaxiDataGenerator(99).write(earlier, 1_000);
        cluster.write("/data/race/earlier.csv", earlier.toByteArray());
        CliRun first = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input",
                "/data/race/earlier.csv", "--output", OUTPUT, "--quiet"));
        assertEquals(0, first.exitCode(), first.toString());

        List<CompletableFuture<CliRun>> jobs = new ArrayList<>();
        for (int job = 0; job < 2; job++) {
            String input = "/data/race/trips-" + job + ".csv";
            jobs.add(CompletableFuture.supplyAsync(() -> CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(),
                    "--input", input, "--output", OUTPUT, "--write-mode", "overwrite", "--block-size", "1m", "--quiet"))));
        }
        List<CliRun> runs = new ArrayList<>();
        for (CompletableFuture<CliRun> job : jobs) {
            runs.add(job.get(300, TimeUnit.SECONDS));
        }

        int succeeded = 0;
        for (CliRun run : runs) {
            if (run.exitCode() == 0) {
                succeeded++;
            } else {
                assertEquals(1, run.exitCode(), run.toString());
                assertTrue(run.err().contains("is committing to"), "the loser says it lost the commit: " + run);
            }
        }
        assertTrue(succeeded >= 1, "one job at least committed: " + runs);
        // the output is one job's, whole: every record from one input, as many as that input has
        List<GenericRecord> records = cluster.avroRecords(OUTPUT);
        long rowsWritten = cluster.manifest(OUTPUT).path("counters").path("rowsWritten").asLong();
        int winner = rowsWritten == rows[0] ? 0 : 1;
        assertEquals(rows[winner], rowsWritten, "rows of one job's input");
        assertEquals(rows[winner], records.size());
        for (GenericRecord record : records) {
            assertTrue(medallions.get(winner).contains(record.get("medallion").toString()), "a record of the other job: " + record);
        }
        // nothing of the other job or the earlier dataset beside the listed parts
        CliRun validate = CliRun.of("validate", "--cluster", cluster.confDir(), OUTPUT);
        assertEquals(0, validate.exitCode(), validate.toString());
        List<String> files = new ArrayList<>();
        for (FileStatus file : cluster.fs().listStatus(new Path(OUTPUT))) {
            files.add(file.getPath().getName());
        }
        assertTrue(files.stream().noneMatch(name -> name.equals("_temporary")), files.toString());
        System.out.printf("two overwrites at once: exit codes %d and %d, job %d's %d rows won; files %s%n",
                runs.get(0).exitCode(), runs.get(1).exitCode(), winner, rowsWritten, files);
    }
}
