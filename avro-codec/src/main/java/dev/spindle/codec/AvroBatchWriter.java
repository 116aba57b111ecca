package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileConstants;
import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * Writes Arrow batches as one Avro object container file onto an {@link OutputStream}.
 *
 * <p>Selected rows are encoded straight from the vectors into Avro binary
 * ({@code AvroRowEncoder}), into one reusable block buffer; a full block (at least the sync
 * interval) is compressed and written as one container block ({@code AvroContainerWriter}): no
 * {@code GenericRecord} and no copy per row. The file is a standard Avro object container
 * file that Avro's {@code DataFileReader} and {@code DataFileStream} read. Its schema is the
 * writer's {@link TableSchema} projected to the chosen columns, in the chosen order; batches are
 * matched by column name.
 *
 * <p>A writer that failed once is poisoned: every later {@code write} throws
 * {@link IllegalStateException} naming the first failure, and {@link #close()} only closes the
 * stream (the partial file must be discarded by the caller). Not thread-safe.
 */
public final class AvroBatchWriter implements BatchWriter {

    /** Container file compression codecs. */
    public enum Codec {
        NULL, DEFLATE, SNAPPY, ZSTANDARD;

        /** The codec named {@code null}, {@code deflate}, {@code snappy} or {@code zstandard} (any case). */
        public static Codec fromName(String name) {
            for (Codec codec : values()) {
                if (codec.name().equalsIgnoreCase(name)) {
                    return codec;
                }
            }
            throw new IllegalArgumentException("Unknown Avro codec '" + name + "'; valid: null, deflate, snappy, zstandard");
        }
    }

    /** Default sync interval: Avro's own default, 64000 bytes of encoded rows per block. */
    public static final int SYNC_INTERVAL_DEFAULT = DataFileConstants.DEFAULT_SYNC_INTERVAL;

    /**
     * Default zlib level of the {@link Codec#DEFLATE} codec: 1, the throughput choice (Avro's own
     * default is 6, several times slower for a few percent smaller files; see the README).
     */
    public static final int DEFLATE_LEVEL_DEFAULT = 1;

    private final TableSchema fileSchema;
    private CsvAvroEncoder direct;
    private TableSchema directTable;
    private CsvDialect directDialect;
    private RawRecordFilter directFilter;
    private final Schema avroSchema;
    private final CountingOutputStream stream;
    private final AvroContainerWriter container;
    private final AvroRowEncoder encoder;
    private final int syncIntervalBytes;
    private long rowsWritten;
    private long directRows;
    private long rowsInBlock;
    private Throwable failure;
    private boolean closed;

    private AvroBatchWriter(Builder builder) throws IOException {
        this.fileSchema = builder.columns == null ? builder.schema : builder.schema.project(builder.columns);
        this.avroSchema = fileSchema.toAvroSchema(builder.recordName);
        this.stream = new CountingOutputStream(builder.out);
        this.encoder = new AvroRowEncoder(fileSchema);
        this.syncIntervalBytes = builder.syncIntervalBytes;
        this.container = new AvroContainerWriter(stream, builder.codec, builder.deflateLevel, AvroContainerWriter.randomSync());
        container.writeHeader(avroSchema);
    }

    /** A builder for a file of {@code schema}'s columns (all, unless {@link Builder#columns} projects). */
    public static Builder builder(TableSchema schema, OutputStream out) {
        return new Builder(schema, out);
    }

    /** The schema of the file (after projection). */
    public TableSchema schema() {
        return fileSchema;
    }

    public Schema avroSchema() {
        return avroSchema;
    }

    /** Writes every row of the batch. */
    @Override
    public void write(VectorSchemaRoot batch) {
        checkUsable();
        try {
            encoder.bind(batch);
            append(null, batch.getRowCount());
        } catch (RuntimeException | IOException | Error e) {
            throw fail(e);
        }
    }

    /**
     * Writes the rows {@code selection[0..count)} of the batch, in that order.
     *
     * @throws IllegalArgumentException when the batch lacks a column of the file schema, a type
     *     differs, a selected index is outside the batch, or a non-nullable column holds a null;
     *     the writer is then poisoned
     * @throws UncheckedIOException when the stream fails; the writer is then poisoned
     * @throws IllegalStateException when the writer failed before or is closed
     */
    public void write(VectorSchemaRoot batch, int[] selection, int count) {
        checkUsable();
        try {
            if (count < 0 || count > selection.length) {
                throw new IllegalArgumentException("count " + count + " outside selection of " + selection.length + " indices");
            }
            int rows = batch.getRowCount();
            for (int i = 0; i < count; i++) {
                int row = selection[i];
                if (row < 0 || row >= rows) {
                    throw new IllegalArgumentException("Selected row " + row + " (selection[" + i + "]) outside batch of " + rows + " rows");
                }
            }
            encoder.bind(batch);
            append(selection, count);
        } catch (RuntimeException | IOException | Error e) {
            throw fail(e);
        }
    }

    /**
     * The direct path for plain CSV records of {@code table} in {@code dialect}: records parsed
     * straight into Avro datums in this file's blocks ({@code CsvAvroEncoder}), with no Arrow batch
     * in between, and the same file as their Arrow batches would give. Empty when the records
     * cannot take it: it needs UTF-8 records, the doubled-quote escape and written columns in the
     * table's order.
     */
    @Override
    public java.util.Optional<PlainRecordWriter> plainRecords(TableSchema table, CsvDialect dialect) {
        return directPath(table, dialect, null);
    }

    /**
     * {@link #plainRecords(TableSchema, CsvDialect)} that writes only the records {@code filter}
     * keeps: it is evaluated on each record's raw bytes once the columns it reads are parsed, and
     * a record it drops is checked to its end but not encoded.
     */
    @Override
    public java.util.Optional<PlainRecordWriter> plainRecords(TableSchema table, CsvDialect dialect, RawRecordFilter filter) {
        return directPath(table, dialect, java.util.Objects.requireNonNull(filter, "filter is null"));
    }

    private java.util.Optional<PlainRecordWriter> directPath(TableSchema table, CsvDialect dialect, RawRecordFilter filter) {
        if (table != directTable || !dialect.equals(directDialect) || filter != directFilter) {
            direct = CsvAvroEncoder.supports(table, dialect, fileSchema) ? new CsvAvroEncoder(table, dialect, fileSchema, filter) : null;
            directTable = table;
            directDialect = dialect;
            directFilter = filter;
        }
        return direct == null ? java.util.Optional.empty() : java.util.Optional.of(plain);
    }

    private final PlainRecordWriter plain = new PlainRecordWriter() {
        private int rows;
        private int rowsFiltered;
        private long line;

        @Override
        public int write(byte[] buffer, int from, int end, long firstLine) {
            checkUsable();
            try {
                rows = 0;
                rowsFiltered = 0;
                line = firstLine;
                int position = from;
                while (true) {
                    position = direct.encode(buffer, position, end, line, encoder, syncIntervalBytes);
                    rows += direct.rows;
                    rowsFiltered += direct.rowsFiltered;
                    line = direct.line;
                    rowsWritten += direct.rows;
                    rowsInBlock += direct.rows;
                    directRows += direct.rows;
                    if (encoder.length < syncIntervalBytes) {
                        return position; // stopped at a record that is not plain, or at the end
                    }
                    flushBlock();
                    if (direct.rows + direct.rowsFiltered == 0 || position >= end) {
                        return position;
                    }
                }
            } catch (RuntimeException | IOException | Error e) {
                throw fail(e);
            }
        }

        @Override
        public int rows() {
            return rows;
        }

        @Override
        public int rowsFiltered() {
            return rowsFiltered;
        }

        @Override
        public long nextLine() {
            return line;
        }
    };

    /** Encodes {@code selection[0..count)} (rows {@code 0..count} when null), writing each full block. */
    private void append(int[] selection, int count) throws IOException {
        int i = 0;
        while (i < count) {
            int next = encoder.encode(selection, i, count, syncIntervalBytes);
            rowsWritten += next - i;
            rowsInBlock += next - i;
            i = next;
            if (encoder.length >= syncIntervalBytes) {
                flushBlock();
            }
        }
    }

    private void flushBlock() throws IOException {
        if (rowsInBlock > 0) {
            container.writeBlock(encoder.buffer, encoder.length, rowsInBlock);
            encoder.length = 0;
            rowsInBlock = 0;
        }
    }

    /** Rows appended so far. */
    public long rowsWritten() {
        return rowsWritten;
    }

    /** Rows of {@link #rowsWritten()} that {@link #plainRecords} took by the direct path. */
    public long directRows() {
        return directRows;
    }

    /** Bytes handed to the output stream so far; the file's final size once {@link #close()} returned. */
    public long bytesWritten() {
        return stream.count;
    }

    /** Flushes the last block and closes the stream; after a failure only closes the stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (failure != null) {
            container.end();
            stream.close();
            return;
        }
        try {
            flushBlock();
            stream.flush();
        } catch (IOException | RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            container.end();
            stream.close();
        }
    }

    private void checkUsable() {
        if (failure != null) {
            throw new IllegalStateException("Avro writer failed earlier and cannot be used: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new IllegalStateException("Avro writer is closed");
        }
    }

    private RuntimeException fail(Throwable e) {
        failure = e;
        if (e instanceof RuntimeException) {
            return (RuntimeException) e;
        }
        if (e instanceof Error) {
            throw (Error) e;
        }
        return new UncheckedIOException("Avro write failed after " + (rowsWritten - rowsInBlock) + " rows, " + stream.count + " bytes", (IOException) e);
    }

    /** Builds an {@link AvroBatchWriter}; validated in {@link #build()}. */
    public static final class Builder {
        private final TableSchema schema;
        private final OutputStream out;
        private List<String> columns;
        private Codec codec = Codec.DEFLATE;
        private int deflateLevel = DEFLATE_LEVEL_DEFAULT;
        private int syncIntervalBytes = SYNC_INTERVAL_DEFAULT;
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

        /** Compression codec (default {@link Codec#DEFLATE}). */
        public Builder codec(Codec codec) {
            this.codec = requireNonNull(codec, "codec is null");
            return this;
        }

        /**
         * zlib level of the {@link Codec#DEFLATE} codec, 1 (fastest) to 9 (smallest); default
         * {@value AvroBatchWriter#DEFLATE_LEVEL_DEFAULT}. Ignored by the other codecs.
         */
        public Builder deflateLevel(int deflateLevel) {
            this.deflateLevel = deflateLevel;
            return this;
        }

        /** Approximate bytes of encoded rows per container block (default {@value AvroBatchWriter#SYNC_INTERVAL_DEFAULT}). */
        public Builder syncIntervalBytes(int syncIntervalBytes) {
            this.syncIntervalBytes = syncIntervalBytes;
            return this;
        }

        /** Name of the Avro record (default {@code record}). */
        public Builder recordName(String recordName) {
            this.recordName = requireNonNull(recordName, "recordName is null");
            return this;
        }

        /**
         * Validates, writes the container header and returns the writer.
         *
         * @throws IllegalArgumentException for an unknown or repeated projected column (listing
         *     the valid names), an empty projection, a sync interval outside [32, 1073741824]
         *     bytes, a deflate level outside [1, 9] or an invalid record name
         * @throws UncheckedIOException when writing the header fails
         */
        public AvroBatchWriter build() {
            if (columns != null && columns.isEmpty()) {
                throw new IllegalArgumentException("Projection must keep at least one column; valid names: " + schema.names());
            }
            if (syncIntervalBytes < 32 || syncIntervalBytes > (1 << 30)) {
                throw new IllegalArgumentException("Sync interval must be in [32, 1073741824] bytes: " + syncIntervalBytes);
            }
            if (deflateLevel < 1 || deflateLevel > 9) {
                throw new IllegalArgumentException("Deflate level must be in [1, 9]: " + deflateLevel);
            }
            if (!AvroNames.isValid(recordName)) {
                throw new IllegalArgumentException("Record name is not a valid Avro name: \"" + recordName + "\"");
            }
            try {
                return new AvroBatchWriter(this);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot write the Avro container header", e);
            }
        }
    }

    /** Counts the bytes that reach the caller's stream. */
    private static final class CountingOutputStream extends FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
