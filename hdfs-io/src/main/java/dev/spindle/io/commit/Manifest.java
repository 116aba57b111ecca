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
        @JsonInclude(JsonInclude.Include.NON_NULL) JsonNode partitionSchema) {

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
    }

    /** The manifest of an output that is not partitioned. */
    public Manifest(String spindleVersion, String applicationId, String format, JsonNode schema, Counters counters,
            List<Part> parts, List<Part> rejects) {
        this(spindleVersion, applicationId, format, schema, counters, parts, rejects, List.of(), List.of(), null);
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
            long s3Retries) {

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
}
