package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One listed file.
 *
 * @param location fully qualified location
 * @param length length in bytes
 * @param blockSize the store's block size for this file (HDFS block size; a store without
 *     blocks reports its preferred read size)
 * @param blocks the storage blocks with the hosts that hold them, in file order; empty when the
 *     store has no locality
 */
public record FileEntry(String location, long length, long blockSize, List<StorageBlock> blocks) {
    public FileEntry {
        requireNonNull(location, "location is null");
        blocks = List.copyOf(blocks);
        if (length < 0) {
            throw new IllegalArgumentException("length is negative: " + length + ": " + location);
        }
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be positive: " + blockSize + ": " + location);
        }
    }
}
