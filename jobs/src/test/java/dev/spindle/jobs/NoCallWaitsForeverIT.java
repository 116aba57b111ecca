package dev.spindle.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 13: a job either makes progress or fails saying what stalled. A 52 MB file that is one
 * header line with no newline used to stay RUNNING at 0% for ever: the AM ran out of memory
 * answering the workers' preparation call, and the calls had no bound.
 */
@ExtendWith(SharedCluster.Resolver.class)
class NoCallWaitsForeverIT {

    @Test
    void aOneLineFileOf52MegabytesEndsWithAnErrorInBoundedTime(SharedCluster cluster) throws Exception {
        byte[] line = new byte[52 << 20];
        Arrays.fill(line, (byte) 'x');
        cluster.write("/data/one-line/huge.csv", line);

        long started = System.nanoTime();
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-avro", "--cluster", cluster.confDir(), "--input", "/data/one-line/huge.csv",
                "--output", "/out/one-line", "--block-size", "16m", "--max-record-bytes", "64m", "--quiet"));
        long seconds = (System.nanoTime() - started) / 1_000_000_000;

        assertEquals(1, run.exitCode(), run.toString());
        // whichever ran out of memory first: saving the plan (the preparation holds the schema with
        // its 52 MB column name), or answering the workers' preparation or the driver's status call
        assertTrue(run.err().matches("(?s).*FAILED: The ApplicationMaster (could not answer /v1/(preparation|status)|ran out of memory"
                + " planning or preparing the job): OutOfMemoryError.*"), run.toString());
        assertTrue(run.err().contains("(raise spindle.yarn.am.memory-mb)"), run.toString());
        assertTrue(seconds < 120, "took " + seconds + " s");
        assertFalse(cluster.fs().exists(new Path("/out/one-line/_SUCCESS")));
        System.out.printf("the one-line 52 MB job failed after %d s%n", seconds);
    }
}
