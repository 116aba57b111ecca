package dev.spindle.io.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on Hadoop's local file system ({@code file:}). */
class LocalHadoopFileStoreTest extends FileStoreContractTest {

    @TempDir
    Path directory;

    private final FileStore store = FileStores.hadoop(new Configuration(false));

    @Override
    protected FileStore store() {
        return store;
    }

    @Override
    protected String root() {
        return "file:" + directory;
    }

    @Test
    void aPlainPathResolvesAgainstTheDefaultFileSystem() throws IOException {
        Files.writeString(directory.resolve("a.csv"), "a,b\n");

        List<FileEntry> entries = store.list(directory.resolve("a.csv").toString());

        assertEquals(List.of(location("a.csv")), entries.stream().map(FileEntry::location).toList());
        assertEquals(List.of("localhost"), entries.get(0).blocks().get(0).hosts());
    }

    @Test
    void ofWritersCreatingOneFileAtOnceExactlyOneSucceeds() throws Exception {
        // Hadoop's local file system checks, then creates: its writers could all win; the store's create is O_EXCL
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 200; round++) {
                String location = location("lock-" + round);
                CyclicBarrier start = new CyclicBarrier(writers);
                List<Future<Boolean>> created = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    String content = "writer " + i;
                    created.add(pool.submit(() -> {
                        start.await();
                        try (OutputStream out = store.create(location)) {
                            out.write(content.getBytes(StandardCharsets.UTF_8));
                            return true;
                        } catch (FileAlreadyExistsException e) {
                            return false;
                        }
                    }));
                }
                int winners = 0;
                for (Future<Boolean> future : created) {
                    winners += future.get() ? 1 : 0;
                }
                assertEquals(1, winners, "round " + round);
                String written = Files.readString(directory.resolve("lock-" + round));
                assertEquals(1, List.of("writer 0", "writer 1", "writer 2", "writer 3").stream().filter(written::equals).count(), written);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExclusivelyCreatedFileHasNoChecksumFileAndReadsBackThroughHadoop() throws IOException {
        try (OutputStream out = store.create(location("sub/dir/a.bin"))) {
            out.write(new byte[] {1, 2, 3});
        }
        assertFalse(Files.exists(directory.resolve("sub/dir/.a.bin.crc")));
        try (SeekableInput input = store.open(location("sub/dir/a.bin"))) {
            byte[] back = new byte[3];
            input.readFully(0, back, 0, 3);
            assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(back[0], back[1], back[2]));
        }
        assertThrows(FileAlreadyExistsException.class, () -> store.create(location("sub/dir/a.bin")));
    }
}
