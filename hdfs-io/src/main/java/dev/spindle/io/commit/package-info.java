/**
 * Committing: the output commit protocol.
 *
 * <p>Owns {@link dev.spindle.io.commit.PartCommitter}, which promotes one attempt per block and
 * writes the {@link dev.spindle.io.commit.Manifest} as {@code _SUCCESS}
 * ({@link dev.spindle.io.commit.ManifestCodec}, {@link dev.spindle.io.commit.CommitInfo}), the
 * {@link dev.spindle.io.commit.WriteMode} and the commit failures
 * ({@link dev.spindle.io.commit.OutputExistsException},
 * {@link dev.spindle.io.commit.CommitStateUnknownException}).
 *
 * <p>Dependency rule: may import {@code dev.spindle.io.store}; never imports
 * {@code dev.spindle.io.split} (checked by {@code dev.spindle.io.PackageDependencyTest}).
 */
package dev.spindle.io.commit;
