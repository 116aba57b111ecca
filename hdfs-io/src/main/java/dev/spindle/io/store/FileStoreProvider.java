package dev.spindle.io.store;

import java.util.Set;
import org.apache.hadoop.conf.Configuration;

/**
 * A store for URI schemes Hadoop's {@code FileSystem}s do not serve, found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.spindle.io.store.FileStoreProvider})
 * by {@link FileStores#hadoop}: s3-bridge provides {@code s3} and {@code s3a} this way, so this
 * module never depends on it. Implementations need a public no-argument constructor.
 */
public interface FileStoreProvider {

    /** The schemes served, lower case, without {@code ://}: {@code s3}, {@code s3a}. */
    Set<String> schemes();

    /** A new store for every location of {@link #schemes()}, configured by {@code configuration}. */
    FileStore create(Configuration configuration);
}
