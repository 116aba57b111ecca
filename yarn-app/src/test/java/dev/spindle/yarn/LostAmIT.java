package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Workers without an AM: the AM's JVM is frozen (SIGSTOP, so YARN still counts it alive and
 * kills nothing), its workers hear nothing for {@code spindle.yarn.worker.am-timeout-ms} and must
 * end on their own, writing nothing into the output. Thawed (SIGCONT), the AM learns its workers
 * ended, runs the blocks left on new ones, and the job ends with its output equal to its input.
 */
class LostAmIT {

    private static EmbeddedCluster cluster;
    private static Configuration conf;
    private static FileSystem fs;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmbeddedCluster.builder(new File("target/lost-am-it"))
                .hdfsBlockSize(64 * 1024)
                .containerClasspath(System.getProperty("java.class.path"))
                .build();
        conf = cluster.configuration();
        conf.setBoolean(YarnAppConfig.UBER, false);
        conf.setLong(YarnAppConfig.WORKER_AM_TIMEOUT_MS, 5_000);
        conf.setLong(YarnAppConfig.WORKER_HEARTBEAT_MS, 500);
        conf.setLong(YarnAppConfig.RPC_READ_TIMEOUT_MS, 2_000);
        // the two workers that end on their own are counted against their node; not enough to exclude it
        conf.setInt(YarnAppConfig.NODE_MAX_FAILURES, 10);
        fs = FileSystem.get(conf);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void workersOfAFrozenAmEndOnTheirOwnWritingNothingAndTheThawedAmFinishesTheJob() throws Exception {
        byte[] input = TestFiles.randomBytes(21, 24 * 64 * 1024);
        TestFiles.write(fs, "/in/lost-am/a.bin", input);
        JobSpec spec = JobSpec.builder("lost-am", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/lost-am")).toString())
                .output(fs.makeQualified(new Path("/out/lost-am")).toString())
                .task(CopySpec.plain())
                .containers(2)
                .build();
        try (YarnClient yarn = YarnClient.createYarnClient(); JobHandle handle = new JobClient(conf).submit(spec)) {
            yarn.init(conf);
            yarn.start();
            List<String> workers = RunningWorkers.await(handle, 2);
            ApplicationId id = ApplicationId.fromString(handle.applicationId().toString());
            String amContainer = yarn.getApplicationAttemptReport(yarn.getApplicationReport(id).getCurrentApplicationAttemptId())
                    .getAMContainerId().toString();
            ProcessHandle am = containerJvm(amContainer);
            List<ProcessHandle> workerJvms = new ArrayList<>();
            for (String worker : workers) {
                workerJvms.add(containerJvm(worker));
            }

            signal("STOP", am);
            long frozen = System.nanoTime();
            try {
                for (ProcessHandle worker : workerJvms) {
                    // the timeout (5 s), a heartbeat's read timeout (2 s) and a heartbeat period, with room for a loaded machine
                    assertTrue(worker.onExit().completeOnTimeout(null, 60, TimeUnit.SECONDS).get() != null && !worker.isAlive(),
                            "a worker of the frozen AM is still running after 60 s: " + worker.pid());
                }
                double seconds = (System.nanoTime() - frozen) / 1e9;
                assertTrue(seconds >= 4, "the workers ended before the AM timeout could pass: " + seconds + " s");
                assertTrue(am.isAlive(), "the AM is frozen, not gone");
                // nothing of theirs in the output: only the staging, which the AM owns
                for (FileStatus entry : fs.listStatus(new Path("/out/lost-am"))) {
                    assertEquals("_temporary", entry.getPath().getName(), "the output holds only the staging while the AM is frozen");
                }
                System.out.printf("the workers of the frozen AM ended on their own within %.1f s%n", seconds);
            } finally {
                signal("CONT", am);
            }

            JobResult result = handle.result().get(240, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(24, manifest.counters().blocks());
            assertEquals(24, manifest.parts().size(), "exactly one attempt per block is committed");
            // no count of re-runs: a report a worker sent just before the freeze waits in the AM's socket and is
            // accepted once it thaws, so its block may not run again; the blocks left all ran on new workers
            assertArrayEquals(input, TestFiles.joinedParts(fs, "/out/lost-am", manifest), "the output equals the input");
            assertFalse(fs.exists(new Path("/out/lost-am/_temporary")));
        }
    }

    /** The JVM of a container, found by the container id on its command line. */
    private static ProcessHandle containerJvm(String containerId) {
        String marker = "-D" + LaunchContexts.CONTAINER_ID_PROPERTY + "=" + containerId + " ";
        List<ProcessHandle> jvms = ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/bin/java")
                        && process.info().commandLine().orElse("").contains(marker))
                .toList();
        assertEquals(1, jvms.size(), "one JVM of " + containerId + ": " + jvms);
        return jvms.get(0);
    }

    private static void signal(String signal, ProcessHandle process) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor(),
                "kill -" + signal + " " + process.pid());
    }
}
