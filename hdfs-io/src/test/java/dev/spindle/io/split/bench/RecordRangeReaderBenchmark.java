package dev.spindle.io.split.bench;

import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordFormat;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.store.SeekableInput;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Throughput of {@link RecordRangeReader} over a ~64 MiB taxi-like CSV (14 columns) held in
 * memory, with and without quoted fields holding newlines. One operation reads one block: the
 * whole file from byte 0, or its second half with a guessed start.
 *
 * <p>Run (prints MB/s):
 * <pre>
 * mvn -q -o -pl hdfs-io -am test-compile
 * mvn -q -o -pl hdfs-io dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp hdfs-io/target/test-classes:hdfs-io/target/classes:$(cat hdfs-io/target/cp.txt) \
 *     dev.spindle.io.bench.RecordRangeReaderBenchmark
 * </pre>
 * or the plain JMH main: {@code org.openjdk.jmh.Main RecordRange -f 1 -wi 2 -i 3}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class RecordRangeReaderBenchmark {
    static final int TARGET_BYTES = 64 << 20;

    @Param({"false", "true"})
    public boolean quotedNewlines;

    private byte[] file;
    private RecordFormat format;

    @Setup
    public void setUp() {
        file = taxiCsv(TARGET_BYTES, quotedNewlines, new Random(42));
        format = RecordFormat.builder().header(RecordFormat.Header.PRESENT).build();
    }

    @Benchmark
    public long wholeFile() throws Exception {
        return read(0, file.length);
    }

    @Benchmark
    public long secondHalfGuessed() throws Exception {
        return read(file.length / 2, file.length);
    }

    private long read(long start, long end) throws Exception {
        BlockRange range = new BlockRange("memory:/taxi.csv", start, end, file.length, true);
        long records = 0;
        try (RecordRangeReader reader = RecordRangeReader.builder(new InMemoryInput(file), range, format).open()) {
            for (RecordChunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
                records += chunk.records();
            }
        }
        return records;
    }

    /** A yellow-taxi-like file: 14 columns; with quoted newlines, one row in 8 has a 2-line note. */
    static byte[] taxiCsv(int targetBytes, boolean quotedNewlines, Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(targetBytes + 4096);
        out.writeBytes(("VendorID,tpep_pickup_datetime,tpep_dropoff_datetime,passenger_count,trip_distance,"
                + "RatecodeID,store_and_fwd_flag,PULocationID,DOLocationID,payment_type,fare_amount,tip_amount,"
                + "total_amount,note\n").getBytes(StandardCharsets.US_ASCII));
        StringBuilder row = new StringBuilder(256);
        while (out.size() < targetBytes) {
            row.setLength(0);
            int minute = random.nextInt(60);
            row.append(1 + random.nextInt(2)).append(",2024-01-")
                    .append(10 + random.nextInt(18)).append(' ').append(10 + random.nextInt(13)).append(':')
                    .append(10 + minute % 50).append(":0").append(random.nextInt(10)).append(",2024-01-")
                    .append(10 + random.nextInt(18)).append(' ').append(10 + random.nextInt(13)).append(':')
                    .append(10 + minute % 50).append(":1").append(random.nextInt(10)).append(',')
                    .append(1 + random.nextInt(4)).append(',').append(random.nextInt(30)).append('.').append(random.nextInt(100))
                    .append(",1,N,").append(1 + random.nextInt(265)).append(',').append(1 + random.nextInt(265)).append(',')
                    .append(1 + random.nextInt(4)).append(',').append(random.nextInt(80)).append('.').append(random.nextInt(100))
                    .append(',').append(random.nextInt(20)).append('.').append(random.nextInt(100)).append(',')
                    .append(random.nextInt(100)).append('.').append(random.nextInt(100)).append(',');
            if (quotedNewlines && random.nextInt(8) == 0) {
                row.append("\"driver said \"\"ok\"\",\nsecond line\"");
            } else if (quotedNewlines) {
                row.append("\"plain, quoted\"");
            }
            row.append('\n');
            out.writeBytes(row.toString().getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    /** Runs the benchmark and prints MB/s per case. */
    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(RecordRangeReaderBenchmark.class.getSimpleName())
                .build()).run();
        for (RunResult result : results) {
            double opsPerSecond = result.getPrimaryResult().getScore();
            boolean quoted = Boolean.parseBoolean(result.getParams().getParam("quotedNewlines"));
            String benchmark = result.getParams().getBenchmark();
            double bytes = taxiCsv(TARGET_BYTES, quoted, new Random(42)).length;
            if (benchmark.endsWith("secondHalfGuessed")) {
                bytes = bytes / 2;
            }
            System.out.printf("%-70s quotedNewlines=%-5s %8.0f MB/s%n", benchmark, quoted, opsPerSecond * bytes / 1e6);
        }
    }

    static final class InMemoryInput implements SeekableInput {
        private final byte[] data;

        private final String location;

        InMemoryInput(byte[] data) {
            this(data, "memory:/taxi.csv");
        }

        InMemoryInput(byte[] data, String location) {
            this.data = data;
            this.location = location;
        }

        @Override
        public long length() {
            return data.length;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) {
            if (position >= data.length) {
                return -1;
            }
            int n = (int) Math.min(length, data.length - position);
            System.arraycopy(data, (int) position, buffer, offset, n);
            return n;
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws EOFException {
            if (position + length > data.length) {
                throw new EOFException("Cannot read %d bytes at %d: %s".formatted(length, position, location));
            }
            System.arraycopy(data, (int) position, buffer, offset, length);
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public void close() {}
    }
}
