package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInputStream;
import dev.spindle.io.store.SupportsDirectories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first rejected records of a job, for the tracking page: read from the {@code _rejects/}
 * JSON lines each successful attempt wrote (one object per record with at least
 * {@code reason}; {@code file}, {@code byteOffset}, {@code column}, {@code value} and
 * {@code record} when the task gives them), in block order. What a block's attempt wrote is read once and kept, since
 * the attempt directory is gone after the commit.
 */
final class RejectSample {

    private static final Logger LOG = LoggerFactory.getLogger(RejectSample.class);

    /** One rejected record as the page shows it. */
    record Reject(int block, String file, long byteOffset, String column, String reason, String value) {}

    private final FileStore store;
    private final BiFunction<Integer, Integer, String> attemptDirectory;
    private final int limit;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, List<Reject>> byBlock = new TreeMap<>();
    /** Set once the job is committed: the attempt directories are gone. */
    private boolean committed;

    /**
     * @param attemptDirectory the directory of (block, attempt)
     * @param limit how many rejects to keep in all
     */
    RejectSample(FileStore store, BiFunction<Integer, Integer, String> attemptDirectory, int limit) {
        this.store = requireNonNull(store, "store is null");
        this.attemptDirectory = requireNonNull(attemptDirectory, "attemptDirectory is null");
        this.limit = limit;
    }

    /** Reads the rejects of accepted blocks not read yet, while fewer than the limit are kept; returns the first ones. */
    synchronized List<Reject> update(List<BlockStatus> blocks) {
        for (BlockStatus block : blocks) {
            if (committed || kept() >= limit) {
                break;
            }
            BlockResult result = block.result();
            if (result == null || result.outcome().rowsRejected() == 0 || byBlock.containsKey(block.block())) {
                continue;
            }
            String directory = attemptDirectory.apply(block.block(), result.attempt()) + "/" + PartCommitter.REJECTS;
            try {
                byBlock.put(block.block(), read(block.block(), directory, limit - kept()));
            } catch (IOException e) {
                // a page without this block's rejects, not a failed job; the committed _rejects/ keeps them all
                LOG.debug("Cannot read the rejects of block {} in {}: {}", block.block(), directory, e.getMessage());
            }
        }
        List<Reject> first = new ArrayList<>();
        byBlock.values().forEach(first::addAll);
        return first.size() > limit ? first.subList(0, limit) : first;
    }

    /**
     * After the commit: when fewer than the limit were read from the attempts, reads the first
     * ones again from the committed files ({@code <output>/_rejects/...}, in manifest order).
     */
    synchronized void committed(String output, List<Manifest.Part> files) {
        this.committed = true;
        long total = files.stream().mapToLong(Manifest.Part::rows).sum();
        if (kept() >= Math.min(limit, total)) {
            return;
        }
        Map<Integer, List<Reject>> reread = new TreeMap<>();
        int index = 0;
        int count = 0;
        for (Manifest.Part file : files) {
            if (count >= limit) {
                break;
            }
            try {
                List<Reject> read = readFile(-1, output + "/" + file.path(), limit - count);
                reread.put(index++, read);
                count += read.size();
            } catch (IOException e) {
                LOG.debug("Cannot read committed rejects {}: {}", file.path(), e.getMessage());
            }
        }
        byBlock.clear();
        byBlock.putAll(reread);
    }

    /** The offending value, or the record's text when no single value is to blame (a wrong field count, say). */
    private static String valueOrRecord(JsonNode node) {
        String value = node.path("value").asText("");
        return value.isEmpty() ? node.path("record").asText("") : value;
    }

    private int kept() {
        return byBlock.values().stream().mapToInt(List::size).sum();
    }

    private List<Reject> read(int block, String directory, int wanted) throws IOException {
        List<Reject> rejects = new ArrayList<>();
        if (!(store instanceof SupportsDirectories directories) || !store.exists(directory)) {
            return rejects;
        }
        for (String file : directories.listChildren(directory)) {
            rejects.addAll(readFile(block, file, wanted - rejects.size()));
            if (rejects.size() >= wanted) {
                break;
            }
        }
        return rejects;
    }

    private List<Reject> readFile(int block, String file, int wanted) throws IOException {
        List<Reject> rejects = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new SeekableInputStream(store.open(file)), UTF_8))) {
            for (String line = lines.readLine(); line != null && rejects.size() < wanted; line = lines.readLine()) {
                JsonNode node = json.readTree(line);
                rejects.add(new Reject(block, node.path("file").asText(""), node.path("byteOffset").asLong(-1),
                        node.path("column").asText(""), node.path("reason").asText(""), valueOrRecord(node)));
            }
        }
        return rejects;
    }
}
