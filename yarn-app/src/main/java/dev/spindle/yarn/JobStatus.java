package dev.spindle.yarn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.spindle.io.commit.Manifest;
import java.util.List;

/**
 * A snapshot of a running job, served by the AM's status endpoint and followed by the driver.
 *
 * @param applicationId the YARN application id
 * @param state where the job is
 * @param message diagnostics when failed or killed, else empty
 * @param preparation what the task prepared (output schema, task properties), else null
 * @param blocks every planned block (empty while planning)
 * @param manifest the committed manifest once SUCCEEDED, else null
 * @param excludedNodes nodes that got no more containers of this job after too many of theirs
 *     failed, each with its count and last failure
 * @param phases when the AM reached each phase of the job, epoch milliseconds, in time order:
 *     {@code am_start} (the AM's JVM started), {@code registered}, {@code planned},
 *     {@code prepared} (schema sampled), {@code first_container}, {@code first_worker} (a worker
 *     JVM asked for its first block), {@code blocks_done}, {@code committed}; an uber job has
 *     no {@code first_container}, and its {@code first_worker} is the AM's own block runner
 * @param uber whether the blocks run inside the ApplicationMaster, with no worker container
 *     ({@link YarnAppConfig#UBER})
 */
public record JobStatus(
        String applicationId,
        JobState state,
        String message,
        JobPreparation preparation,
        List<BlockStatus> blocks,
        Manifest manifest,
        List<String> excludedNodes,
        Map<String, Long> phases,
        boolean uber) {

    public JobStatus {
        blocks = List.copyOf(blocks);
        excludedNodes = excludedNodes == null ? List.of() : List.copyOf(excludedNodes);
        phases = phases == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(phases));
    }

    /** A status of a job that runs its blocks in worker containers. */
    public JobStatus(String applicationId, JobState state, String message, JobPreparation preparation, List<BlockStatus> blocks,
            Manifest manifest, List<String> excludedNodes, Map<String, Long> phases) {
        this(applicationId, state, message, preparation, blocks, manifest, excludedNodes, phases, false);
    }

    /** A status without phase times. */
    public JobStatus(String applicationId, JobState state, String message, JobPreparation preparation, List<BlockStatus> blocks,
            Manifest manifest, List<String> excludedNodes) {
        this(applicationId, state, message, preparation, blocks, manifest, excludedNodes, Map.of(), false);
    }

    /** A status with no excluded node. */
    public JobStatus(String applicationId, JobState state, String message, JobPreparation preparation, List<BlockStatus> blocks,
            Manifest manifest) {
        this(applicationId, state, message, preparation, blocks, manifest, List.of(), Map.of(), false);
    }

    public long blocksDone() {
        return blocks.stream().filter(b -> b.state() == BlockStatus.State.SUCCEEDED).count();
    }
}
