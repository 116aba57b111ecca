package dev.spindle.codec.bench;

import dev.spindle.codec.ColumnType;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.SchemaInferrer;
import dev.spindle.codec.TableSchema;
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
 * {@code infer}: schema inference over the default sample bound, 20,480 NYC-taxi-shaped records
 * (~3.4 MiB), one thread. One operation = the whole sample.
 * Run: see {@code avro-codec/README.md}. MB/s = sample bytes / 2^20 / (ms/op / 1000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g"})
public class InferBenchmark {

    /** Records in the sample. */
    @Param("20480")
    public int records;

    private byte[] sample;
    private byte[] header;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] csv = TaxiCsv.records(records * 200L, 42);
        int end = 0;
        for (int n = 0; n < records && end < csv.length; end++) {
            if (csv[end] == '\n') {
                n++;
            }
        }
        sample = java.util.Arrays.copyOf(csv, end);
        header = TaxiCsv.HEADER.getBytes(StandardCharsets.US_ASCII);
        TableSchema schema = infer(sample, header);
        if (schema.column("passenger_count").type() != ColumnType.LONG || schema.column("pickup_datetime").type() != ColumnType.TIMESTAMP_LOCAL) {
            throw new IllegalStateException("Unexpected schema " + schema);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        sample = null;
    }

    @Benchmark
    public TableSchema infer() {
        return infer(sample, header);
    }

    /** Infers from the first 20,480 records of {@code csv}. */
    static TableSchema infer(byte[] csv, byte[] header) {
        int end = 0;
        for (int n = 0; n < SchemaInferrer.SAMPLE_RECORDS_DEFAULT && end < csv.length; end++) {
            if (csv[end] == '\n') {
                n++;
            }
        }
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        inferrer.header(header, 0, header.length);
        inferrer.sample(csv, 0, end, header.length, 2);
        return inferrer.result();
    }
}
