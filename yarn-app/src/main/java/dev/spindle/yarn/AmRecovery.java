package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.split.Block;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SupportsDirectories;
import dev.spindle.io.store.SupportsRename;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one ApplicationMaster attempt leaves in the job's staging for the next one, as
 * MapReduce's job history does for its AM recovery: the job's preparation and every accepted
 * block result, each a small JSON file under {@code <staging>/recovery/} written before the
 * worker's report is acknowledged. A later attempt takes those blocks as done (their parts are
 * in their attempt directories) and numbers new attempts after every attempt directory it finds,
 * so that no attempt writes where an earlier one did.
 */
final class AmRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(AmRecovery.class);
    static final String DIRECTORY = "recovery";
    private static final String PREPARATION = "preparation.json";
    private static final String PLAN = "plan.json";
    private static final Pattern BLOCK_DIRECTORY = Pattern.compile("block-(\\d+)");
    private static final Pattern ATTEMPT_DIRECTORY = Pattern.compile("attempt-(\\d+)");

    private final FileStore store;
    private final String staging;
    private final String directory;
    private final ObjectMapper json;

    /**
     * @param staging the job's staging directory under the output ({@code <output>/_temporary/<app>})
     */
    AmRecovery(FileStore store, String staging, ObjectMapper json) {
        this.store = requireNonNull(store, "store is null");
        this.staging = requireNonNull(staging, "staging is null");
        this.directory = staging + "/" + DIRECTORY;
        this.json = requireNonNull(json, "json is null");
    }

    /** Saves the planned blocks and the preparation, before any block runs. */
    void savePlan(List<Block> blocks, JobPreparation preparation) throws IOException {
        write(PLAN, blocks);
        write(PREPARATION, preparation);
    }

    /**
     * Whether an earlier attempt saved exactly this plan: only then do its block results apply
     * (the input did not change in between).
     */
    boolean samePlan(List<Block> blocks) throws IOException {
        if (!store.exists(directory + "/" + PLAN)) {
            return false;
        }
        try (InputStream in = new SeekableInputStream(store, directory + "/" + PLAN)) {
            List<Block> saved = json.readValue(in, json.getTypeFactory().constructCollectionType(List.class, Block.class));
            return saved.equals(blocks);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            LOG.warn("Cannot read the saved plan; no block is recovered: {}", e.getMessage());
            return false;
        }
    }

    /** The preparation an earlier attempt saved, if it did. */
    Optional<JobPreparation> preparation() throws IOException {
        return read(PREPARATION, JobPreparation.class);
    }

    /** Saves an accepted result; a later attempt recovers the block from it. */
    void saveResult(BlockResult result) throws IOException {
        write("block-%05d.json".formatted(result.block()), result);
    }

    /** The results earlier attempts saved, by block; unreadable ones (a write cut short) are left out. */
    Map<Integer, BlockResult> results(int blocks) throws IOException {
        Map<Integer, BlockResult> results = new HashMap<>();
        for (int block = 0; block < blocks; block++) {
            try {
                read("block-%05d.json".formatted(block), BlockResult.class).ifPresent(result -> results.put(result.block(), result));
            } catch (IOException e) {
                LOG.warn("Cannot read the saved result of block {}; it runs again: {}", block, e.getMessage());
            }
        }
        return results;
    }

    /** For every block with attempt directories in staging, the highest attempt number found. */
    Map<Integer, Integer> attemptsStarted() throws IOException {
        Map<Integer, Integer> started = new HashMap<>();
        SupportsDirectories directories = (SupportsDirectories) store;
        if (!store.exists(staging)) {
            return started;
        }
        for (String child : directories.listChildren(staging)) {
            Matcher block = BLOCK_DIRECTORY.matcher(name(child));
            if (!block.matches()) {
                continue;
            }
            for (String attemptDirectory : directories.listChildren(child)) {
                Matcher attempt = ATTEMPT_DIRECTORY.matcher(name(attemptDirectory));
                if (attempt.matches()) {
                    started.merge(Integer.parseInt(block.group(1)), Integer.parseInt(attempt.group(1)), Math::max);
                }
            }
        }
        return started;
    }

    private void write(String name, Object value) throws IOException {
        String target = directory + "/" + name;
        if (store instanceof SupportsRename renames) {
            // whole or not at all: written aside, then renamed into place
            String aside = directory + "/." + name + ".tmp";
            store.delete(aside);
            try (OutputStream out = store.create(aside)) {
                out.write(json.writeValueAsBytes(value));
            }
            store.delete(target);
            renames.rename(aside, target);
        } else {
            store.delete(target);
            try (OutputStream out = store.create(target)) {
                out.write(json.writeValueAsBytes(value));
            }
        }
    }

    private <T> Optional<T> read(String name, Class<T> type) throws IOException {
        String location = directory + "/" + name;
        if (!store.exists(location)) {
            return Optional.empty();
        }
        try (InputStream in = new SeekableInputStream(store, location)) {
            return Optional.of(json.readValue(in, type));
        } catch (FileNotFoundException e) {
            return Optional.empty();
        }
    }

    private static String name(String location) {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** A whole small file as a stream, read through the store's positional reads. */
    private static final class SeekableInputStream extends java.io.ByteArrayInputStream {
        SeekableInputStream(FileStore store, String location) throws IOException {
            super(readAll(store, location));
        }

        private static byte[] readAll(FileStore store, String location) throws IOException {
            try (dev.spindle.io.store.SeekableInput in = store.open(location)) {
                byte[] bytes = new byte[Math.toIntExact(in.length())];
                in.readFully(0, bytes, 0, bytes.length);
                return bytes;
            }
        }
    }
}
