package dev.spindle.codec.bench;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.CsvTokenizer;
import dev.spindle.codec.RowSpans;
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
 * {@code tokenize}: the tokenizer alone over ~64 MiB of NYC-taxi-shaped CSV, in 8192-record
 * calls, one thread. One operation = the whole buffer.
 * Run: see {@code avro-codec/README.md}. MB/s = {@code bytes} / 2^20 / (ms/op / 1000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx1g"})
public class TokenizeBenchmark {

    @Param("67108864")
    public int bytes;

    private byte[] csv;
    private final CsvTokenizer tokenizer = new CsvTokenizer(CsvDialect.defaults());
    private final RowSpans spans = new RowSpans();

    @Setup(Level.Trial)
    public void setUp() {
        csv = TaxiCsv.records(bytes, 42);
    }

    @Benchmark
    public long tokenize() {
        tokenizer.reset(csv, 0, csv.length, 0, 2);
        long fields = 0;
        int rows;
        while ((rows = tokenizer.next(spans, BatchBuilder.BATCH_ROWS_DEFAULT)) > 0) {
            fields += spans.fieldEnd(rows - 1, 13);
        }
        return fields;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        csv = null;
    }
}
