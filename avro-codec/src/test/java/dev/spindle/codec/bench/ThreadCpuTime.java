package dev.spindle.codec.bench;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.CsvTokenizer;
import dev.spindle.codec.RowSpans;
import dev.spindle.codec.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.arrow.memory.RootAllocator;

/**
 * The JMH benchmarks' operations timed by the thread's CPU time instead of the wall clock: on a
 * shared, loaded machine the wall clock counts time spent waiting for a core, CPU time does
 * not (hyper-threading siblings still slow it). Prints the minimum over the runs after warm-up.
 *
 * <pre>java --add-opens=java.base/java.nio=ALL-UNNAMED -cp ... dev.spindle.codec.bench.ThreadCpuTime \
 *     tokenize|csv_to_arrow|csv_to_avro|csv_to_avro_arrow|csv_to_avro_filtered [codec [deflateLevel [runs]]]</pre>
 */
public final class ThreadCpuTime {

    private ThreadCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ThreadCpuTime tokenize|csv_to_arrow|csv_to_avro|csv_to_avro_arrow|csv_to_avro_filtered [codec [deflateLevel [runs]]]");
            System.exit(2);
        }
        String benchmark = args[0];
        AvroBatchWriter.Codec codec = AvroBatchWriter.Codec.fromName(args.length > 1 ? args[1] : "null");
        int deflateLevel = args.length > 2 ? Integer.parseInt(args[2]) : AvroBatchWriter.DEFLATE_LEVEL_DEFAULT;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 25;
        byte[] csv = TaxiCsv.records(1 << 26, 42);
        TableSchema schema = InferBenchmark.infer(csv, TaxiCsv.HEADER.getBytes(StandardCharsets.US_ASCII));
        String keep = System.getProperty("bench.keepTypes");
        if (keep != null) {
            // -Dbench.keepTypes=DOUBLE,LONG: columns of other types read as strings (cost per type)
            java.util.List<String> kept = java.util.List.of(keep.split(","));
            schema = new TableSchema(schema.columns().stream().map(c -> kept.contains(c.type().name()) ? c
                    : new dev.spindle.codec.Column(c.name(), c.originalName(), dev.spindle.codec.ColumnType.STRING, c.nullable())).toList());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long best = Long.MAX_VALUE;
        long outputBytes = 0;
        try (RootAllocator allocator = new RootAllocator();
                BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
                    throw new IllegalStateException(b.message());
                }).build()) {
            CsvTokenizer tokenizer = new CsvTokenizer(CsvDialect.defaults());
            RowSpans spans = new RowSpans();
            ByteArrayOutputStream out = new ByteArrayOutputStream(csv.length);
            for (int run = 0; run < runs; run++) {
                long start = threads.getCurrentThreadCpuTime();
                switch (benchmark) {
                    case "tokenize":
                        tokenizer.reset(csv, 0, csv.length, 0, 2);
                        while (tokenizer.next(spans, BatchBuilder.BATCH_ROWS_DEFAULT) > 0) {
                            outputBytes += spans.rowCount();
                        }
                        break;
                    case "csv_to_arrow":
                        builder.reset(csv, 0, csv.length, 0, 2);
                        while (builder.next()) {
                            outputBytes += builder.root().getRowCount();
                        }
                        break;
                    case "csv_to_avro":
                        out.reset();
                        builder.reset(csv, 0, csv.length, 0, 2);
                        try (AvroBatchWriter writer = AvroBatchWriter.builder(schema, out).codec(codec).deflateLevel(deflateLevel).build()) {
                            builder.drainTo(writer);
                        }
                        outputBytes = out.size();
                        break;
                    case "csv_to_avro_arrow":
                        out.reset();
                        builder.reset(csv, 0, csv.length, 0, 2);
                        try (AvroBatchWriter writer = AvroBatchWriter.builder(schema, out).codec(codec).deflateLevel(deflateLevel).build()) {
                            while (builder.next()) {
                                writer.write(builder.root());
                            }
                        }
                        outputBytes = out.size();
                        break;
                    case "csv_to_avro_filtered":
                        out.reset();
                        builder.reset(csv, 0, csv.length, 0, 2);
                        try (AvroBatchWriter writer = AvroBatchWriter.builder(schema, out).columns(CsvToAvroBenchmark.SEED_COLUMNS)
                                .codec(codec).deflateLevel(deflateLevel).build()) {
                            builder.drainTo(writer, new CsvToAvroBenchmark.PassengersOverThree(schema));
                        }
                        outputBytes = out.size();
                        break;
                    default:
                        throw new IllegalArgumentException("Unknown benchmark '" + benchmark
                                + "'; valid: tokenize, csv_to_arrow, csv_to_avro, csv_to_avro_arrow, csv_to_avro_filtered");
                }
                long nanos = threads.getCurrentThreadCpuTime() - start;
                if (run >= runs / 5) {
                    best = Math.min(best, nanos);
                }
            }
        }
        String what = benchmark.startsWith("csv_to_avro") ? benchmark + " " + codec.name().toLowerCase(Locale.ROOT)
                + (codec == AvroBatchWriter.Codec.DEFLATE ? " level " + deflateLevel : "") : benchmark;
        System.out.printf(Locale.ROOT, "%s: %.1f ms CPU (min of %d runs) = %.0f MB/s of CSV%s%n", what, best / 1e6, runs - runs / 5,
                csv.length / 1048576.0 / (best / 1e9),
                benchmark.startsWith("csv_to_avro") ? String.format(Locale.ROOT, ", output %.3f of the CSV size", outputBytes / (double) csv.length) : "");
    }
}
