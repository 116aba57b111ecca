package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The direct CSV → Avro path ({@link BatchBuilder#drainTo} with {@link AvroBatchWriter#plainRecords}, {@code CsvAvroEncoder})
 * against the Arrow path ({@link BatchBuilder} batches → {@link AvroBatchWriter#write(org.apache.arrow.vector.VectorSchemaRoot)})
 * on seeded random, deliberately messy CSV: random dialects (delimiters including space, quotes,
 * null tokens that parse as numbers, comments, backslash escapes), types, value shapes (short and
 * long numbers, exponents, specials, timestamps of every form, garbage), quoting (simple, doubled
 * quotes, line breaks, text after the closing quote), ragged records, blank and comment lines,
 * every line ending, chunks inside larger buffers with digits and delimiters after their end,
 * projections and small sync intervals. Both paths must give the same records, the same bad
 * records (with lines and offsets) and the same counters.
 */
class CsvAvroEncoderTest {

    private static final char[] DELIMITERS = {',', '\t', '|', ';', ' '};
    private static final List<List<String>> NULL_TOKENS = List.of(List.of(""), List.of("NA"), List.of("", "-1"), List.of("\\N", ""), List.of(),
            List.of("", "2013-01-01 00:00:00", "1.5"));
    private static final String STRING_ALPHABET = "abcXYZ 019-.:+#ä日\t\u0001\u000b";

    static Stream<Long> seeds() {
        return LongStream.concat(LongStream.rangeClosed(1, 300), LongStream.of(System.nanoTime())).boxed();
    }

    private static final java.util.concurrent.atomic.AtomicLong ROWS = new java.util.concurrent.atomic.AtomicLong();
    private static final java.util.concurrent.atomic.AtomicLong DIRECT_ROWS = new java.util.concurrent.atomic.AtomicLong();

    @org.junit.jupiter.api.AfterAll
    static void mostRowsTookTheDirectPath() {
        // not a vacuous comparison: the generated files are mostly plain
        assertTrue(DIRECT_ROWS.get() > ROWS.get() / 4, DIRECT_ROWS + " of " + ROWS + " rows took the direct path");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void directPathWritesWhatTheArrowPathWrites(long seed) throws IOException {
        try {
            compare(seed);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
        }
    }

    @Test
    void plainRecordsTakeTheDirectPathAndOthersTheArrowPath() throws IOException {
        TableSchema schema = new TableSchema(List.of(Column.of("id", ColumnType.LONG, false), Column.of("x", ColumnType.DOUBLE, true),
                Column.of("at", ColumnType.TIMESTAMP_LOCAL, false), Column.of("name", ColumnType.STRING, true)));
        String csv = "1,2.5,2013-01-01 00:00:00,ann\n"
                + "2,,2013-01-01 00:00:01,\"bob, jr\"\n"
                + "3,1e3,2013-01-01 00:00:02,\"line\nbreak\"\n"   // quoted line break: Arrow path
                + "4x,1,2013-01-01 00:00:03,bad\n"                 // bad: rejected by the Arrow path
                + "5,-0.25,2013-01-01T00:00:04.5,eve";             // no final line break
        List<BadRecord> bad = new ArrayList<>();
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        RootAllocator allocator = new RootAllocator();
        try (allocator; BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(bad::add).build()) {
            AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.NULL).build();
            try (writer) {
                byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
                builder.reset(bytes, 0, bytes.length, 100, 2);
                assertEquals(4, builder.drainTo(writer));
            }
            assertEquals(5, builder.recordsIn());
            assertEquals(4, builder.rowsOut());
            assertEquals(1, builder.badRecords());
            assertTrue(writer.directRows() >= 2, "direct rows: " + writer.directRows());
        }
        assertEquals(0, allocator.getAllocatedMemory());
        assertEquals(1, bad.size());
        assertEquals(6, bad.get(0).line()); // the record before spans lines 4 and 5
        assertEquals(100 + csv.indexOf("4x"), bad.get(0).byteOffset());
        List<GenericRecord> records = AvroBatchWriterTest.read(avro.toByteArray());
        assertEquals(List.of("1", "2", "3", "5"), records.stream().map(r -> r.get("id").toString()).toList());
        assertEquals("bob, jr", records.get(1).get("name").toString());
        assertEquals(null, records.get(1).get("x"));
        assertEquals("line\nbreak", records.get(2).get("name").toString());
        assertEquals(1000.0, records.get(2).get("x"));
        assertEquals(1356998404500000L, records.get(3).get("at"));
    }

    /** {@code x > 1}, a null x not kept: on raw records and over Arrow batches. */
    private record XOverOne(int column) implements RowFilter, RawRecordFilter {
        @Override
        public int select(org.apache.arrow.vector.VectorSchemaRoot batch, int[] selection) {
            org.apache.arrow.vector.Float8Vector x = (org.apache.arrow.vector.Float8Vector) batch.getVector(column);
            int n = 0;
            for (int row = 0; row < batch.getRowCount(); row++) {
                if (!x.isNull(row) && x.get(row) > 1) {
                    selection[n++] = row;
                }
            }
            return n;
        }

        @Override
        public java.util.Optional<RawRecordFilter> rawRecords() {
            return java.util.Optional.of(this);
        }

        @Override
        public int[] columns() {
            return new int[] {column};
        }

        @Override
        public boolean test(RawRecord record) {
            return !record.isNull(column) && record.doubleValue(column) > 1;
        }
    }

    @Test
    void aFilteredDrainDropsRowsOnTheirRawBytesAndStillRejectsBadOnes() throws IOException {
        TableSchema schema = new TableSchema(List.of(Column.of("id", ColumnType.LONG, false), Column.of("x", ColumnType.DOUBLE, true),
                Column.of("at", ColumnType.TIMESTAMP_LOCAL, false), Column.of("name", ColumnType.STRING, true)));
        String csv = "1,2.5,2013-01-01 00:00:00,ann\n"
                + "2,,2013-01-01 00:00:01,\"bob, jr\"\n"          // null x: dropped
                + "3,0.5,2013-01-01 00:00:02,cat\n"               // dropped on its raw bytes
                + "4,0.5,2013-01-01 00:00:0x,dan\n"               // would be dropped, but a bad timestamp: rejected
                + "5,1e3,2013-01-01 00:00:04,\"line\nbreak\"\n"   // quoted line break: Arrow path, kept
                + "6,0.1,2013-01-01 00:00:05,\"x\ny\"\n"          // Arrow path, dropped there
                + "7,-0.25,2013-01-01 00:00:06,eve\n"
                + "8,9,2013-01-01 00:00:07,fay";                  // no final line break, kept
        List<BadRecord> bad = new ArrayList<>();
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        RootAllocator allocator = new RootAllocator();
        try (allocator; BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(bad::add).build()) {
            AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).columns(List.of("id", "name")).codec(AvroBatchWriter.Codec.NULL).build();
            try (writer) {
                byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
                builder.reset(bytes, 0, bytes.length, 100, 2);
                assertEquals(3, builder.drainTo(writer, new XOverOne(1)));
            }
            assertEquals(8, builder.recordsIn());
            assertEquals(7, builder.rowsOut()); // 3 written + 4 filtered
            assertEquals(1, builder.badRecords());
            assertEquals(1, writer.directRows()); // id 1: from the bad record on, the Arrow path takes the next 8 records
        }
        assertEquals(0, allocator.getAllocatedMemory());
        assertEquals(1, bad.size());
        assertEquals(BadRecord.Reason.UNPARSEABLE, bad.get(0).reason());
        assertEquals("at", bad.get(0).columnName());
        assertEquals(5, bad.get(0).line());
        List<GenericRecord> records = AvroBatchWriterTest.read(avro.toByteArray());
        assertEquals(List.of("1", "5", "8"), records.stream().map(r -> r.get("id").toString()).toList());
        assertEquals("line\nbreak", records.get(1).get("name").toString());
        assertEquals(2, records.get(0).getSchema().getFields().size());
    }

    @Test
    void millisecondColumnsWriteMillisecondsAndRejectFinerValuesOnBothPaths() throws IOException {
        TableSchema schema = new TableSchema(List.of(
                new Column("at", "at", ColumnType.TIMESTAMP_LOCAL, false, TimestampUnit.MILLIS),
                new Column("utc", "utc", ColumnType.TIMESTAMP_INSTANT, true, TimestampUnit.MILLIS)));
        String csv = "2013-01-01 00:00:01,2013-01-01T00:00:00Z\n"
                + "2013-01-01 00:00:01.5,2013-01-01T00:00:00.25+01:00\n"
                + "2013-01-01 00:00:01.000001,\n"                      // finer than milliseconds: rejected
                + "2013-01-01 00:00:02,2013-01-01T00:00:00.0000019Z\n"; // not a timestamp (7 digits, non-zero): rejected
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        for (boolean direct : List.of(false, true)) {
            List<BadRecord> bad = new ArrayList<>();
            ByteArrayOutputStream avro = new ByteArrayOutputStream();
            RootAllocator allocator = new RootAllocator();
            try (allocator; BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(bad::add).build()) {
                try (AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.NULL).build()) {
                    builder.reset(bytes, 0, bytes.length, 0, 1);
                    if (direct) {
                        builder.drainTo(writer);
                    } else {
                        while (builder.next()) {
                            writer.write(builder.root());
                        }
                    }
                }
                assertEquals(List.of(3L, 4L), bad.stream().map(BadRecord::line).toList(), "direct: " + direct);
                assertEquals("Cannot parse column 'at' (#0) as timestamp_local (millis): \"2013-01-01 00:00:01.000001\" at line 3, byte "
                        + csv.indexOf("2013-01-01 00:00:01.000001"), bad.get(0).message());
                List<GenericRecord> records = AvroBatchWriterTest.read(avro.toByteArray());
                assertEquals("local-timestamp-millis", records.get(0).getSchema().getField("at").schema().getLogicalType().getName());
                assertEquals(List.of(1356998401000L, 1356998401500L), records.stream().map(r -> r.get("at")).toList());
                assertEquals(List.of(1356998400000L, 1356998400250L - 3_600_000L), records.stream().map(r -> r.get("utc")).toList());
                // read back into Arrow: microseconds again
                try (AvroBatchReader reader = AvroBatchReader.open(new java.io.ByteArrayInputStream(avro.toByteArray()), allocator, 10)) {
                    assertEquals(schema, reader.schema());
                    assertTrue(reader.next());
                    assertEquals(1356998401500_000L, ((org.apache.arrow.vector.TimeStampMicroVector) reader.root().getVector("at")).get(1));
                }
            }
            assertEquals(0, allocator.getAllocatedMemory());
        }
    }

    @Test
    void aFinerValueInABatchIsRefusedByAMillisecondFileNotTruncated() {
        TableSchema micros = new TableSchema(List.of(Column.of("at", ColumnType.TIMESTAMP_LOCAL, false)));
        TableSchema millis = new TableSchema(List.of(micros.column(0).withTimestampUnit(TimestampUnit.MILLIS)));
        byte[] bytes = "2013-01-01 00:00:01.000001\n".getBytes(StandardCharsets.UTF_8);
        RootAllocator allocator = new RootAllocator();
        try (allocator; BatchBuilder builder = BatchBuilder.builder(micros, allocator).badRecords(b -> {
            throw new AssertionError(b.message());
        }).build()) {
            builder.reset(bytes, 0, bytes.length, 0, 1);
            assertTrue(builder.next());
            AvroBatchWriter writer = AvroBatchWriter.builder(millis, new ByteArrayOutputStream()).build();
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> writer.write(builder.root()));
            assertEquals("Timestamp of 1356998401000001 microseconds at row 0 in column 'at' (#0), which is in milliseconds: the fraction would be lost",
                    e.getMessage());
        }
        assertEquals(0, allocator.getAllocatedMemory());
    }

    @Test
    void theAsciiRunEndsAtTheFirstHighByteInEveryPositionAndRange() {
        byte[] b = new byte[100];
        java.util.Arrays.fill(b, (byte) 'a');
        for (int from = 0; from <= b.length; from++) {
            assertEquals(b.length, CsvAvroEncoder.asciiUntil(b, from, b.length));
        }
        for (int high = 0; high < b.length; high++) {
            b[high] = (byte) (0x80 | high);
            for (int from = 0; from <= b.length; from += 7) {
                for (int to = from; to <= b.length; to += 5) {
                    int expected = high >= from && high < to ? high : to;
                    assertEquals(expected, CsvAvroEncoder.asciiUntil(b, from, to), "high " + high + " in [" + from + ", " + to + ")");
                }
            }
            b[high] = 'a';
        }
    }

    @Test
    void directPathNeedsUtf8DoubledQuotesAndTableOrder() {
        TableSchema schema = new TableSchema(List.of(Column.of("a", ColumnType.LONG, false), Column.of("b", ColumnType.STRING, false),
                Column.of("c", ColumnType.DOUBLE, true)));
        CsvDialect utf8 = CsvDialect.defaults();
        assertTrue(CsvAvroEncoder.supports(schema, utf8, schema));
        assertTrue(CsvAvroEncoder.supports(schema, utf8, schema.project(List.of("a", "c"))));
        assertFalse(CsvAvroEncoder.supports(schema, utf8, schema.project(List.of("c", "a"))));
        assertFalse(CsvAvroEncoder.supports(schema, utf8.toBuilder().charset(StandardCharsets.ISO_8859_1).build(), schema));
        assertFalse(CsvAvroEncoder.supports(schema, utf8.toBuilder().escapeMode(CsvDialect.EscapeMode.BACKSLASH).build(), schema));
        TableSchema otherType = new TableSchema(List.of(Column.of("a", ColumnType.DOUBLE, false)));
        assertFalse(CsvAvroEncoder.supports(schema, utf8, otherType));
    }

    private static void compare(long seed) throws IOException {
        Random random = new Random(seed);
        CsvDialect.Builder dialectBuilder = CsvDialect.builder()
                .delimiter(DELIMITERS[random.nextInt(DELIMITERS.length)])
                .quote(random.nextInt(4) == 0 ? '\'' : '"')
                .nullTokens(NULL_TOKENS.get(random.nextInt(NULL_TOKENS.size())));
        if (random.nextInt(4) == 0) {
            dialectBuilder.commentPrefix("#");
        }
        if (random.nextInt(8) == 0) {
            dialectBuilder.escapeMode(CsvDialect.EscapeMode.BACKSLASH);
        }
        CsvDialect dialect = dialectBuilder.build();
        int columnCount = 1 + random.nextInt(8);
        List<Column> columns = new ArrayList<>();
        ColumnType[] types = java.util.Arrays.stream(ColumnType.values()).filter(ColumnType::isCsvType).toArray(ColumnType[]::new);
        for (int c = 0; c < columnCount; c++) {
            TimestampUnit unit = random.nextBoolean() ? TimestampUnit.MILLIS : TimestampUnit.MICROS;
            columns.add(new Column("c" + c, "c" + c, types[random.nextInt(types.length)], random.nextInt(3) > 0, unit));
        }
        TableSchema schema = new TableSchema(columns);
        String text = csv(random, dialect, schema);
        byte[] bytes = withInvalidUtf8(new Random(seed * 31 + 7), text.getBytes(StandardCharsets.UTF_8));

        List<String> projection = null;
        if (random.nextInt(3) == 0) {
            projection = new ArrayList<>();
            for (String name : schema.names()) {
                if (random.nextBoolean()) {
                    projection.add(name);
                }
            }
            if (projection.isEmpty()) {
                projection.add(schema.names().get(0));
            }
            if (random.nextInt(4) == 0) {
                java.util.Collections.reverse(projection);
            }
        }
        int syncInterval = random.nextBoolean() ? 32 + random.nextInt(2000) : AvroBatchWriter.SYNC_INTERVAL_DEFAULT;
        int batchRows = 1 + random.nextInt(300);
        // chunks at record starts found by the tokenizer, each copied into a larger buffer
        List<int[]> chunks = chunks(random, bytes, dialect);

        Result arrow = run(schema, dialect, projection, syncInterval, batchRows, bytes, chunks, random.nextLong(), false);
        Result direct = run(schema, dialect, projection, syncInterval, batchRows, bytes, chunks, random.nextLong(), true);
        ROWS.addAndGet(direct.counters.get(3));
        DIRECT_ROWS.addAndGet(direct.directRows);
        assertEquals(0, arrow.directRows);
        assertEquals(arrow.bad, direct.bad, "bad records");
        assertEquals(arrow.counters, direct.counters, "recordsIn, rowsOut, badRecords, rowsWritten");
        assertEquals(arrow.records.size(), direct.records.size(), "records");
        for (int i = 0; i < arrow.records.size(); i++) {
            assertEquals(arrow.records.get(i), direct.records.get(i), "record " + i);
            for (org.apache.avro.Schema.Field field : direct.records.get(i).getSchema().getFields()) {
                if (direct.records.get(i).get(field.pos()) instanceof org.apache.avro.util.Utf8 utf8) {
                    assertTrue(Utf8.firstInvalid(utf8.getBytes(), 0, utf8.getByteLength()) < 0, "record " + i + " " + field.name() + " is not UTF-8");
                }
            }
        }
    }

    /** In a third of the files, a few ill-formed UTF-8 sequences at random places (both paths must reject the same records). */
    private static byte[] withInvalidUtf8(Random random, byte[] bytes) {
        if (bytes.length == 0 || random.nextInt(3) != 0) {
            return bytes;
        }
        byte[][] sequences = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xE6, (byte) 0x9D}, {(byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int k = 1 + random.nextInt(4); k > 0; k--) {
            int at = from + random.nextInt(Math.max(1, bytes.length - from));
            out.write(bytes, from, at - from);
            out.writeBytes(sequences[random.nextInt(sequences.length)]);
            from = at;
        }
        out.write(bytes, from, bytes.length - from);
        return out.toByteArray();
    }

    private record Result(List<GenericRecord> records, List<BadRecord> bad, List<Long> counters, long directRows) {
    }

    private static Result run(TableSchema schema, CsvDialect dialect, List<String> projection, int syncInterval, int batchRows, byte[] bytes,
            List<int[]> chunks, long fillSeed, boolean direct) throws IOException {
        List<BadRecord> bad = new ArrayList<>();
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        Random fill = new Random(fillSeed);
        List<Long> counters;
        long directRows;
        RootAllocator allocator = new RootAllocator();
        try (allocator; BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).batchRows(batchRows).badRecords(bad::add).build()) {
            AvroBatchWriter.Builder writerBuilder = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.NULL).syncIntervalBytes(syncInterval);
            if (projection != null) {
                writerBuilder.columns(projection);
            }
            AvroBatchWriter writer = writerBuilder.build();
            long written = 0;
            try (writer) {
                for (int[] chunk : chunks) {
                    int length = chunk[1] - chunk[0];
                    byte[] buffer = new byte[3 + length + fill.nextInt(40)];
                    for (int i = 0; i < buffer.length; i++) {
                        buffer[i] = (byte) "0123456789.,|\t;- \"".charAt(fill.nextInt(18)); // bytes around the chunk that must not count
                    }
                    System.arraycopy(bytes, chunk[0], buffer, 3, length);
                    builder.reset(buffer, 3, length, chunk[0], chunk[2]);
                    if (direct) {
                        written += builder.drainTo(writer);
                    } else {
                        while (builder.next()) {
                            writer.write(builder.root());
                            written += builder.root().getRowCount();
                        }
                    }
                }
            }
            counters = List.of(builder.recordsIn(), builder.rowsOut(), builder.badRecords(), writer.rowsWritten(), written);
            directRows = writer.directRows();
        }
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        return new Result(AvroBatchWriterTest.read(avro.toByteArray()), bad, counters, directRows);
    }

    /** Splits at record starts (as the tokenizer sees them): {start, end, first line}. */
    private static List<int[]> chunks(Random random, byte[] bytes, CsvDialect dialect) {
        CsvTokenizer tokenizer = new CsvTokenizer(dialect);
        RowSpans spans = new RowSpans();
        tokenizer.reset(bytes, 0, bytes.length, 0, 1);
        List<int[]> chunks = new ArrayList<>();
        int start = 0;
        long line = 1;
        while (tokenizer.next(spans, 1) > 0) {
            if (random.nextInt(60) == 0 && tokenizer.hasMore()) {
                chunks.add(new int[] {start, tokenizer.position(), (int) line});
                start = tokenizer.position();
                line = tokenizer.nextLine();
            }
        }
        chunks.add(new int[] {start, bytes.length, (int) line});
        return chunks;
    }

    private static String csv(Random random, CsvDialect dialect, TableSchema schema) {
        String lineEnding = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
        char d = (char) dialect.delimiter();
        char q = (char) dialect.quote();
        int records = random.nextInt(400);
        int chaos = random.nextBoolean() ? 0 : 1 + random.nextInt(3); // 0: plain files, more: more odd records
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < records; r++) {
            if (random.nextInt(60) < chaos) {
                out.append(random.nextBoolean() ? "" : "#comment" + d + "x").append(lineEnding);
            }
            int fields = schema.size();
            if (random.nextInt(80) < chaos) {
                fields += random.nextBoolean() ? 1 : -1;
            }
            for (int c = 0; c < Math.max(fields, 1); c++) {
                if (c > 0) {
                    out.append(d);
                }
                ColumnType type = c < schema.size() ? schema.column(c).type() : ColumnType.STRING;
                String value = random.nextInt(20) == 0 ? token(random, dialect) : value(random, type, d);
                int shape = random.nextInt(100);
                if (shape < 3 * chaos) {
                    out.append(q).append(value).append(q).append(q).append("x").append(q); // doubled quote
                } else if (shape < 4 * chaos) {
                    out.append(q).append(value).append(lineEnding).append(q); // quoted line break
                } else if (shape < 5 * chaos) {
                    out.append(q).append(value).append(q).append("z"); // text after the closing quote
                } else if (shape < 10 + 3 * chaos) {
                    out.append(q).append(value).append(q);
                } else if (shape < 10 + 4 * chaos) {
                    out.append(garbage(random));
                } else {
                    out.append(value);
                }
            }
            if (r < records - 1 || random.nextBoolean()) {
                out.append(lineEnding);
            }
        }
        return out.toString();
    }

    private static String token(Random random, CsvDialect dialect) {
        List<String> tokens = dialect.nullTokens();
        return tokens.isEmpty() ? "" : tokens.get(random.nextInt(tokens.size()));
    }

    private static String garbage(Random random) {
        return List.of("4x", "1.2.3", "--1", "2013-13-01 00:00:00", "2013-01-01 24:00:00", "+", ".", "1e", "tru", "NaNa", "99999999999999999999",
                "2013-01-01 00:00:00x", "0x10", " 1", "1 ").get(random.nextInt(15));
    }

    private static String value(Random random, ColumnType type, char delimiter) {
        switch (type) {
            case BOOLEAN:
                return List.of("true", "false", "TRUE", "False", "tRuE").get(random.nextInt(5));
            case LONG:
                return switch (random.nextInt(6)) {
                    case 0 -> Integer.toString(random.nextInt(10));
                    case 1 -> "-" + random.nextInt(10_000_000);
                    case 2 -> "+" + random.nextInt(1000);
                    case 3 -> "00" + random.nextInt(100);
                    case 4 -> Long.toString(random.nextLong());
                    default -> Integer.toString(random.nextInt());
                };
            case DOUBLE:
                return switch (random.nextInt(10)) {
                    case 0 -> List.of("NaN", "-Infinity", "Infinity", "+Infinity", ".5", "5.", "-0.0", "1e5", "1.5E-3", "+2.25").get(random.nextInt(10));
                    case 1 -> Double.toString(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
                    case 2 -> random.nextInt(100_000_000) + "." + random.nextInt(1000);
                    case 3 -> Integer.toString(random.nextInt(1000));
                    default -> (random.nextBoolean() ? "-" : "") + random.nextInt(1000) + "." + String.format("%06d", random.nextInt(1_000_000)).substring(random.nextInt(6));
                };
            case DATE:
                return String.format("%04d-%02d-%02d", 1900 + random.nextInt(200), 1 + random.nextInt(12), 1 + random.nextInt(28));
            case TIMESTAMP_LOCAL: {
                String date = String.format("%04d-%02d-%02d", 1970 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28));
                String time = String.format("%02d:%02d:%02d", random.nextInt(24), random.nextInt(60), random.nextInt(60));
                return switch (random.nextInt(7)) {
                    case 0 -> date;
                    case 1 -> date + "T" + time;
                    case 2 -> date + " " + time + "." + random.nextInt(1000);
                    case 3 -> date + " " + time + "." + String.format("%06d", random.nextInt(1_000_000));
                    case 4 -> date + " " + time.substring(0, 5);
                    default -> date + " " + time;
                };
            }
            case TIMESTAMP_INSTANT:
                return String.format("%04d-%02d-%02dT%02d:%02d:%02d", 1970 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28),
                        random.nextInt(24), random.nextInt(60), random.nextInt(60)) + List.of("", ".5", ".123456", ".000100").get(random.nextInt(4))
                        + List.of("Z", "+01:00", "-0530", "+02").get(random.nextInt(4));
            case STRING: {
                StringBuilder s = new StringBuilder();
                int length = random.nextInt(random.nextBoolean() ? 8 : 70);
                for (int i = 0; i < length; i++) {
                    char c = STRING_ALPHABET.charAt(random.nextInt(STRING_ALPHABET.length()));
                    s.append(c == delimiter ? '_' : c);
                }
                return s.toString();
            }
            default:
                throw new IllegalStateException();
        }
    }
}
