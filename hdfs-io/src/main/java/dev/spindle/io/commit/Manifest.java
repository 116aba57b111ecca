package dev.spindle.io.commit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The job manifest, written as {@code _SUCCESS} in the output directory at commit. Its field
 * names are a contract read by users' scripts: add fields, never rename them.
 *
 * @param spindleVersion version of Spindle that wrote the output
 * @param applicationId the YARN application id of the job
 * @param format output format: {@code avro} or {@code parquet}
 * @param schema the Avro schema of the part files, as JSON
 * @param counters the job's counters; {@code rowsRead = rowsWritten + rowsFiltered + rowsRejected}
 * @param parts every committed part file, paths relative to the output directory
 * @param rejects every committed file of rejected records ({@code _rejects/rejects-00042.jsonl}),
 *     relative to the output directory; {@code rows} counts the records in it
 * @param partitionColumns the {@code --partition-by} columns, in directory order; empty (and
 *     absent from the JSON) for an output that is not partitioned
 * @param partitions every partition directory with its parts and rows, sorted by path; empty
 *     (and absent from the JSON) for an output that is not partitioned
 * @param partitionSchema the partition columns' types, as an Avro record schema in JSON (they are
 *     not in {@code schema}, which is the records'); null (and absent) when not partitioned
 * @param history the jobs that made the dataset, oldest first, when more than one did
 *     ({@code --write-mode append} or {@code overwrite-partitions}): each with its own counters
 *     and what it added or replaced. Empty (and absent from the JSON) for an output one job
 *     wrote; then {@code applicationId} and {@code counters} are that job's. With a history,
 *     {@code applicationId} is the last job's and {@code counters} are the dataset's:
 *     {@code rowsWritten} the rows of {@code parts}, the other counters the sums over
 *     {@code history} (in overwrite-partitions including the jobs whose partitions were
 *     replaced), {@code rowsRead} then being {@code rowsWritten + rowsFiltered + rowsRejected}
 */
public record Manifest(
        String spindleVersion,
        String applicationId,
        String format,
        JsonNode schema,
        Counters counters,
        List<Part> parts,
        List<Part> rejects,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partitionColumns,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Partition> partitions,
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode partitionSchema,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Job> history) {

    @JsonCreator
    public Manifest {
        requireNonNull(spindleVersion, "spindleVersion is null");
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(format, "format is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(counters, "counters is null");
        parts = List.copyOf(parts);
        rejects = rejects == null ? List.of() : List.copyOf(rejects);
        partitionColumns = partitionColumns == null ? List.of() : List.copyOf(partitionColumns);
        partitions = partitions == null ? List.of() : List.copyOf(partitions);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** The manifest of an output one job wrote (no {@link #history}). */
    public Manifest(String spindleVersion, String applicationId, String format, JsonNode schema, Counters counters,
            List<Part> parts, List<Part> rejects, List<String> partitionColumns, List<Partition> partitions,
            JsonNode partitionSchema) {
        this(spindleVersion, applicationId, format, schema, counters, parts, rejects, partitionColumns, partitions,
                partitionSchema, List.of());
    }

    /** The manifest of an output that is not partitioned. */
    public Manifest(String spindleVersion, String applicationId, String format, JsonNode schema, Counters counters,
            List<Part> parts, List<Part> rejects) {
        this(spindleVersion, applicationId, format, schema, counters, parts, rejects, List.of(), List.of(), null, List.of());
    }

    /**
     * The counters of the job that wrote this manifest ({@link #applicationId}): its entry in the
     * {@link #history} when there is one (append, overwrite-partitions), else {@link #counters}.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Counters jobCounters() {
        return lastJob().map(Job::counters).orElse(counters);
    }

    /** The part files the job that wrote this manifest added: its history entry's, else all of {@link #parts}. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public int jobParts() {
        return lastJob().map(Job::parts).orElse(parts.size());
    }

    private java.util.Optional<Job> lastJob() {
        if (history.isEmpty() || !history.get(history.size() - 1).applicationId().equals(applicationId)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(history.get(history.size() - 1));
    }

    /**
     * Reads a manifest written by {@link #write}; fields it does not know are ignored. Does not
     * close the stream.
     */
    public static Manifest read(InputStream in) throws IOException {
        return ManifestCodec.read(in);
    }

    /** Writes this manifest as pretty JSON, fields in declaration order. Does not close the stream. */
    public void write(OutputStream out) throws IOException {
        ManifestCodec.write(this, out);
    }

    /**
     * The job's counters as the manifest shows them.
     *
     * @param blocksRecovered blocks a later ApplicationMaster attempt took from an earlier one
     * @param s3Retries S3 requests retried (throttling such as 503 SlowDown, 5xx, broken
     *     connections, bodies cut short) by the ApplicationMaster and every task attempt of this
     *     ApplicationMaster attempt; 0 for a job that touched no S3
     * @param blocksNodeLocal committed blocks whose winning attempt ran on a host holding the
     *     block's data (one of its preferred hosts); 0 on a store without locality (S3)
     */
    public record Counters(
            long rowsRead,
            long rowsWritten,
            long rowsFiltered,
            long rowsRejected,
            long bytesRead,
            int blocks,
            int blocksRerun,
            int attempts,
            int blocksRecovered,
            int speculativeAttempts,
            long s3Retries,
            int blocksNodeLocal) {

        /** Counters of a job whose locality is not known (none of its blocks counted node-local). */
        public Counters(long rowsRead, long rowsWritten, long rowsFiltered, long rowsRejected, long bytesRead, int blocks,
                int blocksRerun, int attempts, int blocksRecovered, int speculativeAttempts, long s3Retries) {
            this(rowsRead, rowsWritten, rowsFiltered, rowsRejected, bytesRead, blocks, blocksRerun, attempts, blocksRecovered,
                    speculativeAttempts, s3Retries, 0);
        }

        /** Counters of a job that recovered no block from an earlier ApplicationMaster attempt and retried nothing. */
        public Counters(long rowsRead, long rowsWritten, long rowsFiltered, long rowsRejected, long bytesRead, int blocks,
                int blocksRerun, int attempts) {
            this(rowsRead, rowsWritten, rowsFiltered, rowsRejected, bytesRead, blocks, blocksRerun, attempts, 0, 0, 0);
        }

        /** Counters of a job that started no speculative attempt and retried no S3 request. */
        public Counters(long rowsRead, long rowsWritten, long rowsFiltered, long rowsRejected, long bytesRead, int blocks,
                int blocksRerun, int attempts, int blocksRecovered) {
            this(rowsRead, rowsWritten, rowsFiltered, rowsRejected, bytesRead, blocks, blocksRerun, attempts, blocksRecovered, 0, 0);
        }
    }

    /**
     * One committed part file.
     *
     * @param path relative to the output directory ({@code part-00042.avro})
     * @param rows rows in the file
     * @param bytes file size in bytes
     */
    public record Part(String path, long rows, long bytes) {}

    /**
     * One partition directory of a partitioned output.
     *
     * @param path relative to the output directory, Hive's form ({@code city=Paris/year=2024})
     * @param values the partition value of each partition column, as text before escaping; null
     *     for Hive's default partition ({@code __HIVE_DEFAULT_PARTITION__}: null or empty)
     * @param rows rows in all its parts
     * @param parts its part files, paths relative to the output directory as in {@link #parts()}
     */
    public record Partition(String path, Map<String, String> values, long rows, List<Part> parts) {
        public Partition {
            requireNonNull(path, "path is null");
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            parts = List.copyOf(parts);
        }
    }

    /**
     * One job of a dataset's {@link #history}.
     *
     * @param applicationId the job's YARN application id
     * @param writeMode its {@code --write-mode} ({@code append}, {@code overwrite-partitions});
     *     {@code first} for the job that wrote the dataset before the first append, whose mode
     *     its manifest did not record
     * @param counters the job's own counters
     * @param parts how many part files it added
     * @param partitionsReplaced in overwrite-partitions, the partition directories it replaced
     *     (those of the dataset it wrote into that existed before); empty (and absent) otherwise
     */
    public record Job(
            String applicationId,
            String writeMode,
            Counters counters,
            int parts,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> partitionsReplaced) {
        public Job {
            requireNonNull(applicationId, "applicationId is null");
            requireNonNull(writeMode, "writeMode is null");
            requireNonNull(counters, "counters is null");
            partitionsReplaced = partitionsReplaced == null ? List.of() : List.copyOf(partitionsReplaced);
        }
    }
}
