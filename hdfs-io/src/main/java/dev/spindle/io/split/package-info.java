/**
 * Splitting: block planning and the record boundaries of a block.
 *
 * <p>Owns planning — {@link dev.spindle.io.split.BlockPlanner} turns listed files into a
 * {@link dev.spindle.io.split.BlockPlan} of {@link dev.spindle.io.split.Block}s
 * ({@link dev.spindle.io.split.BlockRange}s; a compressed file is one block) — and the CSV
 * record-boundary grammar: {@link dev.spindle.io.split.RecordRangeReader} reads the records a block
 * owns (in parts: {@code DecodedInput}, {@code FirstRecordFinder}, {@code ReadBuffer},
 * {@code WholeRecordReader}; {@link dev.spindle.io.split.RecordGrammar}, {@link dev.spindle.io.split.RecordScanner},
 * {@link dev.spindle.io.split.StartGuess}, {@link dev.spindle.io.split.RecordFormat},
 * {@link dev.spindle.io.split.LineEnding}) — including the UTF-16/UTF-32 inputs it transcodes to UTF-8
 * first ({@link dev.spindle.io.split.InputEncodings}, {@code TranscodedInput}, whose undecodable
 * bytes become bad records) — and {@link dev.spindle.io.split.TilingCheck} is the AM's
 * check that the blocks' results tile each file.
 *
 * <p>Dependency rule: may import {@code dev.spindle.io.store}; never imports
 * {@code dev.spindle.io.commit} (checked by {@code dev.spindle.io.PackageDependencyTest}).
 */
package dev.spindle.io.split;
