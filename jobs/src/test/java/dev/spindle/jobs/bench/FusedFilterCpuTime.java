package dev.spindle.jobs.bench;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.CsvTokenizer;
import dev.spindle.codec.RowSpans;
import dev.spindle.codec.SchemaInferrer;
import dev.spindle.codec.TableSchema;
import dev.spindle.jobs.TaxiDataGenerator;
import dev.spindle.jobs.filter.BoundFilter;
import dev.spindle.jobs.filter.FilterExpression;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.RootAllocator;

/**
 * The seed pipeline's fused path with the jobs' own compiled filter (not the codec benchmark's
 * hand-written one), timed by thread CPU time against the tokenizer on the same bytes, one
 * thread: {@code spindle generate-taxi} rows (64 MiB), {@code --filter} (default
 * {@code passenger_count > 3}), {@code --select medallion,pickup_datetime,trip_distance},
 * codec null. Prints the minimum over the runs after warm-up and the ratio.
 *
 * <pre>java --add-opens=java.base/java.nio=ALL-UNNAMED -cp ... dev.spindle.jobs.bench.FusedFilterCpuTime [filter [runs]]</pre>
 */
public final class FusedFilterCpuTime {

    private FusedFilterCpuTime() {
    }

    public static void main(String[] args) throws IOException {
        String filterText = args.length > 0 ? args[0] : "passenger_count > 3";
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        ByteArrayOutputStream generated = new ByteArrayOutputStream(1 << 26);
        new TaxiDataGenerator(42).write(generated, 400_000);
        byte[] file = generated.toByteArray();
        int headerEnd = indexOf(file, (byte) '\n') + 1;
        byte[] csv = java.util.Arrays.copyOfRange(file, headerEnd, file.length);
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        inferrer.header(file, 0, headerEnd);
        inferrer.sample(csv, 0, Math.min(csv.length, 4 << 20), headerEnd, 2);
        TableSchema schema = inferrer.result();
        List<String> columns = List.of("medallion", "pickup_datetime", "trip_distance");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long bestTokenize = Long.MAX_VALUE;
        long bestFiltered = Long.MAX_VALUE;
        long written = 0;
        long read = 0;
        try (RootAllocator allocator = new RootAllocator();
                BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
                    throw new IllegalStateException(b.message());
                }).build()) {
            BoundFilter filter = FilterExpression.parse(filterText).bind(schema.toArrowSchema());
            CsvTokenizer tokenizer = new CsvTokenizer(CsvDialect.defaults());
            RowSpans spans = new RowSpans();
            ByteArrayOutputStream out = new ByteArrayOutputStream(csv.length);
            for (int run = 0; run < runs; run++) {
                long start = threads.getCurrentThreadCpuTime();
                tokenizer.reset(csv, 0, csv.length, 0, 2);
                while (tokenizer.next(spans, BatchBuilder.BATCH_ROWS_DEFAULT) > 0) {
                    read += spans.rowCount();
                }
                long tokenized = threads.getCurrentThreadCpuTime();
                out.reset();
                builder.reset(csv, 0, csv.length, 0, 2);
                try (AvroBatchWriter writer = AvroBatchWriter.builder(schema, out).columns(columns).codec(AvroBatchWriter.Codec.NULL).build()) {
                    written = builder.drainTo(writer, filter);
                }
                long end = threads.getCurrentThreadCpuTime();
                if (run >= runs / 5) {
                    bestTokenize = Math.min(bestTokenize, tokenized - start);
                    bestFiltered = Math.min(bestFiltered, end - tokenized);
                }
            }
        }
        double mib = csv.length / 1048576.0;
        double tokenize = mib / (bestTokenize / 1e9);
        double filtered = mib / (bestFiltered / 1e9);
        System.out.printf(Locale.ROOT, "tokenize: %.0f MB/s; csv_to_avro_filtered (%s, jobs' compiled filter, %d of %d rows kept): %.0f MB/s;"
                + " ratio %.2f (CPU time, min of %d runs, %.0f MiB)%n", tokenize, filterText, written, read / runs, filtered,
                filtered / tokenize, runs - runs / 5, mib);
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
