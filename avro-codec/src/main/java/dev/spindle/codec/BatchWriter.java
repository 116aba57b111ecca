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

    /** Writes every row of {@code batch}. A writer that failed once throws on every further call. */
    void write(VectorSchemaRoot batch);

    /**
     * Writes every record left in {@code batches}' current chunk (all rows, no selection) and
     * returns the number of rows written. This default goes through {@code batches}' Arrow
     * batches; {@link AvroBatchWriter} takes plain records straight to Avro.
     */
    default long write(BatchBuilder batches) {
        long rows = 0;
        while (batches.next()) {
            write(batches.root());
            rows += batches.root().getRowCount();
        }
        return rows;
    }

    /** Rows written so far. */
    long rowsWritten();

    /** Bytes written to the underlying stream so far. */
    long bytesWritten();

    /** Finishes the file (footer, last block) and closes the stream. */
    @Override
    void close() throws IOException;
}
