package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.store.InMemoryFileStore;
import java.io.OutputStream;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The client's check of an append or overwrite-partitions job against the dataset, on the in-memory store. */
class AppendCheckTest {

    private static final String OUT = "memory:/out";
    private final InMemoryFileStore store = new InMemoryFileStore();
    private final Configuration conf = new Configuration(false);

    private void write(String location, String text) throws Exception {
        try (OutputStream out = store.create(location)) {
            out.write(text.getBytes(UTF_8));
        }
    }

    /** A committed dataset: its manifest with this part schema, format and partition columns, and one part. */
    private void dataset(Schema schema, String format, List<String> partitionColumns) throws Exception {
        Manifest manifest = new Manifest("test", "application_1_0001", format, new ObjectMapper().readTree(schema.toString()),
                new Manifest.Counters(1, 1, 0, 0, 1, 1, 0, 1), List.of(new Manifest.Part("part-00000." + format, 1, 10)), List.of(),
                partitionColumns, List.of(), null);
        store.delete(OUT + "/_SUCCESS");
        try (OutputStream out = store.create(OUT + "/_SUCCESS")) {
            manifest.write(out);
        }
    }

    private static Schema record(String name, String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"fields\":[" + fields + "]}");
    }

    private static final String ID_CITY = "{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"city\",\"type\":\"string\"}";

    private static CsvJobSpec.Builder csv() {
        return CsvJobSpec.builder().format(OutputFormat.AVRO).codec("deflate").sampleRows(100);
    }

    private CsvJobSpec check(WriteMode mode, CsvJobSpec spec) throws Exception {
        return AppendCheck.check(store, conf, OUT, mode, spec, List.of("memory:/in/day-2.csv"), 0);
    }

    @Test
    void aMissingOrEmptyOutputIsAFirstWrite() throws Exception {
        CsvJobSpec spec = csv().build();
        assertSame(spec, check(WriteMode.APPEND, spec));
        write(OUT + "/_temporary/application_1_0001/x", "dead job");
        assertSame(spec, check(WriteMode.APPEND, spec));
    }

    @Test
    void filesWithoutAManifestAreRefused() throws Exception {
        write(OUT + "/data.csv", "a");
        UsageException e = assertThrows(UsageException.class, () -> check(WriteMode.APPEND, csv().build()));
        assertEquals("Cannot append to memory:/out: it holds files (data.csv) but no _SUCCESS manifest, so it is not a committed "
                + "Spindle dataset (use --write-mode overwrite to replace it)", e.getMessage());
    }

    @Test
    void theInferredSchemaIsComparedAndTakesTheDatasetsRecordName() throws Exception {
        dataset(record("day_1", ID_CITY), "avro", List.of());
        write("memory:/in/day-2.csv", "id,city\n1,Paris\n2,Rome\n");

        CsvJobSpec checked = check(WriteMode.APPEND, csv().build());

        assertEquals("day_1", checked.schema().getName(), "the job is given the inferred schema with the dataset's name");
        assertEquals(List.of("id", "city"), checked.schema().getFields().stream().map(Schema.Field::name).toList());
    }

    @Test
    void anotherSchemaIsRefusedNamingEveryDifference() throws Exception {
        dataset(record("day_1", ID_CITY + ",{\"name\":\"tip\",\"type\":\"double\"}"), "avro", List.of());
        write("memory:/in/day-2.csv", "id,city,fare\nx1,Paris,1.5\nx2,Rome,2.5\n");

        UsageException e = assertThrows(UsageException.class, () -> check(WriteMode.APPEND, csv().build()));

        assertEquals(("Cannot append to memory:/out: the new data's schema differs from the dataset's: column id is \"long\" in the "
                + "dataset, \"string\" in the new data; column tip (\"double\") only in the dataset; column fare (\"double\") only in "
                + "the new data%n  dataset:  %s%n  new data: %s").formatted(record("day_1", ID_CITY + ",{\"name\":\"tip\",\"type\":\"double\"}"),
                        record("day_1", "{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"city\",\"type\":\"string\"},"
                                + "{\"name\":\"fare\",\"type\":\"double\"}")), e.getMessage());
    }

    @Test
    void aGivenSchemaMustHaveTheDatasetsRecordNameAndColumnOrder() throws Exception {
        dataset(record("day_1", ID_CITY), "avro", List.of());
        write("memory:/in/day-2.csv", "id,city\n1,Paris\n");
        UsageException named = assertThrows(UsageException.class,
                () -> check(WriteMode.APPEND, csv().schema(record("trips", ID_CITY)).build()));
        assertEquals("Cannot append to memory:/out: the new data's schema differs from the dataset's: record day_1, new data trips",
                named.getMessage().lines().findFirst().orElseThrow());
        UsageException order = assertThrows(UsageException.class, () -> check(WriteMode.APPEND,
                csv().schema(record("day_1", "{\"name\":\"city\",\"type\":\"string\"},{\"name\":\"id\",\"type\":\"long\"}")).build()));
        assertEquals("Cannot append to memory:/out: the new data's schema differs from the dataset's: the columns are in another "
                + "order: dataset [id, city], new data [city, id]", order.getMessage().lines().findFirst().orElseThrow());
        CsvJobSpec same = csv().schema(record("day_1", ID_CITY)).build();
        assertSame(same, check(WriteMode.APPEND, same));
    }

    @Test
    void anotherFormatOrOtherPartitionColumnsAreRefused() throws Exception {
        dataset(record("day_1", ID_CITY), "parquet", List.of());
        UsageException format = assertThrows(UsageException.class, () -> check(WriteMode.APPEND, csv().build()));
        assertEquals("Cannot append avro to memory:/out: it is a parquet dataset", format.getMessage());

        dataset(record("day_1", "{\"name\":\"id\",\"type\":\"long\"}"), "avro", List.of("city"));
        UsageException unpartitioned = assertThrows(UsageException.class, () -> check(WriteMode.OVERWRITE_PARTITIONS, csv().build()));
        assertEquals("Cannot overwrite-partitions to memory:/out: the dataset is partitioned by city, the job by nothing "
                + "(--partition-by must be city)", unpartitioned.getMessage());
        UsageException other = assertThrows(UsageException.class,
                () -> check(WriteMode.APPEND, csv().partitionBy(List.of("day")).build()));
        assertEquals("Cannot append to memory:/out: the dataset is partitioned by city, the job by day (--partition-by must be city)",
                other.getMessage());
    }

    @Test
    void overwritePartitionsWithoutPartitionsIsAnOverwriteOfAnySchema() throws Exception {
        dataset(record("day_1", ID_CITY), "avro", List.of());
        CsvJobSpec spec = csv().schema(record("other", "{\"name\":\"x\",\"type\":\"string\"}")).build();
        assertSame(spec, check(WriteMode.OVERWRITE_PARTITIONS, spec));
        UsageException partitioned = assertThrows(UsageException.class,
                () -> check(WriteMode.OVERWRITE_PARTITIONS, csv().partitionBy(List.of("city")).build()));
        assertEquals("Cannot overwrite-partitions to memory:/out: the dataset is partitioned by nothing, the job by city "
                + "(--partition-by must not be given)", partitioned.getMessage());
    }
}
