package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.hadoop.conf.Configuration;

/**
 * The typed configuration of yarn-app, read once from a Hadoop {@link Configuration}. Every
 * key of this module is here with its default; no other class reads {@code spindle.yarn.*}.
 */
public final class YarnAppConfig {

    public static final String QUEUE = "spindle.yarn.queue";
    public static final String QUEUE_DEFAULT = "default";
    public static final String AM_MEMORY_MB = "spindle.yarn.am.memory-mb";
    public static final int AM_MEMORY_MB_DEFAULT = 512;
    public static final String WORKER_MEMORY_MB = "spindle.yarn.worker.memory-mb";
    public static final int WORKER_MEMORY_MB_DEFAULT = 1024;
    public static final String WORKER_VCORES = "spindle.yarn.worker.vcores";
    public static final int WORKER_VCORES_DEFAULT = 1;
    /** JAVA_HOME for containers; unset means the NodeManager's JAVA_HOME. */
    public static final String JAVA_HOME = "spindle.yarn.java-home";
    /** Extra JVM options for the AM and workers. */
    public static final String JVM_OPTIONS = "spindle.yarn.jvm-options";
    public static final String JVM_OPTIONS_DEFAULT = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /**
     * Classpath entries (host paths, separated by ':') that containers use instead of
     * {@code yarn.application.classpath}; set by the embedded cluster, whose NodeManagers run
     * on this machine and have no Hadoop installation of their own.
     */
    public static final String CONTAINER_CLASSPATH = "spindle.yarn.container-classpath";
    /** The jar shipped to containers; unset means the jar the task class was loaded from. */
    public static final String JOB_JAR = "spindle.yarn.job-jar";
    /** Where the driver stages job files; unset means {@code <home>/.spindle/staging}. */
    public static final String STAGING_DIR = "spindle.yarn.staging-dir";
    public static final String POLL_INTERVAL_MS = "spindle.yarn.poll-interval-ms";
    public static final long POLL_INTERVAL_MS_DEFAULT = 250;
    /** How long a finished AM keeps serving its final status to the driver. */
    public static final String AM_LINGER_MS = "spindle.yarn.am.linger-ms";
    public static final long AM_LINGER_MS_DEFAULT = 10_000;
    /** YARN attempts of the ApplicationMaster itself. */
    public static final String AM_ATTEMPTS = "spindle.yarn.am.max-attempts";
    public static final int AM_ATTEMPTS_DEFAULT = 1;

    private final String queue;
    private final int amMemoryMb;
    private final int workerMemoryMb;
    private final int workerVcores;
    private final Optional<String> javaHome;
    private final String jvmOptions;
    private final Optional<String> containerClasspath;
    private final Optional<String> jobJar;
    private final Optional<String> stagingDir;
    private final long pollIntervalMillis;
    private final long amLingerMillis;
    private final int amAttempts;

    private YarnAppConfig(Configuration conf) {
        this.queue = conf.getTrimmed(QUEUE, QUEUE_DEFAULT);
        this.amMemoryMb = positive(conf, AM_MEMORY_MB, AM_MEMORY_MB_DEFAULT);
        this.workerMemoryMb = positive(conf, WORKER_MEMORY_MB, WORKER_MEMORY_MB_DEFAULT);
        this.workerVcores = positive(conf, WORKER_VCORES, WORKER_VCORES_DEFAULT);
        this.javaHome = optional(conf, JAVA_HOME);
        this.jvmOptions = conf.get(JVM_OPTIONS, JVM_OPTIONS_DEFAULT).trim();
        this.containerClasspath = optional(conf, CONTAINER_CLASSPATH);
        this.jobJar = optional(conf, JOB_JAR);
        this.stagingDir = optional(conf, STAGING_DIR);
        this.pollIntervalMillis = positive(conf, POLL_INTERVAL_MS, POLL_INTERVAL_MS_DEFAULT);
        this.amLingerMillis = conf.getLong(AM_LINGER_MS, AM_LINGER_MS_DEFAULT);
        this.amAttempts = positive(conf, AM_ATTEMPTS, AM_ATTEMPTS_DEFAULT);
    }

    public static YarnAppConfig from(Configuration conf) {
        return new YarnAppConfig(requireNonNull(conf, "conf is null"));
    }

    private static Optional<String> optional(Configuration conf, String key) {
        String value = conf.getTrimmed(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static int positive(Configuration conf, String key, int defaultValue) {
        return (int) positive(conf, key, (long) defaultValue);
    }

    private static long positive(Configuration conf, String key, long defaultValue) {
        long value = conf.getLong(key, defaultValue);
        if (value <= 0) {
            throw new IllegalArgumentException("%s must be positive, got %s".formatted(key, value));
        }
        return value;
    }

    public String queue() {
        return queue;
    }

    public int amMemoryMb() {
        return amMemoryMb;
    }

    public int workerMemoryMb() {
        return workerMemoryMb;
    }

    public int workerVcores() {
        return workerVcores;
    }

    public Optional<String> javaHome() {
        return javaHome;
    }

    public String jvmOptions() {
        return jvmOptions;
    }

    public Optional<String> containerClasspath() {
        return containerClasspath;
    }

    public Optional<String> jobJar() {
        return jobJar;
    }

    public Optional<String> stagingDir() {
        return stagingDir;
    }

    public long pollIntervalMillis() {
        return pollIntervalMillis;
    }

    public long amLingerMillis() {
        return amLingerMillis;
    }

    public int amAttempts() {
        return amAttempts;
    }
}
