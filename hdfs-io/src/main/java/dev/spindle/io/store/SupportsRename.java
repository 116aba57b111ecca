package dev.spindle.io.store;

import java.io.IOException;

/** A store that can rename a file or directory atomically (HDFS, local file systems). */
public interface SupportsRename {

    /**
     * Renames {@code source} to {@code target} atomically, creating the target's missing parent
     * directories.
     *
     * @throws java.io.FileNotFoundException if the source does not exist
     * @throws java.nio.file.FileAlreadyExistsException if the target exists
     */
    void rename(String source, String target) throws IOException;
}
