package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.spindle.io.commit.Manifest;
import dev.spindle.yarn.BlockResult;
import dev.spindle.yarn.JobResult;
import dev.spindle.yarn.JobSpec;
import dev.spindle.yarn.SpindleVersion;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --result-json FILE}: how a job command ended, as one JSON object for schedulers (Airflow
 * XCom) and scripts, written when the command ends whatever the outcome: success, a failed or
 * killed job, a submission that failed, or a usage error found before submission.
 */
final class ResultFile {

    /**
     * The file's content.
     *
     * @param spindleVersion the Spindle that ran the command
     * @param command the command name ({@code csv-to-avro})
     * @param applicationId the YARN application id, or null when nothing was submitted
     * @param state {@code SUCCEEDED}, {@code FAILED}, {@code KILLED}, {@code SUBMITTED} (under
     *     {@code --detach}) or {@code NOT_SUBMITTED}
     * @param exitCode the command's exit code
     * @param message empty on success, else the one-line reason
     * @param inputs the qualified inputs (as given, when it ended before they were resolved)
     * @param output the qualified output directory (as given, when it ended before that)
     * @param format the output format
     * @param startedAt when the command started (ISO-8601, UTC)
     * @param endedAt when it ended
     * @param wallSeconds the command's wall time
     * @param counters the manifest's counters on success; on failure the sum over the blocks that finished
     * @param parts part files committed (0 unless it succeeded)
     * @param phases when the command and the job reached each phase, epoch milliseconds in time
     *     order: {@code client_start} and {@code submitted} (the driver), the AM's phases
     *     ({@code am_start}, {@code registered}, {@code planned}, {@code prepared},
     *     {@code first_container}, {@code first_worker}, {@code blocks_done}, {@code committed};
     *     those the job reached, when the driver read the AM's last status) and {@code ended}
     * @param uber whether the job's blocks ran inside the ApplicationMaster, with no worker
     *     container ({@code spindle.uber}; off with {@code --no-uber})
     */
    record Result(
            String spindleVersion,
            String command,
            String applicationId,
            String state,
            int exitCode,
            String message,
            List<String> inputs,
            String output,
            String format,
            String startedAt,
            String endedAt,
            double wallSeconds,
            Manifest.Counters counters,
            int parts,
            Map<String, Long> phases,
            boolean uber) {}

    private final Optional<File> file;
    private final String command;
    private final String format;
    private final Instant started = Instant.now();
    private List<String> inputs = List.of();
    private String output = "";
    private JobResult result;
    private String applicationId;
    private String message = "";
    private Instant submittedAt;
    private Map<String, Long> amPhases = Map.of();
    private boolean uber;

    ResultFile(Optional<File> file, String command, String format) {
        this.file = requireNonNull(file, "file is null");
        this.command = requireNonNull(command, "command is null");
        this.format = requireNonNull(format, "format is null");
    }

    void locations(List<String> inputs, String output) {
        this.inputs = List.copyOf(inputs);
        this.output = output;
    }

    void submitted(JobSpec spec, String applicationId) {
        locations(spec.inputs(), spec.output());
        this.applicationId = applicationId;
        this.submittedAt = Instant.now();
    }

    void ended(JobResult value) {
        ended(value, Map.of());
    }

    /** How the job ended, with the AM's phase times from its last status. */
    void ended(JobResult value, Map<String, Long> phases) {
        ended(value, phases, false);
    }

    /** How the job ended, with the AM's phase times and whether its blocks ran in the AM, from its last status. */
    void ended(JobResult value, Map<String, Long> phases, boolean ranInAm) {
        this.result = value;
        this.message = value.message();
        this.amPhases = Map.copyOf(phases);
        this.uber = ranInAm;
    }

    void failed(String reason) {
        this.message = reason;
    }

    /** Writes the file (atomically: a reader never sees half of it), when {@code --result-json} was given. */
    void write(ExitCode code) throws IOException {
        if (file.isEmpty()) {
            return;
        }
        Instant ended = Instant.now();
        Manifest.Counters counters = result == null ? new Manifest.Counters(0, 0, 0, 0, 0, 0, 0, 0)
                : result.manifest().map(Manifest::jobCounters).orElseGet(() -> sum(result.blocks()));
        Result content = new Result(SpindleVersion.current(), command, applicationId,
                result != null ? result.state().name() : applicationId != null ? "SUBMITTED" : "NOT_SUBMITTED", code.code(), message, inputs, output, format,
                started.toString(), ended.toString(), (ended.toEpochMilli() - started.toEpochMilli()) / 1000.0, counters,
                result == null ? 0 : result.manifest().map(Manifest::jobParts).orElse(0), phases(ended), uber);
        File target = file.get().getAbsoluteFile();
        File parent = target.getParentFile();
        if (parent != null) {
            Files.createDirectories(parent.toPath());
        }
        File temporary = new File(parent, "." + target.getName() + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(temporary, content);
        Files.move(temporary.toPath(), target.toPath(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private Map<String, Long> phases(Instant ended) {
        Map<String, Long> all = new java.util.HashMap<>(amPhases);
        all.put("client_start", started.toEpochMilli());
        if (submittedAt != null) {
            all.put("submitted", submittedAt.toEpochMilli());
        }
        all.put("ended", ended.toEpochMilli());
        Map<String, Long> ordered = new java.util.LinkedHashMap<>();
        all.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }

    private static Manifest.Counters sum(List<BlockResult> blocks) {
        long read = 0;
        long written = 0;
        long filtered = 0;
        long rejected = 0;
        long bytes = 0;
        for (BlockResult block : blocks) {
            read += block.outcome().rowsRead();
            written += block.outcome().rowsWritten();
            filtered += block.outcome().rowsFiltered();
            rejected += block.outcome().rowsRejected();
            bytes += block.outcome().bytesRead();
        }
        return new Manifest.Counters(read, written, filtered, rejected, bytes, blocks.size(), 0, 0);
    }
}
