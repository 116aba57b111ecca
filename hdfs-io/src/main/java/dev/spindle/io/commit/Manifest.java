package dev.spindle.io.commit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

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
 */
public record Manifest(
        String spindleVersion,
        String applicationId,
        String format,
        JsonNode schema,
        Counters counters,
        List<Part> parts,
        List<Part> rejects) {

    public Manifest {
        requireNonNull(spindleVersion, "spindleVersion is null");
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(format, "format is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(counters, "counters is null");
        parts = List.copyOf(parts);
        rejects = rejects == null ? List.of() : List.copyOf(rejects);
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
}
