/**
 * Spindle hdfs-io: storage, block planning and the commit protocol.
 *
 * <ul>
 *   <li>The storage SPI: {@link dev.spindle.io.FileStore} with the capabilities
 *       {@link dev.spindle.io.SupportsRename} and {@link dev.spindle.io.SupportsDirectories};
 *       stores from {@link dev.spindle.io.FileStores} (Hadoop) and
 *       {@link dev.spindle.io.InMemoryFileStore} (tests).
 *   <li>Planning: {@link dev.spindle.io.BlockPlanner} turns listed {@link dev.spindle.io.FileEntry
 *       files} into a {@link dev.spindle.io.BlockPlan} of {@link dev.spindle.io.Block}s.
 *   <li>Committing: {@link dev.spindle.io.PartCommitter} promotes one attempt per block and writes
 *       the {@link dev.spindle.io.Manifest} as {@code _SUCCESS}.
 * </ul>
 */
package dev.spindle.io;
