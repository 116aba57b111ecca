package dev.spindle.io.store;

import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.hadoop.conf.Configuration;

/** Creates the stores of this module. */
public final class FileStores {

    private FileStores() {}

    /**
     * A store over Hadoop {@code FileSystem}s: any scheme Hadoop knows ({@code hdfs:},
     * {@code file:}, ...). A location without a scheme resolves against the default file system
     * of {@code configuration}. Schemes a {@link FileStoreProvider} on the class path serves
     * ({@code s3:}, {@code s3a:} with s3-bridge) go to that provider's store instead. The returned
     * store also implements {@link SupportsRename} and {@link SupportsDirectories}.
     */
    public static FileStore hadoop(Configuration configuration) {
        Map<String, FileStoreProvider> providers = providers();
        HadoopFileStore hadoop = new HadoopFileStore(configuration);
        return providers.isEmpty() ? hadoop : new RoutingFileStore(hadoop, configuration, providers);
    }

    /**
     * Whether a location is served by a Hadoop {@code FileSystem} (so has Hadoop paths, file
     * systems and delegation tokens), not by a {@link FileStoreProvider}'s store.
     */
    public static boolean isHadoopLocation(String location) {
        return !providers().containsKey(RoutingFileStore.schemeOf(location));
    }

    /** An empty {@link InMemoryFileStore} with 128 MiB blocks and no hosts. */
    public static InMemoryFileStore inMemory() {
        return new InMemoryFileStore();
    }

    private static Map<String, FileStoreProvider> providers() {
        Map<String, FileStoreProvider> byScheme = new HashMap<>();
        for (FileStoreProvider provider : ServiceLoader.load(FileStoreProvider.class, FileStores.class.getClassLoader())) {
            for (String scheme : provider.schemes()) {
                FileStoreProvider earlier = byScheme.putIfAbsent(scheme, provider);
                if (earlier != null && earlier.getClass() != provider.getClass()) {
                    throw new IllegalStateException("Two store providers serve scheme %s: %s and %s"
                            .formatted(scheme, earlier.getClass().getName(), provider.getClass().getName()));
                }
            }
        }
        return byScheme;
    }
}
