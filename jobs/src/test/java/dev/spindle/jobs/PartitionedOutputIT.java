package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --partition-by} on the embedded cluster, one Parquet job: the partitions and their rows
 * compared with the CSV grouped here by hand, and DuckDB's {@code hive_partitioning} reading of
 * the output (an independent reader of Hive's layout) compared with the same.
 */
@ExtendWith(SharedCluster.Resolver.class)
class PartitionedOutputIT {

    private static final String[] VENDORS = {"CMT", "VTS", "", "a/b:c"};

    @Test
    void partitionsByAColumnWithAnEmptyValueAndOneThatNeedsEscaping(SharedCluster cluster) throws Exception {
        // the expected partitions, from the rows as generated: passenger_count > 1 kept, by vendor_id
        Map<String, long[]> expected = new TreeMap<>(); // vendor -> {rows, sum of ids}
        cluster.write("/data/partitioned/trips.csv", trips(15, 20_000, true, expected));
        Path ddl = Files.createTempFile(Path.of("target"), "trips", ".hql");

        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-parquet",
                "-D", CsvConfig.PARTITION_MAX_OPEN_WRITERS + "=2",
                "--cluster", cluster.confDir(), "--input", "/data/partitioned", "--output", "/out/partitioned",
                "--block-size", "128k", "--filter", "passenger_count > 1", "--select", "id,trip_distance,pickup_datetime",
                "--partition-by", "vendor_id", "--hive-ddl", ddl.toString()));
        assertEquals(0, run.exitCode(), run.toString());

        JsonNode manifest = cluster.manifest("/out/partitioned");
        assertEquals("[\"vendor_id\"]", manifest.path("partitionColumns").toString());
        Map<String, Long> manifestRows = new TreeMap<>();
        long partRows = 0;
        for (JsonNode partition : manifest.path("partitions")) {
            JsonNode value = partition.path("values").path("vendor_id");
            manifestRows.put(value.isNull() ? "\0null" : value.asText(), partition.path("rows").asLong());
            for (JsonNode part : partition.path("parts")) {
                assertTrue(part.path("path").asText().startsWith(partition.path("path").asText() + "/part-"), part.toString());
                partRows += part.path("rows").asLong();
            }
        }
        Map<String, Long> expectedRows = new TreeMap<>();
        expected.forEach((vendor, totals) -> expectedRows.put(vendor, totals[0]));
        assertEquals(expectedRows, manifestRows);
        assertEquals(manifest.path("counters").path("rowsWritten").asLong(), partRows);

        FileSystem fs = cluster.fs();
        for (String directory : new String[] {"vendor_id=CMT", "vendor_id=VTS", "vendor_id=__HIVE_DEFAULT_PARTITION__", "vendor_id=a%2Fb%3Ac"}) {
            FileStatus[] parts = fs.listStatus(new org.apache.hadoop.fs.Path("/out/partitioned/" + directory));
            assertTrue(parts.length >= 2, directory + " has a part per block at least: " + parts.length);
        }
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path("/out/partitioned/_temporary")));

        // DuckDB reads the layout as Hive's: vendor_id from the directory names, the other columns from the parts
        Path local = Files.createTempDirectory(Path.of("target"), "partitioned-");
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path("/out/partitioned"), new org.apache.hadoop.fs.Path(local.toAbsolutePath().toString()));
        Map<String, long[]> duckdb = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement sql = connection.createStatement();
                ResultSet result = sql.executeQuery("SELECT vendor_id, count(*), sum(id) FROM read_parquet('" + local.toAbsolutePath()
                        + "/partitioned/*/*.parquet', hive_partitioning = true) GROUP BY vendor_id")) {
            while (result.next()) {
                String vendor = result.getString(1);
                assertTrue(vendor != null, "DuckDB 1.4 reads no partition value as NULL here");
                // DuckDB decodes %XX as Hive does, but keeps Hive's default partition name as text
                // (Hive and Spark read it as NULL): it is the rows whose vendor_id was empty
                duckdb.put(vendor.equals(PartitionPaths.DEFAULT_PARTITION) ? "\0null" : vendor, new long[] {result.getLong(2), result.getLong(3)});
            }
        }
        assertEquals(describe(expected), describe(duckdb));

        String statements = Files.readString(ddl, UTF_8);
        assertTrue(statements.contains("PARTITIONED BY (\n  `vendor_id` STRING\n)\nSTORED AS PARQUET\nLOCATION 'hdfs://"), statements);
        assertTrue(statements.contains("`pickup_datetime` TIMESTAMP"), statements);
        assertTrue(statements.endsWith("/out/partitioned';\nMSCK REPAIR TABLE `trips`;\n"), statements);
    }

    @Test
    void partitionsAParquetInputByAStringColumn(SharedCluster cluster) throws Exception {
        Map<String, long[]> expected = new TreeMap<>(); // vendor -> {rows, sum of ids}
        cluster.write("/data/partition-parquet-src/trips.csv", trips(16, 30_000, false, expected));
        CliRun toParquet = CliRun.of(CliRun.withJobJar("csv-to-parquet", "--cluster", cluster.confDir(),
                "--input", "/data/partition-parquet-src", "--output", "/data/partition-parquet"));
        assertEquals(0, toParquet.exitCode(), toParquet.toString());

        // the Parquet input, partitioned by vendor_id into Avro; the filter reads a column that is not written
        CliRun run = CliRun.of(CliRun.withJobJar("parquet-to-avro", "--cluster", cluster.confDir(),
                "--input", "/data/partition-parquet", "--output", "/out/partitioned-from-parquet",
                "--filter", "passenger_count > 1", "--select", "id,trip_distance", "--partition-by", "vendor_id"));
        assertEquals(0, run.exitCode(), run.toString());

        JsonNode manifest = cluster.manifest("/out/partitioned-from-parquet");
        assertEquals("[\"vendor_id\"]", manifest.path("partitionColumns").toString());
        Map<String, long[]> actual = new TreeMap<>();
        for (JsonNode partition : manifest.path("partitions")) {
            JsonNode value = partition.path("values").path("vendor_id");
            long[] totals = actual.computeIfAbsent(value.isNull() ? "\0null" : value.asText(), v -> new long[2]);
            for (JsonNode part : partition.path("parts")) {
                // each part's records, read with the Avro library: id and trip_distance only
                try (java.io.InputStream in = cluster.fs().open(new org.apache.hadoop.fs.Path("/out/partitioned-from-parquet/" + part.path("path").asText()));
                        org.apache.avro.file.DataFileStream<org.apache.avro.generic.GenericRecord> file = new org.apache.avro.file.DataFileStream<>(in,
                                new org.apache.avro.generic.GenericDatumReader<>())) {
                    assertEquals(java.util.List.of("id", "trip_distance"),
                            file.getSchema().getFields().stream().map(org.apache.avro.Schema.Field::name).toList());
                    for (org.apache.avro.generic.GenericRecord record : file) {
                        totals[0]++;
                        totals[1] += (Long) record.get("id");
                    }
                }
            }
            assertEquals(totals[0], partition.path("rows").asLong(), partition.toString());
        }
        assertEquals(describe(expected), describe(actual));
        JsonNode counters = manifest.path("counters");
        assertEquals(30_000, counters.path("rowsRead").asLong());
        assertEquals(30_000, counters.path("rowsWritten").asLong() + counters.path("rowsFiltered").asLong());
        assertTrue(cluster.fs().exists(new org.apache.hadoop.fs.Path("/out/partitioned-from-parquet/vendor_id=a%2Fb%3Ac")));
        assertTrue(cluster.fs().exists(new org.apache.hadoop.fs.Path("/out/partitioned-from-parquet/vendor_id=__HIVE_DEFAULT_PARTITION__")));
    }

    /**
     * A CSV of {@code rows} trips with random vendors (the empty one and one that needs escaping
     * among them) and passenger counts; {@code expected} gets, per vendor ({@code "\0null"} for
     * the empty one), the rows with passenger_count > 1 and the sum of their ids.
     */
    private static byte[] trips(long seed, int rows, boolean withPickup, Map<String, long[]> expected) {
        StringBuilder csv = new StringBuilder("id,vendor_id,passenger_count,trip_distance" + (withPickup ? ",pickup_datetime" : "") + "\n");
        Random random = new Random(seed);
        for (int id = 0; id < rows; id++) {
            String vendor = VENDORS[random.nextInt(VENDORS.length)];
            int passengers = random.nextInt(4);
            csv.append(id).append(',').append(vendor).append(',').append(passengers).append(',').append(random.nextInt(2000) / 100.0);
            if (withPickup) {
                csv.append(",2013-01-0").append(1 + id % 9).append(" 10:").append(10 + id % 50).append(":00");
            }
            csv.append('\n');
            if (passengers > 1) {
                long[] totals = expected.computeIfAbsent(vendor.isEmpty() ? "\0null" : vendor, v -> new long[2]);
                totals[0]++;
                totals[1] += id;
            }
        }
        return csv.toString().getBytes(UTF_8);
    }

    private static String describe(Map<String, long[]> totals) {
        StringBuilder text = new StringBuilder();
        totals.forEach((vendor, t) -> text.append(vendor.replace("\0", "")).append(": ").append(t[0]).append(" rows, ids ").append(t[1]).append('\n'));
        return text.toString();
    }
}
