package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.io.commit.Manifest;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The first rejects, read from attempt directories and, after the commit, from the output; in an in-memory store. */
class RejectSampleTest {

    private final InMemoryFileStore store = FileStores.inMemory();

    private void write(String location, String text) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write(text.getBytes(UTF_8));
        }
    }

    private static String line(String column, String value, long offset) {
        return "{\"file\":\"memory:/in/a.csv\",\"byteOffset\":%d,\"column\":\"%s\",\"reason\":\"unparseable\",\"value\":\"%s\",\"record\":\"raw %d\"}\n"
                .formatted(offset, column, value, offset);
    }

    private static BlockStatus succeeded(int block, int attempt, long rejected) {
        BlockOutcome outcome = new BlockOutcome(10, 10 - rejected, 0, rejected, 100, List.of(new BlockOutcome.RangeOutcome(0, 100, 10)), null);
        return new BlockStatus(block, BlockStatus.State.SUCCEEDED, attempt, 100, null, new BlockResult(block, attempt, "h", 1, false, outcome), null);
    }

    @Test
    void readsTheAcceptedAttemptsOfBlocksWithRejectsInBlockOrderUpToTheLimit() throws Exception {
        write("memory:/out/_temporary/b1-a2/_rejects/rejects-00001.jsonl", line("fare", "4x", 120) + line("", "", 130));
        write("memory:/out/_temporary/b0-a1/_rejects/rejects-00000.jsonl", line("tip", "?", 5));
        write("memory:/out/_temporary/b2-a1/_rejects/rejects-00002.jsonl", line("tip", "never read", 999));
        RejectSample sample = new RejectSample(store, (block, attempt) -> "memory:/out/_temporary/b" + block + "-a" + attempt, 3);

        List<RejectSample.Reject> first = sample.update(List.of(succeeded(1, 2, 2), succeeded(0, 1, 1), succeeded(2, 1, 1)));

        assertEquals(List.of(new RejectSample.Reject(0, "memory:/in/a.csv", 5, "tip", "unparseable", "?"),
                new RejectSample.Reject(1, "memory:/in/a.csv", 120, "fare", "unparseable", "4x"),
                new RejectSample.Reject(1, "memory:/in/a.csv", 130, "", "unparseable", "raw 130")), first);
    }

    @Test
    void afterTheCommitReadsTheCommittedFilesWhenTheAttemptsWereNotRead() throws Exception {
        write("memory:/out/_rejects/rejects-00000.jsonl", line("tip", "?", 5));
        RejectSample sample = new RejectSample(store, (block, attempt) -> "memory:/gone/" + block, 20);
        assertEquals(List.of(), sample.update(List.of(succeeded(0, 1, 1))), "the attempt directory is gone");

        sample.committed("memory:/out", List.of(new Manifest.Part("_rejects/rejects-00000.jsonl", 1, 100)));

        assertEquals(List.of(new RejectSample.Reject(-1, "memory:/in/a.csv", 5, "tip", "unparseable", "?")),
                sample.update(List.of(succeeded(0, 1, 1))));
    }
}
