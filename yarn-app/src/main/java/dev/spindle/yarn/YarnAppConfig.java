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
    /** MapReduce's queue key, honoured when {@link #QUEUE} is not set. */
    public static final String MAPREDUCE_QUEUE = "mapreduce.job.queuename";
    /** The application name the ResourceManager shows; default {@code spindle <command> <output>}. */
    public static final String NAME = "spindle.yarn.name";
    /** Comma-separated application tags; MapReduce's {@code mapreduce.job.tags} when not set. */
    public static final String TAGS = "spindle.yarn.tags";
    public static final String MAPREDUCE_TAGS = "mapreduce.job.tags";
    /** Application priority: an integer, or VERY_HIGH, HIGH, NORMAL, LOW, VERY_LOW; MapReduce's {@code mapreduce.job.priority} when not set. */
    public static final String PRIORITY = "spindle.yarn.priority";
    public static final String MAPREDUCE_PRIORITY = "mapreduce.job.priority";
    public static final String QUEUE_DEFAULT = "default";
    public static final String AM_MEMORY_MB = "spindle.yarn.am.memory-mb";
    public static final int AM_MEMORY_MB_DEFAULT = 512;
    /**
     * A worker container's memory; unset means {@link #WORKER_MEMORY_MB_BASE} plus
     * {@link #WORKER_MEMORY_MB_PER_VCORE} for each of its vcores (1,536 MB at the default 2).
     */
    public static final String WORKER_MEMORY_MB = "spindle.yarn.worker.memory-mb";
    public static final int WORKER_MEMORY_MB_BASE = 512;
    public static final int WORKER_MEMORY_MB_PER_VCORE = 512;
    /**
     * A worker container's vcores, which are also the blocks it runs at once, each on a thread
     * of its own (as a Spark executor runs a task per core): one JVM's start and JIT warm-up
     * then serve that many blocks.
     */
    public static final String WORKER_VCORES = "spindle.yarn.worker.vcores";
    public static final int WORKER_VCORES_DEFAULT = 2;
    /** JAVA_HOME for containers; unset means the NodeManager's JAVA_HOME. */
    public static final String JAVA_HOME = "spindle.yarn.java-home";
    /** Extra JVM options for the AM and workers. */
    public static final String JVM_OPTIONS = "spindle.yarn.jvm-options";
    public static final String JVM_OPTIONS_DEFAULT = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    /**
     * JVM options for the ApplicationMaster only, after {@link #JVM_OPTIONS} (as MapReduce's
     * {@code yarn.app.mapreduce.am.command-opts} beside its tasks' options).
     */
    public static final String AM_JVM_OPTIONS = "spindle.yarn.am.jvm-options";
    /**
     * A job that cannot run in its AM (its listed input over {@link #UBER_MAX_BYTES}, or uber mode
     * off) and has at most this many blocks, as the client estimates them from the listing, gets
     * an AM on the client compiler only ({@code -XX:TieredStopAtLevel=1}) unless
     * {@link #AM_JVM_OPTIONS} is set: such an AM runs no block, and C2's compiler threads, busy
     * with its start-up code, took the cores from the worker JVMs starting beside it. An AM of
     * more blocks keeps C2 for its planning and commit. 0 turns it off.
     */
    public static final String AM_CLIENT_COMPILER_MAX_BLOCKS = "spindle.yarn.am.client-compiler.max-blocks";
    public static final int AM_CLIENT_COMPILER_MAX_BLOCKS_DEFAULT = 1_000;
    /** The JVM option that keeps a JVM on the client compiler (C1). */
    public static final String CLIENT_COMPILER_ONLY = "-XX:TieredStopAtLevel=1";
    /** The block size the estimate of {@link #AM_CLIENT_COMPILER_MAX_BLOCKS} assumes when the job's is the storage's (local disk's default). */
    static final long ESTIMATE_BLOCK_SIZE = 32L << 20;
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
    /**
     * Whether the driver keeps the job jar in {@code <staging root>/jar-cache}, named by its
     * content's SHA-256, and ships that copy (PRIVATE visibility, which NodeManagers cache per
     * user) instead of uploading it into every job's staging directory.
     */
    public static final String JAR_CACHE = "spindle.yarn.jar-cache";
    public static final boolean JAR_CACHE_DEFAULT = true;
    /**
     * Whether containers that run a shipped job jar start from a class-data archive (AppCDS)
     * kept beside the NodeManager's localized copy of the jar: the first AM (worker) on a node to
     * exit successfully writes it ({@code -XX:ArchiveClassesAtExit}), later ones on that node use
     * it. The launch command then is a bash script (Linux NodeManagers); false: plain java.
     */
    public static final String CONTAINER_CDS = "spindle.yarn.container-cds";
    public static final boolean CONTAINER_CDS_DEFAULT = true;
    /**
     * How long a succeeded job's AM, before it unregisters, waits for the workers that are writing
     * their node's class-data archive as they exit: once the application ends, the NodeManagers
     * kill its containers, and a killed dump leaves no archive. The driver has its result by then.
     */
    public static final String CONTAINER_CDS_WAIT_MS = "spindle.yarn.container-cds.wait-ms";
    public static final long CONTAINER_CDS_WAIT_MS_DEFAULT = 20_000;
    /**
     * Set by the driver in the staged conf, not by users: the qualified path of the cached job
     * jar the containers localize (absent: the jar, if any, is in the job's staging directory).
     */
    public static final String STAGED_JAR = "spindle.yarn.staged-jar";
    public static final String POLL_INTERVAL_MS = "spindle.yarn.poll-interval-ms";
    public static final long POLL_INTERVAL_MS_DEFAULT = 250;
    /** How long a finished AM keeps serving its final status to the driver. */
    public static final String AM_LINGER_MS = "spindle.yarn.am.linger-ms";
    public static final long AM_LINGER_MS_DEFAULT = 10_000;
    /**
     * YARN attempts of the ApplicationMaster itself, at most the ResourceManager's
     * {@code yarn.resourcemanager.am.max-attempts}; a later attempt recovers the finished blocks.
     */
    public static final String AM_ATTEMPTS = "spindle.yarn.am.max-attempts";
    public static final int AM_ATTEMPTS_DEFAULT = 2;
    /** How long a call to the AM's endpoint may take to connect. */
    public static final String RPC_CONNECT_TIMEOUT_MS = "spindle.yarn.rpc.connect-timeout-ms";
    public static final long RPC_CONNECT_TIMEOUT_MS_DEFAULT = 5_000;
    /** How long a call to the AM's endpoint may take from sending to the last byte of the answer. */
    public static final String RPC_READ_TIMEOUT_MS = "spindle.yarn.rpc.read-timeout-ms";
    public static final long RPC_READ_TIMEOUT_MS_DEFAULT = 30_000;
    /** Tries of a call to the AM's endpoint that timed out or could not connect, the first included. */
    public static final String RPC_TRIES = "spindle.yarn.rpc.tries";
    public static final int RPC_TRIES_DEFAULT = 3;
    /** Pause before the second try of a call; doubled before each further try. */
    public static final String RPC_BACKOFF_MS = "spindle.yarn.rpc.backoff-ms";
    public static final long RPC_BACKOFF_MS_DEFAULT = 500;
    /**
     * How far a signed request's timestamp may be from the AM's clock; older requests are
     * refused, and nonces are remembered this long to refuse replays.
     */
    public static final String RPC_SIGNATURE_WINDOW_MS = "spindle.yarn.rpc.signature-window-ms";
    public static final long RPC_SIGNATURE_WINDOW_MS_DEFAULT = 300_000;
    /** How often a worker tells the AM which attempt it runs and how many bytes it has moved. */
    public static final String WORKER_HEARTBEAT_MS = "spindle.yarn.worker.heartbeat-ms";
    public static final long WORKER_HEARTBEAT_MS_DEFAULT = 2_000;
    /** An attempt whose worker moved no byte for this long is treated as lost, and its container stopped. */
    public static final String WORKER_STALL_TIMEOUT_MS = "spindle.yarn.worker.stall-timeout-ms";
    public static final long WORKER_STALL_TIMEOUT_MS_DEFAULT = 300_000;
    /** A worker whose AM has not answered for this long exits on its own, abandoning its attempt. */
    public static final String WORKER_AM_TIMEOUT_MS = "spindle.yarn.worker.am-timeout-ms";
    public static final long WORKER_AM_TIMEOUT_MS_DEFAULT = 60_000;
    /** How long the YARN client keeps trying to reach the ResourceManager before a call fails. */
    public static final String CLIENT_RM_CONNECT_TIMEOUT_MS = "spindle.yarn.client.rm-connect-timeout-ms";
    public static final long CLIENT_RM_CONNECT_TIMEOUT_MS_DEFAULT = 10_000;
    /** How long a driver following a job keeps trying when the ResourceManager does not answer. */
    public static final String CLIENT_RM_UNREACHABLE_MS = "spindle.yarn.client.rm-unreachable-ms";
    public static final long CLIENT_RM_UNREACHABLE_MS_DEFAULT = 120_000;

    /** Whether a straggling block gets a speculative second attempt on another container. */
    public static final String SPECULATION = "spindle.speculation";
    public static final boolean SPECULATION_DEFAULT = true;
    /** A block's attempt is a straggler once it ran this many times the median of the finished blocks. */
    public static final String SPECULATION_FACTOR = "spindle.speculation.factor";
    public static final double SPECULATION_FACTOR_DEFAULT = 3.0;
    /** ... and at least this long: short blocks are never speculated. */
    public static final String SPECULATION_MIN_RUNTIME_MS = "spindle.speculation.min-runtime-ms";
    public static final long SPECULATION_MIN_RUNTIME_MS_DEFAULT = 10_000;
    /**
     * Whether a small job runs its blocks inside the ApplicationMaster's JVM ("uber" mode, after
     * MapReduce's {@code mapreduce.job.ubertask.enable}) instead of in worker containers: when
     * its plan has at most {@link #UBER_MAX_BLOCKS} blocks and {@link #UBER_MAX_BYTES} bytes.
     * The blocks then run one at a time in the AM's heap ({@link #AM_MEMORY_MB}).
     */
    public static final String UBER = "spindle.uber";
    public static final boolean UBER_DEFAULT = true;
    public static final String UBER_MAX_BLOCKS = "spindle.uber.max-blocks";
    public static final int UBER_MAX_BLOCKS_DEFAULT = 4;
    /** Planned input bytes (compressed bytes for a compressed file) of an uber job, at most. */
    public static final String UBER_MAX_BYTES = "spindle.uber.max-bytes";
    public static final long UBER_MAX_BYTES_DEFAULT = 64L << 20;
    /**
     * How long the commit of a {@code --write-mode append} or {@code overwrite-partitions} job
     * waits for another job's commit lock on its output before it fails, having changed nothing
     * ({@code error} and {@code overwrite} never wait). Two appends into one dataset both land
     * when the second one's wait outlasts the first one's commit.
     */
    public static final String COMMIT_LOCK_WAIT_MS = "spindle.commit.lock-wait-ms";
    public static final long COMMIT_LOCK_WAIT_MS_DEFAULT = 60_000;
    /** Worker containers of this job that may fail on one node before the node gets no more of them. */
    public static final String NODE_MAX_FAILURES = "spindle.yarn.node.max-failures";
    public static final int NODE_MAX_FAILURES_DEFAULT = 3;
    /**
     * Test hook, set only by tests: the first attempt of the block with this index sleeps
     * {@link #TEST_SLOW_BLOCK_MS} before it runs, a straggler for the speculation test.
     */
    public static final String TEST_SLOW_BLOCK = "spindle.test.slow-block";
    /** Test hook: how long the slow block of {@link #TEST_SLOW_BLOCK} sleeps. */
    public static final String TEST_SLOW_BLOCK_MS = "spindle.test.slow-block-ms";
    public static final long TEST_SLOW_BLOCK_MS_DEFAULT = 120_000;
    /**
     * Test hook, set only by tests: the AM's commit sleeps this long after each file it moves into
     * the output, so that a test can kill the AM half-way through a commit.
     */
    public static final String TEST_COMMIT_PAUSE_MS = "spindle.test.commit-pause-ms";

    private final String queue;
    private final Optional<String> name;
    private final java.util.Set<String> tags;
    private final java.util.OptionalInt priority;
    private final int amMemoryMb;
    private final int workerMemoryMb;
    private final int workerVcores;
    private final Optional<String> javaHome;
    private final String jvmOptions;
    private final String amJvmOptions;
    private final int amClientCompilerMaxBlocks;
    private final Optional<String> containerClasspath;
    private final Optional<String> jobJar;
    private final Optional<String> stagingDir;
    private final boolean jarCache;
    private final boolean containerCds;
    private final long containerCdsWaitMillis;
    private final Optional<String> stagedJar;
    private final long pollIntervalMillis;
    private final long amLingerMillis;
    private final int amAttempts;
    private final long rpcConnectTimeoutMillis;
    private final long rpcReadTimeoutMillis;
    private final int rpcTries;
    private final long rpcBackoffMillis;
    private final long rpcSignatureWindowMillis;
    private final long workerHeartbeatMillis;
    private final long workerStallTimeoutMillis;
    private final long workerAmTimeoutMillis;
    private final long clientRmConnectTimeoutMillis;
    private final long clientRmUnreachableMillis;
    private final BlockScheduler.Speculation speculation;
    private final int nodeMaxFailures;
    private final boolean uber;
    private final int uberMaxBlocks;
    private final long uberMaxBytes;
    private final int testSlowBlock;
    private final long testSlowBlockMillis;

    private YarnAppConfig(Configuration conf) {
        this.queue = conf.getTrimmed(QUEUE, conf.getTrimmed(MAPREDUCE_QUEUE, QUEUE_DEFAULT));
        this.name = optional(conf, NAME);
        this.tags = new java.util.TreeSet<>(conf.getTrimmedStringCollection(conf.get(TAGS) != null ? TAGS : MAPREDUCE_TAGS));
        this.tags.remove("");
        this.priority = priority(conf.getTrimmed(PRIORITY, conf.getTrimmed(MAPREDUCE_PRIORITY)));
        this.amMemoryMb = positive(conf, AM_MEMORY_MB, AM_MEMORY_MB_DEFAULT);
        this.workerVcores = positive(conf, WORKER_VCORES, WORKER_VCORES_DEFAULT);
        this.workerMemoryMb = positive(conf, WORKER_MEMORY_MB, WORKER_MEMORY_MB_BASE + WORKER_MEMORY_MB_PER_VCORE * workerVcores);
        this.javaHome = optional(conf, JAVA_HOME);
        this.jvmOptions = conf.get(JVM_OPTIONS, JVM_OPTIONS_DEFAULT).trim();
        this.amJvmOptions = conf.get(AM_JVM_OPTIONS, "").trim();
        this.amClientCompilerMaxBlocks = conf.getInt(AM_CLIENT_COMPILER_MAX_BLOCKS, AM_CLIENT_COMPILER_MAX_BLOCKS_DEFAULT);
        this.containerClasspath = optional(conf, CONTAINER_CLASSPATH);
        this.jobJar = optional(conf, JOB_JAR);
        this.stagingDir = optional(conf, STAGING_DIR);
        this.jarCache = conf.getBoolean(JAR_CACHE, JAR_CACHE_DEFAULT);
        this.containerCds = conf.getBoolean(CONTAINER_CDS, CONTAINER_CDS_DEFAULT);
        this.containerCdsWaitMillis = Math.max(0, conf.getLong(CONTAINER_CDS_WAIT_MS, CONTAINER_CDS_WAIT_MS_DEFAULT));
        this.stagedJar = optional(conf, STAGED_JAR);
        this.pollIntervalMillis = positive(conf, POLL_INTERVAL_MS, POLL_INTERVAL_MS_DEFAULT);
        this.amLingerMillis = conf.getLong(AM_LINGER_MS, AM_LINGER_MS_DEFAULT);
        this.amAttempts = positive(conf, AM_ATTEMPTS, AM_ATTEMPTS_DEFAULT);
        this.rpcConnectTimeoutMillis = positive(conf, RPC_CONNECT_TIMEOUT_MS, RPC_CONNECT_TIMEOUT_MS_DEFAULT);
        this.rpcReadTimeoutMillis = positive(conf, RPC_READ_TIMEOUT_MS, RPC_READ_TIMEOUT_MS_DEFAULT);
        this.rpcTries = positive(conf, RPC_TRIES, RPC_TRIES_DEFAULT);
        this.rpcBackoffMillis = positive(conf, RPC_BACKOFF_MS, RPC_BACKOFF_MS_DEFAULT);
        this.rpcSignatureWindowMillis = positive(conf, RPC_SIGNATURE_WINDOW_MS, RPC_SIGNATURE_WINDOW_MS_DEFAULT);
        this.workerHeartbeatMillis = positive(conf, WORKER_HEARTBEAT_MS, WORKER_HEARTBEAT_MS_DEFAULT);
        this.workerStallTimeoutMillis = positive(conf, WORKER_STALL_TIMEOUT_MS, WORKER_STALL_TIMEOUT_MS_DEFAULT);
        this.workerAmTimeoutMillis = positive(conf, WORKER_AM_TIMEOUT_MS, WORKER_AM_TIMEOUT_MS_DEFAULT);
        this.clientRmConnectTimeoutMillis = positive(conf, CLIENT_RM_CONNECT_TIMEOUT_MS, CLIENT_RM_CONNECT_TIMEOUT_MS_DEFAULT);
        this.clientRmUnreachableMillis = positive(conf, CLIENT_RM_UNREACHABLE_MS, CLIENT_RM_UNREACHABLE_MS_DEFAULT);
        double factor = conf.getDouble(SPECULATION_FACTOR, SPECULATION_FACTOR_DEFAULT);
        if (!(factor >= 1)) {
            throw new IllegalArgumentException("%s must be at least 1, got %s".formatted(SPECULATION_FACTOR, factor));
        }
        this.speculation = new BlockScheduler.Speculation(conf.getBoolean(SPECULATION, SPECULATION_DEFAULT), factor,
                positive(conf, SPECULATION_MIN_RUNTIME_MS, SPECULATION_MIN_RUNTIME_MS_DEFAULT));
        this.nodeMaxFailures = positive(conf, NODE_MAX_FAILURES, NODE_MAX_FAILURES_DEFAULT);
        this.uber = conf.getBoolean(UBER, UBER_DEFAULT);
        this.uberMaxBlocks = positive(conf, UBER_MAX_BLOCKS, UBER_MAX_BLOCKS_DEFAULT);
        this.uberMaxBytes = positive(conf, UBER_MAX_BYTES, UBER_MAX_BYTES_DEFAULT);
        this.testSlowBlock = conf.getInt(TEST_SLOW_BLOCK, -1);
        this.testSlowBlockMillis = positive(conf, TEST_SLOW_BLOCK_MS, TEST_SLOW_BLOCK_MS_DEFAULT);
        if (workerHeartbeatMillis * 2 > workerStallTimeoutMillis) {
            throw new IllegalArgumentException("%s (%d) must be at least twice %s (%d)".formatted(WORKER_STALL_TIMEOUT_MS,
                    workerStallTimeoutMillis, WORKER_HEARTBEAT_MS, workerHeartbeatMillis));
        }
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

    /** {@link #NAME}, when set. */
    public Optional<String> name() {
        return name;
    }

    /** {@link #TAGS} (or MapReduce's), sorted. */
    public java.util.Set<String> tags() {
        return java.util.Collections.unmodifiableSet(tags);
    }

    /** {@link #PRIORITY} (or MapReduce's) as YARN's integer priority (higher runs first), when set. */
    public java.util.OptionalInt priority() {
        return priority;
    }

    /** MapReduce's priority names map to YARN's integers as MapReduce maps them (VERY_HIGH 5 ... VERY_LOW 1). */
    private static java.util.OptionalInt priority(String text) {
        if (text == null || text.isEmpty()) {
            return java.util.OptionalInt.empty();
        }
        switch (text.toUpperCase(java.util.Locale.ROOT)) {
            case "VERY_HIGH": return java.util.OptionalInt.of(5);
            case "HIGH": return java.util.OptionalInt.of(4);
            case "NORMAL": case "DEFAULT": return java.util.OptionalInt.of(3);
            case "LOW": return java.util.OptionalInt.of(2);
            case "VERY_LOW": return java.util.OptionalInt.of(1);
            default:
                try {
                    return java.util.OptionalInt.of(Integer.parseInt(text));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("%s must be an integer or VERY_HIGH, HIGH, NORMAL, LOW, VERY_LOW, got '%s'"
                            .formatted(PRIORITY, text));
                }
        }
    }

    public int amMemoryMb() {
        return amMemoryMb;
    }

    public int workerMemoryMb() {
        return workerMemoryMb;
    }

    /** A worker container's vcores: the blocks it runs at once ({@link #WORKER_VCORES}). */
    public int workerVcores() {
        return workerVcores;
    }

    public Optional<String> javaHome() {
        return javaHome;
    }

    public String jvmOptions() {
        return jvmOptions;
    }

    /** Options the ApplicationMaster's JVM gets after {@link #jvmOptions()} ({@link #AM_JVM_OPTIONS}); empty by default. */
    public String amJvmOptions() {
        return amJvmOptions;
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

    public boolean jarCache() {
        return jarCache;
    }

    public boolean containerCds() {
        return containerCds;
    }

    /** See {@link #CONTAINER_CDS_WAIT_MS}. */
    public long containerCdsWaitMillis() {
        return containerCdsWaitMillis;
    }

    /** The cached job jar the driver staged this job with, see {@link #STAGED_JAR}. */
    public Optional<String> stagedJar() {
        return stagedJar;
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

    /** The timeouts, tries and backoff of calls to the AM's endpoint. */
    public RpcSettings rpc() {
        return new RpcSettings(rpcConnectTimeoutMillis, rpcReadTimeoutMillis, rpcTries, rpcBackoffMillis);
    }

    public long rpcSignatureWindowMillis() {
        return rpcSignatureWindowMillis;
    }

    public long workerHeartbeatMillis() {
        return workerHeartbeatMillis;
    }

    public long workerStallTimeoutMillis() {
        return workerStallTimeoutMillis;
    }

    public long workerAmTimeoutMillis() {
        return workerAmTimeoutMillis;
    }

    public long clientRmConnectTimeoutMillis() {
        return clientRmConnectTimeoutMillis;
    }

    public long clientRmUnreachableMillis() {
        return clientRmUnreachableMillis;
    }

    /** When a straggling block gets a speculative attempt ({@link #SPECULATION} and its sub-keys). */
    BlockScheduler.Speculation speculation() {
        return speculation;
    }

    public int nodeMaxFailures() {
        return nodeMaxFailures;
    }

    /**
     * Whether a plan of {@code blocks} blocks and {@code bytes} planned bytes runs in the
     * ApplicationMaster ({@link #UBER}): uber mode on, at least one block, and both under their limits.
     */
    public boolean runsInAm(int blocks, long bytes) {
        return uber && blocks > 0 && blocks <= uberMaxBlocks && bytes <= uberMaxBytes;
    }

    /**
     * Whether a job of {@code files} listed files and {@code listedBytes} bytes, cut into blocks
     * of {@code blockSize} (0: the storage's), gets an AM on the client compiler only
     * ({@link #AM_CLIENT_COMPILER_MAX_BLOCKS}).
     */
    public boolean amOnClientCompiler(int files, long listedBytes, long blockSize) {
        if (amClientCompilerMaxBlocks <= 0 || !amJvmOptions.isEmpty() || files == 0 || runsInAm(1, listedBytes)) {
            return false;
        }
        long estimatedBlocks = files + listedBytes / (blockSize > 0 ? blockSize : ESTIMATE_BLOCK_SIZE);
        return estimatedBlocks <= amClientCompilerMaxBlocks;
    }

    /** The block index of the {@link #TEST_SLOW_BLOCK} test hook, or -1 when unset (always, outside tests). */
    int testSlowBlock() {
        return testSlowBlock;
    }

    long testSlowBlockMillis() {
        return testSlowBlockMillis;
    }

    /**
     * A copy of {@code conf} whose YARN client gives up on an unreachable ResourceManager after
     * {@link #CLIENT_RM_CONNECT_TIMEOUT_MS} instead of Hadoop's 15 minutes, retrying every second.
     */
    public static Configuration withClientTimeouts(Configuration conf) {
        Configuration copy = new org.apache.hadoop.yarn.conf.YarnConfiguration(requireNonNull(conf, "conf is null"));
        long maxWait = from(copy).clientRmConnectTimeoutMillis();
        copy.setLong("yarn.resourcemanager.connect.max-wait.ms", maxWait);
        copy.setLong("yarn.resourcemanager.connect.retry-interval.ms", Math.min(1_000, maxWait));
        copy.setInt("ipc.client.connect.max.retries", 0);
        copy.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
        copy.setInt("ipc.client.connect.timeout", (int) Math.min(maxWait, 5_000));
        return copy;
    }

    /** Timeouts and retries of one kind of call. */
    public record RpcSettings(long connectTimeoutMillis, long readTimeoutMillis, int tries, long backoffMillis) {}
}
