package dev.spindle.jobs.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.SchemaInferrer;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordFormat;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.split.TilingCheck;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.jobs.TaxiDataGenerator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
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
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Issue 3's split benchmark: every block of a ~64 MiB taxi-shaped file read in parallel (one
 * thread per core) through the record-boundary rule into typed Arrow batches, then the tiling
 * check and any re-runs it asks for. {@code plain} has no quotes; {@code quoted} has the same
 * rows with a quoted two-line note in every fourth record, so blocks start inside quoted fields.
 * The score is MB of input per second for the whole file.
 *
 * <p>Run: {@code scripts/bench.sh split}, or {@code java -cp <test classpath> dev.spindle.jobs.bench.SplitThroughputBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED", "-Xmx3g"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
public class SplitThroughputBenchmark {

    static final String FILE = "memory:/bench/trips.csv";
    static final long BLOCK_SIZE = 4 << 20;
    static final int ROWS = 400_000;

    @Param({"plain", "quoted"})
    public String kind;

    /** {@code split}: record boundaries only; {@code parse}: also typed Arrow batches. */
    @Param({"parse"})
    public String stage;

    private InMemoryFileStore store;
    private List<Block> blocks;
    private TableSchema schema;
    private CsvDialect dialect;
    private RecordFormat format;
    private ExecutorService pool;
    private BufferAllocator allocator;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] csv = taxi(kind.equals("quoted"));
        store = new InMemoryFileStore();
        try (OutputStream out = store.create(FILE)) {
            out.write(csv);
        }
        blocks = BlockPlanner.builder().blockSize(BLOCK_SIZE).build().plan(store.list(FILE)).blocks();
        dialect = CsvDialect.defaults();
        format = RecordFormat.builder().header(RecordFormat.Header.PRESENT).build();
        SchemaInferrer inferrer = new SchemaInferrer(dialect);
        int headerEnd = indexOf(csv, (byte) '\n') + 1;
        inferrer.header(csv, 0, headerEnd - 1);
        int sampleEnd = headerEnd + (1 << 20);
        while (csv[sampleEnd - 1] != '\n' || quoted(csv, headerEnd, sampleEnd)) {
            sampleEnd++;
        }
        inferrer.sample(csv, headerEnd, sampleEnd - headerEnd, headerEnd, 2);
        schema = inferrer.result();
        pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        allocator = new RootAllocator();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.shutdownNow();
        allocator.close();
    }

    /** Reads every block in parallel, checks the tiling and re-runs wrong guesses; returns the rows. */
    @Benchmark
    public long allBlocks() throws Exception {
        List<Future<long[]>> runs = new ArrayList<>();
        for (Block block : blocks) {
            BlockRange range = block.ranges().get(0);
            runs.add(pool.submit(() -> read(range, RecordRangeReader.StartMode.GUESS)));
        }
        List<long[]> results = new ArrayList<>();
        List<TilingCheck.RangeResult> ranges = new ArrayList<>();
        List<BlockRange> planned = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            long[] result = runs.get(i).get();
            results.add(result);
            BlockRange range = blocks.get(i).ranges().get(0);
            planned.add(range);
            ranges.add(new TilingCheck.RangeResult(range.start(), range.end(), result[1], result[2]));
        }
        TilingCheck.Verdict verdict = TilingCheck.check(planned, ranges);
        while (!verdict.tiled()) {
            for (TilingCheck.Decision rerun : verdict.reruns()) {
                BlockRange range = planned.get(rerun.index());
                BlockRange known = new BlockRange(FILE, rerun.offset(), Math.max(rerun.offset(), range.end()), range.fileLength(), true);
                long[] result = read(known, RecordRangeReader.StartMode.KNOWN_RECORD_START);
                results.set(rerun.index(), result);
                ranges.set(rerun.index(), new TilingCheck.RangeResult(range.start(), range.end(), result[1], result[2]));
            }
            verdict = TilingCheck.check(planned, ranges);
        }
        long rows = 0;
        for (long[] result : results) {
            rows += result[0];
        }
        if (rows != ROWS) {
            throw new IllegalStateException("Read " + rows + " rows, not " + ROWS);
        }
        return rows;
    }

    /** {rows, first record offset, stop offset} of one range, parsed into typed batches. */
    private long[] read(BlockRange range, RecordRangeReader.StartMode mode) throws Exception {
        try (SeekableInput input = store.open(FILE);
                RecordRangeReader reader = RecordRangeReader.builder(input, range, format).startMode(mode).open();
                BatchBuilder batches = BatchBuilder.builder(schema, allocator).dialect(dialect)
                        .badRecords(bad -> {
                            throw new IllegalStateException(bad.message());
                        }).build()) {
            RecordChunk chunk;
            long rows = 0;
            while ((chunk = reader.next()) != null) {
                if (stage.equals("split")) {
                    rows += chunk.records();
                    continue;
                }
                batches.reset(chunk.buffer(), chunk.offset(), chunk.length(), chunk.fileOffset(), chunk.firstLine());
                while (batches.next()) {
                    rows += batches.root().getRowCount();
                }
            }
            return new long[] {rows, reader.firstRecordOffset(), reader.stopOffset()};
        }
    }

    /** The taxi CSV; with {@code quotedNotes}, every fourth store_and_fwd_flag is a quoted two-line note. */
    static byte[] taxi(boolean quotedNotes) throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new TaxiDataGenerator(42).write(plain, ROWS);
        if (!quotedNotes) {
            return plain.toByteArray();
        }
        String[] lines = plain.toString(US_ASCII).split("\n");
        StringBuilder quoted = new StringBuilder(plain.size() + ROWS * 8);
        quoted.append(lines[0]).append('\n');
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (i % 4 == 0) {
                int first = line.indexOf(',', line.indexOf(',', line.indexOf(',', line.indexOf(',') + 1) + 1) + 1);
                int second = line.indexOf(',', first + 1);
                line = line.substring(0, first + 1) + "\"N\nsee, note\"" + line.substring(second);
            }
            quoted.append(line).append('\n');
        }
        return quoted.toString().getBytes(US_ASCII);
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static boolean quoted(byte[] bytes, int from, int to) {
        int quotes = 0;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '"') {
                quotes++;
            }
        }
        return quotes % 2 != 0;
    }

    /** Runs both cases and prints {@code bench split_plain}, {@code bench split_quoted} (MB/s) and their ratio. */
    public static void main(String[] args) throws Exception {
        OptionsBuilder options = new OptionsBuilder();
        options.include(SplitThroughputBenchmark.class.getSimpleName());
        if (args.length > 0 && args[0].equals("--quick")) {
            options.warmupIterations(1).measurementIterations(2).warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3))
                    .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(3));
        }
        double plainMbPerSecond = 0;
        double quotedMbPerSecond = 0;
        for (RunResult result : new Runner(options.build()).run()) {
            String kind = result.getParams().getParam("kind");
            double mb = taxi(kind.equals("quoted")).length / 1e6;
            double seconds = result.getPrimaryResult().getScore() / 1000.0;
            if (kind.equals("plain")) {
                plainMbPerSecond = mb / seconds;
            } else {
                quotedMbPerSecond = mb / seconds;
            }
        }
        System.out.printf("bench split_plain %.0f%n", plainMbPerSecond);
        System.out.printf("bench split_quoted %.0f%n", quotedMbPerSecond);
        System.out.printf("bench split_quoted_vs_plain %.2f%n", quotedMbPerSecond / plainMbPerSecond);
    }
}
