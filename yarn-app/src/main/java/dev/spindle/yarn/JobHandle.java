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
    private final Optional<JobSpec> spec;
    private final Configuration conf;
    private final Path stagingDir;
    private final long submittedMillis;
    private final ObjectMapper json = Protocol.newMapper();
    private final ScheduledExecutorService poller;
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final CompletableFuture<List<CompletableFuture<BlockResult>>> blocks = new CompletableFuture<>();
    private final List<Consumer<JobStatus>> listeners = new CopyOnWriteArrayList<>();
    private final YarnAppConfig.RpcSettings rpc;
    private final long rmUnreachableMillis;
    private volatile JobStatus lastStatus;
    private AmClient am;
    private long rmFailingSince = -1;

    /** The job's secret, or empty for an attached handle: for tests that check where it never appears. */
    Optional<byte[]> secret() {
        return Optional.ofNullable(secret).map(byte[]::clone);
    }

    /**
     * The job's page in the ResourceManager's web UI through its web proxy,
     * {@code http://<rm>:<port>/proxy/<application id>/}: the ResourceManager's own tracking URL
     * once it reports one, else the proxy address of the configuration (what MapReduce prints as
     * "The url to track the job").
     */
    public String trackingUrl() {
        try {
            String reported = yarn.getApplicationReport(applicationId).getTrackingUrl();
            if (reported != null && !reported.isBlank() && !reported.equals("N/A")) {
                return reported.startsWith("http") ? reported : org.apache.hadoop.yarn.webapp.util.WebAppUtils.getHttpSchemePrefix(conf) + reported;
            }
        } catch (IOException | org.apache.hadoop.yarn.exceptions.YarnException e) {
            // fall back to the configuration's proxy address
        }
        return org.apache.hadoop.yarn.webapp.util.WebAppUtils.getHttpSchemePrefix(conf)
                + org.apache.hadoop.yarn.webapp.util.WebAppUtils.getProxyHostAndPort(conf) + "/proxy/" + applicationId + "/";
    }

    /**
     * @param secret the job's secret, to read the AM's status endpoint; null for a handle that
     *     attached to a job it did not submit, which follows YARN's report only
     * @param spec the job, when known (an attached handle may not know it)
     */
    JobHandle(YarnClient yarn, ApplicationId applicationId, byte[] secret, Optional<JobSpec> spec, Configuration conf,
            Path stagingDir, YarnAppConfig config, long submittedMillis) {
        this.yarn = requireNonNull(yarn, "yarn is null");
        this.applicationId = requireNonNull(applicationId, "applicationId is null");
        this.secret = secret == null ? null : secret.clone();
        this.spec = requireNonNull(spec, "spec is null");
        this.conf = requireNonNull(conf, "conf is null");
        this.stagingDir = requireNonNull(stagingDir, "stagingDir is null");
        this.submittedMillis = submittedMillis;
        this.rpc = config.rpc();
        this.rmUnreachableMillis = config.clientRmUnreachableMillis();
        long pollIntervalMillis = config.pollIntervalMillis();
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

    /**
     * Completes when the job ends, successfully or not (never exceptionally for a job failure);
     * exceptionally when the job cannot be followed: an {@link IOException} when the
     * ResourceManager stayed unreachable for {@link YarnAppConfig#CLIENT_RM_UNREACHABLE_MS}.
     */
    public CompletableFuture<JobResult> result() {
        return result;
    }

    /** Completes with one future per planned block once the AM has planned the job. */
    public CompletableFuture<List<CompletableFuture<BlockResult>>> blocks() {
        return blocks;
    }

    /** The job, when known: always for a submitted job; for an attached one, read from its staging. */
    public Optional<JobSpec> spec() {
        return spec;
    }

    /** The latest status read from the AM (or, for an attached handle, made from YARN's report), if any yet. */
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
            ApplicationReport report;
            try {
                report = yarn.getApplicationReport(applicationId);
                rmFailingSince = -1;
            } catch (IOException e) {
                long now = System.currentTimeMillis();
                rmFailingSince = rmFailingSince < 0 ? now : rmFailingSince;
                if (now - rmFailingSince > rmUnreachableMillis) {
                    throw new IOException("Lost the ResourceManager at %s for %d ms (%s); %s may still be running: %s"
                            .formatted(conf.get(org.apache.hadoop.yarn.conf.YarnConfiguration.RM_ADDRESS,
                                    org.apache.hadoop.yarn.conf.YarnConfiguration.DEFAULT_RM_ADDRESS), now - rmFailingSince,
                                    YarnAppConfig.CLIENT_RM_UNREACHABLE_MS, applicationId, e.getMessage()), e);
                }
                return;
            }
            YarnApplicationState yarnState = report.getYarnApplicationState();
            if (secret == null) {
                JobState shown = switch (yarnState) {
                    case RUNNING -> JobState.RUNNING;
                    case FINISHED, FAILED, KILLED -> finalState(report);
                    default -> JobState.SUBMITTED;
                };
                if (lastStatus == null || lastStatus.state() != shown) {
                    update(new JobStatus(applicationId.toString(), shown, "", null, List.of(), null));
                }
            } else if (am == null && yarnState == YarnApplicationState.RUNNING) {
                trackingAddress(report).ifPresent(address -> am = new AmClient(address, secret, json, rpc));
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
                    // The AM may be gone (YARN's report below decides) or replaced by a new attempt
                    // with a new address: look it up again.
                    am = null;
                }
            }
            if (yarnState == YarnApplicationState.FINISHED || yarnState == YarnApplicationState.FAILED
                    || yarnState == YarnApplicationState.KILLED) {
                JobState state = finalState(report);
                String message = report.getDiagnostics() == null ? "" : report.getDiagnostics().strip();
                if (state != JobState.SUCCEEDED && message.isEmpty()) {
                    message = "YARN reports the application " + yarnState + " (" + report.getFinalApplicationStatus() + ")";
                }
                Optional<Manifest> manifest = state == JobState.SUCCEEDED && spec.isPresent() ? readManifest() : Optional.empty();
                if (state == JobState.SUCCEEDED && spec.isPresent() && manifest.isEmpty()) {
                    state = JobState.FAILED;
                    message = "YARN reports success but the output has no _SUCCESS manifest: " + spec.get().output();
                }
                finish(state, message, manifest, lastStatus);
            }
        } catch (Exception | Error e) {
            // not a job failure: following the job failed; whoever waits learns it as it is
            result.completeExceptionally(e);
            failBlocks("Following " + applicationId + " failed: " + ApplicationMaster.describe(e));
            poller.shutdown();
        }
    }

    /** The job's end state as YARN reports it for a finished application. */
    static JobState finalState(ApplicationReport report) {
        return switch (report.getFinalApplicationStatus()) {
            case SUCCEEDED -> JobState.SUCCEEDED;
            case KILLED -> JobState.KILLED;
            default -> report.getYarnApplicationState() == YarnApplicationState.KILLED ? JobState.KILLED : JobState.FAILED;
        };
    }

    private void failBlocks(String message) {
        blocks.complete(List.of());
        for (CompletableFuture<BlockResult> future : blocks.join()) {
            future.completeExceptionally(new IllegalStateException(message));
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
        failBlocks("Job " + applicationId + " ended " + state + ": " + message);
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
            if (spec.isEmpty()) {
                return;
            }
            PartCommitter.builder().store(FileStores.hadoop(conf)).outputDirectory(spec.get().output())
                    .jobId(applicationId.toString()).build().abortJob();
        } catch (IOException | RuntimeException e) {
            // Staging holds no visible output; the next job with this output ignores it.
        }
    }

    /** The committed manifest; an unreadable output is an I/O error, not a missing manifest. */
    private Optional<Manifest> readManifest() throws IOException {
        return ManifestCodec.read(FileStores.hadoop(conf), spec.orElseThrow().output());
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

    /**
     * Waits for the job to end.
     *
     * @throws IOException when the job could not be followed to its end (see {@link #result()})
     */
    public JobResult await() throws IOException, InterruptedException {
        try {
            return result.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("Following " + applicationId + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        yarn.stop();
    }

}
