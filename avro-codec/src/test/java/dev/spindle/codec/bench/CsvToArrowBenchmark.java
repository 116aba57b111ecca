package dev.spindle.codec.bench;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
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
 * {@code csv_to_arrow}: the Arrow half of {@code csv_to_avro} alone (tokenize + parse 14 typed
 * columns into 8192-row batches), to split its cost. One operation = ~64 MiB.
 * Run: see {@code avro-codec/README.md}. MB/s = {@code bytes} / 2^20 / (ms/op / 1000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g"})
public class CsvToArrowBenchmark {

    @Param("67108864")
    public int bytes;

    private byte[] csv;
    private RootAllocator allocator;
    private BatchBuilder builder;

    @Setup(Level.Trial)
    public void setUp() {
        csv = TaxiCsv.records(bytes, 42);
        TableSchema schema = InferBenchmark.infer(csv, TaxiCsv.HEADER.getBytes(StandardCharsets.US_ASCII));
        allocator = new RootAllocator();
        builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
            throw new IllegalStateException(b.message());
        }).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        builder.close();
        allocator.close();
    }

    @Benchmark
    public long csv_to_arrow() {
        builder.reset(csv, 0, csv.length, 0, 2);
        long rows = 0;
        while (builder.next()) {
            rows += builder.root().getRowCount();
        }
        return rows;
    }
}
