package dev.spindle.s3;

import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStoreProvider;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * Serves {@code s3://} and {@code s3a://} locations to {@code FileStores.hadoop(conf)} through
 * {@link java.util.ServiceLoader}: every command, the ApplicationMaster and the workers reach S3
 * through it when s3-bridge is on the class path.
 */
public final class S3FileStoreProvider implements FileStoreProvider {

    @Override
    public Set<String> schemes() {
        return Set.of("s3", "s3a");
    }

    @Override
    public FileStore create(Configuration configuration) {
        return S3FileStore.create(configuration);
    }
}
