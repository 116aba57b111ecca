package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class YarnAppConfigTest {

    @Test
    void aWorkersDefaultMemoryFollowsItsVcoresUnlessSet() {
        Configuration conf = new Configuration(false);
        conf.setInt(YarnAppConfig.WORKER_VCORES, 1);
        assertEquals(1024, YarnAppConfig.from(conf).workerMemoryMb());
        conf.setInt(YarnAppConfig.WORKER_VCORES, 4);
        assertEquals(2560, YarnAppConfig.from(conf).workerMemoryMb());
        conf.setInt(YarnAppConfig.WORKER_MEMORY_MB, 2048);
        assertEquals(2048, YarnAppConfig.from(conf).workerMemoryMb());
    }

    @Test
    void anAmThatRunsNoBlockOfAModerateJobIsOnTheClientCompilerOnly() {
        Configuration conf = new Configuration(false);
        YarnAppConfig config = YarnAppConfig.from(conf);
        assertEquals("", config.amJvmOptions());
        assertFalse(config.amOnClientCompiler(1, 1 << 20, 0), "1 MiB may run in the AM (uber)");
        assertTrue(config.amOnClientCompiler(1, 837_084_607L, 0), "828 MB cannot: the 5M-row job");
        assertTrue(config.amOnClientCompiler(1, 999L << 25, 0), "1 file and 999 blocks of 32 MiB");
        assertFalse(config.amOnClientCompiler(1, 1_000L << 25, 0), "1,001 blocks: the AM keeps C2 for its planning and commit");
        assertFalse(config.amOnClientCompiler(2_000, 200L << 20, 0), "2,000 files");
        assertTrue(config.amOnClientCompiler(1, 1_000L << 25, 128 << 20), "250 blocks of 128 MiB");
        assertFalse(config.amOnClientCompiler(0, 0, 0), "nothing listed");

        conf.setBoolean(YarnAppConfig.UBER, false);
        assertTrue(YarnAppConfig.from(conf).amOnClientCompiler(1, 1 << 20, 0), "--no-uber: the AM runs no block");
        conf.set(YarnAppConfig.AM_JVM_OPTIONS, "-Xss2m");
        assertFalse(YarnAppConfig.from(conf).amOnClientCompiler(1, 837_084_607L, 0), "the user's AM options are left alone");
        conf.unset(YarnAppConfig.AM_JVM_OPTIONS);
        conf.setInt(YarnAppConfig.AM_CLIENT_COMPILER_MAX_BLOCKS, 0);
        assertFalse(YarnAppConfig.from(conf).amOnClientCompiler(1, 837_084_607L, 0), "0 turns it off");
    }

    @Test
    void defaults() {
        YarnAppConfig config = YarnAppConfig.from(new Configuration(false));
        assertEquals("default", config.queue());
        assertEquals(512, config.amMemoryMb());
        assertEquals(1536, config.workerMemoryMb(), "512 MB and 512 MB for each of its vcores");
        assertEquals(2, config.workerVcores());
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED", config.jvmOptions());
        assertEquals(Optional.empty(), config.javaHome());
        assertEquals(Optional.empty(), config.containerClasspath());
        assertEquals(Optional.empty(), config.jobJar());
        assertEquals(Optional.empty(), config.stagingDir());
        assertEquals(250, config.pollIntervalMillis());
        assertEquals(10_000, config.amLingerMillis());
        assertEquals(2, config.amAttempts());
        assertEquals(new YarnAppConfig.RpcSettings(5_000, 30_000, 3, 500), config.rpc());
        assertEquals(2_000, config.workerHeartbeatMillis());
        assertEquals(300_000, config.workerStallTimeoutMillis());
        assertEquals(60_000, config.workerAmTimeoutMillis());
        assertEquals(10_000, config.clientRmConnectTimeoutMillis());
        assertEquals(120_000, config.clientRmUnreachableMillis());
        assertEquals(new BlockScheduler.Speculation(true, 3.0, 10_000), config.speculation());
        assertEquals(3, config.nodeMaxFailures());
        assertEquals(300_000, config.rpcSignatureWindowMillis());
        assertEquals(-1, config.testSlowBlock(), "the test hook is off unless a test sets it");
    }

    @Test
    void smallPlansRunInTheAmUnlessUberIsOff() {
        YarnAppConfig defaults = YarnAppConfig.from(new Configuration(false));
        assertTrue(defaults.runsInAm(4, 64L << 20), "4 blocks and 64 MiB are the default limits, included");
        assertEquals(false, defaults.runsInAm(5, 1), "one block too many");
        assertEquals(false, defaults.runsInAm(1, (64L << 20) + 1), "one byte too many");
        assertEquals(false, defaults.runsInAm(0, 0), "an empty plan has nothing to run");
        Configuration conf = new Configuration(false);
        conf.setInt(YarnAppConfig.UBER_MAX_BLOCKS, 10);
        conf.set(YarnAppConfig.UBER_MAX_BYTES, "1000");
        assertTrue(YarnAppConfig.from(conf).runsInAm(10, 1000));
        assertEquals(false, YarnAppConfig.from(conf).runsInAm(10, 1001));
        conf.setBoolean(YarnAppConfig.UBER, false);
        assertEquals(false, YarnAppConfig.from(conf).runsInAm(1, 1));
    }

    @Test
    void speculationCanBeTurnedOffAndItsFactorIsAtLeastOne() {
        Configuration conf = new Configuration(false);
        conf.setBoolean(YarnAppConfig.SPECULATION, false);
        conf.set(YarnAppConfig.SPECULATION_FACTOR, "1.5");
        assertEquals(new BlockScheduler.Speculation(false, 1.5, 10_000), YarnAppConfig.from(conf).speculation());
        conf.set(YarnAppConfig.SPECULATION_FACTOR, "0.5");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> YarnAppConfig.from(conf));
        assertEquals("spindle.speculation.factor must be at least 1, got 0.5", error.getMessage());
    }

    @Test
    void queueTagsAndPriorityFallBackToMapReducesKeys() {
        Configuration conf = new Configuration(false);
        conf.set("mapreduce.job.queuename", "etl");
        conf.set("mapreduce.job.tags", "nightly, taxi");
        conf.set("mapreduce.job.priority", "HIGH");
        YarnAppConfig mapreduce = YarnAppConfig.from(conf);
        assertEquals("etl", mapreduce.queue());
        assertEquals(java.util.Set.of("nightly", "taxi"), mapreduce.tags());
        assertEquals(4, mapreduce.priority().getAsInt());
        assertTrue(mapreduce.name().isEmpty());
        conf.set(YarnAppConfig.QUEUE, "adhoc");
        conf.set(YarnAppConfig.TAGS, "mine");
        conf.set(YarnAppConfig.PRIORITY, "7");
        conf.set(YarnAppConfig.NAME, "taxi 2026-01-01");
        YarnAppConfig own = YarnAppConfig.from(conf);
        assertEquals("adhoc", own.queue());
        assertEquals(java.util.Set.of("mine"), own.tags());
        assertEquals(7, own.priority().getAsInt());
        assertEquals("taxi 2026-01-01", own.name().orElseThrow());
        conf.set(YarnAppConfig.PRIORITY, "urgent");
        assertThrows(IllegalArgumentException.class, () -> YarnAppConfig.from(conf));
    }

    @Test
    void refusesNonPositiveMemory() {
        Configuration conf = new Configuration(false);
        conf.set(YarnAppConfig.WORKER_MEMORY_MB, "0");
        assertEquals("spindle.yarn.worker.memory-mb must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> YarnAppConfig.from(conf)).getMessage());
    }

    @Test
    void refusesAStallTimeoutShorterThanTwoHeartbeats() {
        Configuration conf = new Configuration(false);
        conf.set(YarnAppConfig.WORKER_STALL_TIMEOUT_MS, "3000");
        assertEquals("spindle.yarn.worker.stall-timeout-ms (3000) must be at least twice spindle.yarn.worker.heartbeat-ms (2000)",
                assertThrows(IllegalArgumentException.class, () -> YarnAppConfig.from(conf)).getMessage());
    }

    @Test
    void theYarnClientGivesUpOnTheResourceManagerWithinTheConnectTimeout() {
        Configuration conf = new Configuration(false);
        conf.set(YarnAppConfig.CLIENT_RM_CONNECT_TIMEOUT_MS, "4000");
        Configuration client = YarnAppConfig.withClientTimeouts(conf);
        assertEquals(4000, client.getLong("yarn.resourcemanager.connect.max-wait.ms", -1));
        assertEquals(1000, client.getLong("yarn.resourcemanager.connect.retry-interval.ms", -1));
        assertEquals(0, client.getInt("ipc.client.connect.max.retries", -1));
        assertEquals(null, conf.get("yarn.resourcemanager.connect.max-wait.ms"), "the given conf is not changed");
    }
}
