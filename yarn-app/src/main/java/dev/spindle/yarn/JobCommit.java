package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.commit.CommitInfo;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockPlan;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AM's input listing, block planning and output commit for one job, on the storage SPI.
 */
final class JobCommit {

    private static final Logger LOG = LoggerFactory.getLogger(JobCommit.class);

    private final FileStore store;
    private final JobSpec spec;
    private final String applicationId;
    private final PartCommitter committer;

    JobCommit(FileStore store, JobSpec spec, String applicationId) {
        this(store, spec, applicationId, java.time.Duration.ZERO);
    }

    /** {@link YarnAppConfig#COMMIT_LOCK_WAIT_MS} for append and overwrite-partitions; no wait for error and overwrite. */
    static java.time.Duration lockWait(Configuration conf, WriteMode mode) {
        if (mode != WriteMode.APPEND && mode != WriteMode.OVERWRITE_PARTITIONS) {
            return java.time.Duration.ZERO;
        }
        return java.time.Duration.ofMillis(Math.max(0, conf.getLong(YarnAppConfig.COMMIT_LOCK_WAIT_MS, YarnAppConfig.COMMIT_LOCK_WAIT_MS_DEFAULT)));
    }

    JobCommit(FileStore store, JobSpec spec, String applicationId, java.time.Duration lockWait) {
        this(store, spec, applicationId, lockWait, 0);
    }

    /** @param pauseMillis test hook ({@link YarnAppConfig#TEST_COMMIT_PAUSE_MS}): sleep after each move of the commit */
    JobCommit(FileStore store, JobSpec spec, String applicationId, java.time.Duration lockWait, long pauseMillis) {
        this.store = requireNonNull(store, "store is null");
        this.spec = requireNonNull(spec, "spec is null");
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.committer = PartCommitter.builder()
                .store(store)
                .outputDirectory(spec.output())
                .jobId(applicationId)
                .writeMode(spec.writeMode())
                .lockWait(lockWait)
                .afterEachPromotion(() -> pause(pauseMillis))
                .build();
    }

    private static void pause(long millis) {
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every input file, each once, sorted by location. */
    List<FileEntry> listInputs() throws IOException {
        Map<String, FileEntry> files = new TreeMap<>();
        for (String pattern : spec.inputs()) {
            for (FileEntry entry : store.list(pattern)) {
                files.putIfAbsent(entry.location(), entry);
            }
        }
        return List.copyOf(files.values());
    }

    List<Block> plan(Configuration conf, List<FileEntry> files) {
        BlockPlanner.Builder planner = BlockPlanner.builder().codecs(conf).encodings(spec.task().inputEncodings(), store);
        if (spec.blockSize() > 0) {
            planner.blockSize(spec.blockSize());
        }
        BlockPlan plan = planner.build().plan(files);
        if (!plan.emptyFiles().isEmpty()) {
            LOG.info("{} empty input files: {}", plan.emptyFiles().size(), plan.emptyFiles());
        }
        return plan.blocks();
    }


    void setup() throws IOException {
        committer.setupJob();
    }

    /** Resumes the staging an earlier AM attempt set up; false (and set up afresh) if there is none. */
    boolean resume() throws IOException {
        return committer.resumeJob();
    }

    /** {@code <output>/_temporary/<applicationId>}. */
    String stagingDirectory() {
        return committer.stagingDirectory();
    }

    String attemptDirectory(int block, int attempt) {
        return committer.attemptDirectory(block, attempt);
    }

    /** The part file name of a block (with the job id in it in every {@code --write-mode} but {@code error}). */
    String partFileName(int block, String extension) {
        return committer.jobPartFileName(block, extension);
    }

    /**
     * Lets the task finish its attempts' output ({@link BlockTask#beforeCommit}), then promotes
     * every block's accepted attempt and writes {@code _schema.avsc} and {@code _SUCCESS}.
     */
    Manifest commit(Configuration conf, BlockTasks.Typed<?> task, JobPreparation preparation, List<Block> blocks, BlockScheduler scheduler)
            throws Exception {
        List<BlockResult> results = scheduler.results();
        Map<Integer, String> attemptDirectories = new HashMap<>();
        for (BlockResult result : results) {
            attemptDirectories.put(result.block(), committer.attemptDirectory(result.block(), result.attempt()));
        }
        task.beforeCommit(conf, store, spec, preparation, blocks, results, attemptDirectories);
        Map<Integer, Integer> winners = new HashMap<>();
        long read = 0;
        long written = 0;
        long filtered = 0;
        long rejected = 0;
        long bytes = 0;
        int nodeLocal = 0;
        for (BlockResult result : results) {
            BlockOutcome outcome = result.outcome();
            if (result.host() != null && blocks.get(result.block()).hosts().contains(result.host())) {
                nodeLocal++;
            }
            winners.put(result.block(), result.attempt());
            read += outcome.rowsRead();
            written += outcome.rowsWritten();
            filtered += outcome.rowsFiltered();
            rejected += outcome.rowsRejected();
            bytes += outcome.bytesRead();
        }
        long amRetries = WorkerMain.retries(store); // listing, sampling, the commit so far
        Manifest.Counters counters = new Manifest.Counters(read, written, filtered, rejected, bytes,
                results.size(), scheduler.blocksRerun(), scheduler.totalAttempts(), scheduler.blocksRecovered(),
                scheduler.speculativeAttempts(), scheduler.storeRetries() + amRetries, nodeLocal);
        CommitInfo.Builder info = CommitInfo.builder()
                .format(preparation.format())
                .extension(preparation.extension())
                .schemaJson(preparation.schemaJson())
                .counters(counters)
                .applicationId(applicationId)
                .spindleVersion(SpindleVersion.current());
        for (BlockResult result : results) {
            info.blockRows(result.block(), result.outcome().rowsWritten());
            if (result.outcome().rowsRejected() > 0) {
                info.blockRejects(result.block(), result.outcome().rowsRejected());
            }
        }
        return committer.commitJob(winners, info.build());
    }

    /**
     * After a commit, once no worker runs: removes this job's staging under the output if a late
     * worker recreated any of it, and {@code _temporary} if that leaves it empty; never throws.
     */
    void removeLeftovers() {
        try {
            committer.removeLeftovers();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove what is left of the staging of {} under {}", applicationId, spec.output(), e);
        }
    }

    /**
     * After a commit: removes the staging that ended applications left under the output (see
     * {@link DeadStagingSweep}); never throws.
     */
    List<String> sweepDeadStaging(DeadStagingSweep.Liveness liveness) {
        return DeadStagingSweep.sweep(store, spec.output(), applicationId, liveness);
    }

    /** Removes everything of this job from the output; never throws. */
    void abort() {
        try {
            committer.abortJob();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not remove the staging of {} under {}", applicationId, spec.output(), e);
        }
    }

}
