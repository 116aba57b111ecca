package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the data-driven tokenizer spec in {@code src/test/resources/csv-spec/}: one JSON file per
 * RFC 4180 topic, each case an input with its expected fields (and optionally line numbers,
 * byte offsets, quoted flags, record text, malformed flags). Every case is also run with the
 * input placed at an offset inside a larger buffer and tokenized one record per call.
 */
class CsvSpecTest {

    private static final List<String> FILES = List.of(
            "quoting.json", "doubled-quotes.json", "newlines-in-fields.json",
            "empty-fields.json", "whitespace.json", "line-endings.json", "comments-and-utf8.json");

    private final ObjectMapper mapper = new ObjectMapper();

    @TestFactory
    Stream<DynamicNode> spec() throws IOException {
        List<DynamicNode> topics = new ArrayList<>();
        for (String file : FILES) {
            JsonNode root;
            try (InputStream in = getClass().getResourceAsStream("/csv-spec/" + file)) {
                root = mapper.readTree(in);
            }
            List<DynamicTest> cases = new ArrayList<>();
            for (JsonNode testCase : root.get("cases")) {
                cases.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> run(testCase, 1024)));
                cases.add(DynamicTest.dynamicTest(testCase.get("name").asText() + " (one record per call, offset buffer)", () -> run(testCase, 1)));
                if (directPathApplies(testCase)) {
                    cases.add(DynamicTest.dynamicTest(testCase.get("name").asText() + " (CSV -> Avro, direct path)", () -> runAvro(testCase)));
                }
            }
            topics.add(DynamicContainer.dynamicContainer(file + ": " + root.get("topic").asText(), cases));
        }
        return topics.stream();
    }

    private static void run(JsonNode testCase, int rowsPerCall) {
        CsvDialect dialect = dialect(testCase.get("dialect"));
        byte[] input = testCase.get("input").asText().getBytes(StandardCharsets.UTF_8);
        int pad = rowsPerCall == 1 ? 7 : 0;
        byte[] buffer = new byte[input.length + 2 * pad];
        java.util.Arrays.fill(buffer, (byte) '"');
        System.arraycopy(input, 0, buffer, pad, input.length);
        long fileOffset = 1000;

        CsvTokenizer tokenizer = new CsvTokenizer(dialect);
        tokenizer.reset(buffer, pad, input.length, fileOffset, 1);
        RowSpans spans = new RowSpans();
        List<List<String>> fields = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        List<List<Boolean>> quoted = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Boolean> malformed = new ArrayList<>();
        while (tokenizer.next(spans, rowsPerCall) > 0) {
            for (int row = 0; row < spans.rowCount(); row++) {
                List<String> record = new ArrayList<>();
                List<Boolean> recordQuoted = new ArrayList<>();
                for (int column = 0; column < spans.fieldCount(row); column++) {
                    record.add(spans.fieldAsString(row, column));
                    recordQuoted.add(spans.isQuoted(row, column));
                }
                fields.add(record);
                quoted.add(recordQuoted);
                lines.add(spans.line(row));
                offsets.add(spans.byteOffset(row) - fileOffset);
                texts.add(spans.recordText(row));
                malformed.add(spans.isMalformed(row));
            }
        }
        assertTrue(!tokenizer.hasMore(), "tokenizer has bytes left");
        assertEquals(strings2(testCase.get("expected")), fields, "fields");
        if (testCase.has("lines")) {
            assertEquals(longs(testCase.get("lines")), lines, "lines");
        }
        if (testCase.has("offsets")) {
            assertEquals(longs(testCase.get("offsets")), offsets, "offsets");
        }
        if (testCase.has("quoted")) {
            List<List<Boolean>> expected = new ArrayList<>();
            testCase.get("quoted").forEach(r -> {
                List<Boolean> row = new ArrayList<>();
                r.forEach(v -> row.add(v.asBoolean()));
                expected.add(row);
            });
            assertEquals(expected, quoted, "quoted");
        }
        if (testCase.has("text")) {
            List<String> expected = new ArrayList<>();
            testCase.get("text").forEach(v -> expected.add(v.asText()));
            assertEquals(expected, texts, "record text");
        }
        List<Boolean> expectedMalformed = new ArrayList<>();
        for (int i = 0; i < fields.size(); i++) {
            expectedMalformed.add(testCase.has("malformed") && testCase.get("malformed").get(i).asBoolean());
        }
        assertEquals(expectedMalformed, malformed, "malformed");
    }

    /**
     * The same case through {@code CsvAvroEncoder} (with {@link BatchBuilder} for the records it
     * leaves): the cases whose records all have one field count and none is malformed, written as
     * that many string columns, must read back as the expected fields (null, from an unquoted
     * empty field, read as the empty string).
     */
    private static boolean directPathApplies(JsonNode testCase) {
        JsonNode expected = testCase.get("expected");
        if (expected.isEmpty() || testCase.has("malformed")) {
            return false;
        }
        int fields = expected.get(0).size();
        for (JsonNode record : expected) {
            if (record.size() != fields) {
                return false;
            }
        }
        return true;
    }

    private static void runAvro(JsonNode testCase) throws IOException {
        CsvDialect dialect = dialect(testCase.get("dialect"));
        List<List<String>> expected = strings2(testCase.get("expected"));
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < expected.get(0).size(); i++) {
            columns.add(Column.of("c" + i, ColumnType.STRING, true));
        }
        TableSchema schema = new TableSchema(columns);
        byte[] input = testCase.get("input").asText().getBytes(StandardCharsets.UTF_8);
        List<BadRecord> bad = new ArrayList<>();
        java.io.ByteArrayOutputStream avro = new java.io.ByteArrayOutputStream();
        try (org.apache.arrow.memory.RootAllocator allocator = new org.apache.arrow.memory.RootAllocator();
                BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build()) {
            try (AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.NULL).build()) {
                builder.reset(input, 0, input.length, 0, 1);
                builder.drainTo(writer);
            }
        }
        assertEquals(List.of(), bad.stream().map(BadRecord::message).toList(), "bad records");
        List<List<String>> read = new ArrayList<>();
        for (org.apache.avro.generic.GenericRecord record : AvroBatchWriterTest.read(avro.toByteArray())) {
            List<String> row = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Object value = record.get(i);
                row.add(value == null ? "" : value.toString());
            }
            read.add(row);
        }
        assertEquals(expected, read, "fields written to Avro");
    }

    private static CsvDialect dialect(JsonNode node) {
        CsvDialect.Builder builder = CsvDialect.builder();
        if (node == null) {
            return builder.build();
        }
        if (node.has("delimiter")) {
            builder.delimiter(node.get("delimiter").asText().charAt(0));
        }
        if (node.has("quote")) {
            builder.quote(node.get("quote").asText().charAt(0));
        }
        if (node.has("escape")) {
            builder.escapeMode(CsvDialect.EscapeMode.valueOf(node.get("escape").asText()));
        }
        if (node.has("comment")) {
            builder.commentPrefix(node.get("comment").asText());
        }
        return builder.build();
    }

    private static List<List<String>> strings2(JsonNode node) {
        List<List<String>> result = new ArrayList<>();
        node.forEach(r -> {
            List<String> row = new ArrayList<>();
            r.forEach(v -> row.add(v.asText()));
            result.add(row);
        });
        return result;
    }

    private static List<Long> longs(JsonNode node) {
        List<Long> result = new ArrayList<>();
        node.forEach(v -> result.add(v.asLong()));
        return result;
    }
}
