package dev.spindle.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded fuzz: random records written by commons-csv with a random delimiter, quote, quote mode
 * and line ending come back field for field, with the right physical line numbers, whatever
 * number of records each {@link CsvTokenizer#next} call returns.
 */
class CsvTokenizerFuzzTest {

    private static final char[] DELIMITERS = {',', '\t', '|', ';', '^'};
    private static final String ALPHABET = "ab ,;|^\t\"'\n\r\\#x1";

    static Stream<Long> seeds() {
        return LongStream.concat(LongStream.rangeClosed(1, 20), LongStream.of(System.nanoTime())).boxed();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void tokenizesWhatCommonsCsvWrote(long seed) throws IOException {
        Random random = new Random(seed);
        char delimiter = DELIMITERS[random.nextInt(DELIMITERS.length)];
        char quote = random.nextBoolean() ? '"' : '\'';
        String lineEnding = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
        QuoteMode quoteMode = List.of(QuoteMode.MINIMAL, QuoteMode.ALL, QuoteMode.NON_NUMERIC).get(random.nextInt(3));
        CSVFormat format = CSVFormat.DEFAULT.builder().setDelimiter(delimiter).setQuote(quote)
                .setRecordSeparator(lineEnding).setQuoteMode(quoteMode).build();
        List<List<String>> records = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        StringWriter text = new StringWriter();
        long line = 1;
        try (CSVPrinter printer = new CSVPrinter(text, format)) {
            int count = 1 + random.nextInt(300);
            for (int r = 0; r < count; r++) {
                int fields = 2 + random.nextInt(6);
                List<String> record = new ArrayList<>();
                for (int f = 0; f < fields; f++) {
                    StringBuilder value = new StringBuilder();
                    int length = random.nextInt(8);
                    for (int i = 0; i < length; i++) {
                        value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    }
                    record.add(value.toString());
                }
                int before = text.getBuffer().length();
                printer.printRecord(record);
                records.add(record);
                lines.add(line);
                String written = text.getBuffer().substring(before);
                line += written.replace("\r\n", "\n").chars().filter(c -> c == '\n' || c == '\r').count();
            }
        }
        byte[] csv = text.toString().getBytes(StandardCharsets.UTF_8);
        CsvDialect dialect = CsvDialect.builder().delimiter(delimiter).quote(quote).build();
        CsvTokenizer tokenizer = new CsvTokenizer(dialect);
        tokenizer.reset(csv, 0, csv.length, 0, 1);
        RowSpans spans = new RowSpans();
        List<List<String>> actual = new ArrayList<>();
        List<Long> actualLines = new ArrayList<>();
        while (tokenizer.next(spans, 1 + random.nextInt(50)) > 0) {
            for (int row = 0; row < spans.rowCount(); row++) {
                List<String> record = new ArrayList<>();
                for (int column = 0; column < spans.fieldCount(row); column++) {
                    record.add(spans.fieldAsString(row, column));
                }
                actual.add(record);
                actualLines.add(spans.line(row));
            }
        }
        String context = "seed " + seed + ", delimiter " + CsvDialect.printable((byte) delimiter) + ", quote " + quote + ", " + quoteMode;
        assertEquals(records, actual, context);
        assertEquals(lines, actualLines, context);
    }
}
