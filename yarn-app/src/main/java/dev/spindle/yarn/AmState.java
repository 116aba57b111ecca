package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.Manifest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.Container;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AM's shared state: what the endpoint serves and what the allocator asks. Holds the job's
 * state, the scheduler once planned, and the final manifest or failure.
 */
final class AmState implements AmEndpoint.Handler, ContainerAllocator.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(AmState.class);
    private static final long WAIT_MILLIS = 200;

    private final String applicationId;
    private final CountDownLatch finalStatusRead = new CountDownLatch(1);
    private volatile JobState state = JobState.PLANNING;
    private volatile String message = "";
    /** Set when the job failed; the FAILED state is published only after the output is cleaned. */
    private volatile boolean failed;
    private volatile boolean shutdownRequested;
    private volatile JobPreparation preparation;
    private volatile BlockScheduler scheduler;
    private volatile JobCommit commit;
    private volatile Manifest manifest;
    private volatile WorkerLauncher launcher;
    private volatile AmRecovery recovery;
    /** Whether the blocks run in this JVM (uber mode) rather than in worker containers. */
    private volatile boolean uber;
    private volatile NodeFailureTracker nodes = new NodeFailureTracker(Integer.MAX_VALUE);
    /** When each phase was first reached, epoch milliseconds ({@link JobStatus#phases()}). */
    private final Map<String, Long> phases = new java.util.concurrent.ConcurrentHashMap<>();
    /** Workers told EXIT, and those of them that write their node's class-data archive as they exit. */
    private final java.util.Set<String> toldToExit = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> archiving = java.util.concurrent.ConcurrentHashMap.newKeySet();

    AmState(String applicationId) {
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        phases.put("am_start", java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    }

    /** Records that the job reached a phase, the first time only. */
    void mark(String phase) {
        phases.putIfAbsent(phase, System.currentTimeMillis());
    }

    /** The phases reached so far, in time order. */
    Map<String, Long> phases() {
        Map<String, Long> ordered = new java.util.LinkedHashMap<>();
        phases.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    void attachLauncher(WorkerLauncher value) {
        this.launcher = value;
    }

    void attachNodeFailures(NodeFailureTracker value) {
        this.nodes = requireNonNull(value, "value is null");
    }

    synchronized void start(JobPreparation value, BlockScheduler blockScheduler, JobCommit jobCommit, AmRecovery amRecovery) {
        this.recovery = amRecovery;
        this.preparation = value;
        this.commit = jobCommit;
        this.scheduler = blockScheduler;
        this.state = JobState.RUNNING;
        mark("prepared");
    }

    /** Records that this job's blocks run inside the AM (uber mode): its status says so. */
    void runInAm() {
        this.uber = true;
    }

    boolean uber() {
        return uber;
    }

    void setState(JobState value) {
        this.state = value;
    }

    JobState current() {
        return state;
    }

    String message() {
        return message;
    }

    /**
     * Records that the job failed and stops handing out blocks. The driver keeps seeing the job
     * as running until {@link #publishFailure()}, after the AM removed what the job wrote.
     */
    synchronized void fail(String reason) {
        if (!failed && !state.isFinal()) {
            this.message = reason;
            this.failed = true;
            BlockScheduler current = scheduler;
            if (current != null) {
                current.abort(reason);
            }
            LOG.error("Job {} failed: {}", applicationId, reason);
        }
    }

    boolean failed() {
        return failed;
    }

    /** Makes the failure visible to the driver; call after the output was cleaned. */
    synchronized void publishFailure() {
        if (failed) {
            this.state = JobState.FAILED;
        }
    }

    synchronized void succeed(Manifest value) {
        mark("committed");
        this.manifest = value;
        this.state = JobState.SUCCEEDED;
    }

    double progress() {
        BlockScheduler current = scheduler;
        if (current == null) {
            return 0;
        }
        List<BlockStatus> statuses = current.statuses();
        if (statuses.isEmpty()) {
            return 1;
        }
        return (double) (statuses.size() - current.remaining()) / statuses.size();
    }

    /** Waits until the driver has read the final status once, or the time is up. */
    void awaitFinalStatusRead(long millis) throws InterruptedException {
        finalStatusRead.await(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public Protocol.WorkResponse next(Protocol.WorkRequest request) {
        mark("first_worker");
        BlockScheduler current = scheduler;
        if (state.isFinal() || (current != null && (failed || current.isOver()))) {
            if (request.archivesAtExit() && !failed && !state.isFinal()) {
                // its dump at exit would take the node's CPU from the commit: it exits once the job has ended
                return Protocol.WorkResponse.waitFor(WAIT_MILLIS);
            }
            if (request.archivesAtExit()) {
                archiving.add(request.worker());
            }
            toldToExit.add(request.worker());
            return Protocol.WorkResponse.exit();
        }
        if (current == null) {
            return Protocol.WorkResponse.waitFor(WAIT_MILLIS);
        }
        Optional<BlockScheduler.Assignment> assignment = current.next(request.worker(), request.host());
        if (assignment.isEmpty()) {
            return Protocol.WorkResponse.waitFor(WAIT_MILLIS);
        }
        BlockScheduler.Assignment work = assignment.get();
        int block = work.block().index();
        return new Protocol.WorkResponse(Protocol.Action.RUN, work.block(), work.attempt(), work.knownRecordStarts(),
                commit.attemptDirectory(block, work.attempt()), commit.partFileName(block, preparation.extension()), 0);
    }

    /** The workers told EXIT that are writing their node's class-data archive as they exit. */
    java.util.List<String> archivingWorkers() {
        return java.util.List.copyOf(archiving);
    }

    /** Whether {@code worker} has been told EXIT. */
    boolean toldToExit(String worker) {
        return toldToExit.contains(worker);
    }

    @Override
    public void report(Protocol.AttemptReport report) {
        BlockScheduler current = scheduler;
        if (current == null) {
            return;
        }
        current.addStoreRetries(report.storeRetries());
        if (report.error() == null) {
            BlockResult accepted = current.succeeded(report.worker(), report.block(), report.attempt(), report.host(), report.outcome());
            if (accepted != null) {
                try {
                    // before the worker hears back: a later AM attempt recovers the block from it
                    recovery.saveResult(accepted);
                } catch (IOException e) {
                    // not the job's correctness: without the record a later attempt runs the block again
                    LOG.warn("Could not save the result of block {} for recovery: {}", report.block(), e.getMessage());
                }
            }
        } else {
            LOG.warn("Block {} attempt {} failed on {}: {}", report.block(), report.attempt(), report.worker(), report.error());
            if (report.badInput()) {
                current.badInput(report.block(), report.attempt(), report.error());
            } else {
                current.failed(report.worker(), report.block(), report.attempt(), report.error());
            }
        }
    }

    @Override
    public JobStatus status() {
        JobStatus shown = snapshot();
        if (shown.state().isFinal()) {
            finalStatusRead.countDown();
        }
        return shown;
    }

    /** The job's status, for the tracking page: unlike {@link #status()}, not a read by the driver. */
    JobStatus snapshot() {
        JobState shown = state;
        BlockScheduler current = scheduler;
        JobPreparation prepared = preparation;
        return new JobStatus(applicationId, shown, message, prepared,
                current == null ? List.of() : current.statuses(), manifest, nodes.describeExcluded(), phases(), uber);
    }

    @Override
    public JobPreparation preparation() {
        JobPreparation prepared = preparation;
        if (prepared == null) {
            throw new IllegalStateException("The job is not prepared yet");
        }
        return prepared;
    }

    @Override
    public Protocol.HeartbeatResponse heartbeat(Protocol.Heartbeat heartbeat) {
        BlockScheduler current = scheduler;
        boolean keep = current == null || heartbeat.block() < 0
                || current.heartbeat(heartbeat.worker(), heartbeat.block(), heartbeat.attempt(), heartbeat.progress());
        return new Protocol.HeartbeatResponse(keep && !failed && !state.isFinal());
    }

    @Override
    public void serveFailed(String path, Throwable error) {
        String hint = error instanceof OutOfMemoryError ? " (raise " + YarnAppConfig.AM_MEMORY_MB + ")" : "";
        fail("The ApplicationMaster could not answer %s: %s%s".formatted(path, ApplicationMaster.describe(error), hint));
    }

    @Override
    public void launch(Container container) throws Exception {
        mark("first_container");
        launcher.launch(container);
    }

    @Override
    public void stop(Container container) {
        launcher.stop(container);
    }

    @Override
    public boolean workerEnded(String containerId, String diagnostics) {
        BlockScheduler current = scheduler;
        return current != null && current.workerLost(containerId, diagnostics);
    }

    @Override
    public boolean wantsWorkers() {
        BlockScheduler current = scheduler;
        return !failed && !state.isFinal() && (current == null || !current.isOver());
    }

    @Override
    public void fatal(String reason) {
        fail(reason);
    }

    @Override
    public void shutdownRequested(String reason) {
        shutdownRequested = true;
        fail(reason);
    }

    /** Whether the ResourceManager told this attempt to stop ({@link ContainerAllocator.Listener#shutdownRequested}). */
    boolean shutdownRequested() {
        return shutdownRequested;
    }
}
