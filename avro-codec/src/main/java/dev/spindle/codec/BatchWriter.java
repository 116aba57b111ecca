package dev.spindle.codec;

import java.io.Closeable;
import java.io.IOException;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Writes selected rows of Arrow batches in one output format: {@link AvroBatchWriter}, {@link ParquetBatchWriter}. */
public interface BatchWriter extends Closeable {

    /**
     * Writes rows {@code selection[0..count)} of {@code batch}, in that order. A writer that failed
     * once throws on every further call.
     */
    void write(VectorSchemaRoot batch, int[] selection, int count);

    /** Rows written so far. */
    long rowsWritten();

    /** Bytes written to the underlying stream so far. */
    long bytesWritten();

    /** Finishes the file (footer, last block) and closes the stream. */
    @Override
    void close() throws IOException;
}
