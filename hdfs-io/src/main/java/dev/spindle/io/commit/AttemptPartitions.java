package dev.spindle.io.commit;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.io.store.FileStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part files one task attempt of a partitioned job wrote, each in its partition directory
 * below the attempt directory ({@code city=Paris/part-00003.avro}), written by the attempt as
 * {@value #FILE} beside them. {@link PartCommitter#commitJob} promotes every part it lists to
 * the same relative path below the output, and lists them in the manifest by partition.
 *
 * @param columns the partition columns, in directory order
 * @param schema the partition columns' types as an Avro record schema (JSON), or null when unknown
 * @param parts every part file of the attempt, paths relative to the attempt directory
 */
public record AttemptPartitions(List<String> columns, JsonNode schema, List<PartitionPart> parts) {

    /** The listing's name inside an attempt directory. */
    public static final String FILE = "_partitions.json";

    public AttemptPartitions {
        columns = List.copyOf(columns);
        parts = List.copyOf(parts);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("A partitioned attempt needs at least one partition column");
        }
    }

    /**
     * One part file of one partition.
     *
     * @param path relative to the attempt directory and, once committed, to the output
     *     ({@code city=Paris/part-00003.avro}): the partition directory, then the file name
     * @param values the partition value of each column before escaping; null for Hive's default partition
     * @param rows rows in the file
     */
    public record PartitionPart(String path, Map<String, String> values, long rows) {
        public PartitionPart {
            requireNonNull(path, "path is null");
            if (path.startsWith("/") || path.indexOf('/') < 0 || path.contains("..")) {
                throw new IllegalArgumentException("A partition part path is relative, in a partition directory: '" + path + "'");
            }
            values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
            if (rows < 0) {
                throw new IllegalArgumentException("Rows are negative: %s: %s".formatted(rows, path));
            }
        }

        /** The partition directory of the part: its path up to the file name ({@code city=Paris}). */
        public String directory() {
            return path.substring(0, path.lastIndexOf('/'));
        }
    }

    /** Writes this listing as {@value #FILE} in {@code attemptDirectory}, replacing one there. */
    public void write(FileStore store, String attemptDirectory) throws IOException {
        String location = attemptDirectory + "/" + FILE;
        store.delete(location);
        try (OutputStream out = store.create(location)) {
            ManifestCodec.writeValue(this, out);
        }
    }

    /** The listing in {@code attemptDirectory}, or empty when the attempt wrote none (a job that is not partitioned). */
    public static Optional<AttemptPartitions> read(FileStore store, String attemptDirectory) throws IOException {
        String location = attemptDirectory + "/" + FILE;
        if (!store.exists(location)) {
            return Optional.empty();
        }
        return Optional.of(ManifestCodec.readValue(store, location, AttemptPartitions.class));
    }
}
