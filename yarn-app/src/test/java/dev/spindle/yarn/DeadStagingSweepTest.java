package dev.spindle.yarn;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.store.FileStores;
import dev.spindle.io.store.InMemoryFileStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeadStagingSweepTest {

    private static final String OWN = "application_1700000000000_0007";
    private final InMemoryFileStore store = FileStores.inMemory();

    private void write(String location) throws IOException {
        try (OutputStream out = store.create(location)) {
            out.write("x".getBytes(UTF_8));
        }
    }

    @Test
    void removesOnlyTheStagingOfOtherApplicationsThatEnded() throws Exception {
        write("memory:/out/part-00000.avro");
        write("memory:/out/_temporary/application_1700000000000_0003/block-00000/attempt-1/part-00000.avro");
        write("memory:/out/_temporary/application_1700000000000_0004/block-00001/attempt-2/part-00001.avro");
        write("memory:/out/_temporary/application_1700000000000_0005/_partitions.json");
        write("memory:/out/_temporary/" + OWN + "/block-00000/attempt-1/late.avro");
        write("memory:/out/_temporary/notes/readme.txt");
        Set<String> ended = Set.of("application_1700000000000_0003", "application_1700000000000_0005", OWN);

        List<String> removed = DeadStagingSweep.sweep(store, "memory:/out", OWN, ended::contains);

        assertEquals(List.of("memory:/out/_temporary/application_1700000000000_0003", "memory:/out/_temporary/application_1700000000000_0005"),
                removed);
        assertFalse(store.exists("memory:/out/_temporary/application_1700000000000_0003"));
        assertTrue(store.exists("memory:/out/_temporary/application_1700000000000_0004/block-00001/attempt-2/part-00001.avro"),
                "a running job keeps its staging");
        assertTrue(store.exists("memory:/out/_temporary/" + OWN + "/block-00000/attempt-1/late.avro"), "its own is not the sweep's");
        assertTrue(store.exists("memory:/out/_temporary/notes/readme.txt"), "a name that is no application id is left alone");
        assertTrue(store.exists("memory:/out/part-00000.avro"));
    }

    @Test
    void removesTemporaryWhenNothingIsLeftInItAndNeverThrows() throws Exception {
        write("memory:/out/_temporary/application_1700000000000_0003/block-00000/attempt-1/part-00000.avro");
        write("memory:/out/_temporary/application_1700000000000_0009/x");

        List<String> removed = DeadStagingSweep.sweep(store, "memory:/out", OWN, id -> {
            if (id.endsWith("_0009")) {
                throw new IOException("ResourceManager unreachable");
            }
            return true;
        });

        assertEquals(List.of("memory:/out/_temporary/application_1700000000000_0003"), removed);
        assertTrue(store.exists("memory:/out/_temporary/application_1700000000000_0009/x"), "unknown liveness: it stays");

        DeadStagingSweep.sweep(store, "memory:/out", OWN, id -> true);
        assertFalse(store.exists("memory:/out/_temporary"), "an empty _temporary goes too");
        assertEquals(List.of(), DeadStagingSweep.sweep(store, "memory:/missing", OWN, id -> true));
    }
}
