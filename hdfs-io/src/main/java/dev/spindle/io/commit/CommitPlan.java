package dev.spindle.io.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a job commit is going to do, decided before it changes the output: the winning files to
 * move (parts by block, partition files, rejects) and the old output's files to delete at the
 * end. {@link PartCommitter} writes it into the job's staging before the first move; an
 * ApplicationMaster attempt that finds it there with the job's own commit lock carries it out
 * instead of deciding again, since the output it would look at is half-moved by then.
 */
record CommitPlan(
        Map<Integer, String> parts,
        List<PartCommitter.PartitionFile> partitionFiles,
        List<PartCommitter.RejectFile> rejects,
        List<String> partitionColumns,
        JsonNode partitionSchema,
        String previous,
        boolean merge,
        boolean replaceAll,
        List<String> oldFiles,
        List<String> oldDirectories) {

    /** Its name in the job's staging directory. */
    static final String FILE = "_commit-plan.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    CommitPlan {
        parts = Map.copyOf(parts);
        partitionFiles = List.copyOf(partitionFiles);
        rejects = List.copyOf(rejects);
        partitionColumns = List.copyOf(partitionColumns);
        if (partitionSchema != null && partitionSchema.isNull()) {
            partitionSchema = null;
        }
        oldFiles = List.copyOf(oldFiles);
        oldDirectories = List.copyOf(oldDirectories);
    }

    /** A manifest as the text of its {@code _SUCCESS}: how the plan keeps the dataset an append merges into. */
    static String text(Manifest manifest) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        manifest.write(bytes);
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The dataset as it was when the plan was made (append, overwrite-partitions), or null. */
    Manifest previousManifest() throws IOException {
        return previous == null ? null : Manifest.read(new ByteArrayInputStream(previous.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    void write(OutputStream out) throws IOException {
        JSON.writeValue(out, this);
    }

    /** The plan at {@code location}, or empty when there is none. */
    static Optional<CommitPlan> read(FileStore store, String location) throws IOException {
        if (!store.exists(location)) {
            return Optional.empty();
        }
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[Math.toIntExact(input.length())];
            input.readFully(0, bytes, 0, bytes.length);
            return Optional.of(JSON.readValue(new ByteArrayInputStream(bytes), CommitPlan.class));
        } catch (IOException e) {
            throw new IOException("Cannot read the commit plan an earlier attempt left: " + location + ": " + e.getMessage(), e);
        }
    }
}
