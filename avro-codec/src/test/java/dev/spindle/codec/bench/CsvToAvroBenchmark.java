package dev.spindle.codec.bench;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.arrow.memory.RootAllocator;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
 * CSV bytes → Avro container bytes in memory, all 14 columns typed, every row written, one
 * thread. One operation = ~64 MiB.
 * <ul>
 *   <li>{@code csv_to_avro}: {@link BatchBuilder#drainTo} with {@link AvroBatchWriter#plainRecords}, what a job without a
 *       filter runs: plain records parsed straight into Avro, no Arrow batch in between.</li>
 *   <li>{@code csv_to_avro_arrow}: typed Arrow batches (8192 rows) written by
 *       {@link AvroBatchWriter#write(org.apache.arrow.vector.VectorSchemaRoot)}, what a job with a
 *       filter runs (the filter itself not included).</li>
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
