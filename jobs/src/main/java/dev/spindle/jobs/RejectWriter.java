package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spindle.codec.BadRecord;
import dev.spindle.io.FileStore;
import dev.spindle.io.PartCommitter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

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
                    .put("reason", record.reason().name())
                    .put("message", record.message() + ": " + inputFile)
                    .put("value", record.value())
                    .put("record", record.rawRecord());
            out.write(json.writeValueAsBytes(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write rejected record to " + location, e);
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
