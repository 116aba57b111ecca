package dev.spindle.codec;

import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Reads the records one block owns of an Avro container file ({@link AvroBlockReader}) or a
 * Parquet file ({@link ParquetBlockReader}) into Arrow batches of the same layout as
 * {@link BatchBuilder}'s ({@link TableSchema#toArrowSchema()}), holding only the columns asked for.
 *
 * <p>A block is a byte range {@code [start, end)} of the file. Each format has its boundaries:
 * Avro the positions of its sync markers, Parquet the midpoints of its row groups (parquet-java's
 * own split rule). The block owns the data blocks / row groups whose boundary lies in
 * {@code [start, end)}, so ranges that tile a file read every record exactly once.
 * {@link #firstRecordOffset()} and {@link #stopOffset()} report the first boundary at or after
 * {@code start} (0 for {@code start == 0}) and at or after {@code end} (the file's length when
 * there is none), the offsets the AM's tiling check compares.
 *
 * <p>Usage: while {@link #next()} returns true, read {@link #root()}; the root is reused and freed
 * by {@link #close()}, which also closes the input.
 */
public sealed interface ContainerBlockReader extends AutoCloseable permits AvroBlockReader, ParquetBlockReader {

    /** The columns read, in the file's order: the batches' schema. */
    TableSchema schema();

    /**
     * Loads up to the batch size of the block's next rows into {@link #root()}.
     *
     * @return false when the block has no more rows (the root then has 0 rows)
     * @throws IOException when the file is corrupt or cannot be read; the message names the file
     *     and the byte offset or row group
     */
    boolean next() throws IOException;

    VectorSchemaRoot root();

    /** Rows read so far. */
    long rowsRead();

    /** The block's first boundary: 0 for a block at byte 0, else the first at or after its start. */
    long firstRecordOffset();

    /** The first boundary at or after the block's end, or the file's length. */
    long stopOffset();

    @Override
    void close() throws IOException;
}
