/**
 * Spindle hdfs-io: storage, block planning and the commit protocol.
 *
 * <ul>
 *   <li>The storage SPI: {@link dev.spindle.io.FileStore} with the capabilities
 *       {@link dev.spindle.io.SupportsRename} and {@link dev.spindle.io.SupportsDirectories};
 *       stores from {@link dev.spindle.io.FileStores} (Hadoop) and
 *       {@link dev.spindle.io.InMemoryFileStore} (tests).
 *   <li>Planning: {@link dev.spindle.io.BlockPlanner} turns listed {@link dev.spindle.io.FileEntry
 *       files} into a {@link dev.spindle.io.BlockPlan} of {@link dev.spindle.io.Block}s; compressed
 *       files ({@link dev.spindle.io.InputCodecs}) are one block each.
 *   <li>Reading: {@link dev.spindle.io.RecordRangeReader} reads the records a block owns, plain or
 *       decompressed; {@link dev.spindle.io.TilingCheck} is the AM's check of the results.
 *   <li>Committing: {@link dev.spindle.io.PartCommitter} promotes one attempt per block and writes
 *       the {@link dev.spindle.io.Manifest} as {@code _SUCCESS}.
 * </ul>
 */
package dev.spindle.io;
