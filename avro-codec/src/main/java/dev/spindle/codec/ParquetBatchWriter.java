package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes Arrow batches as one Parquet file onto an {@link OutputStream}, with parquet-avro's
 * conversion of the Avro schema of the same columns with every timestamp in microseconds (so a
 * Parquet reader sees {@code DATE}, {@code TIMESTAMP(MICROS)} with {@code isAdjustedToUTC=false}
 * for local timestamps and {@code true} for instants, and {@code STRING}). A column that Avro
 * output would write in milliseconds is written in microseconds here: the values are the
 * in-memory microseconds, never rescaled, so the annotation says what is stored.
 *
 * <p>Values go from the vectors straight to Parquet's column writers (no {@code GenericRecord},
 * no boxing); the Avro schema is stored in the footer as parquet-avro does, so
 * {@code AvroParquetReader} and {@link ParquetBatchReader} read the file. A writer that failed
 * once is poisoned, like {@link AvroBatchWriter}. Not thread-safe.
 */
public final class ParquetBatchWriter implements BatchWriter {

    /** Parquet page compression. */
    public enum Compression {
        UNCOMPRESSED, SNAPPY, GZIP, ZSTD;

        /** The compression named {@code uncompressed}, {@code snappy}, {@code gzip} or {@code zstd} (any case). */
        public static Compression fromName(String name) {
            for (Compression compression : values()) {
                if (compression.name().equalsIgnoreCase(name)) {
                    return compression;
                }
            }
            throw new IllegalArgumentException("Unknown Parquet compression '" + name + "'; valid: uncompressed, snappy, gzip, zstd");
        }

        String displayName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Default row group size: 128 MiB, Parquet's default. */
    public static final long ROW_GROUP_BYTES_DEFAULT = ParquetWriter.DEFAULT_BLOCK_SIZE;

    private final TableSchema fileSchema;
    private final Schema avroSchema;
    private final StreamOutputFile file;
    private final VectorWriteSupport writeSupport;
    private final ParquetWriter<VectorWriteSupport.Row> writer;
    private final VectorWriteSupport.Row next = new VectorWriteSupport.Row();
    private long rowsWritten;
    private Throwable failure;
    private boolean closed;

    private ParquetBatchWriter(Builder builder) throws IOException {
        // Values are microseconds in memory and go to Parquet as they are: the annotation must
        // say MICROS whatever unit an Avro file of the same schema would use.
        TableSchema projected = builder.columns == null ? builder.schema : builder.schema.project(builder.columns);
        this.fileSchema = projected.withTimestampUnit(TimestampUnit.MICROS);
        this.avroSchema = fileSchema.toAvroSchema(builder.recordName);
        this.file = new StreamOutputFile(builder.out);
        this.writeSupport = new VectorWriteSupport(fileSchema, avroSchema);
        this.writer = new VectorWriterBuilder(file, writeSupport)
                .withCompressionCodec(CompressionCodecName.valueOf(builder.compression.name()))
                .withRowGroupSize(builder.rowGroupBytes)
                .build();
    }

    /** A builder for a file of {@code schema}'s columns (all, unless {@link Builder#columns} projects). */
    public static Builder builder(TableSchema schema, OutputStream out) {
        return new Builder(schema, out);
    }

    /** The schema of the file (after projection). */
    public TableSchema schema() {
        return fileSchema;
    }

    /** Writes every row of the batch. */
    @Override
    public void write(VectorSchemaRoot batch) {
        int rows = batch.getRowCount();
        int[] all = new int[rows];
        for (int i = 0; i < rows; i++) {
            all[i] = i;
        }
        write(batch, all, rows);
    }

    /**
     * Writes the rows {@code selection[0..count)} of the batch, in that order.
     *
     * @throws IllegalArgumentException when the batch lacks a column of the file schema, a type
     *     differs or a selected index is outside the batch; the writer is then poisoned
     * @throws UncheckedIOException when the stream fails; the writer is then poisoned
     * @throws IllegalStateException when the writer failed before or is closed
     */
    public void write(VectorSchemaRoot batch, int[] selection, int count) {
        if (failure != null) {
            throw new IllegalStateException("Parquet writer failed earlier and cannot be used: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IllegalStateException("Parquet writer is closed");
        }
        try {
            writeSupport.bind(batch);
            int rows = batch.getRowCount();
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                if (row < 0 || row >= rows) {
                    throw new IllegalArgumentException("Selected row " + row + " (selection[" + i + "]) outside batch of " + rows + " rows");
                }
                next.index = row;
                writer.write(next);
                rowsWritten++;
            }
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException("Parquet write failed after " + rowsWritten + " rows, " + file.position() + " bytes", e);
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        }
    }

    /** Rows written so far. */
    public long rowsWritten() {
        return rowsWritten;
    }

    /** Bytes handed to the output stream so far; the file's final size once {@link #close()} returned. */
    public long bytesWritten() {
        return file.position();
    }

    /** Writes the last row group and the footer, then closes the stream; after a failure only closes. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            try {
                writer.close();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
            return;
        }
        writer.close();
    }

    /** parquet-hadoop's writer builder around {@link VectorWriteSupport}. */
    private static final class VectorWriterBuilder extends ParquetWriter.Builder<VectorWriteSupport.Row, VectorWriterBuilder> {
        private final VectorWriteSupport writeSupport;

        VectorWriterBuilder(StreamOutputFile file, VectorWriteSupport writeSupport) {
            super(file);
            this.writeSupport = writeSupport;
        }

        @Override
        protected VectorWriterBuilder self() {
            return this;
        }

        @Override
        @SuppressWarnings("deprecation") // abstract in parquet-hadoop 1.16: must be implemented
        protected WriteSupport<VectorWriteSupport.Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return writeSupport;
        }

        @Override
        protected WriteSupport<VectorWriteSupport.Row> getWriteSupport(ParquetConfiguration conf) {
            return writeSupport;
        }
    }

    /** Builds a {@link ParquetBatchWriter}; validated in {@link #build()}. */
    public static final class Builder {
        private final TableSchema schema;
        private final OutputStream out;
        private List<String> columns;
        private Compression compression = Compression.SNAPPY;
        private long rowGroupBytes = ROW_GROUP_BYTES_DEFAULT;
        private String recordName = "record";

        private Builder(TableSchema schema, OutputStream out) {
            this.schema = requireNonNull(schema, "schema is null");
            this.out = requireNonNull(out, "out is null");
        }

        /** Keeps only these columns, in this order (names or original header texts). */
        public Builder columns(List<String> columns) {
            this.columns = new ArrayList<>(requireNonNull(columns, "columns is null"));
            return this;
        }

        /** Page compression (default {@link Compression#SNAPPY}). */
        public Builder compression(Compression compression) {
            this.compression = requireNonNull(compression, "compression is null");
            return this;
        }

        /** Target row group size in bytes (default 128 MiB). */
        public Builder rowGroupBytes(long rowGroupBytes) {
            this.rowGroupBytes = rowGroupBytes;
            return this;
        }

        public Builder recordName(String recordName) {
            this.recordName = requireNonNull(recordName, "recordName is null");
            return this;
        }

        /**
         * @throws IllegalArgumentException for an unknown projected column (listing the valid
         *     names), an empty projection, a row group under 1024 bytes or an invalid record name
         * @throws UncheckedIOException when the file cannot be started
         */
        public ParquetBatchWriter build() {
            if (columns != null && columns.isEmpty()) {
                throw new IllegalArgumentException("Projection must keep at least one column; valid names: " + schema.names());
            }
            if (rowGroupBytes < 1024) {
                throw new IllegalArgumentException("Row group size must be at least 1024 bytes: " + rowGroupBytes);
            }
            if (!AvroNames.isValid(recordName)) {
                throw new IllegalArgumentException("Record name is not a valid Avro name: \"" + recordName + "\"");
            }
            try {
                return new ParquetBatchWriter(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the Parquet file", e);
            }
        }
    }
}
