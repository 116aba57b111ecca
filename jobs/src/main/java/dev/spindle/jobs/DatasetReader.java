package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.codec.AvroBlockReader;
import dev.spindle.codec.ContainerBlockReader;
import dev.spindle.codec.ParquetBlockReader;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.FileStores;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.table.Table;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.hadoop.conf.Configuration;

/**
 * Loads a dataset Spindle (or another tool) wrote, the Avro or Parquet parts of a directory
 * (partitioned or not) on HDFS, S3 or local disk, into Arrow in parallel: each part is cut into
 * byte ranges of about {@link Builder#rangeBytes} (Parquet row groups by their midpoint, Avro data
 * blocks by their sync marker, so every record is read once), and a pool of threads reads the
 * ranges, only the columns asked for. A Hive partition directory's values ({@code city=Paris/})
 * become string columns after the part's own (null for {@code __HIVE_DEFAULT_PARTITION__}), as
 * Spark and pyarrow's Hive partitioning show them.
 *
 * <pre>{@code
 * try (DatasetReader reader = DatasetReader.builder(conf, "s3://clean/taxi-avro").columns("medallion", "trip_distance")
 *         .threads(8).build()) {
 *     for (Table table : reader.readAll()) {
 *         try (table) {
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>The tables {@link #readAll} returns are the caller's to close, before the reader.
 */
public final class DatasetReader implements AutoCloseable {

    /** Receives each batch of {@link #forEachBatch}, on the pool's threads, at the same time as other batches. */
    @FunctionalInterface
    public interface BatchConsumer {
        /**
         * @param part the part's path relative to the dataset ({@code city=Paris/part-00003.avro})
         * @param batch valid only during the call
         */
        void accept(String part, VectorSchemaRoot batch) throws IOException;
    }

    private final Dataset dataset;
    private final List<String> columns;
    private final int threads;
    private final long rangeBytes;
    private final int batchRows;
    private final BufferAllocator allocator;
    private final boolean ownsAllocator;

    private DatasetReader(Builder builder) throws IOException {
        this.dataset = Dataset.open(builder.store, builder.location);
        this.columns = List.copyOf(builder.columns);
        this.threads = builder.threads;
        this.rangeBytes = builder.rangeBytes;
        this.batchRows = builder.batchRows;
        this.ownsAllocator = builder.allocator == null;
        this.allocator = ownsAllocator ? new RootAllocator() : builder.allocator;
    }

    /** A reader of the dataset at {@code location}, through the store {@code conf} names for it. */
    public static Builder builder(Configuration conf, String location) {
        return builder(FileStores.hadoop(conf), location);
    }

    public static Builder builder(FileStore store, String location) {
        return new Builder(requireNonNull(store, "store is null"), requireNonNull(location, "location is null"));
    }

    /** The byte ranges the parts are read in, in dataset order. */
    List<Range> ranges() {
        List<Range> ranges = new ArrayList<>();
        for (Dataset.Part part : dataset.parts()) {
            long length = part.bytes();
            long start = 0;
            do {
                long end = Math.min(length, start + rangeBytes);
                ranges.add(new Range(part, start, length - end < rangeBytes / 4 ? length : end));
                start = ranges.get(ranges.size() - 1).end();
            } while (start < length);
        }
        return ranges;
    }

    record Range(Dataset.Part part, long start, long end) {}

    /**
     * Reads the whole dataset into tables, one per batch, in dataset order (parts as listed, each
     * part's rows in file order).
     */
    public List<Table> readAll() throws IOException {
        List<List<Table>> byRange = run(range -> {
            List<Table> tables = new ArrayList<>();
            try {
                read(range, (part, batch) -> tables.add(new Table(transfer(batch))));
            } catch (IOException | RuntimeException e) {
                tables.forEach(Table::close);
                throw e;
            }
            return tables;
        }, tables -> tables.forEach(Table::close));
        List<Table> all = new ArrayList<>();
        byRange.forEach(all::addAll);
        return all;
    }

    /**
     * Reads every batch of the dataset and hands it to {@code consumer} on the thread that read
     * it; batches of different ranges arrive at the same time, in no order.
     *
     * @return the rows read
     */
    public long forEachBatch(BatchConsumer consumer) throws IOException {
        requireNonNull(consumer, "consumer is null");
        long rows = 0;
        for (long count : run(range -> {
            long[] read = {0};
            read(range, (part, batch) -> {
                read[0] += batch.getRowCount();
                consumer.accept(part, batch);
            });
            return read[0];
        }, count -> {})) {
            rows += count;
        }
        return rows;
    }

    private interface RangeTask<T> {
        T run(Range range) throws IOException;
    }

    private interface Cleanup<T> {
        void release(T result);
    }

    /** Runs {@code task} on every range in the pool; the results in range order, or the first failure. */
    private <T> List<T> run(RangeTask<T> task, Cleanup<T> cleanup) throws IOException {
        List<Range> ranges = ranges();
        AtomicInteger thread = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, ranges.size())), runnable -> {
            Thread reader = new Thread(runnable, "spindle-dataset-reader-" + thread.incrementAndGet());
            reader.setDaemon(true);
            return reader;
        });
        List<Future<T>> futures = new ArrayList<>();
        try {
            for (Range range : ranges) {
                futures.add(pool.submit(() -> task.run(range)));
            }
            List<T> results = new ArrayList<>();
            try {
                for (Future<T> future : futures) {
                    results.add(future.get());
                }
            } catch (ExecutionException | InterruptedException e) {
                futures.forEach(future -> future.cancel(true));
                pool.shutdown();
                // what finished is released; what still runs is waited for, then released
                for (Future<T> future : futures) {
                    try {
                        cleanup.release(future.get());
                    } catch (Exception ignored) {
                        // failed or cancelled: it holds nothing
                    }
                }
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("Interrupted reading " + dataset.location());
                }
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IOException("Cannot read " + dataset.location() + ": " + cause, cause);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private void read(Range range, BatchConsumer consumer) throws IOException {
        Dataset.Part part = range.part();
        Map<String, String> partition = partitionValues(part.relativePath());
        try (ContainerBlockReader reader = open(range)) {
            while (reader.next()) {
                VectorSchemaRoot batch = reader.root();
                if (partition.isEmpty()) {
                    consumer.accept(part.relativePath(), batch);
                } else {
                    try (VectorSchemaRoot withPartition = withPartitionColumns(batch, partition)) {
                        consumer.accept(part.relativePath(), withPartition);
                    }
                }
            }
        }
    }

    private ContainerBlockReader open(Range range) throws IOException {
        Dataset.Part part = range.part();
        FileStore store = dataset.store();
        return switch (dataset.format()) {
            case AVRO -> AvroBlockReader.open(new StoreAvroInput(store.open(part.location())), part.location(), range.start(),
                    range.end(), columns, allocator, batchRows);
            case PARQUET -> ParquetBlockReader.open(new StoreInputFile(store, part.location()), range.start(), range.end(), columns,
                    allocator, batchRows);
        };
    }

    /** {@code city=Paris/day=2024-01-01/part-0.avro}: city and day, in path order, unescaped; null for Hive's default partition. */
    static Map<String, String> partitionValues(String relativePath) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] segments = relativePath.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            int equals = segments[i].indexOf('=');
            if (equals > 0) {
                String value = PartitionPaths.unescape(segments[i].substring(equals + 1));
                values.put(PartitionPaths.unescape(segments[i].substring(0, equals)),
                        value.equals(PartitionPaths.DEFAULT_PARTITION) ? null : value);
            }
        }
        return values;
    }

    /**
     * The batch's vectors followed by one string column per partition value, all as long as the
     * batch. The vectors are moved out of the batch (never shared: its reader refills their
     * buffers in place for the next batch).
     */
    private VectorSchemaRoot withPartitionColumns(VectorSchemaRoot batch, Map<String, String> partition) {
        int rows = batch.getRowCount();
        List<FieldVector> vectors = transfer(batch);
        for (Map.Entry<String, String> column : partition.entrySet()) {
            VarCharVector values = new VarCharVector(new Field(column.getKey(), FieldType.nullable(ArrowType.Utf8.INSTANCE), null), allocator);
            values.allocateNew(rows);
            byte[] bytes = column.getValue() == null ? null : column.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            for (int row = 0; row < rows; row++) {
                if (bytes == null) {
                    values.setNull(row);
                } else {
                    values.setSafe(row, bytes);
                }
            }
            values.setValueCount(rows);
            vectors.add(values);
        }
        VectorSchemaRoot root = new VectorSchemaRoot(vectors);
        root.setRowCount(rows);
        return root;
    }

    /** The batch's vectors, moved out of it (the batch is left empty, to be refilled by its reader). */
    private List<FieldVector> transfer(VectorSchemaRoot batch) {
        List<FieldVector> vectors = new ArrayList<>();
        for (FieldVector vector : batch.getFieldVectors()) {
            var pair = vector.getTransferPair(allocator);
            pair.transfer();
            FieldVector moved = (FieldVector) pair.getTo();
            moved.setValueCount(batch.getRowCount());
            vectors.add(moved);
        }
        return vectors;
    }

    @Override
    public void close() {
        if (ownsAllocator) {
            allocator.close();
        }
    }

    /** How to read; build with {@link #build()}. */
    public static final class Builder {
        private final FileStore store;
        private final String location;
        private List<String> columns = List.of();
        private int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
        private long rangeBytes = 64L << 20;
        private int batchRows = 8_192;
        private BufferAllocator allocator;

        private Builder(FileStore store, String location) {
            this.store = store;
            this.location = location;
        }

        /** The columns to read, by name, in the file's order in the batches; none given: all. */
        public Builder columns(String... names) {
            this.columns = List.of(names);
            return this;
        }

        /** Threads reading at once; the machine's cores (at least 2) unless set. */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be positive: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** About how many bytes of a part one thread reads at a time (64 MiB unless set). */
        public Builder rangeBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("rangeBytes must be positive: " + bytes);
            }
            this.rangeBytes = bytes;
            return this;
        }

        /** Rows per batch at most (8,192 unless set). */
        public Builder batchRows(int rows) {
            if (rows < 1) {
                throw new IllegalArgumentException("batchRows must be positive: " + rows);
            }
            this.batchRows = rows;
            return this;
        }

        /** The allocator of the batches and tables; a root allocator of the reader's own, closed with it, unless set. */
        public Builder allocator(BufferAllocator allocator) {
            this.allocator = requireNonNull(allocator, "allocator is null");
            return this;
        }

        /** Lists the dataset (its manifest's parts when it has one). */
        public DatasetReader build() throws IOException {
            return new DatasetReader(this);
        }
    }
}
