package dev.spindle.io.split.bench;

import dev.spindle.io.split.BlockRange;
import dev.spindle.io.split.RecordChunk;
import dev.spindle.io.split.RecordFormat;
import dev.spindle.io.split.RecordRangeReader;
import dev.spindle.io.store.InputCodecs;
import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.compress.BZip2Codec;
import org.apache.hadoop.io.compress.DeflateCodec;
import org.apache.hadoop.io.compress.GzipCodec;
import org.apache.hadoop.util.ReflectionUtils;
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
 * Throughput of {@link RecordRangeReader} over a compressed ~16 MiB taxi-like CSV held in memory,
 * read whole through {@link InputCodecs} (pure-Java decompressors, no native libhadoop). MB/s are
 * of decompressed bytes. Run like {@link RecordRangeReaderBenchmark}, with this class's name.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Xmx1g")
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 2, time = 3)
public class CompressedReadBenchmark {
    static final int TARGET_BYTES = 16 << 20;

    @Param({"gz", "deflate", "zst", "bz2"})
    public String extension;

    private byte[] compressed;
    private RecordFormat format;
    private InputCodecs codecs;

    @Setup
    public void setUp() throws IOException {
        Configuration conf = new Configuration(false);
        codecs = InputCodecs.from(conf);
        format = RecordFormat.builder().header(RecordFormat.Header.PRESENT).build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = compressor(extension, bytes, conf)) {
            out.write(RecordRangeReaderBenchmark.taxiCsv(TARGET_BYTES, false, new Random(42)));
        }
        compressed = bytes.toByteArray();
    }

    private static OutputStream compressor(String extension, OutputStream out, Configuration conf) throws IOException {
        return switch (extension) {
            case "gz" -> ReflectionUtils.newInstance(GzipCodec.class, conf).createOutputStream(out);
            case "deflate" -> ReflectionUtils.newInstance(DeflateCodec.class, conf).createOutputStream(out);
            case "bz2" -> ReflectionUtils.newInstance(BZip2Codec.class, conf).createOutputStream(out);
            case "zst" -> new ZstdOutputStream(out);
            default -> throw new IllegalArgumentException("Unknown extension: " + extension);
        };
    }

    @Benchmark
    public long wholeFile() throws Exception {
        String location = "memory:/taxi.csv." + extension;
        BlockRange range = new BlockRange(location, 0, compressed.length, compressed.length, false);
        long records = 0;
        try (RecordRangeReader reader = RecordRangeReader.builder(
                new RecordRangeReaderBenchmark.InMemoryInput(compressed, location), range, format).codecs(codecs).open()) {
            for (RecordChunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
                records += chunk.records();
            }
        }
        return records;
    }

    /** Runs the benchmark and prints MB/s of decompressed CSV per codec. */
    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(CompressedReadBenchmark.class.getSimpleName())
                .build()).run();
        double bytes = RecordRangeReaderBenchmark.taxiCsv(TARGET_BYTES, false, new Random(42)).length;
        for (RunResult result : results) {
            System.out.printf("%-8s %8.0f MB/s%n", result.getParams().getParam("extension"),
                    result.getPrimaryResult().getScore() * bytes / 1e6);
        }
    }
}
