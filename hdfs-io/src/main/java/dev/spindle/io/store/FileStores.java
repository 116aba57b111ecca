package dev.spindle.io.store;

import org.apache.hadoop.conf.Configuration;

/** Creates the stores of this module. */
public final class FileStores {

    private FileStores() {}

    /**
     * A store over Hadoop {@code FileSystem}s: any scheme Hadoop knows ({@code hdfs:},
     * {@code file:}, ...). A location without a scheme resolves against the default file system
     * of {@code configuration}. The returned store also implements {@link SupportsRename} and
     * {@link SupportsDirectories}.
     */
    public static FileStore hadoop(Configuration configuration) {
        return new HadoopFileStore(configuration);
    }

    /** An empty {@link InMemoryFileStore} with 128 MiB blocks and no hosts. */
    public static InMemoryFileStore inMemory() {
        return new InMemoryFileStore();
    }
}
