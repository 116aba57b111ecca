package dev.spindle.io.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
}
