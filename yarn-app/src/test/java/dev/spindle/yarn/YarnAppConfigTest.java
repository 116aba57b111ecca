package dev.spindle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class YarnAppConfigTest {

    @Test
    void defaults() {
        YarnAppConfig config = YarnAppConfig.from(new Configuration(false));
        assertEquals("default", config.queue());
        assertEquals(512, config.amMemoryMb());
        assertEquals(1024, config.workerMemoryMb());
        assertEquals(1, config.workerVcores());
        assertEquals("--add-opens=java.base/java.nio=ALL-UNNAMED", config.jvmOptions());
        assertEquals(Optional.empty(), config.javaHome());
        assertEquals(Optional.empty(), config.containerClasspath());
        assertEquals(Optional.empty(), config.jobJar());
        assertEquals(Optional.empty(), config.stagingDir());
        assertEquals(250, config.pollIntervalMillis());
        assertEquals(10_000, config.amLingerMillis());
        assertEquals(1, config.amAttempts());
    }

    @Test
    void refusesNonPositiveMemory() {
        Configuration conf = new Configuration(false);
        conf.set(YarnAppConfig.WORKER_MEMORY_MB, "0");
        assertEquals("spindle.yarn.worker.memory-mb must be positive, got 0",
                assertThrows(IllegalArgumentException.class, () -> YarnAppConfig.from(conf)).getMessage());
    }
}
