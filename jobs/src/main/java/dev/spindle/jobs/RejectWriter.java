package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spindle.codec.BadRecord;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.io.store.SeekableInputStream;
import dev.spindle.io.store.SupportsRename;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The rejected records of one block attempt, as JSON lines in the attempt's {@code _rejects/}
 * directory; committed with the attempt into {@code <output>/_rejects/}. Each line holds the
 * input file, byte offset, line, column (name and index), reason, message, value and the raw
 * record text.
 */
final class RejectWriter implements AutoCloseable {


    private final FileStore store;
    private final String location;
    private final ObjectMapper json = new ObjectMapper();
    private OutputStream out;
    private boolean finished;

    RejectWriter(FileStore store, String attemptDirectory, int block) {
        this.store = requireNonNull(store, "store is null");
        this.location = attemptDirectory + "/" + PartCommitter.REJECTS + "/" + fileName(block);
    }

    static String fileName(int block) {
        return "rejects-%05d.jsonl".formatted(block);
    }

    void write(String inputFile, BadRecord record) {
        try {
            if (out == null) {
                out = new BufferedOutputStream(store.create(location), 64 << 10);
            }
            ObjectNode line = json.createObjectNode()
                    .put("file", inputFile)
                    .put("byteOffset", record.byteOffset())
                    .put("line", record.line())
                    .put("columnIndex", record.columnIndex())
                    .put("column", record.columnName())
                    .put("reason", record.reason().code())
                    .put("message", record.message() + ": " + inputFile)
                    .put("value", record.value())
                    .put("record", record.rawRecord());
            out.write(json.writeValueAsBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write rejected record to " + location, e);
        }
    }

    /**
     * Rewrites one block attempt's reject file with absolute line numbers: each record's line
     * (and the line in its message) moves forward by the lines before the block's range of its
     * file. Writes the new file beside {@code _rejects/}, then replaces the old one.
     */
    static void shiftLines(FileStore store, String attemptDirectory, int block, Map<String, Long> bases) throws IOException {
        String location = attemptDirectory + "/" + PartCommitter.REJECTS + "/" + fileName(block);
        String rewritten = attemptDirectory + "/_rejects-absolute-lines/" + fileName(block);
        if (!store.exists(location)) {
            return;
        }
        if (!(store instanceof SupportsRename renames)) {
            throw new IOException("Cannot rewrite reject line numbers: the store cannot rename: " + location);
        }
        ObjectMapper json = new ObjectMapper();
        try (SeekableInput input = store.open(location);
                BufferedReader reader = new BufferedReader(new InputStreamReader(new SeekableInputStream(input), UTF_8));
                OutputStream out = new BufferedOutputStream(store.create(rewritten), 64 << 10)) {
            String text;
            while ((text = reader.readLine()) != null) {
                ObjectNode line = (ObjectNode) json.readTree(text);
                long base = bases.getOrDefault(line.path("file").asText(), 0L);
                line.put("line", line.path("line").asLong() + base);
                line.put("message", LineNumbers.shift(line.path("message").asText(), base));
                out.write(json.writeValueAsBytes(line));
                out.write('\n');
            }
        }
        store.delete(location);
        renames.rename(rewritten, location);
        store.delete(attemptDirectory + "/_rejects-absolute-lines");
    }

    /** The message of the first record in one block attempt's reject file, if it has one. */
    static Optional<String> firstMessage(FileStore store, String attemptDirectory, int block) throws IOException {
        String location = attemptDirectory + "/" + PartCommitter.REJECTS + "/" + fileName(block);
        if (!store.exists(location)) {
            return Optional.empty();
        }
        try (SeekableInput input = store.open(location);
                BufferedReader reader = new BufferedReader(new InputStreamReader(new SeekableInputStream(input), UTF_8))) {
            String text = reader.readLine();
            return text == null ? Optional.empty() : Optional.of(new ObjectMapper().readTree(text).path("message").asText());
        }
    }

    void finish() throws IOException {
        finished = true;
        if (out != null) {
            out.close();
        }
    }

    void discard() throws IOException {
        finished = true;
        if (out != null) {
            out.close();
            out = null;
            store.delete(location);
        }
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            discard();
        }
    }
}
