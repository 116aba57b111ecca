package dev.spindle.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryFileStoreTest extends FileStoreContractTest {

    private final InMemoryFileStore store = new InMemoryFileStore(4, List.of("h1", "h2"));

    @Override
    protected FileStore store() {
        return store;
    }

    @Override
    protected String root() {
        return "memory:/test";
    }

    @Test
    void reportsStorageBlocksOfTheConfiguredSizeWithTheConfiguredHosts() throws IOException {
        write("a.csv", "0123456789");

        FileEntry entry = store.list(location("a.csv")).get(0);

        assertEquals(4, entry.blockSize());
        assertEquals(List.of(new StorageBlock(0, 4, List.of("h1", "h2")), new StorageBlock(4, 4, List.of("h1", "h2")),
                new StorageBlock(8, 2, List.of("h1", "h2"))), entry.blocks());
    }

    @Test
    void defaultsTo128MiBBlocksWithoutHosts() throws IOException {
        InMemoryFileStore defaults = FileStores.inMemory();
        try (OutputStream out = defaults.create("memory:/a.csv")) {
            out.write(new byte[] {1, 2, 3});
        }

        assertEquals(List.of(new FileEntry("memory:/a.csv", 3, 128L * 1024 * 1024, List.of(new StorageBlock(0, 3, List.of())))),
                defaults.list("memory:/a.csv"));
    }

    @Test
    void normalizesSlashes() throws IOException {
        write("a/b.csv", "b");

        assertEquals(List.of(location("a/b.csv")), List.of(store.list("memory://test//a/").get(0).location()));
    }

    @Test
    void rejectsLocationsOfOtherStores() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.exists("file:/tmp/a"));
        assertEquals("Not a location of the in-memory store (memory:/...): file:/tmp/a", e.getMessage());
    }
}
