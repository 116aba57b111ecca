package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The YARN machinery on MiniDFSCluster + MiniYARNCluster with test tasks from this module. */
class YarnJobIT {

    private static EmbeddedCluster cluster;
    private static Configuration conf;
    private static FileSystem fs;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmbeddedCluster.builder(new File("target/yarn-job-it"))
                .hdfsBlockSize(64 * 1024)
                .containerClasspath(System.getProperty("java.class.path"))
                .build();
        conf = cluster.configuration();
        fs = FileSystem.get(conf);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void blocksRunInWorkerContainersAndCommitExactlyOnce() throws Exception {
        byte[] first = randomBytes(1, 300_000);
        byte[] second = randomBytes(2, 70_000);
        write("/in/copy/a.bin", first);
        write("/in/copy/b.bin", second);
        JobSpec spec = JobSpec.builder("copy", ByteCopyTask.class)
                .input(fs.makeQualified(new Path("/in/copy")).toString())
                .output(fs.makeQualified(new Path("/out/copy")).toString())
                .containers(2)
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            JobResult result = handle.result().get(180, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            List<CompletableFuture<BlockResult>> blocks = handle.blocks().get();
            assertEquals(7, blocks.size(), "300,000 bytes in 64 KiB blocks is 5 blocks, 70,000 bytes is 2");
            for (CompletableFuture<BlockResult> block : blocks) {
                assertTrue(block.isDone());
            }

            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(handle.applicationId(), manifest.applicationId());
            assertEquals(first.length + second.length, manifest.counters().rowsRead());
            assertEquals(manifest.counters().rowsRead(), manifest.counters().rowsWritten()
                    + manifest.counters().rowsFiltered() + manifest.counters().rowsRejected());
            assertEquals(7, manifest.counters().blocks());
            assertEquals(7, manifest.parts().size());

            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            for (Manifest.Part part : manifest.parts()) {
                joined.write(read("/out/copy/" + part.path()));
            }
            byte[] expected = new byte[first.length + second.length];
            System.arraycopy(first, 0, expected, 0, first.length);
            System.arraycopy(second, 0, expected, first.length, second.length);
            assertArrayEquals(expected, joined.toByteArray());
            assertTrue(fs.exists(new Path("/out/copy/_SUCCESS")));
            assertTrue(fs.exists(new Path("/out/copy/_schema.avsc")));
            assertFalse(fs.exists(new Path("/out/copy/_temporary")), "staging must be gone");
        }
    }

    @Test
    void aJobWhoseWorkerAlwaysFailsLeavesNothingAndSaysWhy() throws Exception {
        write("/in/fail/a.bin", randomBytes(3, 100_000));
        JobSpec spec = JobSpec.builder("fail", AlwaysFailingTask.class)
                .input(fs.makeQualified(new Path("/in/fail")).toString())
                .output(fs.makeQualified(new Path("/out/fail")).toString())
                .maxAttempts(2)
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            JobResult result = handle.result().get(180, TimeUnit.SECONDS);
            assertEquals(JobState.FAILED, result.state());
            assertTrue(result.message().contains(AlwaysFailingTask.MESSAGE), result.message());
            assertTrue(result.message().contains("failed 2 of 2 attempts"), result.message());
            assertFalse(fs.exists(new Path("/out/fail/_SUCCESS")));
            assertFalse(fs.exists(new Path("/out/fail")) && fs.listStatus(new Path("/out/fail")).length > 0,
                    "a failed job must leave nothing in its output dir");
        }
    }

    @Test
    void aKilledJobEndsKilledAndLeavesNoPartAndNoStaging() throws Exception {
        write("/in/kill/a.bin", randomBytes(4, 12 * 64 * 1024));
        JobSpec spec = JobSpec.builder("kill", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/kill")).toString())
                .output(fs.makeQualified(new Path("/out/kill")).toString())
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (handle.lastStatus().map(JobStatus::blocksDone).orElse(0L) < 1) {
                assertTrue(System.currentTimeMillis() < deadline, "no block finished within 120 s");
                Thread.sleep(100);
            }
            assertTrue(fs.exists(new Path("/out/kill/_temporary/" + handle.applicationId())), "attempts write under staging");
            handle.kill();
            JobResult result = handle.result().get(120, TimeUnit.SECONDS);

            assertEquals(JobState.KILLED, result.state(), result.message());
            assertFalse(fs.exists(new Path("/out/kill/_SUCCESS")));
            assertFalse(fs.exists(new Path("/out/kill/_temporary/" + handle.applicationId())), "staging must be gone");
            if (fs.exists(new Path("/out/kill"))) {
                for (org.apache.hadoop.fs.FileStatus file : fs.listStatus(new Path("/out/kill"))) {
                    assertTrue(file.getPath().getName().startsWith("_"), "nothing visible after a kill: " + file.getPath());
                }
            }
        }
    }

    @Test
    void aWorkerThatMakesNoProgressIsGivenUpAndTheJobFailsInBoundedTimeSayingWhatStalled() throws Exception {
        write("/in/stall/a.bin", randomBytes(5, 1_000));
        JobSpec spec = JobSpec.builder("stall", StallingTask.class)
                .input(fs.makeQualified(new Path("/in/stall")).toString())
                .output(fs.makeQualified(new Path("/out/stall")).toString())
                .maxAttempts(2)
                .build();
        Configuration stallConf = new Configuration(conf);
        stallConf.setLong(YarnAppConfig.WORKER_HEARTBEAT_MS, 500);
        stallConf.setLong(YarnAppConfig.WORKER_STALL_TIMEOUT_MS, 4_000);

        long started = System.nanoTime();
        try (JobHandle handle = new JobClient(stallConf).submit(spec)) {
            JobResult result = handle.result().get(120, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            assertEquals(JobState.FAILED, result.state(), result.message());
            assertTrue(result.message().startsWith("Block 0 failed 2 of 2 attempts; last error: block 0 attempt 2 made no progress for "),
                    result.message());
            assertTrue(result.message().contains("(spindle.yarn.worker.stall-timeout-ms)"), result.message());
            assertFalse(fs.exists(new Path("/out/stall/_SUCCESS")));
            System.out.printf("stalled job failed after %d s: %s%n", seconds, result.message());
        }
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static void write(String path, byte[] bytes) throws Exception {
        try (OutputStream out = fs.create(new Path(path))) {
            out.write(bytes);
        }
    }

    private static byte[] read(String path) throws Exception {
        try (InputStream in = fs.open(new Path(path))) {
            return in.readAllBytes();
        }
    }
}
