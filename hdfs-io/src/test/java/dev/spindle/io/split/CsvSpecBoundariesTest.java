package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spindle.io.split.RecordRangeReader.StartMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The CSV spec cases that avro-codec's tokenizer and direct Avro path run ({@code csv-spec/*.json},
 * shared with this module's tests by the pom) against the block reader's record grammar
 * ({@link RecordRangeReader}, {@code RecordScanner}, {@code RecordGrammar}): the same number of
 * records, and where a case gives record offsets, the same boundaries: a range {@code [0, e)}
 * owns exactly the records that start before {@code e}, for every {@code e}. A case whose
 * last record leaves a quote open is a bad record here (the file ends inside a quoted field).
 */
class CsvSpecBoundariesTest {

    private static final List<String> FILES = List.of(
            "quoting.json", "doubled-quotes.json", "newlines-in-fields.json",
            "empty-fields.json", "whitespace.json", "line-endings.json", "comments-and-utf8.json");

    @TestFactory
    Stream<DynamicNode> spec() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<DynamicNode> topics = new ArrayList<>();
        for (String file : FILES) {
            JsonNode root;
            try (InputStream in = getClass().getResourceAsStream("/csv-spec/" + file)) {
                if (in == null) {
                    throw new IOException("csv-spec/" + file + " is not on the test class path (see hdfs-io/pom.xml's testResources)");
                }
                root = mapper.readTree(in);
            }
            List<DynamicTest> cases = new ArrayList<>();
            for (JsonNode testCase : root.get("cases")) {
                cases.add(DynamicTest.dynamicTest(testCase.get("name").asText(), () -> run(testCase)));
            }
            topics.add(DynamicContainer.dynamicContainer(file, cases));
        }
        return topics.stream();
    }

    private static void run(JsonNode testCase) throws Exception {
        RecordFormat format = format(testCase.get("dialect"));
        byte[] file = testCase.get("input").asText().getBytes(UTF_8);
        int expected = testCase.get("expected").size();
        boolean openQuoteAtEnd = testCase.has("malformed") && testCase.get("malformed").get(expected - 1).asBoolean();
        if (openQuoteAtEnd) {
            assertThrows(BadRecordException.class, () -> read(file, format, file.length));
            return;
        }
        BlockSimulation.Output whole = read(file, format, file.length);
        assertEquals(expected, whole.records(), "records");
        if (testCase.has("lines") && !whole.chunks().isEmpty()) {
            assertEquals(testCase.get("lines").get(0).asLong(), whole.chunks().get(0).firstLine(), "line of the first record");
        }
        if (testCase.has("offsets")) {
            List<Long> starts = new ArrayList<>();
            testCase.get("offsets").forEach(offset -> starts.add(offset.asLong()));
            for (int end = 1; end <= file.length; end++) {
                long owned = 0;
                for (long start : starts) {
                    if (start < end) {
                        owned++;
                    }
                }
                assertEquals(owned, read(file, format, end).records(), "records owned by [0, " + end + ")");
            }
        }
    }

    private static BlockSimulation.Output read(byte[] file, RecordFormat format, long end) throws Exception {
        return BlockSimulation.run(file, new BlockRange("memory:/spec.csv", 0, end, file.length, true), format, StartMode.GUESS,
                BlockSimulation.Settings.defaults());
    }

    private static RecordFormat format(JsonNode dialect) {
        RecordFormat.Builder builder = RecordFormat.builder().header(RecordFormat.Header.ABSENT);
        if (dialect == null) {
            return builder.build();
        }
        if (dialect.has("delimiter")) {
            builder.delimiter(dialect.get("delimiter").asText().charAt(0));
        }
        if (dialect.has("quote")) {
            builder.quote(dialect.get("quote").asText().charAt(0));
        }
        if (dialect.has("escape") && dialect.get("escape").asText().equals("BACKSLASH")) {
            builder.escape(RecordFormat.Escape.BACKSLASH);
        }
        if (dialect.has("comment")) {
            builder.commentPrefix(dialect.get("comment").asText().charAt(0));
        }
        return builder.build();
    }
}
