package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.avro.generic.GenericRecord;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded round trip: a random typed table is written as CSV by an independent writer
 * (commons-csv), then chunked, inferred, built into batches, written as Avro, read back with
 * Avro's own {@code DataFileReader} and compared value by value with the table. The same in
 * ISO-8859-1 and windows-1252 (accented values and header names, encoded in the file's charset):
 * the Avro strings must be the same text.
 */
class CsvToAvroRoundTripTest {

    private static final String ALPHABET = "abcXYZ 019,;\"'\n\r\tä日€\\|#";
    /** Characters ISO-8859-1 and windows-1252 both encode (no euro sign, no CJK). */
    private static final String LATIN1_ALPHABET = "abcXYZ 019,;\"'\n\r\täéñÿÀ\\|#";

    static Stream<Long> seeds() {
        return LongStream.concat(LongStream.of(1, 2, 3, 4, 5), LongStream.of(System.nanoTime())).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTrip(long seed) throws Exception {
        try {
            run(seed, StandardCharsets.UTF_8, ALPHABET, false);
            run(seed, StandardCharsets.UTF_8, ALPHABET, true);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("Round trip failed with seed " + seed + ": " + e.getMessage(), e);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void roundTripInSingleByteCharsets(long seed) throws Exception {
        for (Charset charset : List.of(StandardCharsets.ISO_8859_1, Charset.forName("windows-1252"))) {
            try {
                run(seed, charset, LATIN1_ALPHABET, false);
                run(seed, charset, LATIN1_ALPHABET, true);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("Round trip failed with seed " + seed + " in " + charset + ": " + e.getMessage(), e);
            }
        }
    }

    /** @param direct whether {@link BatchBuilder#drainTo} with {@link AvroBatchWriter#plainRecords} (direct path where it can) writes, or the Arrow batches */
    private static void run(long seed, Charset charset, String alphabet, boolean direct) throws IOException {
        Random random = new Random(seed);
        int columnCount = 3 + random.nextInt(12);
        List<Column> columns = new ArrayList<>();
        List<String> header = new ArrayList<>();
        ColumnType[] types = java.util.Arrays.stream(ColumnType.values()).filter(ColumnType::isCsvType).toArray(ColumnType[]::new);
        for (int c = 0; c < columnCount; c++) {
            ColumnType type = c < types.length ? types[c] : types[random.nextInt(types.length)];
            boolean nullable = random.nextBoolean();
            String original = random.nextInt(4) == 0 ? "cöl " + c + " (" + type.displayName() + ")" : "c" + c;
            header.add(original);
            columns.add(new Column(AvroNames.sanitize(original, c), original, type, nullable));
        }
        TableSchema expectedSchema = new TableSchema(columns);
        int rows = 1 + random.nextInt(3000);
        List<Object[]> table = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            Object[] row = new Object[columnCount];
            for (int c = 0; c < columnCount; c++) {
                boolean forceNull = r == 0 && columns.get(c).nullable();
                boolean forceValue = r == 1 % rows;
                row[c] = forceNull || (!forceValue && columns.get(c).nullable() && random.nextInt(10) == 0) ? null : value(random, columns.get(c).type(), alphabet);
                if (c % 2 == 0) {
                    // whole milliseconds in every other column: inferred in milliseconds
                    row[c] = row[c] instanceof LocalDateTime t ? t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
                            : row[c] instanceof Instant i ? i.truncatedTo(java.time.temporal.ChronoUnit.MILLIS) : row[c];
                }
            }
            table.add(row);
        }
        if (rows == 1) {
            // one row cannot be both null and valued: make every column non-null
            columns.replaceAll(c -> new Column(c.name(), c.originalName(), c.type(), false));
            expectedSchema = new TableSchema(columns);
            Object[] row = table.get(0);
            for (int c = 0; c < columnCount; c++) {
                row[c] = value(random, columns.get(c).type(), alphabet);
            }
        }

        // inference writes timestamps in milliseconds unless a value has a finer fraction
        for (int c = 0; c < columnCount; c++) {
            final int column = c;
            boolean subMillis = table.stream().map(row -> row[column]).anyMatch(v -> (v instanceof LocalDateTime t && t.getNano() % 1_000_000 != 0)
                    || (v instanceof Instant i && i.getNano() % 1_000_000 != 0));
            columns.set(c, columns.get(c).withTimestampUnit(subMillis ? TimestampUnit.MICROS : TimestampUnit.MILLIS));
        }
        expectedSchema = new TableSchema(columns);

        // write CSV with commons-csv, remembering where each record ends
        String lineEnding = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
        CSVFormat format = CSVFormat.DEFAULT.builder().setRecordSeparator(lineEnding)
                .setQuoteMode(random.nextBoolean() ? QuoteMode.MINIMAL : QuoteMode.NON_NUMERIC).build();
        StringWriter text = new StringWriter();
        List<Integer> recordEnds = new ArrayList<>();
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            printer.printRecord(header);
            int headerEnd = text.getBuffer().length();
            recordEnds.add(headerEnd);
            for (Object[] row : table) {
                Object[] printed = new Object[columnCount];
                for (int c = 0; c < columnCount; c++) {
                    printed[c] = format(row[c], columns.get(c).type(), random);
                }
                printer.printRecord(printed);
                recordEnds.add(text.getBuffer().length());
            }
        }
        String csvText = text.toString();
        if (random.nextBoolean()) {
            csvText = csvText.substring(0, csvText.length() - lineEnding.length()); // no final terminator
            recordEnds.set(recordEnds.size() - 1, csvText.length());
        }
        byte[] csv = csvText.getBytes(charset);
        int[] byteEnds = new int[recordEnds.size()];
        int previousChars = 0;
        int previousBytes = 0;
        for (int i = 0; i < byteEnds.length; i++) {
            previousBytes += csvText.substring(previousChars, recordEnds.get(i)).getBytes(charset).length;
            previousChars = recordEnds.get(i);
            byteEnds[i] = previousBytes;
        }

        // chunks at record boundaries: [headerEnd, cut1), [cut1, cut2), ...
        List<int[]> chunks = new ArrayList<>();
        int chunkStart = byteEnds[0];
        for (int record = 1; record < byteEnds.length; record++) {
            if (record == byteEnds.length - 1 || random.nextInt(200) == 0) {
                chunks.add(new int[] {chunkStart, byteEnds[record]});
                chunkStart = byteEnds[record];
            }
        }

        CsvDialect dialect = CsvDialect.builder().charset(charset).build();
        SchemaInferrer inferrer = new SchemaInferrer(dialect);
        inferrer.header(csv, 0, byteEnds[0]);
        inferrer.sample(csv, byteEnds[0], csv.length - byteEnds[0], byteEnds[0], 2);
        TableSchema inferred = inferrer.result();
        assertEquals(expectedSchema, inferred);

        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        List<BadRecord> bad = new ArrayList<>();
        try (RootAllocator allocator = new RootAllocator()) {
            AvroBatchWriter writer = AvroBatchWriter.builder(inferred, avro).codec(AvroBatchWriter.Codec.values()[random.nextInt(4)]).build();
            try (writer; BatchBuilder builder = BatchBuilder.builder(inferred, allocator).dialect(dialect).batchRows(1 + random.nextInt(500)).badRecords(bad::add).build()) {
                for (int[] chunk : chunks) {
                    // a copy at an offset, as a block reader would hand it over
                    byte[] buffer = new byte[chunk[1] - chunk[0] + 16];
                    System.arraycopy(csv, chunk[0], buffer, 5, chunk[1] - chunk[0]);
                    builder.reset(buffer, 5, chunk[1] - chunk[0], chunk[0], 2); // line numbers are not checked here
                    if (direct) {
                        builder.drainTo(writer);
                    } else {
                        while (builder.next()) {
                            writer.write(builder.root());
                        }
                    }
                }
                assertEquals(rows, builder.recordsIn());
                assertEquals(rows, builder.rowsOut());
            }
            assertEquals(avro.size(), writer.bytesWritten());
            assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        }
        assertEquals(List.of(), bad);

        List<GenericRecord> records = AvroBatchWriterTest.read(avro.toByteArray());
        assertEquals(rows, records.size());
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columnCount; c++) {
                Object actual = records.get(r).get(c);
                assertEquals(avroValue(table.get(r)[c], columns.get(c).millis()), actual == null ? null : (actual instanceof CharSequence ? actual.toString() : actual),
                        "row " + r + " column " + columns.get(c).name());
            }
        }
    }

    private static Object value(Random random, ColumnType type, String alphabet) {
        switch (type) {
            case BOOLEAN:
                return random.nextBoolean();
            case LONG:
                return switch (random.nextInt(4)) {
                    case 0 -> (long) random.nextInt(100);
                    case 1 -> -(long) random.nextInt(100_000);
                    default -> random.nextLong();
                };
            case DOUBLE:
                return switch (random.nextInt(20)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.NEGATIVE_INFINITY;
                    case 2 -> (double) random.nextInt(10);
                    default -> (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
                };
            case DATE:
                return LocalDate.ofEpochDay(random.nextInt(200_000) - 100_000);
            case TIMESTAMP_LOCAL:
                return LocalDateTime.ofEpochSecond(random.nextInt(2_000_000_000) - 1_000_000_000L, random.nextInt(3) == 0 ? 0 : random.nextInt(1_000_000) * 1000, ZoneOffset.UTC);
            case TIMESTAMP_INSTANT:
                return Instant.ofEpochSecond(random.nextInt(2_000_000_000) - 1_000_000_000L, random.nextInt(1_000_000) * 1000L);
            case STRING: {
                StringBuilder s = new StringBuilder("s");
                int length = random.nextInt(12);
                for (int i = 0; i < length; i++) {
                    s.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                return s.toString();
            }
            default:
                throw new IllegalStateException();
        }
    }

    private static String format(Object value, ColumnType type, Random random) {
        if (value == null) {
            return null;
        }
        switch (type) {
            case BOOLEAN: {
                String text = value.toString();
                return random.nextBoolean() ? text.toUpperCase(java.util.Locale.ROOT) : text;
            }
            case TIMESTAMP_LOCAL: {
                LocalDateTime t = (LocalDateTime) value;
                if (t.getNano() == 0 && random.nextBoolean()) {
                    return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
                }
                return t.format(DateTimeFormatter.ofPattern(random.nextBoolean() ? "yyyy-MM-dd HH:mm:ss.SSSSSS" : "yyyy-MM-dd'T'HH:mm:ss.SSSSSS"));
            }
            case TIMESTAMP_INSTANT: {
                ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(49) - 24) * 1800);
                return ((Instant) value).atOffset(offset).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX"));
            }
            default:
                return value.toString();
        }
    }

    private static Object avroValue(Object value, boolean millis) {
        java.time.temporal.ChronoUnit unit = millis ? java.time.temporal.ChronoUnit.MILLIS : java.time.temporal.ChronoUnit.MICROS;
        if (value instanceof LocalDate) {
            return (int) ((LocalDate) value).toEpochDay();
        }
        if (value instanceof LocalDateTime) {
            return unit.between(LocalDateTime.of(1970, 1, 1, 0, 0), (LocalDateTime) value);
        }
        if (value instanceof Instant) {
            return unit.between(Instant.EPOCH, (Instant) value);
        }
        return value;
    }
}
