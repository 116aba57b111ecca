package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.security.UserGroupInformation;
import org.apache.hadoop.security.token.Token;
import org.apache.hadoop.yarn.api.ApplicationConstants.Environment;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.apache.hadoop.yarn.client.api.async.AMRMClientAsync;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.security.AMRMTokenIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's ApplicationMaster. Wiring only: it builds the endpoint, the RM registration, the
 * container allocator and launcher, the block scheduler and the committer, then waits for the
 * scheduler to be over and ends through {@link #finish}. Listing, planning and sampling start
 * first, on a thread of their own ({@link PlanAhead}), and overlap the RM registration.
 */
public final class ApplicationMaster {

    private static final Logger LOG = LoggerFactory.getLogger(ApplicationMaster.class);

    /** Exit codes of the AM process. */
    static final int EXIT_SUCCEEDED = 0;
    static final int EXIT_FAILED = 1;
    /** How long a failing job waits for its workers to be gone before it removes staging. */
    private static final long WORKER_STOP_MILLIS = 30_000;
    /** Longer than a worker's WAIT ({@link AmState}): the time for every idle worker to hear EXIT. */
    private static final long EXIT_HEARD_MILLIS = 500;
    /** The start of a succeeded job's diagnostics in the ResourceManager, followed by the output location. */
    public static final String COMMITTED_TO = "Committed to ";

    private final Configuration conf;
    private final YarnAppConfig config;
    private final JobSpec spec;
    private final String applicationId;
    private final Path stagingDir;
    private final int attempt;
    private final AmState state;

    /**
     * @param attempt this ApplicationMaster's attempt number, from 1
     */
    ApplicationMaster(Configuration conf, JobSpec spec, String applicationId, int attempt, Path stagingDir) {
        this.conf = requireNonNull(conf, "conf is null");
        this.config = YarnAppConfig.from(conf);
        this.spec = requireNonNull(spec, "spec is null");
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.stagingDir = requireNonNull(stagingDir, "stagingDir is null");
        this.attempt = attempt;
        this.state = new AmState(applicationId);
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            Configuration conf = new YarnConfiguration();
            conf.addResource(new File(LaunchContexts.JOB_CONF).toURI().toURL());
            ObjectMapper json = Protocol.newMapper();
            JobSpec spec = json.readValue(new File(LaunchContexts.JOB_SPEC), JobSpec.class);
            ContainerId containerId = ContainerId.fromString(System.getenv(Environment.CONTAINER_ID.name()));
            String applicationId = containerId.getApplicationAttemptId().getApplicationId().toString();
            int attempt = containerId.getApplicationAttemptId().getAttemptId();
            Path stagingDir = new Path(System.getenv(LaunchContexts.STAGING_ENV));
            UserGroupInformation.setConfiguration(conf);
            exitCode = ApplicationUser.run(() -> new ApplicationMaster(conf, spec, applicationId, attempt, stagingDir).run());
        } catch (Throwable e) {
            LOG.error("ApplicationMaster failed to start", e);
            exitCode = EXIT_FAILED;
        }
        System.exit(exitCode);
    }

    int run() throws Exception {
        byte[] secret = JobSecret.fromCurrentUser();
        String host = Optional.ofNullable(System.getenv(Environment.NM_HOST.name())).orElse("localhost");
        Credentials workerCredentials = workerCredentials();
        FileStore store = FileStores.hadoop(conf);
        BlockTasks.Typed<?> task = BlockTasks.instantiate(spec);
        JobCommit commit = new JobCommit(store, spec, applicationId, JobCommit.lockWait(conf, spec.writeMode()),
                conf.getLong(YarnAppConfig.TEST_COMMIT_PAUSE_MS, 0));

        RequestSignature.Verifier verifier = new RequestSignature.Verifier(secret, System::currentTimeMillis, config.rpcSignatureWindowMillis());
        // overlap: the storage's round trips of listing, planning and sampling run beside the RM's of registration
        try (PlanAhead planning = PlanAhead.start(planSteps(task, store, commit), attempt == 1, () -> state.mark("planned"));
                AmEndpoint endpoint = new AmEndpoint(host, verifier, state, Protocol.newMapper())) {
            NodeFailureTracker nodes = new NodeFailureTracker(config.nodeMaxFailures());
            state.attachNodeFailures(nodes);
            ContainerAllocator allocator = new ContainerAllocator(state, capability(), spec.containers() * spec.maxAttempts(), state::progress,
                    nodes);
            AMRMClientAsync<ContainerRequest> rm = AMRMClientAsync.createAMRMClientAsync(200, allocator);
            allocator.attach(rm);
            rm.init(conf);
            rm.start();
            TrackingPageHandler page = TrackingPageHandler.forApplicationMaster(conf, state::snapshot, allocator::liveContainers,
                    store, commit::attemptDirectory).start();
            endpoint.servePage(page, ProxyOnlyFilter.fromConf(conf, applicationId));
            String trackingUrl = endpoint.address() + "/";
            rm.registerApplicationMaster(host, 0, trackingUrl);
            state.mark("registered");
            Thread killHook = new Thread(() -> onKill(commit), "spindle-am-kill");
            Runtime.getRuntime().addShutdownHook(killHook);
            try (WorkerLauncher launcher = new WorkerLauncher(conf, config, stagingDir, workerCredentials, endpoint.address(),
                    allocator::startFailed)) {
                state.attachLauncher(launcher);
                try {
                    runJob(task, planning, store, commit, allocator, page, host);
                } catch (Exception e) {
                    LOG.error("Job failed", e);
                    state.fail(describe(e));
                } catch (OutOfMemoryError e) {
                    // planning or preparing the job did not fit (a schema of one enormous column, say):
                    // fail the job with what to change, instead of a crash YARN answers with another attempt
                    LOG.error("Job failed: out of memory", e);
                    state.fail("The ApplicationMaster ran out of memory planning or preparing the job: " + describe(e)
                            + " (raise spindle.yarn.am.memory-mb)");
                }
                if (superseded()) {
                    // a newer attempt owns the job now: its staging, recovery records and output
                    // are not this attempt's to remove, and the ResourceManager ends our workers
                    LOG.warn("Attempt {} of {} was told to shut down by the ResourceManager: leaving the job's staging and "
                            + "output to the application's current attempt", attempt, config.amAttempts());
                    page.close();
                    Runtime.getRuntime().removeShutdownHook(killHook);
                    return EXIT_FAILED;
                }
                if (state.current() == JobState.SUCCEEDED) {
                    // before the launcher's close stops every container still running
                    awaitArchives(allocator);
                }
                if (state.current() != JobState.SUCCEEDED) {
                    state.fail("The job ended without a result");
                    stopWorkers(allocator, launcher);
                    commit.abort();
                    state.publishFailure();
                }
            }
            state.awaitFinalStatusRead(config.amLingerMillis());
            // the page dies with the AM: with no final tracking URL the ResourceManager links its own
            // page of the application (state, diagnostics) instead of a dead address
            finish(rm, "");
            if (state.current() == JobState.SUCCEEDED) {
                // the ResourceManager ends the workers now; one still busy when the job committed (a
                // superseded attempt) could only have written into its attempt directory, which the
                // commit removed: remove whatever it recreated there
                commit.removeLeftovers();
                try (EndedApplications ended = new EndedApplications(conf)) {
                    commit.sweepDeadStaging(ended);
                }
            }
            page.close();
            Runtime.getRuntime().removeShutdownHook(killHook);
        } finally {
            // the application ends with this attempt only when it unregistered or is the last one:
            // otherwise the next attempt needs the staged jar, conf and spec
            if ((state.current().isFinal() && !superseded()) || lastAttempt()) {
                deleteStaging();
            } else {
                LOG.warn("Attempt {} of {} ends without a result; staging {} stays for the next attempt", attempt,
                        config.amAttempts(), stagingDir);
            }
        }
        return state.current() == JobState.SUCCEEDED ? EXIT_SUCCEEDED : EXIT_FAILED;
    }

    private boolean lastAttempt() {
        return attempt >= config.amAttempts();
    }

    /** Told by the ResourceManager to stop while a next attempt may run: then this one must leave everything as it is. */
    private boolean superseded() {
        return state.shutdownRequested() && !lastAttempt();
    }

    /** What {@link PlanAhead} runs: listing, planning and the task's preparation (sampling), none of which writes. */
    private PlanAhead.Steps planSteps(BlockTasks.Typed<?> task, FileStore store, JobCommit commit) {
        return new PlanAhead.Steps() {
            @Override
            public List<FileEntry> list() throws Exception {
                return commit.listInputs();
            }

            @Override
            public List<Block> plan(List<FileEntry> files) {
                return commit.plan(conf, files);
            }

            @Override
            public JobPreparation prepare(List<FileEntry> files, List<Block> blocks) throws Exception {
                return task.prepare(conf, store, spec, files, blocks);
            }
        };
    }

    private void runJob(BlockTasks.Typed<?> task, PlanAhead planning, FileStore store, JobCommit commit, ContainerAllocator allocator,
            TrackingPageHandler page, String host) throws Exception {
        state.setState(JobState.PLANNING);
        List<FileEntry> files = planning.files();
        boolean requestedEarly = requestWorkersBeforePlanning(files, allocator);
        List<Block> blocks = planning.blocks();
        AmRecovery recovery = new AmRecovery(store, commit.stagingDirectory(), Protocol.newMapper());
        boolean resumed = attempt > 1 && commit.resume();
        Optional<JobPreparation> saved = resumed && recovery.samePlan(blocks) ? recovery.preparation() : Optional.empty();
        JobPreparation preparation;
        if (saved.isPresent()) {
            preparation = saved.get();
        } else {
            if (!resumed) {
                commit.setup();
            }
            preparation = planning.preparesAhead() ? planning.preparation() : task.prepare(conf, store, spec, files, blocks);
            recovery.savePlan(blocks, preparation);
        }
        BlockScheduler scheduler = new BlockScheduler(blocks, spec.maxAttempts(), new RecordTiling(), System::currentTimeMillis,
                config.speculation());
        if (resumed) {
            // work-preserving: blocks whose results the earlier attempt accepted keep their parts
            Map<Integer, BlockResult> results = saved.isPresent() ? recovery.results(blocks.size()) : Map.of();
            scheduler.recover(recovery.attemptsStarted(), results);
            LOG.info("Attempt {} recovered {} of {} blocks from the earlier attempt", attempt, results.size(), blocks.size());
        }
        state.start(preparation, scheduler, commit, recovery);
        LOG.info("Planned {} blocks over {} files for {}", blocks.size(), files.size(), applicationId);

        long plannedBytes = blocks.stream().mapToLong(Block::length).sum();
        Thread inAm = null;
        if (scheduler.remaining() > 0 && !requestedEarly && config.runsInAm(blocks.size(), plannedBytes)) {
            LOG.info("Running the {} blocks ({} bytes) in the ApplicationMaster, no worker container ({}, {}, {})", blocks.size(),
                    plannedBytes, YarnAppConfig.UBER, YarnAppConfig.UBER_MAX_BLOCKS, YarnAppConfig.UBER_MAX_BYTES);
            inAm = startInAm(task, FileStores.hadoop(conf), host); // its own store: its retries are counted once, per attempt
        } else if (scheduler.remaining() > 0) {
            int workers = Math.min(spec.containers(), scheduler.remaining());
            List<List<String>> hosts = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                hosts.add(blocks.get(i).hosts());
            }
            allocator.requestWorkers(hosts);
        }
        List<String> superseded = new ArrayList<>();
        while (!scheduler.isOver() && !state.failed()) {
            TimeUnit.MILLISECONDS.sleep(100);
            if (inAm != null && !inAm.isAlive() && !scheduler.isOver()) {
                state.fail("The ApplicationMaster's block runner ended before the blocks were done");
            }
            for (BlockScheduler.Stalled stalled : scheduler.expireStalled(config.workerStallTimeoutMillis())) {
                LOG.warn("Giving up {}; stopping its container", stalled.reason());
                allocator.stop(stalled.worker());
            }
            stopSuperseded(scheduler, allocator, superseded);
        }
        stopSuperseded(scheduler, allocator, superseded);
        // like a worker container, the in-AM runner must not write while, or after, the job commits or aborts
        if (inAm != null) {
            inAm.join(WORKER_STOP_MILLIS);
            if (inAm.isAlive()) {
                LOG.warn("The ApplicationMaster's block runner is still running {} ms after the blocks ended", WORKER_STOP_MILLIS);
            }
        }
        // an attempt that lost to a speculative one must not write while, or after, the job commits
        if (!allocator.awaitEnded(superseded, WORKER_STOP_MILLIS)) {
            LOG.warn("Superseded workers still running {} ms after they were told to stop: {}", WORKER_STOP_MILLIS, superseded);
        }
        Optional<String> failure = scheduler.failure();
        if (failure.isPresent()) {
            state.fail(failure.get());
            return;
        }
        state.mark("blocks_done");
        state.setState(JobState.COMMITTING);
        Manifest manifest = commit.commit(conf, task, preparation, blocks, scheduler);
        page.writeFinal(spec.output(), new JobStatus(applicationId, JobState.SUCCEEDED, "", preparation, scheduler.statuses(), manifest));
        state.succeed(manifest);
        LOG.info("Committed {} parts to {}", manifest.parts().size(), spec.output());
    }

    /**
     * Overlap: worker JVMs start while the AM plans and samples. Once the inputs are listed, a job
     * whose listed bytes already rule out uber mode (or with uber mode off) asks for as many
     * workers as it surely has blocks: one per non-empty file, at most {@code --containers}. They
     * have no host preference (the blocks are not known yet); the ones beyond, with the blocks'
     * hosts, are asked for once planned. A worker that starts before the plan is ready gets WAIT.
     * A later AM attempt, which may have every block done, asks only after planning.
     *
     * @return whether it asked (then the job does not run in the AM)
     */
    private boolean requestWorkersBeforePlanning(List<FileEntry> files, ContainerAllocator allocator) {
        long listedBytes = files.stream().mapToLong(FileEntry::length).sum();
        long nonEmpty = files.stream().filter(file -> file.length() > 0).count();
        if (attempt > 1 || nonEmpty == 0 || config.runsInAm(1, listedBytes)) {
            return false;
        }
        int workers = (int) Math.min(spec.containers(), nonEmpty);
        LOG.info("Asking for {} workers before planning ({} bytes listed in {} files)", workers, listedBytes, files.size());
        allocator.requestWorkers(java.util.Collections.nCopies(workers, List.of()));
        return true;
    }

    /**
     * Uber mode: starts the worker's block loop ({@link WorkerMain#runInAm}) on a thread of this
     * JVM, under this AM's container id; a failure of the loop itself fails the job.
     */
    private Thread startInAm(BlockTasks.Typed<?> task, FileStore store, String host) {
        state.runInAm();
        String worker = Optional.ofNullable(System.getenv(Environment.CONTAINER_ID.name())).orElse(applicationId + "-am");
        Thread runner = new Thread(() -> {
            try {
                int code = WorkerMain.runInAm(state, conf, spec, task, store, worker, host);
                LOG.info("The ApplicationMaster's block runner ended with {}", code);
            } catch (Exception | Error e) {
                LOG.error("The ApplicationMaster's block runner failed", e);
                state.fail("The ApplicationMaster's block runner failed: " + describe(e));
            }
        }, "spindle-am-blocks");
        runner.setDaemon(true);
        runner.start();
        return runner;
    }

    private static void stopSuperseded(BlockScheduler scheduler, ContainerAllocator allocator, List<String> stopped) {
        for (String worker : scheduler.takeSuperseded()) {
            LOG.info("Stopping worker {}: its attempt lost to another attempt of the same block", worker);
            allocator.stop(worker);
            stopped.add(worker);
        }
    }

    /**
     * Stops every worker and waits until YARN reports them gone, so that no attempt still
     * running writes into the staging the abort is about to delete.
     */
    private static void stopWorkers(ContainerAllocator allocator, WorkerLauncher launcher) throws InterruptedException {
        for (org.apache.hadoop.yarn.api.records.Container container : allocator.liveContainers()) {
            launcher.stop(container);
        }
        if (!allocator.awaitNoWorkers(WORKER_STOP_MILLIS)) {
            LOG.warn("Workers still running {} ms after they were told to stop: {}", WORKER_STOP_MILLIS, allocator.liveContainers());
        }
    }

    /**
     * Gives the workers that write their node's class-data archive as they exit the time to write
     * it: the application's end would have their NodeManager kill them mid-dump, and every later
     * worker there would start without one. Only the first job on a node (per jar) waits here, after
     * its driver has the result.
     */
    private void awaitArchives(ContainerAllocator allocator) throws InterruptedException {
        if (config.containerCdsWaitMillis() == 0) {
            return;
        }
        // an idle worker hears EXIT at its next ask, within one WAIT of the blocks' end
        long asked = System.currentTimeMillis() + EXIT_HEARD_MILLIS;
        while (System.currentTimeMillis() < asked
                && allocator.liveContainers().stream().anyMatch(container -> !state.toldToExit(container.getId().toString()))) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        List<String> archiving = state.archivingWorkers();
        if (archiving.isEmpty()) {
            return;
        }
        LOG.info("Waiting up to {} ms ({}) for {} workers to write their node's class-data archive", config.containerCdsWaitMillis(),
                YarnAppConfig.CONTAINER_CDS_WAIT_MS, archiving.size());
        if (!allocator.awaitEnded(archiving, config.containerCdsWaitMillis())) {
            LOG.warn("Workers still writing their class-data archive after {} ms, ending without them: {}",
                    config.containerCdsWaitMillis(), archiving);
        }
    }

    private void finish(AMRMClientAsync<ContainerRequest> rm, String finalTrackingUrl) {
        FinalApplicationStatus status = switch (state.current()) {
            case SUCCEEDED -> FinalApplicationStatus.SUCCEEDED;
            case KILLED -> FinalApplicationStatus.KILLED;
            default -> FinalApplicationStatus.FAILED;
        };
        try {
            // a succeeded job's diagnostics name its output: `spindle status APP_ID --web` finds its last page there
            String diagnostics = state.current() == JobState.SUCCEEDED ? COMMITTED_TO + spec.output() : state.message();
            rm.unregisterApplicationMaster(status, diagnostics, finalTrackingUrl);
        } catch (Exception e) {
            LOG.warn("Could not unregister from the ResourceManager", e);
        }
        rm.stop();
    }

    /**
     * SIGTERM before the job ended: a kill of the application, or the end of this attempt only
     * (its container lost or pre-empted). Only the last attempt aborts; otherwise the next
     * attempt recovers from staging, and after a kill the driver removes it (JobHandle).
     */
    private void onKill(JobCommit commit) {
        if (!state.current().isFinal()) {
            if (lastAttempt()) {
                LOG.warn("ApplicationMaster is being stopped before the job ended: aborting");
                commit.abort();
                deleteStaging();
            } else {
                LOG.warn("ApplicationMaster attempt {} of {} is being stopped before the job ended: staging stays for the next attempt",
                        attempt, config.amAttempts());
            }
        }
    }

    private void deleteStaging() {
        try {
            FileSystem fs = stagingDir.getFileSystem(conf);
            fs.delete(stagingDir, true);
        } catch (Exception e) {
            LOG.warn("Could not delete staging dir {}", stagingDir, e);
        }
    }

    private org.apache.hadoop.yarn.api.records.Resource capability() {
        return org.apache.hadoop.yarn.api.records.Resource.newInstance(config.workerMemoryMb(), config.workerVcores());
    }

    /** The AM's credentials without its AMRM token, for the workers. */
    private static Credentials workerCredentials() throws Exception {
        Credentials credentials = new Credentials(UserGroupInformation.getCurrentUser().getCredentials());
        List<org.apache.hadoop.io.Text> amTokens = new ArrayList<>();
        for (Token<?> token : credentials.getAllTokens()) {
            if (AMRMTokenIdentifier.KIND_NAME.equals(token.getKind())) {
                amTokens.add(token.getService());
            }
        }
        amTokens.forEach(credentials::removeToken);
        return credentials;
    }

    /** A one-line description of an error and its causes. */
    static String describe(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (!text.isEmpty()) {
                text.append("; caused by ");
            }
            String message = current.getMessage();
            text.append(current.getClass().getSimpleName());
            if (message != null) {
                text.append(": ").append(message);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return text.toString();
    }

    /** Asks the ResourceManager whether an application ended; the client starts on the first question. */
    private static final class EndedApplications implements DeadStagingSweep.Liveness, AutoCloseable {
        private final Configuration conf;
        private org.apache.hadoop.yarn.client.api.YarnClient yarn;

        EndedApplications(Configuration conf) {
            this.conf = conf;
        }

        @Override
        public boolean hasEnded(String applicationId) throws IOException {
            if (yarn == null) {
                yarn = org.apache.hadoop.yarn.client.api.YarnClient.createYarnClient();
                yarn.init(conf);
                yarn.start();
            }
            try {
                org.apache.hadoop.yarn.api.records.YarnApplicationState state = yarn
                        .getApplicationReport(org.apache.hadoop.yarn.api.records.ApplicationId.fromString(applicationId))
                        .getYarnApplicationState();
                return state == org.apache.hadoop.yarn.api.records.YarnApplicationState.FINISHED
                        || state == org.apache.hadoop.yarn.api.records.YarnApplicationState.FAILED
                        || state == org.apache.hadoop.yarn.api.records.YarnApplicationState.KILLED;
            } catch (org.apache.hadoop.yarn.exceptions.ApplicationNotFoundException e) {
                return true; // the ResourceManager keeps every application that has not ended
            } catch (org.apache.hadoop.yarn.exceptions.YarnException e) {
                throw new IOException("Cannot get the report of " + applicationId + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (yarn != null) {
                yarn.stop();
            }
        }
    }
}
