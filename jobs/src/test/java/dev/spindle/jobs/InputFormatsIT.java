package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Random;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Avro and Parquet as job inputs on the embedded cluster: CSV -> Avro -> Parquet -> Avro keeps
 * every record (dates, local and UTC timestamps, nulls); an Avro file of many sync blocks and a
 * DuckDB-written Parquet file of many row groups are split into several blocks and read exactly
 * once, with --filter and --select; a mix of formats is a usage error. Decimals of an Avro file
 * (bytes and fixed) and of Parquet files (parquet-avro's binary and fixed, DuckDB's INT32 and INT64)
 * are written as decimals of the same precision and scale with exact values; Avro int and float
 * and Parquet INT32 and FLOAT stay 32-bit, and an int column can be filtered on; an enum becomes a
 * string, bytes and fixed become bytes. Parquet is checked with
 * DuckDB, which shares no code with ours, Avro with Avro's own GenericDatumReader.
 */
@ExtendWith(SharedCluster.Resolver.class)
class InputFormatsIT {

    private static final int ROWS = 12_000;
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter INSTANT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private static SharedCluster cluster;
    private static FileSystem fs;
    private static String confDir;

    @BeforeAll
    static void connect(SharedCluster shared) {
        cluster = shared;
        fs = shared.fs();
        confDir = cluster.confDir();
    }

    /** The rows as "id|name|day (epoch days)|local (µs)|at (µs)|amount", a null as "null". */
    private static List<String> expectedRows() {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            rows.add(row(i));
        }
        return rows;
    }

    private static LocalDateTime local(int i) {
        return LocalDateTime.of(2024, 1, 1, 0, 0).plusSeconds(i * 37L).plus(i % 1000, ChronoUnit.MILLIS);
    }

    private static String row(int i) {
        long localMicros = ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), local(i));
        long atMicros = localMicros + 3_600_000_000L * (i % 5);
        return i + "|name " + (i * 7919 % 1000) + "|" + LocalDate.of(2023, 6, 1).plusDays(i % 500).toEpochDay() + "|" + localMicros + "|" + atMicros
                + "|" + (i % 9 == 4 ? "null" : Double.toString(i % 1000 / 4.0));
    }

    private static byte[] csv() {
        StringBuilder csv = new StringBuilder("id,name,day,local,at,amount\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(i).append(",name ").append(i * 7919 % 1000).append(',').append(LocalDate.of(2023, 6, 1).plusDays(i % 500)).append(',')
                    .append(LOCAL.format(local(i))).append(',')
                    .append(INSTANT.format(local(i).plusHours(i % 5))).append(',')
                    .append(i % 9 == 4 ? "" : Double.toString(i % 1000 / 4.0)).append('\n');
        }
        return csv.toString().getBytes(UTF_8);
    }

    private static CliRun run(String command, String... args) {
        List<String> all = new ArrayList<>(List.of("--cluster", confDir, "--quiet"));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(CliRun.withJobJar(command, all.toArray(new String[0])));
        assertEquals(0, run.exitCode(), run.toString());
        return run;
    }

    @Test
    void csvToAvroToParquetToAvroKeepsEveryRecordAndLogicalType() throws Exception {
        cluster.write("/data/formats/trips.csv", csv());
        List<String> expected = expectedRows();

        run("csv-to-avro", "--input", "/data/formats/trips.csv", "--output", "/out/formats/avro", "--codec", "null");
        Path avro = local("/out/formats/avro");
        assertMultisetEquals(expected, avroRows(avro));
        String avroPart = cluster.manifest("/out/formats/avro").path("parts").get(0).path("path").asText();
        long avroBytes = cluster.manifest("/out/formats/avro").path("parts").get(0).path("bytes").asLong();
        assertEquals(1, cluster.manifest("/out/formats/avro").path("parts").size());
        int syncBlocks = syncBlocks(avro.resolve(avroPart));
        assertTrue(syncBlocks >= 5, "an Avro part of many sync blocks: " + syncBlocks);

        // the Avro part cut into ranges that fall between sync markers
        long blockSize = Math.max(1024, avroBytes / 5);
        run("avro-to-parquet", "--input", "/out/formats/avro", "--output", "/out/formats/parquet", "--block-size", Long.toString(blockSize));
        JsonNode parquet = cluster.manifest("/out/formats/parquet");
        assertTrue(parquet.path("parts").size() >= 4, parquet.toString());
        assertCounters(parquet, ROWS, ROWS, 0);
        Path parquetDir = local("/out/formats/parquet");
        assertMultisetEquals(expected, duckDbRows(parquetDir + "/part-*.parquet", ""));
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet types = statement.executeQuery("SELECT any_value(typeof(day)), any_value(typeof(local)), any_value(typeof(\"at\")) FROM read_parquet('"
                        + parquetDir + "/part-*.parquet')")) {
            assertTrue(types.next());
            assertEquals("DATE", types.getString(1));
            assertEquals("TIMESTAMP", types.getString(2), "a local timestamp stays without time zone");
            assertEquals("TIMESTAMP WITH TIME ZONE", types.getString(3));
        }

        run("parquet-to-avro", "--input", "/out/formats/parquet", "--output", "/out/formats/avro-again");
        assertMultisetEquals(expected, avroRows(local("/out/formats/avro-again")));

        // an Avro input detected by its bytes, filtered and projected by csv-to-parquet
        run("csv-to-parquet", "--input", "/out/formats/avro", "--output", "/out/formats/avro-filtered", "--block-size", Long.toString(blockSize),
                "--filter", "amount IS NULL OR id < 1000", "--select", "at,id");
        List<String> kept = new ArrayList<>();
        for (String row : expected) {
            String[] f = row.split("\\|");
            if (f[5].equals("null") || Long.parseLong(f[0]) < 1000) {
                kept.add(f[4] + "|" + f[0]);
            }
        }
        JsonNode filtered = cluster.manifest("/out/formats/avro-filtered");
        assertCounters(filtered, ROWS, kept.size(), ROWS - kept.size());
        String parts = local("/out/formats/avro-filtered") + "/part-*.parquet";
        assertMultisetEquals(kept, duckDb("SELECT epoch_us(\"at\") || '|' || id, 1 FROM read_parquet('%s')".formatted(parts), 1));
        assertEquals(List.of("at", "id"), duckDb("SELECT column_name, 1 FROM (DESCRIBE SELECT * FROM read_parquet('%s'))".formatted(parts), 1),
                "only the selected columns, in --select's order");
    }

    @Test
    void aDuckDbParquetFileOfManyRowGroupsIsSplitFilteredAndProjected() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target"), "duckdb-");
        Path file = dir.resolve("trips.parquet");
        Path csvFile = dir.resolve("trips.csv");
        Files.write(csvFile, csv());
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute(("COPY (SELECT id::BIGINT AS id, name::VARCHAR AS name, day::DATE AS day, local::TIMESTAMP AS local, "
                    + "\"at\"::TIMESTAMPTZ AS \"at\", amount::DOUBLE AS amount FROM read_csv('%s', all_varchar = true)) "
                    + "TO '%s' (FORMAT PARQUET, ROW_GROUP_SIZE 1000)").formatted(csvFile, file));
        }
        int rowGroups = (int) duckDb("SELECT count(DISTINCT row_group_id) || '', 1 FROM parquet_metadata('" + file + "')", 1).stream()
                .mapToLong(Long::parseLong).sum();
        assertTrue(rowGroups >= 5, "row groups: " + rowGroups);
        cluster.write("/data/duckdb/trips.parquet", Files.readAllBytes(file));
        long length = Files.size(file);

        run("parquet-to-avro", "--input", "/data/duckdb/trips.parquet", "--output", "/out/duckdb/avro", "--block-size", Long.toString(Math.max(1024, length / 6)),
                "--filter", "amount > 100 AND day >= '2024-01-01'", "--select", "name,id,day,local");
        JsonNode manifest = cluster.manifest("/out/duckdb/avro");
        assertTrue(manifest.path("parts").size() >= 4, manifest.toString());
        List<String> expected = duckDb(("SELECT name || '|' || id || '|' || (day - DATE '1970-01-01') || '|' || epoch_us(local), 1 FROM read_parquet('%s') "
                + "WHERE amount > 100 AND day >= DATE '2024-01-01'").formatted(file), 1);
        assertCounters(manifest, ROWS, expected.size(), ROWS - expected.size());
        // the records' fields in --select's order
        assertMultisetEquals(expected, avroRows(local("/out/duckdb/avro")));
    }

    private static final Schema DECIMALS = new Schema.Parser().parse("""
            {"type":"record","name":"ledger","fields":[
             {"name":"id","type":"long"},
             {"name":"price","type":["null",{"type":"bytes","logicalType":"decimal","precision":9,"scale":2}],"default":null},
             {"name":"total","type":{"type":"fixed","name":"total16","size":16,"logicalType":"decimal","precision":38,"scale":10}}]}""");
    private static final int DECIMAL_ROWS = 6_000;

    /** Row {@code i} of the decimal files as "id|price|total" (plain decimal text, a null as "null"): seeded random values of both signs. */
    private static List<String> decimalRows() {
        Random random = new Random(15);
        BigInteger total = BigInteger.TEN.pow(38);
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < DECIMAL_ROWS; i++) {
            long price = random.nextLong() % 1_000_000_000L;
            BigInteger unscaled = new BigInteger(127, random).mod(total);
            if (random.nextBoolean()) {
                unscaled = unscaled.negate();
            }
            if (i == 1) {
                price = 999_999_999L;
                unscaled = total.subtract(BigInteger.ONE).negate();
            }
            rows.add(i + "|" + (i % 11 == 3 ? "null" : BigDecimal.valueOf(price, 2).toPlainString()) + "|" + new BigDecimal(unscaled, 10).toPlainString());
        }
        return rows;
    }

    private static List<GenericRecord> decimalRecords(List<String> rows) {
        Schema fixed = DECIMALS.getField("total").schema();
        Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
        List<GenericRecord> records = new ArrayList<>();
        for (String row : rows) {
            String[] f = row.split("\\|");
            GenericRecord record = new GenericData.Record(DECIMALS);
            record.put("id", Long.parseLong(f[0]));
            record.put("price", f[1].equals("null") ? null : ByteBuffer.wrap(new BigDecimal(f[1]).unscaledValue().toByteArray()));
            record.put("total", conversion.toFixed(new BigDecimal(f[2]), fixed, fixed.getLogicalType()));
            records.add(record);
        }
        return records;
    }

    @Test
    void decimalsOfAvroAndParquetInputsAreWrittenExactlyAsDecimals() throws Exception {
        List<String> expected = decimalRows();
        List<GenericRecord> records = decimalRecords(expected);
        java.io.ByteArrayOutputStream avroFile = new java.io.ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(DECIMALS)).setSyncInterval(4096)) {
            writer.create(DECIMALS, avroFile);
            for (GenericRecord record : records) {
                writer.append(record);
            }
        }
        cluster.write("/data/decimals/ledger.avro", avroFile.toByteArray());
        Path dir = Files.createTempDirectory(Path.of("target"), "decimals-");
        Path parquetFile = dir.resolve("ledger.parquet");
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(parquetFile))
                .withConf(new PlainParquetConfiguration()).withSchema(DECIMALS).withRowGroupSize(16 * 1024).withMinRowCountForPageSizeCheck(10).build()) {
            for (GenericRecord record : records) {
                writer.write(record);
            }
        }
        cluster.write("/data/decimals/ledger.parquet", Files.readAllBytes(parquetFile));

        // Avro bytes and fixed decimals -> Parquet DECIMAL, split into several blocks, read by DuckDB
        run("avro-to-parquet", "--input", "/data/decimals/ledger.avro", "--output", "/out/decimals/parquet",
                "--block-size", Long.toString(Math.max(1024, avroFile.size() / 4)));
        JsonNode parquet = cluster.manifest("/out/decimals/parquet");
        assertTrue(parquet.path("parts").size() >= 3, parquet.toString());
        assertCounters(parquet, DECIMAL_ROWS, DECIMAL_ROWS, 0);
        String parts = local("/out/decimals/parquet") + "/part-*.parquet";
        assertMultisetEquals(expected, duckDbDecimalRows(parts));
        assertEquals(List.of("BIGINT", "DECIMAL(9,2)", "DECIMAL(38,10)"),
                duckDb("SELECT column_type, 1 FROM (DESCRIBE SELECT * FROM read_parquet('%s'))".formatted(parts), 1));

        // parquet-avro's binary and fixed decimals -> Avro bytes decimals, read by Avro's GenericDatumReader
        run("parquet-to-avro", "--input", "/data/decimals/ledger.parquet", "--output", "/out/decimals/avro",
                "--block-size", Long.toString(Math.max(1024, Files.size(parquetFile) / 4)));
        JsonNode avro = cluster.manifest("/out/decimals/avro");
        assertTrue(avro.path("parts").size() >= 2, avro.toString());
        assertCounters(avro, DECIMAL_ROWS, DECIMAL_ROWS, 0);
        assertMultisetEquals(expected, avroDecimalRows(local("/out/decimals/avro"), 9, 2, 38, 10));

        // DuckDB's INT32 and INT64 DECIMAL columns (parquet-avro reads plain ints and longs) -> Avro bytes decimals
        Path duckFile = dir.resolve("duck.parquet");
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = duckdb.createStatement()) {
            statement.execute(("COPY (SELECT i::BIGINT AS id, CASE WHEN i %% 13 = 0 THEN NULL ELSE (((i * 7919) %% 199999 - 99999)::DECIMAL(18,0) * 0.01)::DECIMAL(5,2) END AS price, "
                    + "(((i * 104729) %% 1999999999999999 - 999999999999999)::DECIMAL(18,0) * 0.0001)::DECIMAL(15,4) AS total FROM range(0, 5000) t(i)) "
                    + "TO '%s' (FORMAT PARQUET, ROW_GROUP_SIZE 1000)").formatted(duckFile));
        }
        assertEquals(List.of("INT64", "INT32", "INT64"), duckDb("SELECT type, 1 FROM parquet_schema('%s') WHERE name != 'duckdb_schema'"
                .formatted(duckFile), 1), "DuckDB stores the decimals as INT32 and INT64");
        cluster.write("/data/decimals/duck.parquet", Files.readAllBytes(duckFile));
        run("parquet-to-avro", "--input", "/data/decimals/duck.parquet", "--output", "/out/decimals/duck-avro");
        assertMultisetEquals(duckDbDecimalRows(duckFile.toString()), avroDecimalRows(local("/out/decimals/duck-avro"), 5, 2, 15, 4));

        // a filter on a decimal column is refused before the job starts, naming the column
        CliRun filtered = CliRun.of(CliRun.withJobJar("parquet-to-avro", "--cluster", confDir, "--input", "/data/decimals/ledger.parquet",
                "--output", "/out/decimals/filtered", "--filter", "price > 10"));
        assertEquals(2, filtered.exitCode(), filtered.toString());
        assertTrue(filtered.err().contains("--filter cannot compare column 'price'") && filtered.err().contains("decimal(9,2)"), filtered.err());
    }

    /** "id|price|total" of a Parquet glob as DuckDB reads it, decimals as Java's plain text of DuckDB's BigDecimal. */
    private static List<String> duckDbDecimalRows(String glob) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, price, total FROM read_parquet('%s')".formatted(glob))) {
            while (result.next()) {
                BigDecimal price = result.getBigDecimal(2);
                rows.add(result.getLong(1) + "|" + (price == null ? "null" : price.toPlainString()) + "|" + result.getBigDecimal(3).toPlainString());
            }
        }
        return rows;
    }

    /**
     * "id|price|total" of every part-*.avro below {@code dir}, read by Avro's GenericDatumReader and
     * its DecimalConversion, after checking the fields are bytes decimals of these precisions and scales.
     */
    private static List<String> avroDecimalRows(Path dir, int pricePrecision, int priceScale, int totalPrecision, int totalScale) throws Exception {
        Conversions.DecimalConversion conversion = new Conversions.DecimalConversion();
        List<String> rows = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path part : files.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(part); DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    Schema price = stream.getSchema().getField("price").schema().getTypes().get(1);
                    Schema total = stream.getSchema().getField("total").schema();
                    total = total.isUnion() ? total.getTypes().get(1) : total;
                    assertEquals(Schema.Type.BYTES, price.getType());
                    assertEquals(LogicalTypes.decimal(pricePrecision, priceScale), price.getLogicalType());
                    assertEquals(Schema.Type.BYTES, total.getType());
                    assertEquals(LogicalTypes.decimal(totalPrecision, totalScale), total.getLogicalType());
                    for (GenericRecord record : stream) {
                        ByteBuffer p = (ByteBuffer) record.get("price");
                        rows.add(record.get("id") + "|" + (p == null ? "null" : conversion.fromBytes(p, price, price.getLogicalType()).toPlainString()) + "|"
                                + conversion.fromBytes((ByteBuffer) record.get("total"), total, total.getLogicalType()).toPlainString());
                    }
                }
            }
        }
        return rows;
    }

    private static final Schema INTS = new Schema.Parser().parse("""
            {"type":"record","name":"sensor","fields":[
             {"name":"id","type":"long"},
             {"name":"n","type":["null","int"],"default":null},
             {"name":"f","type":"float"}]}""");

    /** "id|n|f" with f as its IEEE bits in hex: seeded random ints and floats, edge values, every 7th n null. */
    private static List<String> intRows() {
        Random random = new Random(32);
        int[] ints = {Integer.MIN_VALUE, Integer.MAX_VALUE, 0, -1, 1};
        float[] floats = {Float.NaN, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE};
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            int n = i < ints.length ? ints[i] : random.nextInt();
            float f = i < floats.length ? floats[i] : (random.nextFloat() - 0.5f) * 1e6f;
            rows.add(i + "|" + (i % 7 == 3 ? "null" : Integer.toString(n)) + "|" + Integer.toHexString(Float.floatToIntBits(f)));
        }
        return rows;
    }

    @Test
    void intsAndFloatsOfAvroAndParquetInputsStayThirtyTwoBit() throws Exception {
        List<String> expected = intRows();
        java.io.ByteArrayOutputStream avroFile = new java.io.ByteArrayOutputStream();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(INTS)).setSyncInterval(2048)) {
            writer.create(INTS, avroFile);
            for (String row : expected) {
                String[] f = row.split("\\|");
                GenericRecord record = new GenericData.Record(INTS);
                record.put("id", Long.parseLong(f[0]));
                record.put("n", f[1].equals("null") ? null : Integer.valueOf(f[1]));
                record.put("f", Float.intBitsToFloat(Integer.parseUnsignedInt(f[2], 16)));
                writer.append(record);
            }
        }
        cluster.write("/data/ints/sensor.avro", avroFile.toByteArray());

        // Avro int and float -> Parquet INT32 and FLOAT, with a filter on the int column
        run("avro-to-parquet", "--input", "/data/ints/sensor.avro", "--output", "/out/ints/parquet", "--filter", "n > 0",
                "--block-size", Long.toString(Math.max(1024, avroFile.size() / 3)));
        List<String> positive = expected.stream().filter(row -> !row.split("\\|")[1].equals("null") && Integer.parseInt(row.split("\\|")[1]) > 0).toList();
        JsonNode parquet = cluster.manifest("/out/ints/parquet");
        assertCounters(parquet, expected.size(), positive.size(), expected.size() - positive.size());
        String parts = local("/out/ints/parquet") + "/part-*.parquet";
        List<String> read = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, n, f, typeof(n), typeof(f) FROM read_parquet('%s')".formatted(parts))) {
            while (result.next()) {
                assertEquals("INTEGER|FLOAT", result.getString(4) + "|" + result.getString(5));
                read.add(result.getLong(1) + "|" + result.getInt(2) + "|" + Integer.toHexString(Float.floatToIntBits(result.getFloat(3))));
            }
        }
        assertMultisetEquals(positive, read);

        // Parquet INT32 and FLOAT -> Avro int and float
        run("parquet-to-avro", "--input", "/out/ints/parquet", "--output", "/out/ints/avro");
        List<String> back = new ArrayList<>();
        Path avroDir = local("/out/ints/avro");
        try (var files = Files.list(avroDir)) {
            for (Path part : files.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(part); DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    assertEquals(Schema.Type.INT, stream.getSchema().getField("n").schema().getTypes().get(1).getType());
                    assertEquals(Schema.Type.FLOAT, stream.getSchema().getField("f").schema().getType());
                    for (GenericRecord record : stream) {
                        back.add(record.get("id") + "|" + (Integer) record.get("n") + "|" + Integer.toHexString(Float.floatToIntBits((Float) record.get("f"))));
                    }
                }
            }
        }
        assertMultisetEquals(positive, back);

        // filters do not compare floats: exit 2 naming the column
        CliRun floats = CliRun.of(CliRun.withJobJar("avro-to-parquet", "--cluster", confDir, "--input", "/data/ints/sensor.avro",
                "--output", "/out/ints/filtered", "--filter", "f > 1"));
        assertEquals(2, floats.exitCode(), floats.toString());
        assertTrue(floats.err().contains("--filter cannot compare column 'f'") && floats.err().contains("it is float"), floats.err());
    }

    private static final Schema BLOBS = new Schema.Parser().parse("""
            {"type":"record","name":"event","fields":[
             {"name":"id","type":"long"},
             {"name":"kind","type":["null",{"type":"enum","name":"Kind","symbols":["OPEN","CLOSE"]}],"default":null},
             {"name":"payload","type":["null","bytes"],"default":null},
             {"name":"tag","type":{"type":"fixed","name":"Tag","size":8}}]}""");

    @Test
    void enumsBecomeStringsAndBytesAndFixedBecomeBytes() throws Exception {
        Random random = new Random(3);
        List<String> expected = new ArrayList<>();
        java.io.ByteArrayOutputStream avroFile = new java.io.ByteArrayOutputStream();
        java.util.HexFormat hex = java.util.HexFormat.of();
        try (DataFileWriter<GenericRecord> writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(BLOBS)).setSyncInterval(2048)) {
            writer.create(BLOBS, avroFile);
            for (int i = 0; i < 4_000; i++) {
                String kind = i % 5 == 1 ? null : random.nextBoolean() ? "OPEN" : "CLOSE";
                byte[] payload = i % 9 == 4 ? null : new byte[random.nextInt(70)];
                if (payload != null) {
                    random.nextBytes(payload);
                }
                byte[] tag = new byte[8];
                random.nextBytes(tag);
                GenericRecord record = new GenericData.Record(BLOBS);
                record.put("id", (long) i);
                record.put("kind", kind == null ? null : new GenericData.EnumSymbol(BLOBS.getField("kind").schema().getTypes().get(1), kind));
                record.put("payload", payload == null ? null : ByteBuffer.wrap(payload));
                record.put("tag", new GenericData.Fixed(BLOBS.getField("tag").schema(), tag));
                writer.append(record);
                expected.add(i + "|" + kind + "|" + (payload == null ? "null" : hex.formatHex(payload)) + "|" + hex.formatHex(tag));
            }
        }
        cluster.write("/data/blobs/events.avro", avroFile.toByteArray());

        // enum -> string, bytes and fixed -> Parquet BINARY, read by DuckDB
        run("avro-to-parquet", "--input", "/data/blobs/events.avro", "--output", "/out/blobs/parquet",
                "--block-size", Long.toString(Math.max(1024, avroFile.size() / 3)));
        assertCounters(cluster.manifest("/out/blobs/parquet"), expected.size(), expected.size(), 0);
        String parts = local("/out/blobs/parquet") + "/part-*.parquet";
        List<String> read = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet result = statement.executeQuery("SELECT id, kind, payload, tag, typeof(kind) || typeof(payload) || typeof(tag) FROM read_parquet('%s')"
                        .formatted(parts))) {
            while (result.next()) {
                assertEquals("VARCHARBLOBBLOB", result.getString(5));
                byte[] payload = result.getBytes(3);
                read.add(result.getLong(1) + "|" + result.getString(2) + "|" + (payload == null ? "null" : hex.formatHex(payload)) + "|"
                        + hex.formatHex(result.getBytes(4)));
            }
        }
        assertMultisetEquals(expected, read);

        // and back to Avro: string and bytes, read by Avro's GenericDatumReader
        run("parquet-to-avro", "--input", "/out/blobs/parquet", "--output", "/out/blobs/avro");
        List<String> back = new ArrayList<>();
        try (var files = Files.list(local("/out/blobs/avro"))) {
            for (Path part : files.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(part); DataFileStream<GenericRecord> stream = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    assertEquals(Schema.Type.STRING, stream.getSchema().getField("kind").schema().getTypes().get(1).getType());
                    assertEquals(Schema.Type.BYTES, stream.getSchema().getField("tag").schema().getType());
                    for (GenericRecord record : stream) {
                        ByteBuffer payload = (ByteBuffer) record.get("payload");
                        back.add(record.get("id") + "|" + record.get("kind") + "|" + (payload == null ? "null" : hex.formatHex(bytes(payload))) + "|"
                                + hex.formatHex(bytes((ByteBuffer) record.get("tag"))));
                    }
                }
            }
        }
        assertMultisetEquals(expected, back);

        // partitioned by the enum (a string now): a directory per symbol and one for the nulls
        run("avro-to-parquet", "--input", "/data/blobs/events.avro", "--output", "/out/blobs/by-kind", "--partition-by", "kind");
        Map<String, Long> perKind = new TreeMap<>();
        for (String line : expected) {
            perKind.merge(line.split("\\|")[1].equals("null") ? PartitionPaths.DEFAULT_PARTITION : line.split("\\|")[1], 1L, Long::sum);
        }
        Map<String, Long> partitions = new TreeMap<>();
        for (JsonNode partition : cluster.manifest("/out/blobs/by-kind").path("partitions")) {
            partitions.put(partition.path("path").asText().substring("kind=".length()), partition.path("rows").asLong());
        }
        assertEquals(perKind, partitions);
        // a bytes column names no directory: a usage error before anything runs
        CliRun byTag = CliRun.of(CliRun.withJobJar("avro-to-parquet", "--cluster", confDir, "--input", "/data/blobs/events.avro",
                "--output", "/out/blobs/by-tag", "--partition-by", "tag"));
        assertEquals(2, byTag.exitCode(), byTag.toString());
        assertTrue(byTag.err().contains("--partition-by cannot use the bytes column 'tag'"), byTag.err());
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    @Test
    void aMixOfFormatsIsAUsageError() throws Exception {
        cluster.write("/data/mixed/a.csv", "id\n1\n".getBytes(UTF_8));
        cluster.write("/data/mixed/b.avro", avroBytesOfOneFile());
        CliRun run = CliRun.of(CliRun.withJobJar("csv-to-parquet", "--cluster", confDir, "--input", "/data/mixed", "--output", "/out/mixed"));
        assertEquals(2, run.exitCode(), run.toString());
        assertTrue(run.err().contains("The input mixes formats: ") && run.err().contains("a.csv is csv") && run.err().contains("b.avro is avro"), run.err());
        CliRun wrong = CliRun.of(CliRun.withJobJar("parquet-to-avro", "--cluster", confDir, "--input", "/data/mixed/a.csv", "--output", "/out/mixed"));
        assertEquals(2, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.err().contains("--input-format parquet, but ") && wrong.err().contains("a.csv is csv"), wrong.err());
    }

    /** Only an Avro file's magic: the client's detection reads the first 4 bytes, and the job never starts. */
    private static byte[] avroBytesOfOneFile() {
        return "Obj\u0001 rest".getBytes(UTF_8);
    }

    private static void assertCounters(JsonNode manifest, long read, long written, long filtered) {
        JsonNode counters = manifest.path("counters");
        assertEquals(read, counters.path("rowsRead").asLong(), counters.toString());
        assertEquals(written, counters.path("rowsWritten").asLong(), counters.toString());
        assertEquals(filtered, counters.path("rowsFiltered").asLong(), counters.toString());
        assertEquals(0, counters.path("rowsRejected").asLong(), counters.toString());
    }

    private static void assertMultisetEquals(List<String> expected, List<String> actual) {
        Map<String, Integer> counts = new HashMap<>();
        expected.forEach(row -> counts.merge(row, 1, Integer::sum));
        actual.forEach(row -> counts.merge(row, -1, Integer::sum));
        counts.values().removeIf(count -> count == 0);
        assertEquals(expected.size(), actual.size(), "rows");
        assertTrue(counts.isEmpty(), "rows differing (+ missing, - extra), first: " + counts.entrySet().stream().limit(5).toList());
    }

    private static Path local(String output) throws Exception {
        Path local = Files.createTempDirectory(Path.of("target"), "formats-");
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(output), new org.apache.hadoop.fs.Path(local.toAbsolutePath().toString()));
        return local.toAbsolutePath().resolve(new org.apache.hadoop.fs.Path(output).getName());
    }

    /** Every part-*.avro below {@code dir}, normalized as {@link #row} (timestamps in µs whatever the file's unit). */
    private static List<String> avroRows(Path dir) throws Exception {
        List<String> rows = new ArrayList<>();
        try (var parts = Files.list(dir)) {
            for (Path part : parts.filter(p -> p.getFileName().toString().endsWith(".avro")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(part); DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
                    for (GenericRecord record : records) {
                        StringBuilder row = new StringBuilder();
                        for (Schema.Field field : record.getSchema().getFields()) {
                            if (!row.isEmpty()) {
                                row.append('|');
                            }
                            row.append(value(field, record.get(field.pos())));
                        }
                        rows.add(row.toString());
                    }
                }
            }
        }
        return rows;
    }

    private static String value(Schema.Field field, Object value) {
        if (value == null) {
            return "null";
        }
        Schema schema = field.schema().isUnion() ? field.schema().getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow() : field.schema();
        LogicalType logical = schema.getLogicalType();
        if (logical instanceof LogicalTypes.TimestampMillis || logical instanceof LogicalTypes.LocalTimestampMillis) {
            return Long.toString((Long) value * 1000);
        }
        return value.toString();
    }

    private static int syncBlocks(Path avroFile) throws Exception {
        int blocks = 0;
        try (InputStream in = Files.newInputStream(avroFile); DataFileStream<GenericRecord> records = new DataFileStream<>(in, new GenericDatumReader<>())) {
            while (records.hasNext()) {
                records.nextBlock();
                blocks++;
            }
        }
        return blocks;
    }

    /** Rows of a Parquet glob as DuckDB reads them, normalized as {@link #row}. */
    private static List<String> duckDbRows(String glob, String where) throws Exception {
        return duckDb(("SELECT id || '|' || coalesce(name, 'null') || '|' || coalesce((day - DATE '1970-01-01') || '', 'null') || '|' || epoch_us(local) || '|' "
                + "|| epoch_us(\"at\") || '|' || coalesce(amount::VARCHAR, 'null'), 1 FROM read_parquet('%s') %s").formatted(glob, where), 1);
    }

    /** The first column of a DuckDB query, as strings; checks the second column is {@code second}. */
    private static List<String> duckDb(String query, int second) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = duckdb.createStatement();
                ResultSet result = statement.executeQuery(query)) {
            while (result.next()) {
                rows.add(result.getString(1));
                assertEquals(second, result.getInt(2), query);
            }
        }
        return rows;
    }
}
