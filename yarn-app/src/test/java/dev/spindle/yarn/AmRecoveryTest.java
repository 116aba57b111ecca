package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What an AM attempt leaves for the next, on the in-memory store. */
class AmRecoveryTest {

    private static final String STAGING = "memory:/out/_temporary/application_1_0001";

    private static final List<Block> BLOCKS = List.of(
            new Block(0, List.of(new BlockRange("memory:/in/a.csv", 0, 100, 300, true)), List.of("nodeA")),
            new Block(1, List.of(new BlockRange("memory:/in/a.csv", 100, 200, 300, true)), List.of()),
            new Block(2, List.of(new BlockRange("memory:/in/a.csv", 200, 300, 300, true)), List.of()));

    private static BlockResult result(int block, int attempt) {
        BlockOutcome outcome = new BlockOutcome(10, 9, 1, 0, 100, List.of(new BlockOutcome.RangeOutcome(block * 100L, block * 100L + 100, 2)),
                "part-%05d.bin".formatted(block));
        return new BlockResult(block, attempt, "nodeA", 1234, false, outcome);
    }

    @Test
    void aLaterAttemptReadsThePreparationAndTheAcceptedResults() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        AmRecovery first = new AmRecovery(store, STAGING, Protocol.newMapper());
        JobPreparation preparation = new JobPreparation("bytes", "bin", "{\"type\":\"bytes\"}", new CopySpec("UTF-16LE", "k=v"));
        first.savePlan(BLOCKS, preparation);
        first.saveResult(result(0, 1));
        first.saveResult(result(2, 3));
        first.saveResult(result(2, 4));

        AmRecovery second = new AmRecovery(store, STAGING, Protocol.newMapper());
        assertTrue(second.samePlan(BLOCKS));
        assertFalse(second.samePlan(BLOCKS.subList(0, 2)), "a changed input plans other blocks: nothing applies");
        assertEquals(Optional.of(preparation), second.preparation());
        assertEquals(Map.of(0, result(0, 1), 2, result(2, 4)), second.results(3), "the last result saved for a block wins");
    }

    @Test
    void aFirstAttemptFindsNothing() throws Exception {
        AmRecovery recovery = new AmRecovery(FileStores.inMemory(), STAGING, Protocol.newMapper());
        assertEquals(Optional.empty(), recovery.preparation());
        assertFalse(recovery.samePlan(BLOCKS));
        assertEquals(Map.of(), recovery.results(4));
        assertEquals(Map.of(), recovery.attemptsStarted());
    }

    @Test
    void aResultCutShortIsLeftOutAndItsBlockRunsAgain() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        try (OutputStream out = store.create(STAGING + "/recovery/block-00001.json")) {
            out.write("{\"block\":1,\"att".getBytes(UTF_8));
        }
        assertEquals(Map.of(), new AmRecovery(store, STAGING, Protocol.newMapper()).results(2));
    }

    @Test
    void newAttemptsAreNumberedAfterEveryAttemptDirectoryFound() throws Exception {
        InMemoryFileStore store = FileStores.inMemory();
        for (String part : List.of("block-00000/attempt-1/part-00000.bin", "block-00000/attempt-2/part-00000.bin",
                "block-00003/attempt-1/part-00003.bin")) {
            try (OutputStream out = store.create(STAGING + "/" + part)) {
                out.write(1);
            }
        }
        new AmRecovery(store, STAGING, Protocol.newMapper()).saveResult(result(0, 2));
        assertEquals(Map.of(0, 2, 3, 1), new AmRecovery(store, STAGING, Protocol.newMapper()).attemptsStarted());
    }
}
