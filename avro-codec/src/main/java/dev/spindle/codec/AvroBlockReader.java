package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileConstants;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

/**
 * The records of one block of an Avro container file: the data blocks whose preceding sync
 * marker starts in {@code [start, end)} (the header's marker precedes the first data block), read
 * with Avro's own {@link DataFileReader#sync(long)} and {@link DataFileReader#pastSync(long)} as
 * Hadoop's {@code AvroRecordReader} does. Only the asked-for columns are decoded: the reader
 * schema is the file's record with just those fields, and Avro's schema resolution skips the rest.
 */
public final class AvroBlockReader implements ContainerBlockReader {

    private static final int SYNC_SIZE = DataFileConstants.SYNC_SIZE;

    private final DataFileReader<GenericRecord> reader;
    private final String location;
    private final long end;
    private final long firstRecordOffset;
    private final long stopOffset;
    private final TableSchema schema;
    private final GenericRecordLoader loader;
    private final int batchRows;
    private GenericRecord reuse;
    private long rowsRead;

    private AvroBlockReader(DataFileReader<GenericRecord> reader, String location, long end, long firstRecordOffset, long stopOffset,
            TableSchema schema, BufferAllocator allocator, int batchRows) {
        this.reader = reader;
        this.location = location;
        this.end = end;
        this.firstRecordOffset = firstRecordOffset;
        this.stopOffset = stopOffset;
        this.schema = schema;
        this.loader = new GenericRecordLoader(schema, allocator);
        this.batchRows = batchRows;
    }

    /**
     * Opens the block {@code [start, end)} of the file {@code input} reads.
     *
     * @param location the file's name, for messages
     * @param columns the columns to read, by name; empty for all
     * @throws IOException when the file is not an Avro container file (the input is closed)
     * @throws IllegalArgumentException when a column is not in the file, or its type is outside
     *     {@link TableSchema#fromAvroSchema}'s mapping
     */
    public static AvroBlockReader open(SeekableInput input, String location, long start, long end, List<String> columns,
            BufferAllocator allocator, int batchRows) throws IOException {
        requireNonNull(input, "input is null");
        requireNonNull(location, "location is null");
        requireNonNull(allocator, "allocator is null");
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("Invalid block [%d, %d): %s".formatted(start, end, location));
        }
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be positive: " + batchRows);
        }
        GenericDatumReader<GenericRecord> datum = new GenericDatumReader<>();
        DataFileReader<GenericRecord> reader;
        try {
            reader = new DataFileReader<>(input, datum);
        } catch (IOException e) {
            input.close();
            throw new IOException("Cannot read the Avro header: %s: %s".formatted(e.getMessage(), location), e);
        }
        try {
            Schema projection = Projections.avro(reader.getSchema(), columns, location);
            TableSchema schema = TableSchema.fromAvroSchema(projection);
            datum.setExpected(projection);
            long length = input.length();
            long stop = boundaryAtOrAfter(reader, end, length);
            long first = start == 0 ? 0 : boundaryAtOrAfter(reader, start, length);
            reader.sync(start);
            return new AvroBlockReader(reader, location, end, first, stop, schema, allocator, batchRows);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /**
     * The start of the first sync marker at or after {@code position}, or {@code length}. A
     * container file ends with a marker (the header's, or its last data block's), so a position
     * at most {@code length - 16} always finds one.
     */
    private static long boundaryAtOrAfter(DataFileReader<GenericRecord> reader, long position, long length) throws IOException {
        if (position > length - SYNC_SIZE) {
            return length;
        }
        reader.sync(position);
        return reader.previousSync() - SYNC_SIZE;
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
            while (rows < batchRows && !reader.pastSync(end) && reader.hasNext()) {
                reuse = reader.next(reuse);
                loader.add(reuse);
                rows++;
            }
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot read the Avro data block after the sync marker ending at byte %d (row %d of the block): %s: %s"
                    .formatted(reader.previousSync(), rowsRead + rows, e.getMessage(), location), e);
        }
        rowsRead += rows;
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
