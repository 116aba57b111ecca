package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.ManifestCodec;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.store.FileStores;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;

/**
 * A submitted job, followed by polling YARN and the AM's status endpoint. Offers a future for
 * the job, a future per block once the plan is known, and progress listeners.
 *
 * <p>A block's future completes with the first accepted result of that block; if the tiling
 * check later re-runs the block, the job's {@link JobResult#blocks()} holds the final one.
 */
public final class JobHandle implements AutoCloseable {

    private final YarnClient yarn;
    private final ApplicationId applicationId;
    private final byte[] secret;
    private final JobSpec spec;
    private final Configuration conf;
    private final Path stagingDir;
    private final long submittedMillis;
    private final ObjectMapper json = Protocol.newMapper();
    private final ScheduledExecutorService poller;
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final CompletableFuture<List<CompletableFuture<BlockResult>>> blocks = new CompletableFuture<>();
    private final List<Consumer<JobStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile JobStatus lastStatus;
    private AmClient am;

    JobHandle(YarnClient yarn, ApplicationId applicationId, byte[] secret, JobSpec spec, Configuration conf,
            Path stagingDir, long pollIntervalMillis, long submittedMillis) {
        this.yarn = requireNonNull(yarn, "yarn is null");
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.secret = requireNonNull(secret, "secret is null").clone();
        this.spec = requireNonNull(spec, "spec is null");
        this.conf = requireNonNull(conf, "conf is null");
        this.stagingDir = requireNonNull(stagingDir, "stagingDir is null");
        this.submittedMillis = submittedMillis;
        this.poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "spindle-job-" + applicationId);
            thread.setDaemon(true);
            return thread;
        });
        poller.scheduleWithFixedDelay(this::poll, 0, pollIntervalMillis, TimeUnit.MILLISECONDS);
    }

    public String applicationId() {
        return applicationId.toString();
    }

    /** Completes when the job ends, successfully or not (never exceptionally for a job failure). */
    public CompletableFuture<JobResult> result() {
        return result;
    }

    /** Completes with one future per planned block once the AM has planned the job. */
    public CompletableFuture<List<CompletableFuture<BlockResult>>> blocks() {
        return blocks;
    }

    /** The latest status read from the AM, if any yet. */
    public Optional<JobStatus> lastStatus() {
        return Optional.ofNullable(lastStatus);
    }

    /** Called on the polling thread with every status read from the AM. */
    public void addListener(Consumer<JobStatus> listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    /** Asks YARN to kill the job; the AM aborts and removes its staging. */
    public void kill() throws IOException {
        try {
            yarn.killApplication(applicationId);
        } catch (org.apache.hadoop.yarn.exceptions.YarnException e) {
            throw new IOException("Cannot kill " + applicationId + ": " + e.getMessage(), e);
        }
    }

    private void poll() {
        if (result.isDone()) {
            return;
        }
        try {
            ApplicationReport report = yarn.getApplicationReport(applicationId);
            YarnApplicationState yarnState = report.getYarnApplicationState();
            if (am == null && yarnState == YarnApplicationState.RUNNING) {
                trackingAddress(report).ifPresent(address -> am = new AmClient(address, secret, json));
            }
            if (am != null) {
                try {
                    JobStatus status = am.status();
                    update(status);
                    if (status.state().isFinal()) {
                        finish(status.state(), status.message(), Optional.ofNullable(status.manifest()), status);
                        return;
                    }
                } catch (IOException e) {
                    // The AM may be gone already: YARN's report below decides.
                }
            }
            if (yarnState == YarnApplicationState.FINISHED || yarnState == YarnApplicationState.FAILED
                    || yarnState == YarnApplicationState.KILLED) {
                JobState state = switch (report.getFinalApplicationStatus()) {
                    case SUCCEEDED -> JobState.SUCCEEDED;
                    case KILLED -> JobState.KILLED;
                    default -> yarnState == YarnApplicationState.KILLED ? JobState.KILLED : JobState.FAILED;
                };
                String message = report.getDiagnostics() == null ? "" : report.getDiagnostics().strip();
                if (state != JobState.SUCCEEDED && message.isEmpty()) {
                    message = "YARN reports the application " + yarnState + " (" + report.getFinalApplicationStatus() + ")";
                }
                Optional<Manifest> manifest = state == JobState.SUCCEEDED ? readManifest() : Optional.empty();
                if (state == JobState.SUCCEEDED && manifest.isEmpty()) {
                    state = JobState.FAILED;
                    message = "YARN reports success but the output has no _SUCCESS manifest: " + spec.output();
                }
                finish(state, message, manifest, lastStatus);
            }
        } catch (Exception e) {
            // An I/O error talking to the RM may pass; anything else means the job cannot be followed.
            if (!(e instanceof IOException)) {
                finish(JobState.FAILED, "Lost track of " + applicationId + ": " + ApplicationMaster.describe(e), Optional.empty(), lastStatus);
            }
        }
    }

    private void update(JobStatus status) {
        lastStatus = status;
        if (!blocks.isDone() && (!status.blocks().isEmpty() || status.state().ordinal() >= JobState.RUNNING.ordinal())) {
            List<CompletableFuture<BlockResult>> futures = new ArrayList<>();
            for (int i = 0; i < status.blocks().size(); i++) {
                futures.add(new CompletableFuture<>());
            }
            blocks.complete(List.copyOf(futures));
        }
        if (blocks.isDone()) {
            List<CompletableFuture<BlockResult>> futures = blocks.join();
            for (BlockStatus block : status.blocks()) {
                if (block.result() != null && block.block() < futures.size()) {
                    futures.get(block.block()).complete(block.result());
                }
            }
        }
        for (Consumer<JobStatus> listener : listeners) {
            listener.accept(status);
        }
    }

    private void finish(JobState state, String message, Optional<Manifest> manifest, JobStatus status) {
        List<BlockResult> accepted = new ArrayList<>();
        if (status != null) {
            for (BlockStatus block : status.blocks()) {
                if (block.result() != null) {
                    accepted.add(block.result());
                }
            }
        }
        JobResult jobResult = new JobResult(applicationId.toString(), state, message, manifest, accepted,
                System.currentTimeMillis() - submittedMillis);
        blocks.complete(List.of());
        for (CompletableFuture<BlockResult> future : blocks.join()) {
            future.completeExceptionally(new IllegalStateException("Job " + applicationId + " ended " + state + ": " + message));
        }
        cleanStaging();
        if (state != JobState.SUCCEEDED) {
            abortOutput();
        }
        result.complete(jobResult);
        poller.shutdown();
    }

    /**
     * Removes this job's staging under the output, in case its AM could not (killed before its
     * abort ran, or lost): deletes nothing but {@code <output>/_temporary/<applicationId>}.
     */
    private void abortOutput() {
        try {
            PartCommitter.builder().store(FileStores.hadoop(conf)).outputDirectory(spec.output())
                    .jobId(applicationId.toString()).build().abortJob();
        } catch (IOException | RuntimeException e) {
            // Staging holds no visible output; the next job with this output ignores it.
        }
    }

    private Optional<Manifest> readManifest() {
        try {
            return ManifestCodec.read(FileStores.hadoop(conf), spec.output());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void cleanStaging() {
        try {
            stagingDir.getFileSystem(conf).delete(stagingDir, true);
        } catch (IOException e) {
            // The AM deletes it too; a leftover staging dir holds no output.
        }
    }

    private static Optional<URI> trackingAddress(ApplicationReport report) {
        String url = report.getOriginalTrackingUrl();
        if (url == null || url.isBlank() || url.equals("N/A")) {
            return Optional.empty();
        }
        URI uri = URI.create(url.contains("://") ? url : "http://" + url);
        return Optional.of(URI.create(uri.getScheme() + "://" + uri.getAuthority()));
    }

    /** Waits for the job to end. */
    public JobResult await() throws InterruptedException {
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("Following " + applicationId + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        yarn.stop();
    }

}
