package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchBuilderTest {

    private final RootAllocator allocator = new RootAllocator();
    private final List<BadRecord> bad = new ArrayList<>();

    @AfterEach
    void allocatorIsEmpty() {
        assertEquals(0, allocator.getAllocatedMemory(), "off-heap bytes leaked");
        allocator.close();
    }

    private static final TableSchema TAXI = new TableSchema(List.of(
            Column.of("medallion", ColumnType.STRING, false),
            Column.of("flag", ColumnType.BOOLEAN, true),
            Column.of("pickup", ColumnType.TIMESTAMP_LOCAL, false),
            Column.of("at", ColumnType.TIMESTAMP_INSTANT, true),
            Column.of("day", ColumnType.DATE, true),
            Column.of("distance", ColumnType.DOUBLE, true),
            Column.of("note", ColumnType.STRING, true),
            Column.of("passenger_count", ColumnType.LONG, false)));

    @Test
    void buildsTypedVectors() {
        String csv = "m1,true,2013-01-01 15:11:48,2013-01-01T15:11:48Z,2013-01-01,1.5,\"a,\"\"b\"\"\",4\n"
                + "m2,,2013-01-01T00:00:00.25,,,,,-1\r\n"
                + "\"m3\",FALSE,2013-01-02,2013-01-01 10:00:00+01:00,1970-01-01,1e3,\"\",9223372036854775807";
        try (BatchBuilder builder = builder(TAXI, 100)) {
            load(builder, csv, 1000, 2);
            assertTrue(builder.next());
            VectorSchemaRoot root = builder.root();
            assertEquals(3, root.getRowCount());
            VarCharVector medallion = (VarCharVector) root.getVector("medallion");
            assertEquals("m1", medallion.getObject(0).toString());
            assertEquals("m3", medallion.getObject(2).toString());
            BitVector flag = (BitVector) root.getVector("flag");
            assertEquals(1, flag.get(0));
            assertTrue(flag.isNull(1));
            assertEquals(0, flag.get(2));
            TimeStampMicroVector pickup = (TimeStampMicroVector) root.getVector("pickup");
            assertEquals(1357053108_000000L, pickup.get(0));
            assertEquals(250_000L, pickup.get(1) - 1356998400_000000L);
            assertEquals(1357084800_000000L, pickup.get(2));
            TimeStampMicroTZVector at = (TimeStampMicroTZVector) root.getVector("at");
            assertEquals(1357053108_000000L, at.get(0));
            assertTrue(at.isNull(1));
            assertEquals(1357030800_000000L, at.get(2));
            DateDayVector day = (DateDayVector) root.getVector("day");
            assertEquals(15706, day.get(0));
            assertEquals(0, day.get(2));
            Float8Vector distance = (Float8Vector) root.getVector("distance");
            assertEquals(1.5, distance.get(0));
            assertTrue(distance.isNull(1));
            assertEquals(1000.0, distance.get(2));
            VarCharVector note = (VarCharVector) root.getVector("note");
            assertEquals("a,\"b\"", note.getObject(0).toString());
            assertTrue(note.isNull(1));
            assertEquals("", note.getObject(2).toString(), "a quoted empty field is an empty string");
            BigIntVector count = (BigIntVector) root.getVector("passenger_count");
            assertEquals(4, count.get(0));
            assertEquals(Long.MAX_VALUE, count.get(2));
            assertFalse(builder.next());
            assertEquals(3, builder.recordsIn());
            assertEquals(3, builder.rowsOut());
            assertEquals(0, builder.badRecords());
        }
    }

    @Test
    void badRecordsAreReportedAndLeftOut() {
        String good = "m,true,2013-01-01 15:11:48,,,1.5,,4\n";
        String csv = good                                                   // line 10
                + "m,true,2013-01-01 15:11:48,,,1.5,,4x\n"                   // line 11: unparseable long
                + "m,true,2013-01-01 15:11:48,,,1.5,\"multi\nline\",\n"       // line 12-13: null in non-nullable
                + "m,true\n"                                                 // line 14: ragged
                + good                                                       // line 15
                + "m,maybe,2013-01-01 15:11:48,,,1.5,,4\n"                   // line 16: bad boolean
                + "m,true,2013-01-01 15:11:48,,,1.5,\"open,4\n";             // line 17: unclosed quote
        long base = 99_000;
        try (BatchBuilder builder = builder(TAXI, 100)) {
            load(builder, csv, base, 10);
            assertTrue(builder.next());
            assertEquals(2, builder.root().getRowCount());
            assertEquals(4, ((BigIntVector) builder.root().getVector("passenger_count")).get(1));
            assertFalse(builder.next());
            assertEquals(7, builder.recordsIn());
            assertEquals(2, builder.rowsOut());
            assertEquals(5, builder.badRecords());
        }
        long line11 = base + good.length();
        assertEquals("Cannot parse column 'passenger_count' (#7) as long: \"4x\" at line 11, byte " + line11, bad.get(0).message());
        assertEquals(new BadRecord(BadRecord.Reason.UNPARSEABLE, bad.get(0).message(), line11, 11, 7, "passenger_count", "4x",
                "m,true,2013-01-01 15:11:48,,,1.5,,4x"), bad.get(0));
        assertEquals("Null in non-nullable column 'passenger_count' (#7): \"\" at line 12, byte " + (line11 + 37), bad.get(1).message());
        assertEquals("m,true,2013-01-01 15:11:48,,,1.5,\"multi\nline\",", bad.get(1).rawRecord());
        assertEquals("Expected 8 fields but found 2 at line 14, byte " + (line11 + 37 + 47), bad.get(2).message());
        assertEquals(BadRecord.Reason.FIELD_COUNT, bad.get(2).reason());
        assertEquals("Cannot parse column 'flag' (#1) as boolean: \"maybe\" at line 16, byte " + (line11 + 37 + 47 + 7 + good.length()), bad.get(3).message());
        assertEquals(BadRecord.Reason.UNCLOSED_QUOTE, bad.get(4).reason());
        assertEquals("Unclosed quote in column 'note' (#6): \"open,4\\n\" at line 17, byte " + (line11 + 37 + 47 + 7 + good.length() + 37), bad.get(4).message());
    }

    @Test
    void aBadFieldInALateColumnRedoesTheBatchRowByRow() {
        // the column-wise fast path has already written the string, timestamp and double
        // columns when passenger_count of the third record fails; the batch is rebuilt without it
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            csv.append("medallion").append(i).append(",true,2013-01-0").append(i + 1).append(" 00:00:0").append(i)
                    .append(",,,").append(i).append(".5,note").append(i).append(',').append(i == 2 ? "x" : String.valueOf(i)).append('\n');
        }
        try (BatchBuilder builder = builder(TAXI, 100)) {
            load(builder, csv.toString(), 0, 1);
            assertTrue(builder.next());
            VectorSchemaRoot root = builder.root();
            assertEquals(5, root.getRowCount());
            VarCharVector medallion = (VarCharVector) root.getVector("medallion");
            VarCharVector note = (VarCharVector) root.getVector("note");
            TimeStampMicroVector pickup = (TimeStampMicroVector) root.getVector("pickup");
            Float8Vector distance = (Float8Vector) root.getVector("distance");
            BigIntVector count = (BigIntVector) root.getVector("passenger_count");
            int[] kept = {0, 1, 3, 4, 5};
            for (int row = 0; row < 5; row++) {
                int i = kept[row];
                assertEquals("medallion" + i, medallion.getObject(row).toString());
                assertEquals("note" + i, note.getObject(row).toString());
                assertEquals((1356998400L + i * 86400L + i) * 1_000_000L, pickup.get(row));
                assertEquals(i + 0.5, distance.get(row));
                assertEquals(i, count.get(row));
            }
            assertFalse(builder.next());
        }
        assertEquals(1, bad.size());
        assertEquals("Cannot parse column 'passenger_count' (#7) as long: \"x\" at line 3, byte " + csv.indexOf("medallion2"), bad.get(0).message());
    }

    @Test
    void nullsAndQuotedFieldsAmongPlainOnesAcrossWordsAndTiles() {
        // the column-wise path sets the validity bits of plain fields once per 64 rows and
        // hands nulls and quoted fields to the per-field path; check every row of two batches
        TableSchema schema = new TableSchema(List.of(
                Column.of("s", ColumnType.STRING, true),
                Column.of("d", ColumnType.DOUBLE, true),
                Column.of("l", ColumnType.LONG, true),
                Column.of("t", ColumnType.TIMESTAMP_LOCAL, true)));
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            csv.append(i % 7 == 0 ? "" : i % 11 == 0 ? "\"q," + i + "\"" : "s" + i).append(',');
            csv.append(i % 5 == 0 ? "" : i % 13 == 0 ? "\"" + i + ".5\"" : i + ".25").append(',');
            csv.append(i % 3 == 0 ? "" : i % 17 == 0 ? "\"" + i + "\"" : String.valueOf(i)).append(',');
            csv.append(i % 2 == 0 ? "" : i % 19 == 0 ? "\"2013-01-01 00:00:00\"" : "2013-01-02 00:00:00").append('\n');
        }
        try (BatchBuilder builder = builder(schema, 1000)) {
            load(builder, csv.toString(), 0, 1);
            int base = 0;
            while (builder.next()) {
                VectorSchemaRoot root = builder.root();
                VarCharVector s = (VarCharVector) root.getVector("s");
                Float8Vector d = (Float8Vector) root.getVector("d");
                BigIntVector l = (BigIntVector) root.getVector("l");
                TimeStampMicroVector t = (TimeStampMicroVector) root.getVector("t");
                for (int row = 0; row < root.getRowCount(); row++) {
                    int i = base + row;
                    String at = "row " + i;
                    if (i % 7 == 0) {
                        assertTrue(s.isNull(row), at);
                    } else {
                        assertEquals(i % 11 == 0 ? "q," + i : "s" + i, s.getObject(row).toString(), at);
                    }
                    if (i % 5 == 0) {
                        assertTrue(d.isNull(row), at);
                    } else {
                        assertEquals(i % 13 == 0 ? i + 0.5 : i + 0.25, d.get(row), at);
                    }
                    if (i % 3 == 0) {
                        assertTrue(l.isNull(row), at);
                    } else {
                        assertEquals(i, l.get(row), at);
                    }
                    if (i % 2 == 0) {
                        assertTrue(t.isNull(row), at);
                    } else {
                        assertEquals(i % 19 == 0 ? 1356998400_000000L : 1357084800_000000L, t.get(row), at);
                    }
                }
                base += root.getRowCount();
            }
            assertEquals(1500, base);
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void longValuesAreShortened() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, false)));
        String value = "x".repeat(100);
        try (BatchBuilder builder = builder(schema, 10)) {
            load(builder, value + "\n", 0, 1);
            assertFalse(builder.next());
        }
        assertEquals("Cannot parse column 'n' (#0) as long: \"" + "x".repeat(61) + "...\" at line 1, byte 0", bad.get(0).message());
        assertEquals(value, bad.get(0).rawRecord());
    }

    @Test
    void splitsIntoBoundedBatchesAndReusesVectors() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, false), Column.of("s", ColumnType.STRING, true)));
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            csv.append(i).append(',').append(i % 3 == 0 ? "" : "v" + i).append('\n');
        }
        List<Integer> sizes = new ArrayList<>();
        long sum = 0;
        try (BatchBuilder builder = builder(schema, 64)) {
            load(builder, csv.toString(), 0, 1);
            while (builder.next()) {
                VectorSchemaRoot root = builder.root();
                sizes.add(root.getRowCount());
                BigIntVector n = (BigIntVector) root.getVector("n");
                VarCharVector s = (VarCharVector) root.getVector("s");
                for (int row = 0; row < root.getRowCount(); row++) {
                    long value = n.get(row);
                    sum += value;
                    assertEquals(value % 3 == 0 ? null : "v" + value, s.isNull(row) ? null : s.getObject(row).toString());
                }
            }
        }
        assertEquals(16, sizes.size());
        assertEquals(64, sizes.get(0));
        assertEquals(1000 - 15 * 64, sizes.get(15));
        assertEquals(999 * 1000 / 2, sum);
    }

    @Test
    void stringDataGrowsPastTheInitialCapacity() {
        TableSchema schema = new TableSchema(List.of(Column.of("s", ColumnType.STRING, true), Column.of("n", ColumnType.LONG, false)));
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            csv.append(i % 7 == 0 ? "" : String.valueOf((char) ('a' + i % 26)).repeat(1000 * i)).append(',').append(i).append('\n');
        }
        try (BatchBuilder builder = builder(schema, 50)) {
            load(builder, csv.toString(), 0, 1);
            assertTrue(builder.next());
            VarCharVector s = (VarCharVector) builder.root().getVector("s");
            for (int i = 0; i < 50; i++) {
                assertEquals(i % 7 == 0 ? null : String.valueOf((char) ('a' + i % 26)).repeat(1000 * i),
                        s.isNull(i) ? null : s.getObject(i).toString(), "row " + i);
            }
        }
    }

    @Test
    void otherDialectsAndCharsets() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, true), Column.of("s", ColumnType.STRING, true),
                Column.of("d", ColumnType.DOUBLE, false)));
        CsvDialect dialect = CsvDialect.builder().delimiter(';').escapeMode(CsvDialect.EscapeMode.BACKSLASH)
                .nullTokens(List.of("NA")).charset(StandardCharsets.ISO_8859_1).build();
        byte[] data = "\"7\";\"caf\u00e9 \\\"x\\\"\";1.5\nNA;NA;-2\n;a\\;b;3e2\n".getBytes(StandardCharsets.ISO_8859_1);
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build()) {
            builder.reset(data, 0, data.length, 0, 1);
            assertTrue(builder.next());
            assertEquals("n\ts\td\n7\tcaf\u00e9 \"x\"\t1.5\nnull\tnull\t-2.0\n", builder.root().contentToTSVString());
        }
        assertEquals(1, bad.size());
        assertEquals("Cannot parse column 'n' (#0) as long: \"\" at line 3, byte 30", bad.get(0).message());
    }

    @Test
    void latin1ValuesBecomeUtf8() {
        TableSchema schema = new TableSchema(List.of(Column.of("city", ColumnType.STRING, true), Column.of("n", ColumnType.LONG, true)));
        CsvDialect dialect = CsvDialect.builder().charset(StandardCharsets.ISO_8859_1).build();
        // 0xE9 is e-acute, 0xF1 n-tilde, 0xFF y-diaeresis in ISO-8859-1; none is valid UTF-8 alone
        byte[] data = bytes("Montr", 0xE9, "al,1\n\"Espa", 0xF1, "a \"\"", 0xFF, "\"\"\",2\nplain,3\n");
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build()) {
            builder.reset(data, 0, data.length, 0, 1);
            assertTrue(builder.next());
            VarCharVector city = (VarCharVector) builder.root().getVector("city");
            assertArrayEqualsUtf8("Montr\u00e9al", city.get(0));
            assertArrayEqualsUtf8("Espa\u00f1a \"\u00ff\"", city.get(1));
            assertArrayEqualsUtf8("plain", city.get(2));
        }
        assertEquals(List.of(), bad);
    }

    /**
     * Issue 10: bytes that are not UTF-8 never reach a string vector. A record holding one is
     * rejected as invalid-encoding naming the column and the bad byte's offset, whether the
     * bytes are in a string (plain or quoted), a number, or a record with a wrong field count.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 8192})
    void invalidUtf8IsABadRecordOnEveryPath(int batchRows) {
        TableSchema schema = new TableSchema(List.of(Column.of("medallion", ColumnType.STRING, false),
                Column.of("n", ColumnType.LONG, false), Column.of("s", ColumnType.STRING, true)));
        byte[] data = bytes("ok,1,Z", 0xC3, 0xBC, "rich\n",          // byte 0: valid two-byte u-umlaut
                "AB", 0xFF, 0xFE, "CD,2,x\n",                            // byte 13
                "\"q", 0xC3, "\",3,y\n",                                 // byte 26: truncated sequence in quotes
                "ok,4", 0xE9, ",z\n",                                     // byte 37: in a long
                "ok,5", 0xFF, "\n",                                       // byte 45: and too few fields
                "fine,6,", 0xE6, 0x9D, 0xB1, 0xED, 0x9F, 0xBF, "\n",       // byte 51: U+6771, U+D7FF
                "s,7,", 0xED, 0xA0, 0x80, "\n");                          // byte 65: a surrogate
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).batchRows(batchRows).badRecords(bad::add).build()) {
            builder.reset(data, 0, data.length, 1000, 1);
            List<String> kept = new ArrayList<>();
            while (builder.next()) {
                VarCharVector s = (VarCharVector) builder.root().getVector("s");
                for (int row = 0; row < builder.root().getRowCount(); row++) {
                    kept.add(new String(s.get(row), StandardCharsets.UTF_8));
                }
            }
            assertEquals(List.of("Z\u00fcrich", "\u6771\ud7ff"), kept);
            assertEquals(7, builder.recordsIn());
            assertEquals(5, builder.badRecords());
        }
        assertEquals(List.of(BadRecord.Reason.INVALID_ENCODING), bad.stream().map(BadRecord::reason).distinct().toList());
        assertEquals(List.of(1013L, 1024L, 1033L, 1041L, 1061L), bad.stream().map(BadRecord::byteOffset).toList());
        assertEquals(List.of(2L, 3L, 4L, 5L, 7L), bad.stream().map(BadRecord::line).toList());
        assertEquals(List.of("medallion", "medallion", "n", "n", "s"), bad.stream().map(BadRecord::columnName).toList());
        assertEquals("Invalid UTF-8 in column 'medallion' (#0): byte 0xFF at byte 1015 in \"AB\\xFF\\xFECD\" at line 2, byte 1013",
                bad.get(0).message());
        assertEquals("AB\\xFF\\xFECD,2,x", bad.get(0).rawRecord());
        assertEquals("Invalid UTF-8 in column 's' (#2): byte 0xED at byte 1065 in \"\\xED\\xA0\\x80\" at line 7, byte 1061",
                bad.get(4).message());
    }

    @Test
    void windows1252MapsItsOwnBytesAndRejectsUndefinedOnes() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, false), Column.of("s", ColumnType.STRING, true)));
        CsvDialect dialect = CsvDialect.builder().charset(Charset.forName("windows-1252")).build();
        // 0x80 is the euro sign and 0x92 a right single quote in windows-1252; 0x81 is undefined
        byte[] data = bytes("1,", 0x80, "5 l", 0x92, "eau\n2,caf", 0x81, "\n3,\"x", 0xE9, "\"\n");
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build()) {
            builder.reset(data, 0, data.length, 100, 1);
            assertTrue(builder.next());
            VarCharVector s = (VarCharVector) builder.root().getVector("s");
            assertEquals(2, builder.root().getRowCount());
            assertArrayEqualsUtf8("\u20ac5 l\u2019eau", s.get(0));
            assertArrayEqualsUtf8("x\u00e9", s.get(1));
        }
        assertEquals(1, bad.size());
        BadRecord record = bad.get(0);
        assertEquals(BadRecord.Reason.INVALID_ENCODING, record.reason());
        assertEquals("Invalid windows-1252 in column 's' (#1): byte 0x81 at byte 116 in \"caf\\x81\" at line 2, byte 111",
                record.message());
        assertEquals(111, record.byteOffset());
    }

    @Test
    void usAsciiRejectsBytesAboveSevenBits() {
        TableSchema schema = new TableSchema(List.of(Column.of("s", ColumnType.STRING, true)));
        CsvDialect dialect = CsvDialect.builder().withoutHeader().charset(StandardCharsets.US_ASCII).build();
        byte[] data = bytes("ok\n\"a\"\"", 0xE9, "\"\n");
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build()) {
            builder.reset(data, 0, data.length, 0, 1);
            assertTrue(builder.next());
            assertEquals(1, builder.root().getRowCount());
        }
        assertEquals("Invalid US-ASCII in column 's' (#0): byte 0xE9 at byte 7 in \"\"a\"\"\\xE9\"\" at line 2, byte 3",
                bad.get(0).message());
    }

    @Test
    void utf16DialectTakesTranscodedUtf8Records() {
        TableSchema schema = new TableSchema(List.of(Column.of("s", ColumnType.STRING, true)));
        CsvDialect dialect = CsvDialect.builder().withoutHeader().nullTokens(List.of("\u2205")).charset(StandardCharsets.UTF_16LE).build();
        byte[] data = "\u00e9t\u00e9\n\u2205\n\"\ud83d\ude00\"\n".getBytes(StandardCharsets.UTF_8);
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build()) {
            builder.reset(data, 0, data.length, 0, 1);
            assertTrue(builder.next());
            VarCharVector s = (VarCharVector) builder.root().getVector("s");
            assertArrayEqualsUtf8("\u00e9t\u00e9", s.get(0));
            assertTrue(s.isNull(1));
            assertArrayEqualsUtf8("\ud83d\ude00", s.get(2));
        }
        assertEquals(List.of(), bad);
    }

    private static void assertArrayEqualsUtf8(String expected, byte[] actual) {
        assertEquals(expected, new String(actual, StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), actual);
    }

    /** Concatenates ASCII strings and single bytes given as ints. */
    static byte[] bytes(Object... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Object part : parts) {
            if (part instanceof Integer) {
                out.write((Integer) part);
            } else {
                out.writeBytes(((String) part).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    @Test
    void quotedValuesAreNeverNullAndStillTyped() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, true), Column.of("s", ColumnType.STRING, true)));
        try (BatchBuilder builder = builder(schema, 10)) {
            load(builder, "\"12\",\"\"\n\"1\"\"2\",x\n", 0, 1);
            assertTrue(builder.next());
            assertEquals("n\ts\n12\t\n", builder.root().contentToTSVString());
        }
        assertEquals("Cannot parse column 'n' (#0) as long: \"1\"2\" at line 2, byte 8", bad.get(0).message());
    }

    @Test
    void sinkExceptionPropagates() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, false)));
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).badRecords(b -> {
            throw new IllegalStateException("policy fail: " + b.message());
        }).build()) {
            load(builder, "1\nx\n", 10, 1);
            IllegalStateException e = assertThrows(IllegalStateException.class, builder::next);
            assertEquals("policy fail: Cannot parse column 'n' (#0) as long: \"x\" at line 2, byte 12", e.getMessage());
        }
    }

    @Test
    void closedBuilderRefusesToWrite() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, false)));
        BatchBuilder builder = builder(schema, 10);
        load(builder, "1\n", 0, 1);
        builder.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, builder::next);
        assertEquals("BatchBuilder is closed", e.getMessage());
    }

    @Test
    void builderValidates() {
        TableSchema schema = new TableSchema(List.of(Column.of("n", ColumnType.LONG, false)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BatchBuilder.builder(schema, allocator).build());
        assertEquals("A bad-record sink is required: call badRecords(...)", e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> BatchBuilder.builder(schema, allocator).badRecords(bad::add).batchRows(0).build());
        assertEquals("batchRows must be in [1, 1048576]: 0", e2.getMessage());
    }

    private BatchBuilder builder(TableSchema schema, int batchRows) {
        return BatchBuilder.builder(schema, allocator).batchRows(batchRows).badRecords(bad::add).build();
    }

    private static void load(BatchBuilder builder, String csv, long fileOffset, long firstLine) {
        byte[] data = csv.getBytes(StandardCharsets.UTF_8);
        builder.reset(data, 0, data.length, fileOffset, firstLine);
    }
}
