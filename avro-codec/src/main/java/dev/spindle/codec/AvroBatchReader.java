package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads an Avro container file written by {@link AvroBatchWriter} (or any file whose schema
 * {@link TableSchema#fromAvroSchema} accepts) back into Arrow batches. Meant for tests and
 * inspection: it decodes through Avro's {@code GenericRecord}, one object per row.
 *
 * <p>Usage like {@link BatchBuilder}: while {@link #next()} returns true read {@link #root()};
 * the root is reused and freed by {@link #close()}, which also closes the stream.
 */
public final class AvroBatchReader implements AutoCloseable {

    private final DataFileStream<GenericRecord> stream;
    private final TableSchema schema;
    private final GenericRecordLoader loader;
    private final int batchRows;
    private GenericRecord reuse;
    private long rowsRead;

    private AvroBatchReader(DataFileStream<GenericRecord> stream, BufferAllocator allocator, int batchRows) {
        this.stream = stream;
        this.schema = TableSchema.fromAvroSchema(stream.getSchema());
        this.loader = new GenericRecordLoader(schema, allocator);
        this.batchRows = batchRows;
    }

    /**
     * Reads the container header and returns a reader positioned before the first row.
     *
     * @throws IOException when the stream is not an Avro container file (the stream is closed)
     * @throws IllegalArgumentException when the file's schema is outside the supported mapping
     */
    public static AvroBatchReader open(InputStream in, BufferAllocator allocator, int batchRows) throws IOException {
        requireNonNull(in, "in is null");
        requireNonNull(allocator, "allocator is null");
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        DataFileStream<GenericRecord> stream;
        try {
            stream = new DataFileStream<>(in, new GenericDatumReader<>());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        try {
            return new AvroBatchReader(stream, allocator, batchRows);
        } catch (RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    /** The file's schema. */
    public TableSchema schema() {
        return schema;
    }

    /**
     * Loads up to {@code batchRows} rows into {@link #root()}.
     *
     * @return false at the end of the file (the root then has 0 rows)
     */
    public boolean next() throws IOException {
        loader.start();
        int rows = 0;
        while (rows < batchRows && stream.hasNext()) {
            reuse = stream.next(reuse);
            loader.add(reuse);
            rows++;
        }
        rowsRead += rows;
        return loader.finish() > 0;
    }

    public VectorSchemaRoot root() {
        return loader.root();
    }

    /** Rows read so far. */
    public long rowsRead() {
        return rowsRead;
    }

    @Override
    public void close() throws IOException {
        try {
            loader.close();
        } finally {
            stream.close();
        }
    }
}
