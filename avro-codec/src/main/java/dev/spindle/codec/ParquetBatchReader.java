package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Reads a Parquet file written by {@link ParquetBatchWriter} back into Arrow batches, through
 * {@code parquet-avro}. Meant for tests and inspection (one {@code GenericRecord} per row).
 * Usage like {@link AvroBatchReader}.
 */
public final class ParquetBatchReader implements AutoCloseable {

    /** Footer key under which parquet-avro stores the Avro schema. */
    public static final String AVRO_SCHEMA_KEY = "parquet.avro.schema";

    private final ParquetReader<GenericRecord> reader;
    private final TableSchema schema;
    private final GenericRecordLoader loader;
    private final int batchRows;
    private GenericRecord pending;
    private long rowsRead;

    private ParquetBatchReader(ParquetReader<GenericRecord> reader, TableSchema schema, BufferAllocator allocator, int batchRows) throws IOException {
        this.reader = reader;
        this.schema = schema;
        this.batchRows = batchRows;
        this.pending = reader.read();
        this.loader = new GenericRecordLoader(schema, allocator);
    }

    /**
     * Opens a Parquet file written with an Avro schema (key {@value #AVRO_SCHEMA_KEY} in its footer).
     *
     * @throws IOException when the file is not Parquet
     * @throws IllegalArgumentException when the footer has no Avro schema or the schema is
     *     outside the supported mapping
     */
    public static ParquetBatchReader open(InputFile file, BufferAllocator allocator, int batchRows) throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(allocator, "allocator is null");
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        String avroSchema;
        try (ParquetFileReader footer = ParquetFileReader.open(file)) {
            avroSchema = footer.getFileMetaData().getKeyValueMetaData().get(AVRO_SCHEMA_KEY);
        }
        if (avroSchema == null) {
            throw new IllegalArgumentException("Parquet file has no Avro schema (footer key " + AVRO_SCHEMA_KEY + "): " + file);
        }
        TableSchema schema = TableSchema.fromAvroSchema(new Schema.Parser().parse(avroSchema));
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
        ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(file, conf)
                .withDataModel(GenericData.get())
                .build();
        try {
            return new ParquetBatchReader(reader, schema, allocator, batchRows);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** An in-memory {@link InputFile} over {@code bytes} (not copied). */
    public static InputFile inMemory(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        return new InputFile() {
            @Override
            public long getLength() {
                return bytes.length;
            }

            @Override
            public SeekableInputStream newStream() {
                SeekableBytes in = new SeekableBytes(bytes);
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return in.position();
                    }

                    @Override
                    public void seek(long newPos) {
                        in.seek(newPos);
                    }
                };
            }

            @Override
            public String toString() {
                return "in-memory Parquet file of " + bytes.length + " bytes";
            }
        };
    }

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
        while (rows < batchRows && pending != null) {
            loader.add(pending);
            rows++;
            pending = reader.read();
        }
        rowsRead += rows;
        return loader.finish() > 0;
    }

    public VectorSchemaRoot root() {
        return loader.root();
    }

    public long rowsRead() {
        return rowsRead;
    }

    @Override
    public void close() throws IOException {
        try {
            loader.close();
        } finally {
            reader.close();
        }
    }

    private static final class SeekableBytes extends ByteArrayInputStream {
        SeekableBytes(byte[] bytes) {
            super(bytes);
        }

        long position() {
            return pos;
        }

        void seek(long position) {
            pos = (int) position;
        }
    }
}
