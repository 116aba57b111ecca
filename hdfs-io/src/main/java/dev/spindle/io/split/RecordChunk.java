package dev.spindle.io.split;

/**
 * Whole records of one block, as a span of the reader's buffer. The span is contiguous in the
 * file: no blank or comment line lies between its records. Each record keeps its line
 * terminator, except possibly the file's last record. The buffer belongs to the reader and is
 * valid only until the next call to {@link RecordRangeReader#next()}.
 *
 * @param buffer the reader's buffer
 * @param offset index in {@code buffer} of the first record's first byte
 * @param length bytes of whole records from {@code offset}
 * @param fileOffset absolute file offset of {@code buffer[offset]}
 * @param firstLine 1-based physical line of the first record: absolute when the block starts at
 *     byte 0 (header included), else counted from the block's first owned record
 * @param records number of records in the span, at least 1
 */
public record RecordChunk(byte[] buffer, int offset, int length, long fileOffset, long firstLine, int records) {}
