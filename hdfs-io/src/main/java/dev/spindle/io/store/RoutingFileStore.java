package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * Routes each location by its scheme: to the store of the {@link FileStoreProvider} that serves
 * the scheme (made on first use), else to the Hadoop store. Rename works within one store only.
 * Pending uploads are those of the location's store (none for a store without them); retries are
 * the sum over every store made so far. Thread-safe.
 */
final class RoutingFileStore implements FileStore, SupportsRename, SupportsDirectories, SupportsPendingUploads, CountsRetries {

    private final HadoopFileStore hadoop;
    private final Configuration configuration;
    private final Map<String, FileStoreProvider> providers;
    private final Map<FileStoreProvider, FileStore> stores = new ConcurrentHashMap<>();

    RoutingFileStore(HadoopFileStore hadoop, Configuration configuration, Map<String, FileStoreProvider> providers) {
        this.hadoop = requireNonNull(hadoop, "hadoop is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.providers = Map.copyOf(providers);
    }

    /** The store serving a location. */
    FileStore storeOf(String location) {
        FileStoreProvider provider = providers.get(schemeOf(location));
        return provider == null ? hadoop : stores.computeIfAbsent(provider, p -> p.create(configuration));
    }

    /** The lower-case scheme of a location, or "" when it has none. */
    static String schemeOf(String location) {
        requireNonNull(location, "location is null");
        int colon = location.indexOf(':');
        int slash = location.indexOf('/');
        if (colon <= 0 || (slash >= 0 && slash < colon)) {
            return "";
        }
        return location.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    @Override
    public List<FileEntry> list(String pattern) throws IOException {
        return storeOf(pattern).list(pattern);
    }

    @Override
    public SeekableInput open(String location) throws IOException {
        return storeOf(location).open(location);
    }

    @Override
    public OutputStream create(String location) throws IOException {
        return storeOf(location).create(location);
    }

    @Override
    public boolean exists(String location) throws IOException {
        return storeOf(location).exists(location);
    }

    @Override
    public void delete(String location) throws IOException {
        storeOf(location).delete(location);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        FileStore store = storeOf(source);
        if (store != storeOf(target)) {
            throw new IOException("Cannot rename across stores (to %s): %s".formatted(target, source));
        }
        if (!(store instanceof SupportsRename renames)) {
            throw new IOException("The store of this location cannot rename (to %s): %s".formatted(target, source));
        }
        renames.rename(source, target);
    }

    @Override
    public void createDirectories(String location) throws IOException {
        directories(location).createDirectories(location);
    }

    @Override
    public List<String> listChildren(String directory) throws IOException {
        return directories(directory).listChildren(directory);
    }

    private SupportsDirectories directories(String location) throws IOException {
        if (!(storeOf(location) instanceof SupportsDirectories directories)) {
            throw new IOException("The store of this location has no directories: " + location);
        }
        return directories;
    }

    @Override
    public List<Upload> listPendingUploads(String directory) throws IOException {
        return storeOf(directory) instanceof SupportsPendingUploads uploads ? uploads.listPendingUploads(directory) : List.of();
    }

    @Override
    public List<Upload> abortPendingUploads(String directory, Instant startedBefore) throws IOException {
        return storeOf(directory) instanceof SupportsPendingUploads uploads
                ? uploads.abortPendingUploads(directory, startedBefore) : List.of();
    }

    @Override
    public long retries() {
        long retries = 0;
        for (FileStore store : stores.values()) {
            if (store instanceof CountsRetries counting) {
                retries += counting.retries();
            }
        }
        return retries;
    }
}
