package dev.spindle.io.store;

import java.io.IOException;
import java.util.List;

/**
 * A store with real directories (HDFS, local file systems, the in-memory store), as opposed to
 * an object store where a directory is only a key prefix. The commit protocol needs this to see
 * and clear everything in an output directory, hidden names included.
 */
public interface SupportsDirectories {

    /**
     * Creates a directory and its missing parents. Creating an existing directory is not an
     * error.
     *
     * @throws java.nio.file.FileAlreadyExistsException if a file exists at the location or at
     *     one of its parents; the message names that file
     */
    void createDirectories(String location) throws IOException;

    /**
     * Lists the direct children of a directory, files and directories, hidden names
     * ({@code _x}, {@code .x}) included, as qualified locations sorted by location.
     *
     * @throws java.io.FileNotFoundException if the location is missing or is not a directory
     */
    List<String> listChildren(String directory) throws IOException;
}
