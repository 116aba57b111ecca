package dev.spindle.yarn;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.store.CountsRetries;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.StorageStatistics;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker container: asks the AM for blocks until told to exit, runs each attempt with the
 * job's {@link BlockTask}, and reports what happened. One JVM serves many blocks, as many at
 * once as its container has vcores ({@link YarnAppConfig#WORKER_VCORES}): each runs this loop
 * on a thread of its own, a slot, under the container's id, and the AM's scheduler hands each
 * slot its blocks as it would a worker of its own; the slots share the JVM, its store and its
 * JIT-compiled code, so a second block costs no second JVM start or warm-up.
 *
 * <p>A heartbeat thread per slot tells the AM every {@link YarnAppConfig#WORKER_HEARTBEAT_MS}
 * which attempt runs and its progress (the bytes this JVM has moved, or with several slots the
 * CPU time of the slot's thread). When the AM has not answered for
 * {@link YarnAppConfig#WORKER_AM_TIMEOUT_MS}, or says it gave the attempt up, the worker halts at
 * once: an attempt nobody will commit must not go on writing.
 *
 * <p>In uber mode ({@link YarnAppConfig#UBER}) the ApplicationMaster runs this same loop in a
 * thread of its own JVM ({@link #runInAm}), asking its own state instead of its endpoint.
 */
public final class WorkerMain {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerMain.class);
    /** Exit codes of a worker JVM. */
    static final int EXIT_DONE = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_AM_LOST = 3;
    static final int EXIT_GIVEN_UP = 4;

    /**
     * The AM as the block loop sees it: an {@link AmClient} over HTTP in a worker container, the
     * AM's own state in uber mode.
     */
    interface BlockSource {
        Protocol.WorkResponse next(Protocol.WorkRequest request) throws IOException;

        void report(Protocol.AttemptReport report) throws IOException;

        JobPreparation preparation() throws IOException;

        Protocol.HeartbeatResponse heartbeat(Protocol.Heartbeat heartbeat) throws IOException;

        /** Where the AM is, for log lines. */
        String location();
    }

    private final BlockSource am;
    private final BlockSource heartbeats;
    /** Whether this loop runs inside the ApplicationMaster (uber mode): then it never halts the JVM. */
    private final boolean inAm;
    private final YarnAppConfig config;
    private final String worker;
    private final String host;
    /** Whether this JVM writes its node's class-data archive as it exits (see {@link LaunchContexts}). */
    private final boolean archivesAtExit;
    /**
     * Whether this loop shares its JVM with other slots: its heartbeats then report its thread's
     * CPU time as its progress, since the bytes the JVM moves are every slot's.
     */
    private final boolean sharesJvm;
    /** This loop's slot in its JVM, 0 for the first (and in uber mode the only) one. */
    private final int slot;
    private volatile long slotThreadId = -1;
    private volatile int runningBlock = -1;
    private volatile int runningAttempt;
    private volatile long lastAnswerMillis = System.currentTimeMillis();

    private WorkerMain(BlockSource am, BlockSource heartbeats, boolean inAm, YarnAppConfig config, String worker, String host,
            boolean sharesJvm, int slot) {
        this.sharesJvm = sharesJvm;
        this.slot = slot;
        this.am = am;
        this.heartbeats = heartbeats;
        this.inAm = inAm;
        this.config = config;
        this.worker = worker;
        this.host = host;
        this.archivesAtExit = !inAm && archivesAtExit(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** Whether a JVM started with these options dumps a class-data archive at its exit. */
    static boolean archivesAtExit(List<String> jvmOptions) {
        return jvmOptions.stream().anyMatch(option -> option.startsWith("-XX:ArchiveClassesAtExit="));
    }

    /** What a JVM started with these options does with a class-data archive, for its log (see {@link LaunchContexts}). */
    static String classDataArchive(List<String> jvmOptions) {
        for (String option : jvmOptions) {
            if (option.startsWith("-XX:SharedArchiveFile=")) {
                return "started from " + option.substring(option.indexOf('=') + 1);
            }
            if (option.startsWith("-XX:ArchiveClassesAtExit=")) {
                return "writing " + option.substring(option.indexOf('=') + 1) + " as it exits";
            }
        }
        return "none";
    }

    /** Argument: the AM endpoint's address. */
    public static void main(String[] args) {
        int exitCode;
        try {
            Configuration conf = new YarnConfiguration();
            conf.addResource(new File(LaunchContexts.JOB_CONF).toURI().toURL());
            // as the AM: Hadoop's login from the job's conf, not the (absent) site files, so that on a
            // Kerberized cluster this JVM knows it is secure (SASL to the DataNodes) and runs on its tokens
            UserGroupInformation.setConfiguration(conf);
            exitCode = ApplicationUser.run(() -> run(URI.create(args[0]), conf));
        } catch (Throwable e) {
            LOG.error("Worker failed", e);
            exitCode = EXIT_FAILED;
        }
        System.exit(exitCode);
    }

    private static int run(URI endpoint, Configuration conf) throws Exception {
        LOG.info("Class-data archive: {}", classDataArchive(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        YarnAppConfig config = YarnAppConfig.from(conf);
        ObjectMapper json = Protocol.newMapper();
        JobSpec spec = json.readValue(new File(LaunchContexts.JOB_SPEC), JobSpec.class);
        String worker = Optional.ofNullable(System.getenv(Environment.CONTAINER_ID.name())).orElse("worker");
        String host = Optional.ofNullable(System.getenv(Environment.NM_HOST.name())).orElse("localhost");
        byte[] secret = JobSecret.fromCurrentUser();
        YarnAppConfig.RpcSettings rpc = config.rpc();
        // one short try per heartbeat: the next heartbeat is the retry
        YarnAppConfig.RpcSettings beat = new YarnAppConfig.RpcSettings(rpc.connectTimeoutMillis(),
                Math.min(rpc.readTimeoutMillis(), Math.max(1_000, config.workerAmTimeoutMillis() / 3)), 1, rpc.backoffMillis());
        int slots = config.workerVcores();
        List<WorkerMain> loops = new ArrayList<>();
        for (int slot = 0; slot < slots; slot++) {
            loops.add(new WorkerMain(new AmClient(endpoint, secret, json, rpc), new AmClient(endpoint, secret, json, beat),
                    false, config, worker, host, slots > 1, slot));
        }
        if (slots > 1) {
            LOG.info("Running up to {} blocks at once ({} = {})", slots, YarnAppConfig.WORKER_VCORES, slots);
        }
        return serveSlots(loops, conf, spec, FileStores.hadoop(conf));
    }

    /**
     * Runs each loop on a thread of its own (one loop runs on the caller's) until every one has
     * ended; the JVM's exit code is the first slot's that did not end with {@link #EXIT_DONE}.
     */
    static int serveSlots(List<WorkerMain> loops, Configuration conf, JobSpec spec, FileStore store) throws InterruptedException {
        int[] codes = new int[loops.size()];
        List<Thread> threads = new ArrayList<>();
        for (int slot = 1; slot < loops.size(); slot++) {
            int index = slot;
            Thread thread = new Thread(() -> codes[index] = loops.get(index).serveSlot(conf, spec, store), "spindle-worker-slot-" + slot);
            threads.add(thread);
            thread.start();
        }
        codes[0] = loops.get(0).serveSlot(conf, spec, store);
        for (Thread thread : threads) {
            thread.join();
        }
        for (int code : codes) {
            if (code != EXIT_DONE) {
                return code;
            }
        }
        return EXIT_DONE;
    }

    private int serveSlot(Configuration conf, JobSpec spec, FileStore store) {
        try {
            return serveWithHeartbeats(conf, spec, BlockTasks.instantiate(spec), store);
        } catch (Exception | Error e) {
            LOG.error("Worker slot {} failed", slot, e);
            return EXIT_FAILED;
        }
    }

    /**
     * Uber mode: runs the job's blocks in this JVM, the ApplicationMaster's, with the same loop
     * and attempt code as a worker container, asking {@code am} (the AM's state) directly, until
     * it answers EXIT. Heartbeats go to the same state, so progress and stall detection work as
     * for a container; unlike a container, this loop never halts the JVM.
     *
     * @param worker the name the scheduler knows this runner by (the AM's container id)
     * @return the exit code a worker container would have had
     */
    static int runInAm(AmEndpoint.Handler am, Configuration conf, JobSpec spec, BlockTasks.Typed<?> task, FileStore store,
            String worker, String host) throws Exception {
        BlockSource local = new BlockSource() {
            @Override
            public Protocol.WorkResponse next(Protocol.WorkRequest request) {
                return am.next(request);
            }

            @Override
            public void report(Protocol.AttemptReport report) {
                am.report(report);
            }

            @Override
            public JobPreparation preparation() {
                return am.preparation();
            }

            @Override
            public Protocol.HeartbeatResponse heartbeat(Protocol.Heartbeat heartbeat) {
                return am.heartbeat(heartbeat);
            }

            @Override
            public String location() {
                return "this ApplicationMaster";
            }
        };
        return new WorkerMain(local, local, true, YarnAppConfig.from(conf), worker, host, false, 0).serveWithHeartbeats(conf, spec, task, store);
    }

    private int serveWithHeartbeats(Configuration conf, JobSpec spec, BlockTasks.Typed<?> task, FileStore store) throws Exception {
        slotThreadId = Thread.currentThread().getId();
        ScheduledExecutorService heart = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spindle-worker-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heart.scheduleWithFixedDelay(this::heartbeat, 0, config.workerHeartbeatMillis(), TimeUnit.MILLISECONDS);
        try {
            return serve(conf, spec, task, store);
        } finally {
            heart.shutdownNow();
        }
    }

    private int serve(Configuration conf, JobSpec spec, BlockTasks.Typed<?> task, FileStore store) throws Exception {
        JobPreparation preparation = null;
        while (true) {
            Optional<Protocol.WorkResponse> asked = call(() -> am.next(new Protocol.WorkRequest(worker, host, archivesAtExit)));
            if (asked.isEmpty()) {
                return EXIT_AM_LOST;
            }
            Protocol.WorkResponse work = asked.get();
            switch (work.action()) {
                case EXIT -> {
                    return EXIT_DONE;
                }
                case WAIT -> Thread.sleep(Math.max(10, work.waitMillis()));
                case RUN -> {
                    int block = work.block().index();
                    runningAttempt = work.attempt();
                    runningBlock = block;
                    Protocol.AttemptReport report;
                    try {
                        if (preparation == null) {
                            preparation = am.preparation();
                        }
                        long retriesBefore = retries(store);
                        report = runAttempt(task, conf, store, spec, preparation, work);
                        report = report.withStoreRetries(retries(store) - retriesBefore);
                    } catch (IOException e) {
                        LOG.error("Block {} attempt {}: cannot get the job's preparation", block, work.attempt(), e);
                        report = new Protocol.AttemptReport(worker, host, block, work.attempt(), null,
                                "cannot get the job's preparation: " + ApplicationMaster.describe(e), false);
                    } finally {
                        runningBlock = -1;
                    }
                    Protocol.AttemptReport sent = report;
                    if (call(() -> {
                        am.report(sent);
                        return Boolean.TRUE;
                    }).isEmpty()) {
                        return EXIT_AM_LOST;
                    }
                }
            }
        }
    }

    /** A call tried until it answers or the AM has been silent for the AM timeout; empty then. */
    private <T> Optional<T> call(AmCall<T> call) throws InterruptedException {
        while (true) {
            try {
                T answer = call.call();
                lastAnswerMillis = System.currentTimeMillis();
                return Optional.of(answer);
            } catch (IOException e) {
                long silent = System.currentTimeMillis() - lastAnswerMillis;
                if (silent > config.workerAmTimeoutMillis()) {
                    LOG.error("The AM at {} has not answered for {} ms ({}); exiting", am.location(), silent,
                            YarnAppConfig.WORKER_AM_TIMEOUT_MS, e);
                    return Optional.empty();
                }
                LOG.warn("Call to the AM at {} failed, trying again: {}", am.location(), e.getMessage());
                Thread.sleep(500);
            }
        }
    }

    private void heartbeat() {
        int block = runningBlock;
        int attempt = runningAttempt;
        try {
            Protocol.HeartbeatResponse answer = heartbeats.heartbeat(new Protocol.Heartbeat(worker, host, block, attempt, progress()));
            lastAnswerMillis = System.currentTimeMillis();
            if (!answer.keepRunning() && block >= 0 && block == runningBlock && !inAm) {
                LOG.error("The AM gave up block {} attempt {} on this worker; halting", block, attempt);
                halt(EXIT_GIVEN_UP);
            }
        } catch (IOException | RuntimeException e) {
            long silent = System.currentTimeMillis() - lastAnswerMillis;
            if (silent > config.workerAmTimeoutMillis() && !inAm) {
                LOG.error("The AM at {} has not answered for {} ms ({}); halting, abandoning block {}", heartbeats.location(),
                        silent, YarnAppConfig.WORKER_AM_TIMEOUT_MS, block, e);
                halt(EXIT_AM_LOST);
            }
        }
    }

    private static void halt(int code) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(code);
    }

    /** Requests the store retried so far (S3: throttling, 5xx, broken connections); 0 for a store that does not count. */
    static long retries(FileStore store) {
        return store instanceof CountsRetries counting ? counting.retries() : 0;
    }

    /**
     * What this loop's heartbeat reports as its attempt's progress, a number that changes while
     * the attempt gets on: the bytes the JVM moved when it runs one block at a time, else the CPU
     * time of this slot's thread (a thread stuck on a read uses none; one that reads, however
     * slowly, uses some for each buffer it gets).
     */
    private long progress() {
        if (sharesJvm && slotThreadId >= 0) {
            long cpu = java.lang.management.ManagementFactory.getThreadMXBean().getThreadCpuTime(slotThreadId);
            if (cpu >= 0) {
                return cpu;
            }
        }
        return bytesMoved();
    }

    /** Bytes this JVM read and wrote through Hadoop file systems so far: grows while an attempt makes progress. */
    static long bytesMoved() {
        long total = 0;
        Iterator<StorageStatistics> all = FileSystem.getGlobalStorageStatistics().iterator();
        while (all.hasNext()) {
            StorageStatistics statistics = all.next();
            Long read = statistics.getLong("bytesRead");
            Long written = statistics.getLong("bytesWritten");
            total += (read == null ? 0 : read) + (written == null ? 0 : written);
        }
        return total;
    }

    private <S extends TaskSpec> Protocol.AttemptReport runAttempt(BlockTasks.Typed<S> task, Configuration conf, FileStore store,
            JobSpec spec, JobPreparation preparation, Protocol.WorkResponse work) {
        TaskContext<S> context = task.context(conf, store, spec, preparation, work.block(), work.attempt(), work.attemptDirectory(),
                work.partFileName(), work.knownRecordStarts());
        int block = context.block().index();
        if (sharesJvm) {
            LOG.info("Block {} attempt {} (slot {}): {}", block, context.attempt(), slot, context.block().ranges());
        } else {
            LOG.info("Block {} attempt {}: {}", block, context.attempt(), context.block().ranges());
        }
        try {
            if (block == config.testSlowBlock() && context.attempt() == 1) {
                // test hook (spindle.test.slow-block), never set outside tests: a straggler
                LOG.warn("Test hook {}: block {} attempt 1 sleeps {} ms", YarnAppConfig.TEST_SLOW_BLOCK, block, config.testSlowBlockMillis());
                Thread.sleep(config.testSlowBlockMillis());
            }
            BlockOutcome outcome = task.run(context);
            return new Protocol.AttemptReport(worker, host, block, context.attempt(), outcome, null, false);
        } catch (BadInputException e) {
            LOG.error("Block {} attempt {} found bad input: {}", block, context.attempt(), e.getMessage());
            return new Protocol.AttemptReport(worker, host, block, context.attempt(), null, e.getMessage(), true);
        } catch (Exception | LinkageError | AssertionError | OutOfMemoryError | StackOverflowError e) {
            LOG.error("Block {} attempt {} failed", block, context.attempt(), e);
            return new Protocol.AttemptReport(worker, host, block, context.attempt(), null, ApplicationMaster.describe(e), false);
        }
    }

    @FunctionalInterface
    private interface AmCall<T> {
        T call() throws IOException;
    }
}
