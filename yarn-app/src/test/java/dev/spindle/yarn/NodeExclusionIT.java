package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.embedded.EmbeddedCluster;
import java.io.DataInputStream;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.LogAggregationStatus;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.logaggregation.AggregatedLogFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad nodes on the embedded cluster: two NodeManagers on hosts of their own (127.0.0.2 and
 * 127.0.0.3), each with room for one worker container at a time (1536 MB for a 1024 MB worker
 * beside a 512 MB AM), and {@code spindle.yarn.node.max-failures=2}. The worker JVMs of
 * {@link FailOnHostTask} halt with exit status 17 on a bad host. Which containers ran on which
 * node is read from YARN's aggregated logs (one file per node, one entry per container it ran).
 */
class NodeExclusionIT {

    private static final int MAX_FAILURES = 2;

    private static EmbeddedCluster cluster;
    private static Configuration conf;
    private static FileSystem fs;
    private static YarnClient yarn;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = EmbeddedCluster.builder(new File("target/node-exclusion-it"))
                .hdfsBlockSize(64 * 1024)
                .nodeManagerHosts("127.0.0.2", "127.0.0.3")
                .nodeMemoryMb(1536)
                .containerClasspath(System.getProperty("java.class.path"))
                .build();
        conf = cluster.configuration();
        conf.setBoolean(YarnAppConfig.UBER, false);
        conf.setInt(YarnAppConfig.AM_MEMORY_MB, 512);
        conf.setInt(YarnAppConfig.WORKER_MEMORY_MB, 1024);
        // one block per worker JVM: each failing container is one failed attempt, its marker file its own
        conf.setInt(YarnAppConfig.WORKER_VCORES, 1);
        conf.setInt(YarnAppConfig.NODE_MAX_FAILURES, MAX_FAILURES);
        fs = FileSystem.get(conf);
        yarn = YarnClient.createYarnClient();
        yarn.init(conf);
        yarn.start();
    }

    @AfterAll
    static void stopCluster() {
        if (yarn != null) {
            yarn.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theNodeManagersRegisterUnderHostsOfTheirOwn() {
        assertEquals(List.of("127.0.0.2", "127.0.0.3"), cluster.nodeHosts());
    }

    @Test
    void aNodeWhoseContainersFailIsExcludedAndTheJobSucceedsOnTheOtherWithExactOutput() throws Exception {
        String bad = "127.0.0.3";
        byte[] input = TestFiles.randomBytes(1, 10 * 64 * 1024);
        TestFiles.write(fs, "/in/bad-node/a.bin", input);
        Path markers = fs.makeQualified(new Path("/markers/bad-node"));
        JobSpec spec = JobSpec.builder("bad-node", FailOnHostTask.class)
                .input(fs.makeQualified(new Path("/in/bad-node")).toString())
                .output(fs.makeQualified(new Path("/out/bad-node")).toString())
                .task(new BadHostSpec(List.of(bad), markers.toString(), MAX_FAILURES))
                .containers(2)
                .maxAttempts(3)
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            JobResult result = handle.result().get(150, TimeUnit.SECONDS);

            assertEquals(JobState.SUCCEEDED, result.state(), result.message());
            Manifest manifest = result.manifest().orElseThrow();
            assertEquals(10, manifest.parts().size());
            byte[] joined = TestFiles.joinedParts(fs, "/out/bad-node", manifest);
            assertArrayEquals(input, joined, "the output equals the input");
            assertTrue(fs.exists(new Path("/out/bad-node/_SUCCESS")));
            assertTrue(manifest.counters().blocksRerun() >= 1, "the blocks of the dead workers ran again: " + manifest.counters());

            List<String> excluded = handle.lastStatus().orElseThrow().excludedNodes();
            assertEquals(1, excluded.size(), excluded.toString());
            assertTrue(Pattern.matches(Pattern.quote(bad) + " \\(" + MAX_FAILURES + " failed containers; last: container_[0-9_e]+ exit status "
                    + FailOnHostTask.EXIT_STATUS + ": .*", excluded.get(0)), excluded.get(0));

            Set<String> died = markerNames(markers);
            assertEquals(MAX_FAILURES, died.size(), "workers that died on " + bad + ": " + died);
            for (String container : died) {
                String marker = new String(TestFiles.read(fs, markers + "/" + container), java.nio.charset.StandardCharsets.UTF_8);
                assertTrue(marker.startsWith(bad + " block "), "the dying container's NM_HOST is the bad host: " + marker);
            }
            Map<String, Set<String>> workers = workerContainersByHost(handle.applicationId());
            // the bad node ran exactly the workers that died there: it got none after the one that excluded it
            assertEquals(died, workers.get(bad), "worker containers by host: " + workers);
            String good = "127.0.0.2";
            assertFalse(workers.getOrDefault(good, Set.of()).isEmpty(), "worker containers by host: " + workers);
            assertTrue(workers.get(good).stream().noneMatch(died::contains), "worker containers by host: " + workers);
            System.out.printf("excluded %s; worker containers by host: %s%n", excluded, workers);
        }
    }

    @Test
    void whenEveryNodeIsExcludedTheJobFailsSayingSoAndCommitsNothing() throws Exception {
        TestFiles.write(fs, "/in/all-bad/a.bin", TestFiles.randomBytes(2, 6 * 64 * 1024));
        Path markers = fs.makeQualified(new Path("/markers/all-bad"));
        JobSpec spec = JobSpec.builder("all-bad", FailOnHostTask.class)
                .input(fs.makeQualified(new Path("/in/all-bad")).toString())
                .output(fs.makeQualified(new Path("/out/all-bad")).toString())
                .task(new BadHostSpec(cluster.nodeHosts(), markers.toString(), 0))
                .containers(2)
                // enough attempts and container budget that the exclusions, not a block, end the job
                .maxAttempts(10)
                .build();

        try (JobHandle handle = new JobClient(conf).submit(spec)) {
            JobResult result = handle.result().get(150, TimeUnit.SECONDS);

            assertEquals(JobState.FAILED, result.state(), result.message());
            // one line naming each host with its failures, the last one's container and exit status
            String failed = " \\(" + MAX_FAILURES + " failed containers; last: container_[0-9_e]+ exit status " + FailOnHostTask.EXIT_STATUS + ": .*\\)";
            assertTrue(Pattern.matches(Pattern.quote("Every node of the cluster is excluded after failed worker containers ("
                    + YarnAppConfig.NODE_MAX_FAILURES + "): ") + "127\\.0\\.0\\.2" + failed + "; 127\\.0\\.0\\.3" + failed, result.message()),
                    result.message());
            assertFalse(fs.exists(new Path("/out/all-bad/_SUCCESS")));
            assertFalse(fs.exists(new Path("/out/all-bad")) && fs.listStatus(new Path("/out/all-bad")).length > 0,
                    "a failed job must leave nothing in its output dir");

            Set<String> died = markerNames(markers);
            assertEquals(2 * MAX_FAILURES, died.size(), "workers that died: " + died);
            Map<String, Set<String>> workers = workerContainersByHost(handle.applicationId());
            Set<String> ran = new TreeSet<>();
            for (Set<String> containers : workers.values()) {
                assertEquals(MAX_FAILURES, containers.size(), "worker containers by host: " + workers);
                ran.addAll(containers);
            }
            assertEquals(died, ran, "every worker that ran died, and no node ran one after it was excluded: " + workers);
            System.out.printf("failed: %s%n", result.message());
        }
    }

    private static Set<String> markerNames(Path markers) throws Exception {
        Set<String> names = new TreeSet<>();
        for (FileStatus marker : fs.listStatus(markers)) {
            names.add(marker.getPath().getName());
        }
        return names;
    }

    /**
     * The worker containers (every container but the AM's) each host ran for the application,
     * from its aggregated logs: one file per NodeManager, named {@code host_port}, with an entry
     * per container that ran there.
     */
    private static Map<String, Set<String>> workerContainersByHost(String applicationId) throws Exception {
        ApplicationId id = ApplicationId.fromString(applicationId);
        long deadline = System.currentTimeMillis() + 60_000;
        ApplicationReport report = yarn.getApplicationReport(id);
        while (report.getLogAggregationStatus() != LogAggregationStatus.SUCCEEDED) {
            assertTrue(System.currentTimeMillis() < deadline, "log aggregation did not succeed within 60 s: " + report.getLogAggregationStatus());
            assertFalse(report.getLogAggregationStatus() == LogAggregationStatus.FAILED, "log aggregation failed");
            Thread.sleep(200);
            report = yarn.getApplicationReport(id);
        }
        String am = yarn.getApplicationAttemptReport(report.getCurrentApplicationAttemptId()).getAMContainerId().toString();
        Map<String, Set<String>> byHost = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path(conf.get("yarn.nodemanager.remote-app-log-dir")), true);
        while (files.hasNext()) {
            Path file = files.next().getPath();
            if (!file.getParent().getName().equals(applicationId)) {
                continue;
            }
            String node = file.getName();
            Set<String> containers = byHost.computeIfAbsent(node.substring(0, node.lastIndexOf('_')), host -> new TreeSet<>());
            AggregatedLogFormat.LogReader reader = new AggregatedLogFormat.LogReader(conf, file);
            try {
                AggregatedLogFormat.LogKey key = new AggregatedLogFormat.LogKey();
                for (DataInputStream entry = reader.next(key); entry != null; entry = reader.next(key)) {
                    if (!key.toString().equals(am)) {
                        containers.add(key.toString());
                    }
                    key = new AggregatedLogFormat.LogKey();
                }
            } finally {
                reader.close();
            }
        }
        List<String> hosts = new ArrayList<>(byHost.keySet());
        assertTrue(cluster.nodeHosts().containsAll(hosts), "logs of unknown hosts: " + hosts + " " + Arrays.asList(cluster.nodeHosts()));
        return byHost;
    }



}
