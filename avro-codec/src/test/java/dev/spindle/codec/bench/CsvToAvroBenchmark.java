package dev.spindle.codec.bench;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.RawRecord;
import dev.spindle.codec.RawRecordFilter;
import dev.spindle.codec.RowFilter;
import dev.spindle.codec.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.arrow.memory.RootAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CSV bytes → Avro container bytes in memory, one thread. One operation = ~64 MiB. Without a
 * filter all 14 columns are typed and every row written.
 * <ul>
 *   <li>{@code csv_to_avro}: {@link BatchBuilder#drainTo} with {@link AvroBatchWriter#plainRecords}, what a job without a
 *       filter runs: plain records parsed straight into Avro, no Arrow batch in between.</li>
 *   <li>{@code csv_to_avro_arrow}: typed Arrow batches (8192 rows) written by
 *       {@link AvroBatchWriter#write(org.apache.arrow.vector.VectorSchemaRoot)}, what a job with a
 *       filter ran before the filter was fused into the direct path (the filter itself not included).</li>
 *   <li>{@code csv_to_avro_filtered}: {@link BatchBuilder#drainTo(dev.spindle.codec.BatchWriter, RowFilter)} with the
 *       seed pipeline's filter {@code passenger_count > 3} and projection
 *       {@code medallion,pickup_datetime,trip_distance}, what such a job runs: the filter
 *       evaluated on the raw bytes of {@code passenger_count}, dropped rows checked but not
 *       encoded. The filter here is written for the benchmark with the job filter's semantics
 *       (a null is UNKNOWN and not kept); the job's compiled predicate tree adds one call per
 *       row and node.</li>
 * </ul>
 * Run: see {@code avro-codec/README.md}. MB/s = {@code bytes} / 2^20 / (ms/op / 1000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g"})
public class CsvToAvroBenchmark {

    @Param("67108864")
    public int bytes;

    /** Avro codec: null (pure encoding cost), snappy, deflate, zstandard. */
    @Param({"null", "snappy"})
    public String codec;

    /** zlib level of the deflate codec (ignored by the others). */
    @Param("1")
    public int deflateLevel;

    private byte[] csv;
    private TableSchema schema;
    private RootAllocator allocator;
    private BatchBuilder builder;
    private ByteArrayOutputStream avro;

    @Setup(Level.Trial)
    public void setUp() {
        csv = TaxiCsv.records(bytes, 42);
        schema = InferBenchmark.infer(csv, TaxiCsv.HEADER.getBytes(StandardCharsets.US_ASCII));
        allocator = new RootAllocator();
        builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
            throw new IllegalStateException(b.message());
        }).build();
        avro = new ByteArrayOutputStream(bytes);
        passengersOverThree = new PassengersOverThree(schema);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        builder.close();
        allocator.close();
    }

    @Benchmark
    public long csv_to_avro() throws IOException {
        avro.reset();
        builder.reset(csv, 0, csv.length, 0, 2);
        AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.fromName(codec)).deflateLevel(deflateLevel).build();
        try (writer) {
            builder.drainTo(writer);
        }
        if (writer.directRows() != writer.rowsWritten()) {
            throw new IllegalStateException("Only " + writer.directRows() + " of " + writer.rowsWritten() + " rows took the direct path");
        }
        return writer.bytesWritten();
    }

    @Benchmark
    public long csv_to_avro_filtered() throws IOException {
        avro.reset();
        builder.reset(csv, 0, csv.length, 0, 2);
        long readBefore = builder.rowsOut();
        AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).columns(SEED_COLUMNS)
                .codec(AvroBatchWriter.Codec.fromName(codec)).deflateLevel(deflateLevel).build();
        long written;
        try (writer) {
            written = builder.drainTo(writer, passengersOverThree);
        }
        long read = builder.rowsOut() - readBefore;
        if (writer.directRows() != written || written == 0 || written == read) {
            throw new IllegalStateException(writer.directRows() + " direct rows, " + written + " written of " + read + " read");
        }
        return writer.bytesWritten();
    }

    /** The seed pipeline's projection. */
    static final java.util.List<String> SEED_COLUMNS = java.util.List.of("medallion", "pickup_datetime", "trip_distance");

    private PassengersOverThree passengersOverThree;

    /** {@code passenger_count > 3}: over Arrow batches and on raw records; a null is not kept. */
    static final class PassengersOverThree implements RowFilter, RawRecordFilter {
        private final int column;

        PassengersOverThree(TableSchema schema) {
            this.column = schema.indexOf("passenger_count");
        }

        @Override
        public int select(VectorSchemaRoot batch, int[] selection) {
            BigIntVector vector = (BigIntVector) batch.getVector(column);
            int n = 0;
            for (int row = 0; row < batch.getRowCount(); row++) {
                if (!vector.isNull(row) && vector.get(row) > 3) {
                    selection[n++] = row;
                }
            }
            return n;
        }

        @Override
        public Optional<RawRecordFilter> rawRecords() {
            return Optional.of(this);
        }

        @Override
        public int[] columns() {
            return new int[] {column};
        }

        @Override
        public boolean test(RawRecord record) {
            return !record.isNull(column) && record.longValue(column) > 3;
        }
    }

    @Benchmark
    public long csv_to_avro_arrow() throws IOException {
        avro.reset();
        builder.reset(csv, 0, csv.length, 0, 2);
        AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.fromName(codec)).deflateLevel(deflateLevel).build();
        try (writer) {
            while (builder.next()) {
                writer.write(builder.root());
            }
        }
        return writer.bytesWritten();
    }
}
