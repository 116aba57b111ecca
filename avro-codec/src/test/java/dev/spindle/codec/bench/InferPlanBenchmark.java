package dev.spindle.codec.bench;

import dev.spindle.codec.ColumnType;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.SchemaInferrer;
import dev.spindle.codec.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code infer_1gb}: schema inference for a 1 GiB input as the job samples it (the jobs'
 * {@code SchemaSampler}): {@value #SAMPLED_BLOCKS} blocks of the plan (first, last, evenly
 * spaced), 20,480 / 8 = 2,560 records from each, each chunk at its block's file offset. The
 * chunks are synthesized (different seeds per block), so this times the CPU side only; it does
 * not grow with the input size, which only moves the chunks' offsets.
 * Run: see {@code avro-codec/README.md}. Reported as ms per inference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g"})
public class InferPlanBenchmark {

    static final int SAMPLED_BLOCKS = 8;

    /** Input size the plan covers, in bytes. */
    @Param("1073741824")
    public long inputBytes;

    private byte[][] chunks;
    private long[] chunkOffsets;
    private byte[] header;

    @Setup(Level.Trial)
    public void setUp() {
        header = TaxiCsv.HEADER.getBytes(StandardCharsets.US_ASCII);
        int recordsPerBlock = SchemaInferrer.SAMPLE_RECORDS_DEFAULT / SAMPLED_BLOCKS;
        long blockBytes = inputBytes / SAMPLED_BLOCKS;
        chunks = new byte[SAMPLED_BLOCKS][];
        chunkOffsets = new long[SAMPLED_BLOCKS];
        for (int i = 0; i < SAMPLED_BLOCKS; i++) {
            byte[] csv = TaxiCsv.records(recordsPerBlock * 200L, 42 + i);
            int end = 0;
            for (int n = 0; n < recordsPerBlock; end++) {
                if (csv[end] == '\n') {
                    n++;
                }
            }
            chunks[i] = Arrays.copyOf(csv, end);
            chunkOffsets[i] = i == 0 ? header.length : i * blockBytes;
        }
        TableSchema schema = infer();
        if (schema.column("passenger_count").type() != ColumnType.LONG || schema.column("pickup_datetime").type() != ColumnType.TIMESTAMP_LOCAL) {
            throw new IllegalStateException("Unexpected schema " + schema);
        }
    }

    @Benchmark
    public TableSchema infer_1gb() {
        return infer();
    }

    private TableSchema infer() {
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        inferrer.header(header, 0, header.length);
        for (int i = 0; i < SAMPLED_BLOCKS; i++) {
            // past the first block, lines count from the block's first record, as in the job
            inferrer.sample(chunks[i], 0, chunks[i].length, chunkOffsets[i], i == 0 ? 2 : 1);
        }
        return inferrer.result();
    }
}
