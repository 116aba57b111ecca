package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.BatchWriter;
import dev.spindle.codec.ParquetBatchWriter;
import dev.spindle.codec.TableSchema;
import dev.spindle.jobs.filter.BoundFilter;
import dev.spindle.yarn.TaskContext;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * The part file of one block attempt, created on the first selected row (or the first chunk of a
 * block drained whole, filtered or not): a block that writes no row leaves no part file.
 */
final class PartWriter implements BlockOutput {

    private final TaskContext context;
    private final TableSchema table;
    private final List<String> columns;
    private final CsvJobSpec options;
    private OutputStream stream;
    private BatchWriter writer;
    private long rowsWritten;
    private boolean finished;

    PartWriter(TaskContext<CsvJobSpec> context, TableSchema table, List<String> columns, CsvJobSpec options) {
        this.context = requireNonNull(context, "context is null");
        this.table = requireNonNull(table, "table is null");
        this.columns = List.copyOf(columns);
        this.options = requireNonNull(options, "options is null");
    }

    @Override
    public long write(BatchBuilder batches, BoundFilter filter) throws IOException {
        if (filter == null) {
            writeAll(batches);
            return 0;
        }
        return writeFiltered(batches, filter);
    }

    /**
     * Writes every record left in {@code batches}' chunk, for a job without a filter: the writer
     * takes plain records straight from the bytes where its format can (Avro).
     */
    void writeAll(BatchBuilder batches) throws IOException {
        if (writer == null) {
            open();
        }
        rowsWritten += batches.drainTo(writer);
    }

    /**
     * Writes the records left in {@code batches}' chunk that {@code filter} keeps, and returns
     * how many it dropped: the writer drops plain records on their raw bytes where its format
     * can (Avro), the rest go through Arrow batches and {@code filter.select}.
     */
    long writeFiltered(BatchBuilder batches, BoundFilter filter) throws IOException {
        if (writer == null) {
            open();
        }
        long before = batches.rowsOut();
        long written = batches.drainTo(writer, filter);
        rowsWritten += written;
        return batches.rowsOut() - before - written;
    }

    /**
     * Writes rows {@code selection[0..count)} of {@code batch}, a batch of the table's columns
     * decoded from an Avro or Parquet input ({@link ContainerBlockPipeline}); nothing for none.
     */
    void write(VectorSchemaRoot batch, int[] selection, int count) throws IOException {
        if (count == 0) {
            return;
        }
        if (writer == null) {
            open();
        }
        writer.write(batch, selection, count);
        rowsWritten += count;
    }

    private void open() throws IOException {
        stream = context.store().create(context.partFileLocation());
        writer = newWriter(context, table, columns, options, stream, ParquetBatchWriter.ROW_GROUP_BYTES_DEFAULT);
    }

    /** A writer of {@code columns} of {@code table} in the job's format and codec, onto {@code stream}. */
    static BatchWriter newWriter(TaskContext<CsvJobSpec> context, TableSchema table, List<String> columns, CsvJobSpec options,
            OutputStream stream, long parquetRowGroupBytes) throws IOException {
        return switch (options.format()) {
            // the record named as in _schema.avsc and the manifest: readers that resolve the part
            // against that schema (Hive's avro.schema.url, Avro's schema resolution) match records by name
            case AVRO -> AvroBatchWriter.builder(table, stream)
                    .recordName(options.schema().getName())
                    .columns(columns)
                    .codec(AvroBatchWriter.Codec.fromName(options.codec()))
                    .deflateLevel(CsvConfig.from(context.conf()).deflateLevel())
                    .build();
            case PARQUET -> ParquetBatchWriter.builder(table, stream)
                    .recordName(options.schema().getName())
                    .columns(columns)
                    .compression(ParquetBatchWriter.Compression.fromName(options.codec()))
                    .rowGroupBytes(parquetRowGroupBytes)
                    .build();
        };
    }

    @Override
    public long rowsWritten() {
        return rowsWritten;
    }

    /** Closes the part file; returns its name, or null when no row was written. */
    @Override
    public String finish() throws IOException {
        finished = true;
        if (writer == null) {
            return null;
        }
        writer.close();
        stream.close();
        if (rowsWritten == 0) {
            // every record of the block was rejected
            context.store().delete(context.partFileLocation());
            return null;
        }
        return context.partFileName();
    }

    /** Drops what was written: this attempt's output will not be used. */
    @Override
    public void discard() throws IOException {
        finished = true;
        if (writer != null) {
            try {
                writer.close();
                stream.close();
            } finally {
                context.store().delete(context.partFileLocation());
            }
        }
        writer = null;
        rowsWritten = 0;
    }

    @Override
    public void close() throws IOException {
        if (!finished) {
            discard();
        }
    }
}
