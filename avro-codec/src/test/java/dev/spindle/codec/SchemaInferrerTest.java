package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaInferrerTest {

    /** One column per case: its values (one per line, {@code ""} is an empty field) → type, nullable. */
    static Stream<Arguments> traps() {
        return Stream.of(
                Arguments.of("negative numbers", List.of("-1", "2", "-300"), ColumnType.LONG, false),
                Arguments.of("plus sign", List.of("+1", "2"), ColumnType.LONG, false),
                Arguments.of("zero and minus zero are numbers", List.of("0", "-0", "10"), ColumnType.LONG, false),
                Arguments.of("leading zeros stay strings", List.of("007", "12"), ColumnType.STRING, false),
                Arguments.of("zip codes stay strings", List.of("02134", "10001"), ColumnType.STRING, false),
                Arguments.of("leading zero before decimal point is a double", List.of("0.5", "-0.25"), ColumnType.DOUBLE, false),
                Arguments.of("double leading zero stays string", List.of("00.5", "1.5"), ColumnType.STRING, false),
                Arguments.of("exponent makes a double", List.of("1e5", "2"), ColumnType.DOUBLE, false),
                Arguments.of("exponent with sign", List.of("1.5E-3", "-2e+10"), ColumnType.DOUBLE, false),
                Arguments.of("NaN and Infinity are doubles", List.of("NaN", "1.5", "-Infinity", "Infinity"), ColumnType.DOUBLE, false),
                Arguments.of("lower-case nan is a string", List.of("nan", "1.5"), ColumnType.STRING, false),
                Arguments.of("long overflow is a double", List.of("9223372036854775808", "1"), ColumnType.DOUBLE, false),
                Arguments.of("long min value is a long", List.of("-9223372036854775808", "9223372036854775807"), ColumnType.LONG, false),
                Arguments.of("booleans in mixed case", List.of("true", "FALSE", "True", "fAlSe"), ColumnType.BOOLEAN, false),
                Arguments.of("0 and 1 are longs not booleans", List.of("0", "1"), ColumnType.LONG, false),
                Arguments.of("booleans mixed with numbers are strings", List.of("true", "1"), ColumnType.STRING, false),
                Arguments.of("yes/no are strings", List.of("yes", "no"), ColumnType.STRING, false),
                Arguments.of("dates", List.of("2024-02-29", "1999-12-31"), ColumnType.DATE, false),
                Arguments.of("impossible date is a string", List.of("2023-02-29"), ColumnType.STRING, false),
                Arguments.of("dates and local timestamps", List.of("2024-01-01", "2024-01-01 10:00:00"), ColumnType.TIMESTAMP_LOCAL, false),
                Arguments.of("local timestamps with T and fraction", List.of("2024-01-01T10:00:00.123456", "2024-01-01 23:59:59.5"), ColumnType.TIMESTAMP_LOCAL, false),
                Arguments.of("nanosecond fraction with zeros", List.of("2024-01-01T10:00:00.123456000"), ColumnType.TIMESTAMP_LOCAL, false),
                Arguments.of("nanosecond fraction is a string", List.of("2024-01-01T10:00:00.123456789"), ColumnType.STRING, false),
                Arguments.of("timestamps with offsets", List.of("2024-01-01T10:00:00Z", "2024-01-01 10:00:00+02:00", "2024-01-01T10:00:00-0530"), ColumnType.TIMESTAMP_INSTANT, false),
                Arguments.of("local and offset timestamps are strings", List.of("2024-01-01T10:00:00Z", "2024-01-01T10:00:00"), ColumnType.STRING, false),
                Arguments.of("date and offset timestamp are strings", List.of("2024-01-01", "2024-01-01T10:00:00Z"), ColumnType.STRING, false),
                Arguments.of("empty makes nullable", List.of("1", "", "3"), ColumnType.LONG, true),
                Arguments.of("all null is nullable string", List.of("", ""), ColumnType.STRING, true),
                Arguments.of("quoted numbers are numbers", List.of("\"1\"", "\"2\""), ColumnType.LONG, false),
                Arguments.of("quoted empty is an empty string, not null", List.of("\"\"", "1"), ColumnType.STRING, false),
                Arguments.of("blank inside number is a string", List.of(" 1", "2"), ColumnType.STRING, false),
                Arguments.of("hex is a string", List.of("0x1F"), ColumnType.STRING, false),
                Arguments.of("java suffix is a string", List.of("1.5d"), ColumnType.STRING, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traps")
    void infersOneColumn(String name, List<String> values, ColumnType type, boolean nullable) {
        // a second column keeps blank-looking records from being skipped as blank lines
        StringBuilder csv = new StringBuilder();
        for (String value : values) {
            csv.append(value).append(",x\n");
        }
        TableSchema schema = infer(CsvDialect.defaults(), "value,other\n", csv.toString());
        // timestamps are in milliseconds unless a value has a non-zero digit past them
        boolean subMillis = values.stream().map(SUB_MILLIS::matcher).anyMatch(java.util.regex.Matcher::find);
        assertEquals(new Column("value", "value", type, nullable, subMillis ? TimestampUnit.MICROS : TimestampUnit.MILLIS), schema.column(0));
    }

    private static final java.util.regex.Pattern SUB_MILLIS = java.util.regex.Pattern.compile(":\\d\\d\\.\\d{3}0*[1-9]");

    @Test
    void timestampsAreInMillisecondsUnlessTheSampleHasAFinerFraction() {
        TableSchema schema = infer(CsvDialect.defaults(), "a,b,c,d\n",
                "2024-01-01 10:00:00.123,2024-01-01 10:00:00.1234,2024-01-01T10:00:00.120000Z,2024-01-01T10:00:00.000001+01:00\n"
                + "2024-01-01,2024-01-01 10:00:00,2024-01-01T10:00:00Z,2024-01-01T10:00:00Z\n");
        assertEquals(List.of(TimestampUnit.MILLIS, TimestampUnit.MICROS, TimestampUnit.MILLIS, TimestampUnit.MICROS),
                schema.columns().stream().map(Column::timestampUnit).toList());
        org.apache.avro.Schema avro = schema.toAvroSchema("r");
        assertEquals("local-timestamp-millis", avro.getField("a").schema().getLogicalType().getName());
        assertEquals("local-timestamp-micros", avro.getField("b").schema().getLogicalType().getName());
        assertEquals("timestamp-millis", avro.getField("c").schema().getLogicalType().getName());
        assertEquals("timestamp-micros", avro.getField("d").schema().getLogicalType().getName());
        assertEquals(schema, TableSchema.fromAvroSchema(avro), "the unit survives the Avro schema (a job's table schema travels in it)");
    }

    @Test
    void longForTenThousandRowsThenADouble() {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            csv.append(i).append('\n');
        }
        csv.append("10000.5\n");
        TableSchema schema = infer(CsvDialect.defaults(), "n\n", csv.toString());
        assertEquals(ColumnType.DOUBLE, schema.column(0).type());
    }

    @Test
    void sanitizesHeaderNames() {
        TableSchema schema = infer(CsvDialect.defaults(), "trip distance ,1st,a,a,\"fare ($)\",,a_2\n", "1,2,3,4,5,6,7\n");
        assertEquals(List.of("trip_distance", "_1st", "a", "a_3", "fare____", "column_6", "a_2"), schema.names());
        assertEquals("trip distance ", schema.column(0).originalName());
        assertEquals("fare ($)", schema.column("fare ($)").originalName());
    }

    @Test
    void latin1HeaderNamesAreDecodedWithTheDialectCharset() {
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.builder().charset(StandardCharsets.ISO_8859_1).build());
        byte[] header = BatchBuilderTest.bytes("caf", 0xE9, ",\"na", 0xEF, "ve\"");
        inferrer.header(header, 0, header.length);
        byte[] data = BatchBuilderTest.bytes("cr", 0xE8, "me,1\n");
        inferrer.sample(data, 0, data.length, header.length + 1, 2);
        TableSchema schema = inferrer.result();
        assertEquals(List.of("caf_", "na_ve"), schema.names());
        assertEquals("caf\u00e9", schema.column(0).originalName());
        assertEquals("na\u00efve", schema.column(1).originalName());
        assertEquals(ColumnType.STRING, schema.column(0).type());
    }

    @Test
    void noHeaderNamesColumnsByPosition() {
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.builder().withoutHeader().build());
        byte[] data = "1,a\n2,b\n".getBytes(StandardCharsets.UTF_8);
        inferrer.sample(data, 0, data.length, 0, 1);
        assertEquals(List.of(Column.of("column_1", ColumnType.LONG, false), Column.of("column_2", ColumnType.STRING, false)),
                inferrer.result().columns());
    }

    @Test
    void raggedRecordsAreSkippedAndCounted() {
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        byte[] header = "a,b\n".getBytes(StandardCharsets.UTF_8);
        inferrer.header(header, 0, header.length);
        byte[] data = "1,2\nx\n3,4,5\n6,7\n".getBytes(StandardCharsets.UTF_8);
        inferrer.sample(data, 0, data.length, 100, 2);
        assertEquals(2, inferrer.recordsSampled());
        assertEquals(2, inferrer.recordsSkipped());
        assertEquals(ColumnType.LONG, inferrer.result().column(0).type());
    }

    @Test
    void otherNullTokens() {
        CsvDialect dialect = CsvDialect.builder().nullTokens(List.of("NA", "\\N")).build();
        TableSchema schema = infer(dialect, "a,b\n", "1,\n2,\nNA,\n\\N,\n");
        assertEquals(new Column("a", "a", ColumnType.LONG, true), schema.column(0));
        assertEquals(new Column("b", "b", ColumnType.STRING, false), schema.column(1));
    }

    @Test
    void headerMustMatchTheDialect() {
        byte[] data = "1,2\n".getBytes(StandardCharsets.UTF_8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SchemaInferrer(CsvDialect.defaults()).sample(data, 0, data.length, 0, 2));
        assertEquals("The dialect has a header line: give it with header(...) before sampling records", e.getMessage());
        e = assertThrows(IllegalStateException.class,
                () -> new SchemaInferrer(CsvDialect.builder().withoutHeader().build()).header(data, 0, data.length));
        assertEquals("The dialect has no header line; build it with withHeader() to give one", e.getMessage());
    }

    @Test
    void failsWithoutAnyInput() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SchemaInferrer(CsvDialect.defaults()).result());
        assertEquals("Cannot infer a schema: no header and no sample records were given", e.getMessage());
    }

    private static TableSchema infer(CsvDialect dialect, String header, String records) {
        SchemaInferrer inferrer = new SchemaInferrer(dialect);
        byte[] headerBytes = header.getBytes(StandardCharsets.UTF_8);
        inferrer.header(headerBytes, 0, headerBytes.length);
        byte[] data = records.getBytes(StandardCharsets.UTF_8);
        inferrer.sample(data, 0, data.length, headerBytes.length, 2);
        return inferrer.result();
    }

    /** Issue 10: a record with bytes that are not UTF-8 is a bad record, so it must not decide a column's type. */
    @Test
    void recordsWithInvalidEncodingDoNotWidenTypes() {
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        byte[] header = "n,s\n".getBytes(StandardCharsets.UTF_8);
        inferrer.header(header, 0, header.length);
        byte[] data = BatchBuilderTest.bytes("1,a\n2", 0xFF, ",b\n3,Z", 0xC3, 0xBC, "rich\n");
        inferrer.sample(data, 0, data.length, header.length, 2);
        TableSchema schema = inferrer.result();
        assertEquals(ColumnType.LONG, schema.column("n").type());
        assertEquals(2, inferrer.recordsSampled());
        assertEquals(1, inferrer.recordsInvalidEncoding());
        assertTrue(inferrer.notCsvReason().isPresent(), "1 of 3 records invalid is above the 10% share");
    }

    @Test
    void randomBytesAreNotCsv() {
        java.util.Random random = new java.util.Random(10);
        byte[] noise = new byte[1 << 20];
        random.nextBytes(noise);
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        int headerEnd = 0;
        while (noise[headerEnd] != '\n') {
            headerEnd++;
        }
        inferrer.header(noise, 0, headerEnd + 1);
        inferrer.sample(noise, headerEnd + 1, noise.length - headerEnd - 1, headerEnd + 1, 2);
        String reason = inferrer.notCsvReason().orElseThrow();
        assertTrue(reason.matches("does not look like CSV in UTF-8: \\d+% of sampled bytes invalid, [0-9,]+ distinct field counts in [0-9,]+ sampled rows .*"), reason);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, inferrer::result);
        assertTrue(e.getMessage().startsWith("The header is not valid UTF-8: byte 0x"), e.getMessage());
    }

    @Test
    void csvWithAFewBadRecordsIsCsvAndRaggedTextIsNot() {
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 1000; i++) {
            csv.append(i).append(",x,").append(i % 7 == 0 ? "" : "y").append(i % 100 == 0 ? ",extra" : "").append('\n');
        }
        assertEquals(java.util.Optional.empty(), inferred(csv.toString()).notCsvReason());

        StringBuilder prose = new StringBuilder("Call me Ishmael, some years ago\n");
        for (int i = 0; i < 200; i++) {
            prose.append("never mind how long precisely, having little".repeat(i % 5)).append(i % 3 == 0 ? ", or no money" : "").append('\n');
        }
        String reason = inferred(prose.toString()).notCsvReason().orElseThrow();
        assertTrue(reason.startsWith("does not look like CSV in UTF-8: 0% of sampled bytes invalid, "), reason);
        assertTrue(reason.endsWith("with the header's 2 fields)"), reason);
    }

    private static SchemaInferrer inferred(String csv) {
        byte[] bytes = csv.getBytes(StandardCharsets.UTF_8);
        int headerEnd = csv.indexOf('\n') + 1;
        SchemaInferrer inferrer = new SchemaInferrer(CsvDialect.defaults());
        inferrer.header(bytes, 0, headerEnd);
        inferrer.sample(bytes, headerEnd, bytes.length - headerEnd, headerEnd, 2);
        return inferrer;
    }
}
