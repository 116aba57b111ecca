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
     * The writer's fast path for plain CSV records of {@code table} in {@code dialect}, written
     * straight from their bytes, if its format has one for them ({@link AvroBatchWriter} does);
     * empty by default. {@link BatchBuilder#drainTo} uses it.
     */
    default java.util.Optional<PlainRecordWriter> plainRecords(TableSchema table, CsvDialect dialect) {
        return java.util.Optional.empty();
    }

    /**
     * {@link #plainRecords(TableSchema, CsvDialect)} writing only the records {@code filter}
     * keeps, decided on their raw bytes; empty by default.
     * {@link BatchBuilder#drainTo(BatchWriter, RowFilter)} uses it.
     */
    default java.util.Optional<PlainRecordWriter> plainRecords(TableSchema table, CsvDialect dialect, RawRecordFilter filter) {
        return java.util.Optional.empty();
    }

    /** Rows written so far. */
    long rowsWritten();

    /** Bytes written to the underlying stream so far. */
    long bytesWritten();

    /** Finishes the file (footer, last block) and closes the stream. */
    @Override
    void close() throws IOException;
}
