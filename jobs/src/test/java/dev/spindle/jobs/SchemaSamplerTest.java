package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.codec.ColumnType;
import dev.spindle.codec.TableSchema;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.InMemoryFileStore;
import dev.spindle.io.store.InputCodecs;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class SchemaSamplerTest {

    private static final String FILE = "memory:/in/notes.csv";

    /** {@code id,note,amount} with quoted notes holding newlines and record-shaped lines. */
    static String quotedNotes(Random random, int rows) {
        StringBuilder csv = new StringBuilder("id,note,amount\n");
        for (int id = 0; id < rows; id++) {
            csv.append(id).append(',');
            if (random.nextInt(4) == 0) {
                csv.append("plain note ").append(id);
            } else {
                csv.append("\"first line of ").append(id).append('\n');
                int fakes = 1 + random.nextInt(6);
                for (int k = 0; k < fakes; k++) {
                    csv.append(random.nextInt(100_000)).append(",fake,").append(k).append('\n');
                }
                csv.append(random.nextBoolean() ? "a \"\"quoted\"\" word, and a comma" : "last line").append('"');
            }
            csv.append(',').append(id * 3L).append('\n');
        }
        return csv.toString();
    }

    private static TableSchema infer(String csv, long blockSize, Map<String, String> conf) throws Exception {
        return infer(csv, blockSize, conf, CsvJobSpec.SAMPLE_ROWS_DEFAULT);
    }

    private static TableSchema infer(String csv, long blockSize, Map<String, String> conf, int sampleRows)
            throws Exception {
        InMemoryFileStore store = new InMemoryFileStore();
        try (OutputStream out = store.create(FILE)) {
            out.write(csv.getBytes(UTF_8));
        }
        Configuration hadoop = new Configuration(false);
        conf.forEach(hadoop::set);
        CsvJobSpec options = CsvJobSpec.builder().sampleRows(sampleRows).build();
        return new SchemaSampler(store, options, CsvConfig.from(hadoop), InputCodecs.from(hadoop))
                .infer(BlockPlanner.builder().blockSize(blockSize).build().plan(store.list(FILE)).blocks());
    }

    @Test
    void infersTheTypesOfQuotedMultiLineRecordsFromOneBlock() throws Exception {
        TableSchema schema = infer(quotedNotes(new Random(11), 2_000), 64 << 20, Map.of());

        assertEquals(List.of(ColumnType.LONG, ColumnType.STRING, ColumnType.LONG),
                schema.columns().stream().map(c -> c.type()).toList(), schema.toString());
    }

    @Test
    void samplesNoMoreThanItsShareOfEachBlock() throws Exception {
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 0; i < 10_000; i++) {
            // the 3rd record of every 1,000 is not a long: 4 rows per block never reach it
            csv.append(i).append(',').append(i % 1000 == 3 ? "4x" : String.valueOf(i)).append('\n');
        }
        long blockSize = 4096;
        TableSchema sampled = infer(csv.toString(), blockSize, Map.of(), 8);
        TableSchema whole = infer(csv.toString(), blockSize, Map.of(), 100_000);

        assertEquals(ColumnType.LONG, sampled.column("amount").type(), "8 rows over 8 blocks: 1 row each, the first");
        assertEquals(ColumnType.STRING, whole.column("amount").type(), "a sample of everything sees 4x");
    }

    @Test
    void infersTheSameTypesWhenSampledBlocksGuessTheirStartWrong() throws Exception {
        TableSchema schema = infer(quotedNotes(new Random(11), 2_000), 4096, Map.of(CsvConfig.LOOK_AHEAD_BYTES, "40"));

        assertEquals(List.of(ColumnType.LONG, ColumnType.STRING, ColumnType.LONG),
                schema.columns().stream().map(c -> c.type()).toList(), schema.toString());
    }
}
