package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroReadSupport;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;

/**
 * The records of one block of a Parquet file: the row groups whose midpoint (first column
 * chunk's start plus half the row group's compressed bytes) lies in {@code [start, end)}, the
 * rule parquet-java's {@code withFileRange} applies and Hadoop's {@code ParquetInputFormat}
 * splits by. Only the asked-for columns are read (parquet-avro's requested projection: the other
 * column chunks are never fetched). The file's Avro schema is {@link #avroSchema}'s.
 */
public final class ParquetBlockReader implements ContainerBlockReader {

    /** {@code AvroReadSupport.AVRO_READ_SCHEMA}, private there; {@code setAvroReadSchema} needs a Hadoop Configuration. */
    private static final String AVRO_READ_SCHEMA = "parquet.avro.read.schema";

    private final ParquetReader<GenericRecord> reader;
    private final String location;
    private final long firstRecordOffset;
    private final long stopOffset;
    private final long rowsOwned;
    private final TableSchema schema;
    private final GenericRecordLoader loader;
    private final int batchRows;
    private GenericRecord pending;
    private long rowsRead;

    private ParquetBlockReader(ParquetReader<GenericRecord> reader, String location, long firstRecordOffset, long stopOffset, long rowsOwned,
            TableSchema schema, BufferAllocator allocator, int batchRows) throws IOException {
        this.reader = reader;
        this.location = location;
        this.firstRecordOffset = firstRecordOffset;
        this.stopOffset = stopOffset;
        this.rowsOwned = rowsOwned;
        this.schema = schema;
        this.batchRows = batchRows;
        this.loader = new GenericRecordLoader(schema, allocator);
        this.pending = rowsOwned == 0 ? null : reader.read();
    }

    /**
     * Opens the block {@code [start, end)} of {@code file}.
     *
     * @param columns the columns to read, by name; empty for all
     * @throws IOException when the file is not Parquet or cannot be read; the message names it
     * @throws IllegalArgumentException when a column is not in the file, or its type is outside
     *     {@link TableSchema#fromAvroSchema}'s mapping
     */
    public static ParquetBlockReader open(InputFile file, long start, long end, List<String> columns, BufferAllocator allocator, int batchRows)
            throws IOException {
        requireNonNull(file, "file is null");
        requireNonNull(allocator, "allocator is null");
        String location = file.toString();
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("Invalid block [%d, %d): %s".formatted(start, end, location));
        }
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        ParquetMetadata footer;
        try (ParquetFileReader footerReader = ParquetFileReader.open(file)) {
            footer = footerReader.getFooter();
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot read the Parquet footer: %s: %s".formatted(e.getMessage(), location), e);
        }
        Schema fileSchema = fileSchema(footer);
        Schema projection = Projections.avro(fileSchema, columns, location);
        TableSchema schema = TableSchema.fromAvroSchema(projection);
        long length = file.getLength();
        long first = start == 0 ? 0 : length;
        long stop = length;
        long rowsOwned = 0;
        for (BlockMetaData rowGroup : footer.getBlocks()) {
            long midpoint = midpoint(rowGroup);
            if (midpoint >= start && midpoint < end) {
                rowsOwned += rowGroup.getRowCount();
            }
            if (start > 0 && midpoint >= start) {
                first = Math.min(first, midpoint);
            }
            if (midpoint >= end) {
                stop = Math.min(stop, midpoint);
            }
        }
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.setBoolean(AvroReadSupport.AVRO_COMPATIBILITY, false);
        conf.set(AvroReadSupport.AVRO_REQUESTED_PROJECTION, projection.toString());
        conf.set(AVRO_READ_SCHEMA, projection.toString()); // the records' schema, not the footer's full one
        ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(file, conf)
                .withDataModel(GenericData.get())
                .withFileRange(start, end)
                .build();
        try {
            return new ParquetBlockReader(reader, location, first, stop, rowsOwned, schema, allocator, batchRows);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The row group's split point: where its first column chunk starts plus half its compressed bytes. */
    static long midpoint(BlockMetaData rowGroup) {
        return rowGroup.getStartingPos() + rowGroup.getCompressedSize() / 2;
    }

    private static Schema fileSchema(ParquetMetadata footer) {
        return avroSchema(footer.getFileMetaData());
    }

    /**
     * The Avro schema of a Parquet file: the footer's ({@value ParquetBatchReader#AVRO_SCHEMA_KEY}),
     * else parquet-avro's conversion of its Parquet schema; either way with its INT32 and INT64
     * DECIMAL columns marked as decimals ({@link TableSchema#parquetDecimals}).
     */
    public static Schema avroSchema(org.apache.parquet.hadoop.metadata.FileMetaData metadata) {
        String avro = metadata.getKeyValueMetaData().get(ParquetBatchReader.AVRO_SCHEMA_KEY);
        Schema schema = avro != null ? new Schema.Parser().parse(avro) : new AvroSchemaConverter().convert(metadata.getSchema());
        return TableSchema.parquetDecimals(schema, metadata.getSchema());
    }

    @Override
    public TableSchema schema() {
        return schema;
    }

    @Override
    public boolean next() throws IOException {
        loader.start();
        int rows = 0;
        try {
            while (rows < batchRows && pending != null) {
                loader.add(pending);
                rows++;
                pending = reader.read();
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot read row %d of the block's row groups: %s: %s".formatted(rowsRead + rows, e.getMessage(), location), e);
        }
        rowsRead += rows;
        if (pending == null && rowsRead != rowsOwned) {
            throw new IllegalStateException("Read %d rows but the row groups with their midpoint in the block hold %d: %s"
                    .formatted(rowsRead, rowsOwned, location));
        }
        return loader.finish() > 0;
    }

    @Override
    public VectorSchemaRoot root() {
        return loader.root();
    }

    @Override
    public long rowsRead() {
        return rowsRead;
    }

    @Override
    public long firstRecordOffset() {
        return firstRecordOffset;
    }

    @Override
    public long stopOffset() {
        return stopOffset;
    }

    @Override
    public void close() throws IOException {
        try {
            loader.close();
        } finally {
            reader.close();
        }
    }
}
