package dev.spindle.io.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
    void isSafeForConcurrentWriters() throws Exception {
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                int writer = thread;
                writers.add(executor.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        write("w%s/f%03d.csv".formatted(writer, i), "x".repeat(i));
                        store.rename(location("w%s/f%03d.csv".formatted(writer, i)), location("done/w%s-%03d.csv".formatted(writer, i)));
                        store.list(location("done"));
                    }
                    return null;
                }));
            }
            for (Future<?> future : writers) {
                future.get();
            }
        } finally {
            executor.shutdown();
        }

        List<FileEntry> done = store.list(location("done"));
        assertEquals(800, done.size());
        assertEquals(4 * (199 * 200 / 2), done.stream().mapToLong(FileEntry::length).sum());
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
