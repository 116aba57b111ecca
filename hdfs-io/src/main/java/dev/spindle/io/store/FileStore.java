package dev.spindle.io.store;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The storage SPI: the few operations Spindle needs from a file system or object store.
 *
 * <p>Locations are URI strings ({@code hdfs://nn/in/a.csv}, {@code file:/tmp/a.csv},
 * {@code s3://bucket/key}, {@code memory:/x}). Capabilities only some stores have are separate
 * interfaces ({@link SupportsRename}). Every exception message ends with the location.
 */
public interface FileStore {

    /**
     * Lists the files a pattern names: a file, a directory (recursively, skipping entries whose
     * name starts with {@code _} or {@code .} at every level below it) or a glob ({@code *},
     * {@code ?}, {@code [ab]}, {@code {a,b}}; {@code *} does not cross {@code /}). A glob's
     * wildcards never match hidden names, but a hidden name spelled out in the pattern is listed;
     * a directory a glob matches is listed recursively. The result is sorted by location,
     * de-duplicated, with locations in the store's qualified form.
     *
     * @throws FileNotFoundException if nothing matches ({@code "No files match: <pattern>"}), or
     *     the pattern names a directory holding no visible file
     */
    List<FileEntry> list(String pattern) throws IOException;

    /**
     * Opens a file for positional reads.
     *
     * @throws FileNotFoundException if the file does not exist
     */
    SeekableInput open(String location) throws IOException;

    /**
     * Creates a file, creating missing parent directories. Not atomic: a reader may see a partly
     * written file until the stream is closed.
     *
     * @throws java.nio.file.FileAlreadyExistsException if the location exists
     */
    OutputStream create(String location) throws IOException;

    /** Whether a file or directory exists at the location. */
    boolean exists(String location) throws IOException;

    /**
     * Deletes a file or a directory with everything below it. Deleting a missing location is
     * not an error.
     */
    void delete(String location) throws IOException;
}
