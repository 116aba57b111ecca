/**
 * Storage: the file-store SPI and what reads bytes out of a store.
 *
 * <p>Owns {@link dev.spindle.io.store.FileStore} with the capabilities
 * {@link dev.spindle.io.store.SupportsRename}, {@link dev.spindle.io.store.SupportsDirectories},
 * {@link dev.spindle.io.store.SupportsPendingUploads} and {@link dev.spindle.io.store.CountsRetries};
 * the stores from {@link dev.spindle.io.store.FileStores} ({@link dev.spindle.io.store.HadoopFileStore})
 * and {@link dev.spindle.io.store.InMemoryFileStore} (tests); listed
 * {@link dev.spindle.io.store.FileEntry files} with their {@link dev.spindle.io.store.StorageBlock}s;
 * {@link dev.spindle.io.store.SeekableInput}; and decompression over it
 * ({@link dev.spindle.io.store.InputCodecs}, {@link dev.spindle.io.store.DecompressedInput}).
 *
 * <p>Dependency rule: this package is the bottom layer and imports nothing of
 * {@code dev.spindle.io.split} or {@code dev.spindle.io.commit} (checked by
 * {@code dev.spindle.io.PackageDependencyTest}).
 */
package dev.spindle.io.store;
