package dev.spindle.io.commit;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Map;

/**
 * What the ApplicationMaster knows at commit beside the winning attempts: what the manifest
 * says and how the part files are named. Build with {@link #builder()}.
 *
 * @param format output format written to the manifest ({@code avro}, {@code parquet})
 * @param extension part file extension without the dot ({@code avro})
 * @param schemaJson the Avro schema of the parts, as JSON text; written to {@code _schema.avsc}
 * @param counters the job's counters
 * @param applicationId the YARN application id
 * @param spindleVersion the version of Spindle that ran the job
 * @param blockRows rows written by each block's winning attempt, by block index
 * @param blockRejects records rejected by each block's winning attempt, by block index
 */
public record CommitInfo(
        String format,
        String extension,
        String schemaJson,
        Manifest.Counters counters,
        String applicationId,
        String spindleVersion,
        Map<Integer, Long> blockRows,
        Map<Integer, Long> blockRejects) {

    public CommitInfo {
        requireNonNull(format, "format is null");
        requireNonNull(extension, "extension is null");
        requireNonNull(schemaJson, "schemaJson is null");
        requireNonNull(counters, "counters is null");
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(spindleVersion, "spindleVersion is null");
        blockRows = Map.copyOf(blockRows);
        blockRejects = Map.copyOf(blockRejects);
        if (extension.isEmpty() || extension.startsWith(".") || extension.contains("/")) {
            throw new IllegalArgumentException("Extension must be a name without dot or slash: '" + extension + "'");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link CommitInfo}; every field is required. */
    public static final class Builder {
        private String format;
        private String extension;
        private String schemaJson;
        private Manifest.Counters counters;
        private String applicationId;
        private String spindleVersion;
        private final Map<Integer, Long> blockRows = new HashMap<>();
        private final Map<Integer, Long> blockRejects = new HashMap<>();

        private Builder() {}

        public Builder format(String format) {
            this.format = format;
            return this;
        }

        public Builder extension(String extension) {
            this.extension = extension;
            return this;
        }

        public Builder schemaJson(String schemaJson) {
            this.schemaJson = schemaJson;
            return this;
        }

        public Builder counters(Manifest.Counters counters) {
            this.counters = counters;
            return this;
        }

        public Builder applicationId(String applicationId) {
            this.applicationId = applicationId;
            return this;
        }

        public Builder spindleVersion(String spindleVersion) {
            this.spindleVersion = spindleVersion;
            return this;
        }

        /** Rows the winning attempt of {@code block} wrote (0 when it wrote no part file). */
        public Builder blockRows(int block, long rows) {
            if (rows < 0) {
                throw new IllegalArgumentException("Rows of block %s are negative: %s".formatted(block, rows));
            }
            blockRows.put(block, rows);
            return this;
        }

        /** Records rejected by the winning attempt of {@code block}; their file is in {@link PartCommitter#REJECTS}. */
        public Builder blockRejects(int block, long rows) {
            if (block < 0 || rows < 0) {
                throw new IllegalArgumentException("Invalid reject count %s for block %s".formatted(rows, block));
            }
            blockRejects.put(block, rows);
            return this;
        }

        public CommitInfo build() {
            return new CommitInfo(format, extension, schemaJson, counters, applicationId, spindleVersion, blockRows, blockRejects);
        }
    }
}
