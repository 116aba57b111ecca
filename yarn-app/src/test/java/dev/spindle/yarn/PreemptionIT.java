package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.File;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pre-emption by a real scheduler: the CapacityScheduler's pre-emption monitor on the embedded
 * cluster, one NodeManager shared by two queues of half its memory each. A job in queue {@code a}
 * fills the node; a second job in queue {@code b} then needs its guaranteed share, and the
 * ResourceManager pre-empts one of the first job's worker containers (exit status PREEMPTED).
 * The first job must go on as after any lost worker, its block re-run elsewhere, and must not
 * count the pre-emption as a failure of its node: with {@code spindle.yarn.node.max-failures=1}
 * a counted failure would exclude the only node and fail the job.
 */
class PreemptionIT {

    private static final int WORKER_MB = 512;

    private static EmbeddedCluster cluster;
    private static Configuration conf;
    private static FileSystem fs;

    @BeforeAll
    static void startCluster() throws Exception {
        Configuration scheduler = new Configuration(false);
        scheduler.set("yarn.scheduler.capacity.root.queues", "a,b");
        for (String queue : List.of("a", "b")) {
            String prefix = "yarn.scheduler.capacity.root." + queue;
            scheduler.set(prefix + ".capacity", "50");
            scheduler.set(prefix + ".maximum-capacity", "100");
            // one user may take the whole node, beyond its queue's guaranteed half
            scheduler.set(prefix + ".user-limit-factor", "2");
        }
        scheduler.set("yarn.scheduler.capacity.maximum-am-resource-percent", "1.0");
        scheduler.set("yarn.resourcemanager.scheduler.monitor.enable", "true");
        scheduler.set("yarn.resourcemanager.scheduler.monitor.policies",
                "org.apache.hadoop.yarn.server.resourcemanager.monitor.capacity.ProportionalCapacityPreemptionPolicy");
        scheduler.set("yarn.resourcemanager.monitor.capacity.preemption.monitoring_interval", "200");
        scheduler.set("yarn.resourcemanager.monitor.capacity.preemption.max_wait_before_kill", "500");
        scheduler.set("yarn.resourcemanager.monitor.capacity.preemption.total_preemption_per_round", "1.0");
        scheduler.set("yarn.resourcemanager.monitor.capacity.preemption.natural_termination_factor", "1.0");
        scheduler.set("yarn.resourcemanager.monitor.capacity.preemption.max_ignored_over_capacity", "0");
        cluster = EmbeddedCluster.builder(new File("target/preemption-it"))
                .hdfsBlockSize(64 * 1024)
                .nodeManagers(1)
                .nodeMemoryMb(4 * WORKER_MB)
                .containerClasspath(System.getProperty("java.class.path"))
                .configuration(scheduler)
                .build();
        conf = cluster.configuration();
        conf.setInt(YarnAppConfig.AM_MEMORY_MB, WORKER_MB);
        conf.setInt(YarnAppConfig.WORKER_MEMORY_MB, WORKER_MB);
        fs = FileSystem.get(conf);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aPreemptedWorkerIsReplacedItsBlockReRunAndItsNodeNotCharged() throws Exception {
        byte[] input = new byte[30 * 64 * 1024];
        new Random(13).nextBytes(input);
        TestFiles.write(fs, "/in/preempted/a.bin", input);
        JobSpec filling = JobSpec.builder("preempted", SlowCopyTask.class)
                .input(fs.makeQualified(new Path("/in/preempted")).toString())
                .output(fs.makeQualified(new Path("/out/preempted")).toString())
                .task(CopySpec.plain())
                .containers(3)
                .build();
        Configuration queueA = new Configuration(conf);
        queueA.set(YarnAppConfig.QUEUE, "a");
        queueA.setBoolean(YarnAppConfig.UBER, false);
        // a pre-emption counted as a failure of the node would exclude the only node, and fail the job
        queueA.setInt(YarnAppConfig.NODE_MAX_FAILURES, 1);

        TestFiles.write(fs, "/in/claimant/a.bin", new byte[1000]);
        JobSpec claimant = JobSpec.builder("claimant", ByteCopyTask.class)
                .input(fs.makeQualified(new Path("/in/claimant")).toString())
                .output(fs.makeQualified(new Path("/out/claimant")).toString())
                .task(CopySpec.plain())
                .build();
        Configuration queueB = new Configuration(conf);
        queueB.set(YarnAppConfig.QUEUE, "b");

        try (JobHandle handle = new JobClient(queueA).submit(filling)) {
            RunningWorkers.await(handle, 3); // the AM and 3 workers: the whole node
            try (JobHandle second = new JobClient(queueB).submit(claimant)) {
                // its AM can only start once a worker of the first job was pre-empted
                JobResult claimed = second.result().get(120, TimeUnit.SECONDS);
                assertEquals(JobState.SUCCEEDED, claimed.state(), claimed.message());
            }
            JobResult result = handle.result().get(180, TimeUnit.SECONDS);
            assertEquals(JobState.SUCCEEDED, result.state(), result.message());

            try (YarnClient yarn = YarnClient.createYarnClient()) {
                yarn.init(conf);
                yarn.start();
                ApplicationReport report = yarn.getApplicationReport(org.apache.hadoop.yarn.api.records.ApplicationId.fromString(handle.applicationId().toString()));
                assertTrue(report.getApplicationResourceUsageReport().getPreemptedMemorySeconds() > 0,
                        "the ResourceManager pre-empted a container of the first job: " + report.getApplicationResourceUsageReport());
            }
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(30, manifest.counters().blocks());
            assertEquals(30, manifest.parts().size(), "exactly one attempt per block is committed");
            assertTrue(manifest.counters().attempts() > 30, "the pre-empted worker's block ran again: " + manifest.counters());
            // that the node was not charged is the job's success itself: at spindle.yarn.node.max-failures=1 a
            // charged pre-emption excludes the only node and fails the job. (The last status's excludedNodes is
            // no check of it: workers that end after the blocks are done may still be counted there.)
            byte[] joined = TestFiles.joinedParts(fs, "/out/preempted", manifest);
            assertArrayEquals(input, joined, "the output equals the input");
            assertFalse(fs.exists(new Path("/out/preempted/_temporary")));
        }
    }
}
