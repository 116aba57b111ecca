package dev.spindle.jobs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our Avro and Parquet output read by readers that share no code with Spindle, Avro's Java
 * library or parquet-java, checked value by value against the CSV: Parquet by DuckDB (which
 * also reads the CSV with its own CSV reader), Avro by avsc, a JavaScript implementation run
 * under Node.js, against values computed from the CSV text with java.time and the JDK's
 * number parsers. The CSV is generated (seeded) with every type inference knows, their edge
 * forms, nulls, and quoted text with delimiters, quotes, newlines and non-ASCII characters.
 */
@ExtendWith(SharedCluster.Resolver.class)
class IndependentReadersIT {

    private static final int ROWS = 100_000;
    private static final String INPUT = "/data/readers/all_types.csv";
    private static final char REPLACEMENT = '\uFFFD';

    /** The columns, in header order, with the type inference must give them. */
    private static final List<String> NAMES = List.of("id", "flag", "qty", "amount", "day", "ts_local", "ts_micros", "ts_zoned", "city", "note");
    private static final List<Kind> KINDS = List.of(Kind.LONG, Kind.BOOLEAN, Kind.LONG, Kind.DOUBLE, Kind.DATE, Kind.TS_LOCAL, Kind.TS_LOCAL,
            Kind.TS_ZONED, Kind.STRING, Kind.STRING);
    private static final List<Boolean> NULLABLE = List.of(false, true, false, true, true, true, false, true, true, false);
    /** The Avro logical type each column's (non-null) branch must carry, empty for none. */
    private static final List<String> AVRO_LOGICAL = List.of("", "", "", "", "date", "local-timestamp-millis", "local-timestamp-micros",
            "timestamp-millis", "", "");

    private static final String[] CITIES = {"Zürich", "東京", "naïve café", "São Paulo", "Ελλάδα", "Москва", "Kraków", "Reykjavík",
        "القاهرة", "मुंबई", "🚀 launch", "👩\u200D💻 dev", "New York", "Ørsted", "e\u0301tude", "Łódź", "😀", "北京市, 中国"};
    private static final String[] NOTES = {"He said \"hi\", then left", "a,b,c", "\"quoted\"", "multi\nline", "\"", ",", ",,,", " padded ",
        "trailing ", " leading", "123", "true", "1.5e3", "2013-01-01", "naïve, \"café\"", "emoji 🎉, \"fun\"", "tab\there", "'single'",
        "line one\nline two, \"three\"\n", "\\backslash\\", "NULL", "null"};
    private static final String[] POOL = {"a", "b", "Z", "9", " ", ",", "\"", "\n", "'", "ä", "ö", "ü", "ß", "é", "中", "文", "字", "€",
        "😀", "🎉", "\uD834\uDD1E", "ñ", "ç", "-", ".", ";", "|", "\t"};
    private static final String[] BOOLEANS = {"true", "false", "TRUE", "FALSE", "True", "False", "tRuE", "fAlSe"};
    private static final String[] DOUBLES = {"1.5e3", "-2.5E-3", "7e10", "1E+2", "-1e-300", "1e300", "0.5", "-0.5", "0", "-7", "3", ".25",
        "-.5", "5.", "+1.25", "0e3", "NaN", "Infinity", "-Infinity", "-0.0", "0.0", "1.7976931348623157E308", "4.9E-324",
        "2.2250738585072014E-308", "123456789012345678", "0.1", "0.30000000000000004", "9007199254740993", "1.0000000000000002"};
    private static final String[] LONGS = {"0", "-0", "1", "-1", "+42", String.valueOf(Long.MAX_VALUE), String.valueOf(Long.MIN_VALUE),
        "9007199254740993", "-9007199254740993", "4294967296", "-2147483649"};
    private static final String[] LOCAL_TIMESTAMPS = {"1970-01-01 00:00:00", "1969-12-31 23:59:59", "2000-02-29 12:00:00",
        "1900-01-01T00:00:00", "1600-03-01 00:00:01", "2199-12-31 23:59:59"};
    private static final String[] MICRO_TIMESTAMPS = {"1970-01-01 00:00:00.000001", "1969-12-31 23:59:59.999999",
        "2013-01-01 00:00:51.123456", "1899-12-31T23:59:59.000001", "2000-01-01 00:00:00.000000"};
    private static final String[] ZONED_TIMESTAMPS = {"2013-01-01T00:00:51Z", "2013-01-01T00:00:51+05:30", "2013-01-01T00:00:51-08:00",
        "2013-01-01T00:00:51.123Z", "1969-12-31T23:59:59.999+01:00", "1970-01-01T00:00:00Z", "1850-06-15T12:30:00.001-12:00",
        "2100-01-01T00:00:00.999+14:00"};
    private static final String[] OFFSETS = {"Z", "+05:30", "-08:00", "+00:00", "+14:00", "-12:00", "+01:00", "-03:30"};
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter SECONDS_T = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter MILLIS_T = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

    private static SharedCluster cluster;
    private static FileSystem fs;
    private static String confDir;
    private static Path work;
    private static Path localCsv;
    /** The CSV's field values per row (unquoted text; null for a null field), row i has id i + 1. */
    private static String[][] fields;
    /** The values the fields mean, typed as {@link #expected} makes them. */
    private static Object[][] expected;

    /** The types inference gives; timestamps of both kinds are compared as epoch micros. */
    private enum Kind { LONG, BOOLEAN, DOUBLE, DATE, TS_LOCAL, TS_ZONED, STRING }

    @BeforeAll
    static void writeInput(SharedCluster shared) throws Exception {
        cluster = shared;
        fs = shared.fs();
        confDir = shared.confDir();
        work = Files.createTempDirectory(Path.of("target"), "independent-readers-").toAbsolutePath();
        byte[] csv = generate(new Random(20_130_101));
        localCsv = work.resolve("all_types.csv");
        Files.write(localCsv, csv);
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(INPUT))) {
            out.write(csv);
        }
        expected = new Object[ROWS][];
        for (int row = 0; row < ROWS; row++) {
            expected[row] = new Object[NAMES.size()];
            for (int column = 0; column < NAMES.size(); column++) {
                expected[row][column] = expected(KINDS.get(column), fields[row][column]);
            }
        }
    }

    // ---------------------------------------------------------------- the CSV

    private static byte[] generate(Random random) {
        fields = new String[ROWS][];
        StringBuilder csv = new StringBuilder(ROWS * 180);
        csv.append(String.join(",", NAMES)).append('\n');
        for (int row = 0; row < ROWS; row++) {
            String[] values = {
                String.valueOf(row + 1),
                random.nextInt(20) == 0 ? null : BOOLEANS[random.nextInt(BOOLEANS.length)],
                longText(random),
                random.nextInt(20) == 0 ? null : doubleText(random),
                random.nextInt(20) == 0 ? null : dateText(random),
                random.nextInt(20) == 0 ? null : localText(random),
                microText(random),
                random.nextInt(20) == 0 ? null : zonedText(random),
                random.nextInt(20) == 0 ? null : random.nextInt(40) == 0 ? "" : cityText(random),
                random.nextInt(30) == 0 ? "" : noteText(random),
            };
            fields[row] = values;
            for (int column = 0; column < values.length; column++) {
                if (column > 0) {
                    csv.append(',');
                }
                appendField(csv, values[column], random);
            }
            csv.append('\n');
        }
        return csv.toString().getBytes(UTF_8);
    }

    /** RFC 4180: quoted (quotes doubled) when needed, always when empty (else it is null), and now and then anyway. */
    private static void appendField(StringBuilder csv, String value, Random random) {
        if (value == null) {
            return;
        }
        boolean quote = value.isEmpty() || value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0 || random.nextInt(33) == 0;
        if (quote) {
            csv.append('"').append(value.replace("\"", "\"\"")).append('"');
        } else {
            csv.append(value);
        }
    }

    private static String longText(Random random) {
        int choice = random.nextInt(10);
        if (choice == 0) {
            return LONGS[random.nextInt(LONGS.length)];
        }
        if (choice == 1) {
            return String.valueOf(random.nextInt(2001) - 1000);
        }
        return String.valueOf(random.nextLong() >> random.nextInt(64));
    }

    private static String doubleText(Random random) {
        int choice = random.nextInt(10);
        if (choice == 0) {
            return DOUBLES[random.nextInt(DOUBLES.length)];
        }
        if (choice <= 3) {
            return String.format(Locale.ROOT, "%.3f", (random.nextDouble() - 0.5) * 2e6);
        }
        if (choice <= 5) {
            // exponent forms: 1.5e3, -4.25E-7
            return (random.nextBoolean() ? "-" : "") + (1 + random.nextInt(9)) + "." + random.nextInt(1000)
                    + (random.nextBoolean() ? "e" : "E") + (random.nextInt(61) - 30);
        }
        // Java's shortest repeatable form: up to 17 significant digits, E notation for small and large
        return Double.toString((random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(41) - 20));
    }

    private static String dateText(Random random) {
        if (random.nextInt(50) == 0) {
            return new String[] {"1970-01-01", "1969-12-31", "2000-02-29", "1900-03-01", "1600-01-01", "2199-12-31"}[random.nextInt(6)];
        }
        return LocalDate.ofEpochDay(random.nextLong(LocalDate.of(1600, 1, 1).toEpochDay(), LocalDate.of(2200, 1, 1).toEpochDay())).toString();
    }

    private static long epochSecond(Random random) {
        return random.nextLong(LocalDate.of(1800, 1, 1).toEpochDay() * 86_400L, LocalDate.of(2100, 1, 1).toEpochDay() * 86_400L);
    }

    private static String localText(Random random) {
        if (random.nextInt(50) == 0) {
            return LOCAL_TIMESTAMPS[random.nextInt(LOCAL_TIMESTAMPS.length)];
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond(random), 0, ZoneOffset.UTC);
        return time.format(random.nextInt(10) == 0 ? SECONDS_T : SECONDS);
    }

    private static String microText(Random random) {
        if (random.nextInt(50) == 0) {
            return MICRO_TIMESTAMPS[random.nextInt(MICRO_TIMESTAMPS.length)];
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(epochSecond(random), 0, ZoneOffset.UTC);
        return time.format(SECONDS) + String.format(Locale.ROOT, ".%06d", random.nextInt(1_000_000));
    }

    private static String zonedText(Random random) {
        if (random.nextInt(50) == 0) {
            return ZONED_TIMESTAMPS[random.nextInt(ZONED_TIMESTAMPS.length)];
        }
        String offset = OFFSETS[random.nextInt(OFFSETS.length)];
        Instant instant = Instant.ofEpochSecond(epochSecond(random), random.nextBoolean() ? random.nextInt(1000) * 1_000_000L : 0);
        LocalDateTime local = LocalDateTime.ofInstant(instant, ZoneOffset.of(offset.equals("Z") ? "+00:00" : offset));
        return local.format(instant.getNano() != 0 ? MILLIS_T : SECONDS_T) + offset;
    }

    private static String cityText(Random random) {
        if (random.nextInt(3) != 0) {
            return CITIES[random.nextInt(CITIES.length)];
        }
        return mix(random, 1 + random.nextInt(12));
    }

    private static String noteText(Random random) {
        int choice = random.nextInt(3);
        if (choice == 0) {
            return NOTES[random.nextInt(NOTES.length)];
        }
        if (choice == 1) {
            return CITIES[random.nextInt(CITIES.length)] + ", \"" + NOTES[random.nextInt(NOTES.length)] + "\" " + random.nextInt(1000);
        }
        return mix(random, 1 + random.nextInt(30));
    }

    private static String mix(Random random, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(POOL[random.nextInt(POOL.length)]);
        }
        return text.toString();
    }

    /** The value a CSV field means, parsed by the JDK: timestamps as epoch micros (local ones at UTC, not shifted). */
    private static Object expected(Kind kind, String text) {
        if (text == null) {
            return null;
        }
        return switch (kind) {
            case LONG -> Long.parseLong(text);
            case BOOLEAN -> Boolean.parseBoolean(text);
            case DOUBLE -> Double.parseDouble(text);
            case DATE -> (int) LocalDate.parse(text).toEpochDay();
            case TS_LOCAL -> micros(LocalDateTime.parse(text.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
            case TS_ZONED -> micros(OffsetDateTime.parse(text).toInstant());
            case STRING -> text;
        };
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    // ---------------------------------------------------------------- the jobs

    private static List<Path> convert(String command, String output) throws Exception {
        CliRun run = CliRun.of(CliRun.withJobJar(command, "--cluster", confDir, "--input", INPUT, "--output", output, "--block-size", "256k"));
        assertEquals(0, run.exitCode(), run.toString());
        JsonNode manifest = cluster.manifest(output);
        JsonNode counters = manifest.path("counters");
        assertEquals(ROWS, counters.path("rowsRead").asLong(), manifest.toString());
        assertEquals(ROWS, counters.path("rowsWritten").asLong(), manifest.toString());
        assertEquals(0, counters.path("rowsRejected").asLong(), "every generated row is valid: " + manifest);
        assertEquals(0, counters.path("rowsFiltered").asLong(), manifest.toString());
        assertTrue(manifest.path("parts").size() >= 2, "several parts: " + manifest);

        Path local = Files.createDirectories(work.resolve(command));
        fs.copyToLocalFile(new org.apache.hadoop.fs.Path(output), new org.apache.hadoop.fs.Path(local.toString()));
        Path dir = local.resolve(new org.apache.hadoop.fs.Path(output).getName());
        List<Path> parts = new ArrayList<>();
        long rows = 0;
        for (JsonNode part : manifest.path("parts")) {
            Path file = dir.resolve(part.path("path").asText());
            assertTrue(Files.isRegularFile(file), file.toString());
            parts.add(file);
            rows += part.path("rows").asLong();
        }
        assertEquals(ROWS, rows, "rows of the manifest's parts: " + manifest);
        return parts;
    }

    // ---------------------------------------------------------------- Parquet by DuckDB

    @Test
    void duckDbReadsTheParquetPartsAsItReadsTheCsv() throws Exception {
        List<Path> parts = convert("csv-to-parquet", "/out/readers-parquet");
        String files = parts.stream().map(p -> "'" + p + "'").collect(Collectors.joining(", ", "[", "]"));
        try (Connection duckdb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckdb.createStatement()) {
            // the logical types and repetitions in every part's footer, as DuckDB reads them
            Map<String, List<String>> footers = new LinkedHashMap<>();
            try (ResultSet types = sql.executeQuery("SELECT file_name, name, logical_type, repetition_type FROM parquet_schema(" + files
                    + ") WHERE num_children IS NULL OR num_children = 0")) {
                while (types.next()) {
                    footers.computeIfAbsent(types.getString(1), f -> new ArrayList<>())
                            .add(types.getString(2) + " " + types.getString(4) + " " + types.getString(3));
                }
            }
            assertEquals(parts.size(), footers.size(), footers.keySet().toString());
            for (Map.Entry<String, List<String>> footer : footers.entrySet()) {
                List<String> columns = footer.getValue();
                assertEquals(NAMES.size(), columns.size(), footer.toString());
                for (int column = 0; column < NAMES.size(); column++) {
                    String prefix = NAMES.get(column) + " " + (NULLABLE.get(column) ? "OPTIONAL" : "REQUIRED") + " ";
                    String described = columns.get(column);
                    assertTrue(described.startsWith(prefix), footer.getKey() + ": " + described);
                    String logical = described.substring(prefix.length());
                    switch (KINDS.get(column)) {
                        case TS_LOCAL -> assertTrue(logical.startsWith("TimestampType(isAdjustedToUTC=0")
                                && logical.contains("MICROS=MicroSeconds()"), footer.getKey() + ": " + described);
                        case TS_ZONED -> assertTrue(logical.startsWith("TimestampType(isAdjustedToUTC=1")
                                && logical.contains("MICROS=MicroSeconds()"), footer.getKey() + ": " + described);
                        case DATE -> assertTrue(logical.startsWith("DateType"), footer.getKey() + ": " + described);
                        case STRING -> assertTrue(logical.startsWith("StringType"), footer.getKey() + ": " + described);
                        default -> assertEquals("null", logical, footer.getKey() + ": " + described);
                    }
                }
            }

            sql.execute("CREATE TABLE pq AS SELECT * FROM read_parquet(" + files + ")");
            sql.execute("CREATE TABLE csv AS SELECT * FROM read_csv('" + localCsv + "', auto_detect = false, header = true, delim = ',', "
                    + "quote = '\"', escape = '\"', nullstr = '', allow_quoted_nulls = false, new_line = '\\n', columns = {"
                    + "'id': 'BIGINT', 'flag': 'BOOLEAN', 'qty': 'BIGINT', 'amount': 'DOUBLE', 'day': 'DATE', 'ts_local': 'TIMESTAMP', "
                    + "'ts_micros': 'TIMESTAMP', 'ts_zoned': 'TIMESTAMPTZ', 'city': 'VARCHAR', 'note': 'VARCHAR'})");
            try (ResultSet columns = sql.executeQuery("SELECT column_name, data_type FROM information_schema.columns "
                    + "WHERE table_name = 'pq' ORDER BY ordinal_position")) {
                List<String> described = new ArrayList<>();
                while (columns.next()) {
                    described.add(columns.getString(1) + " " + columns.getString(2));
                }
                assertEquals(List.of("id BIGINT", "flag BOOLEAN", "qty BIGINT", "amount DOUBLE", "day DATE", "ts_local TIMESTAMP",
                        "ts_micros TIMESTAMP", "ts_zoned TIMESTAMP WITH TIME ZONE", "city VARCHAR", "note VARCHAR"), described);
            }
            assertEquals(List.of((long) ROWS, (long) ROWS), longs(sql, "SELECT count(*), count(DISTINCT id) FROM pq"));
            assertEquals(List.of((long) ROWS, (long) ROWS), longs(sql, "SELECT count(*), count(DISTINCT id) FROM csv"));

            // DuckDB's CSV reader against DuckDB's Parquet reader, per column; both sides compared as values and as text
            Map<String, String> differs = new LinkedHashMap<>();
            differs.put("missing", "c.id IS NULL OR p.id IS NULL");
            for (String column : NAMES) {
                String c = "c.\"" + column + "\"";
                String p = "p.\"" + column + "\"";
                String condition = c + " IS DISTINCT FROM " + p + " OR CAST(" + c + " AS VARCHAR) IS DISTINCT FROM CAST(" + p + " AS VARCHAR)";
                if (column.startsWith("ts_")) {
                    condition = "epoch_us(" + c + ") IS DISTINCT FROM epoch_us(" + p + ")"
                            + (column.equals("ts_zoned") ? "" : " OR CAST(" + c + " AS VARCHAR) IS DISTINCT FROM CAST(" + p + " AS VARCHAR)");
                }
                differs.put(column, condition);
            }
            String from = " FROM csv c FULL OUTER JOIN pq p ON c.id = p.id";
            List<Long> counts = longs(sql, differs.values().stream().map(condition -> "count(*) FILTER (WHERE " + condition + ")")
                    .collect(Collectors.joining(", ", "SELECT ", from)));
            Map<String, Long> mismatches = new LinkedHashMap<>();
            List<String> examples = new ArrayList<>();
            int i = 0;
            for (Map.Entry<String, String> differ : differs.entrySet()) {
                long count = counts.get(i++);
                if (count == 0) {
                    continue;
                }
                mismatches.put(differ.getKey(), count);
                String column = differ.getKey().equals("missing") ? "id" : differ.getKey();
                String shown = column.equals("ts_zoned") ? "epoch_us(%s.\"ts_zoned\")" : "CAST(%s.\"" + column + "\" AS VARCHAR)";
                try (ResultSet rows = sql.executeQuery("SELECT coalesce(c.id, p.id), " + shown.formatted("c") + ", " + shown.formatted("p")
                        + from + " WHERE " + differ.getValue() + " ORDER BY 1 LIMIT 5")) {
                    while (rows.next()) {
                        examples.add("%s id %d: csv %s, parquet %s".formatted(differ.getKey(), rows.getLong(1), rows.getString(2), rows.getString(3)));
                    }
                }
            }
            assertTrue(mismatches.isEmpty(), "DuckDB's CSV and Parquet readings differ: " + mismatches + "\n" + String.join("\n", examples));

            assertEquals(List.of(0L), longs(sql, "SELECT count(*) FILTER (WHERE contains(city, '" + REPLACEMENT + "') OR contains(note, '"
                    + REPLACEMENT + "')) FROM pq"));

            // and the Parquet values against the JDK's reading of the CSV text
            List<String> differences = new ArrayList<>();
            long[] perColumn = new long[NAMES.size()];
            BitSet seen = new BitSet(ROWS);
            try (ResultSet rows = sql.executeQuery("SELECT id, flag, qty, amount, day - DATE '1970-01-01', epoch_us(ts_local), epoch_us(ts_micros), "
                    + "epoch_us(ts_zoned), city, note FROM pq")) {
                while (rows.next()) {
                    Object[] actual = {
                        orNull(rows, rows.getLong(1)),
                        orNull(rows, rows.getBoolean(2)),
                        orNull(rows, rows.getLong(3)),
                        orNull(rows, rows.getDouble(4)),
                        orNull(rows, (int) rows.getLong(5)),
                        orNull(rows, rows.getLong(6)),
                        orNull(rows, rows.getLong(7)),
                        orNull(rows, rows.getLong(8)),
                        rows.getString(9),
                        rows.getString(10),
                    };
                    compare("parquet", actual, seen, perColumn, differences);
                }
            }
            assertNoDifferences("parquet (DuckDB)", seen, perColumn, differences);
        }
    }

    /** The value just read from a JDBC column, or null when it was SQL NULL. */
    private static Object orNull(ResultSet rows, Object value) throws Exception {
        return rows.wasNull() ? null : value;
    }

    private static List<Long> longs(Statement sql, String query) throws Exception {
        try (ResultSet result = sql.executeQuery(query)) {
            assertTrue(result.next(), query);
            List<Long> values = new ArrayList<>();
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                values.add(result.getLong(i));
            }
            return values;
        }
    }

    // ---------------------------------------------------------------- Avro by avsc under Node.js

    @Test
    void avscUnderNodeReadsTheAvroPartsAsTheJdkReadsTheCsv() throws Exception {
        List<Path> parts = convert("csv-to-avro", "/out/readers-avro");
        Path reader = nodeReader();
        List<String> command = new ArrayList<>(List.of("node", reader.resolve("read-avro.js").toString()));
        parts.forEach(part -> command.add(part.toString()));
        Path stderr = work.resolve("read-avro.err");
        Process node = start(new ProcessBuilder(command).redirectError(stderr.toFile()));
        node.getOutputStream().close();

        ObjectMapper json = new ObjectMapper();
        List<String> differences = new ArrayList<>();
        long[] perColumn = new long[NAMES.size()];
        BitSet seen = new BitSet(ROWS);
        long records = 0;
        long files = 0;
        long replacements = 0;
        long[] scale = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.indexOf(REPLACEMENT) >= 0) {
                    replacements++;
                }
                JsonNode object = json.readTree(line);
                if (object.has("schema")) {
                    assertEquals("deflate", object.path("codec").asText(), "the default Avro codec");
                    scale = timestampScales(object.path("schema"));
                    files++;
                } else if (object.has("record")) {
                    assertNotNull(scale, "a record before its file's schema: " + line);
                    compare("avro", avroValues(object.path("record"), scale), seen, perColumn, differences);
                    records++;
                } else {
                    assertTrue(object.has("end"), line);
                }
            }
        }
        assertTrue(node.waitFor(5, TimeUnit.MINUTES), "node read-avro.js did not end");
        assertEquals(0, node.exitValue(), "node read-avro.js: " + Files.readString(stderr, UTF_8));
        assertEquals(parts.size(), files, "a schema line per part");
        assertEquals(0, replacements, "U+FFFD in what avsc decoded: invalid UTF-8 in a string");
        assertNoDifferences("avro (avsc)", seen, perColumn, differences);
        assertEquals(ROWS, records);
    }

    /**
     * Checks the writer schema of one Avro file (field names, order, nullability and logical
     * types) and returns, per column, what its raw timestamp longs are multiplied by to give micros.
     */
    private static long[] timestampScales(JsonNode schema) {
        assertEquals("record", schema.path("type").asText(), schema.toString());
        JsonNode fields = schema.path("fields");
        assertEquals(NAMES.size(), fields.size(), schema.toString());
        long[] scale = new long[NAMES.size()];
        for (int column = 0; column < NAMES.size(); column++) {
            JsonNode field = fields.get(column);
            assertEquals(NAMES.get(column), field.path("name").asText(), schema.toString());
            JsonNode type = field.path("type");
            if (NULLABLE.get(column)) {
                assertTrue(type.isArray() && type.size() == 2 && type.get(0).asText().equals("null"), field.toString());
                type = type.get(1);
            }
            String primitive = type.isObject() ? type.path("type").asText() : type.asText();
            String logicalType = type.path("logicalType").asText("");
            String expectedPrimitive = switch (KINDS.get(column)) {
                case LONG, TS_LOCAL, TS_ZONED -> "long";
                case BOOLEAN -> "boolean";
                case DOUBLE -> "double";
                case DATE -> "int";
                case STRING -> "string";
            };
            assertEquals(expectedPrimitive, primitive, field.toString());
            assertEquals(AVRO_LOGICAL.get(column), logicalType, field.toString());
            scale[column] = logicalType.endsWith("-millis") ? 1_000L : 1L;
        }
        return scale;
    }

    /** One record as avsc printed it, typed like {@link #expected}; timestamps scaled to micros by their logical type. */
    private static Object[] avroValues(JsonNode record, long[] scale) {
        Object[] values = new Object[NAMES.size()];
        for (int column = 0; column < NAMES.size(); column++) {
            JsonNode value = record.get(NAMES.get(column));
            assertNotNull(value, "no field " + NAMES.get(column) + " in " + record);
            if (value.isNull()) {
                continue;
            }
            values[column] = switch (KINDS.get(column)) {
                case LONG -> Long.parseLong(longText(value));
                case BOOLEAN -> {
                    assertTrue(value.isBoolean(), value.toString());
                    yield value.booleanValue();
                }
                case DOUBLE -> value.isTextual() ? Double.parseDouble(value.textValue()) : value.doubleValue();
                case DATE -> {
                    assertTrue(value.isInt(), value.toString());
                    yield value.intValue();
                }
                case TS_LOCAL, TS_ZONED -> Math.multiplyExact(Long.parseLong(longText(value)), scale[column]);
                case STRING -> {
                    assertTrue(value.isTextual(), value.toString());
                    yield value.textValue();
                }
            };
        }
        return values;
    }

    /** An Avro long as the script prints it: a decimal string, never a (53-bit) JSON number. */
    private static String longText(JsonNode value) {
        assertTrue(value.isTextual(), "a long printed as a JSON number: " + value);
        return value.textValue();
    }

    /**
     * Installs avsc from the lock file into target/ (the source tree stays clean) unless an
     * earlier run did, and returns the directory holding read-avro.js and its node_modules.
     */
    private static Path nodeReader() throws Exception {
        Path source = Path.of("src/test/node");
        Path target = Files.createDirectories(Path.of("target/node-read-avro").toAbsolutePath());
        for (String file : List.of("package.json", "package-lock.json", "read-avro.js")) {
            Files.copy(source.resolve(file), target.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isRegularFile(target.resolve("node_modules/avsc/package.json"))) {
            Path log = target.resolve("npm-ci.log");
            Process npm = start(new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefix", target.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()));
            npm.getOutputStream().close();
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm ci did not end");
            assertEquals(0, npm.exitValue(), "npm ci: " + Files.readString(log, UTF_8));
        }
        return target;
    }

    private static Process start(ProcessBuilder builder) throws IOException {
        try {
            return builder.start();
        } catch (IOException e) {
            throw new IOException("Cannot run " + builder.command().get(0) + ": this test needs Node.js and npm on the PATH "
                    + "(.ci/run installs Debian's nodejs and npm when they are missing)", e);
        }
    }

    // ---------------------------------------------------------------- comparison

    /** Compares one row read back with the expected values of its id, counting differences per column and marking the id seen. */
    private static void compare(String format, Object[] actual, BitSet seen, long[] perColumn, List<String> differences) {
        if (!(actual[0] instanceof Long id) || id < 1 || id > ROWS) {
            perColumn[0]++;
            differences.add(format + ": a row with id " + actual[0]);
            return;
        }
        int row = (int) (id - 1);
        if (seen.get(row)) {
            perColumn[0]++;
            differences.add(format + ": id " + id + " read twice");
        }
        seen.set(row);
        Object[] want = expected[row];
        for (int column = 1; column < NAMES.size(); column++) {
            if (!Objects.equals(want[column], actual[column])) {
                perColumn[column]++;
                if (differences.size() < 40) {
                    differences.add("%s id %d column %s: csv %s (expected %s), read %s".formatted(format, id, NAMES.get(column),
                            quoted(fields[row][column]), describe(want[column]), describe(actual[column])));
                }
            }
        }
    }

    private static void assertNoDifferences(String format, BitSet seen, long[] perColumn, List<String> differences) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (int column = 0; column < NAMES.size(); column++) {
            if (perColumn[column] > 0) {
                counts.put(NAMES.get(column), perColumn[column]);
            }
        }
        assertTrue(counts.isEmpty(), format + " differs from the CSV in " + counts + ":\n" + String.join("\n", differences));
        assertEquals(ROWS, seen.cardinality(), format + ": rows missing, the first id " + (seen.nextClearBit(0) + 1));
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    private static String describe(Object value) {
        if (value instanceof String text) {
            return quoted(text) + " " + text.codePoints().mapToObj(c -> "U+%04X".formatted(c)).collect(Collectors.joining(" "));
        }
        if (value instanceof Double d) {
            return d + " (bits " + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
        }
        return String.valueOf(value);
    }

    @Test
    void theGeneratedCsvCoversEveryFormItMeansTo() {
        // the generator itself: nulls where intended, quoted empty strings, and each edge form present
        long[] nulls = new long[NAMES.size()];
        long emptyStrings = 0;
        for (String[] row : fields) {
            for (int column = 0; column < row.length; column++) {
                if (row[column] == null) {
                    nulls[column]++;
                } else if (row[column].isEmpty()) {
                    emptyStrings++;
                }
            }
        }
        for (int column = 0; column < NAMES.size(); column++) {
            assertEquals(NULLABLE.get(column), nulls[column] > 0, NAMES.get(column) + " nulls: " + nulls[column]);
        }
        assertTrue(emptyStrings > 1_000, "quoted empty strings: " + emptyStrings);
        List<String> zoned = Arrays.stream(fields).map(r -> r[7]).filter(Objects::nonNull).toList();
        for (String form : List.of("Z", "+05:30", "-08:00")) {
            assertTrue(zoned.stream().anyMatch(t -> t.endsWith(form) && t.contains(".")), form + " with millis");
            assertTrue(zoned.stream().anyMatch(t -> t.endsWith(form) && !t.contains(".")), form + " without a fraction");
        }
        assertTrue(Arrays.stream(fields).anyMatch(r -> r[3] != null && r[3].contains("e")), "exponent forms");
        assertTrue(Arrays.stream(fields).anyMatch(r -> r[4] != null && r[4].compareTo("1970") < 0), "dates before 1970");
        assertTrue(Arrays.stream(fields).anyMatch(r -> r[9].contains("\"") && r[9].contains(",") && r[9].contains("\n")), "quotes");
        assertFalse(Arrays.stream(fields).anyMatch(r -> r[6].length() != 26), "every ts_micros value has 6 fraction digits");
    }
}
