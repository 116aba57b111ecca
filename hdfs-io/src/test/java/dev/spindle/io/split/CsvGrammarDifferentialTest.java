package dev.spindle.io.split;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.codec.AvroBatchWriter;
import dev.spindle.codec.BadRecord;
import dev.spindle.codec.BatchBuilder;
import dev.spindle.codec.Column;
import dev.spindle.codec.ColumnType;
import dev.spindle.codec.CsvDialect;
import dev.spindle.codec.CsvTokenizer;
import dev.spindle.codec.RowSpans;
import dev.spindle.codec.TableSchema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * The four implementations of Spindle's one CSV grammar ({@code docs/architecture.md}, "The CSV
 * grammar") must agree on seeded random input: {@link RecordGrammar} (driven here byte by byte,
 * the statement of the rule, which also yields the fields), {@link RecordScanner} (one record at
 * a time and in runs), {@link RecordRangeReader} (the whole file cut into random blocks, with
 * guessed starts, small buffers and the AM's tiling check), avro-codec's {@link CsvTokenizer}
 * (over the whole file and over each chunk the block reader returned) and its direct CSV to Avro
 * path ({@code CsvAvroEncoder}, behind {@link AvroBatchWriter#write(BatchBuilder)}, which leaves
 * records it does not take to the tokenizer's Arrow path). Compared: record starts and ends,
 * physical lines, field values, which fields were quoted, and where a quote is left open at the
 * end of the file.
 *
 * <p>Inputs: quoted and unquoted fields, doubled quotes, backslash escapes inside and outside
 * quotes, stray quotes, text after a closing quote, LF, CR and CRLF (mixed or one per file, also
 * inside quotes), blank and comment lines, a UTF-8 byte order mark, two-, three- and four-byte
 * UTF-8, empty fields, trailing delimiters, ragged records, and one input in five a short random
 * soup of the grammar's special bytes. The seeds are fixed; a failure names the seed, the dialect
 * and the input as a Java string literal.
 */
class CsvGrammarDifferentialTest {

    private static final long FIRST_SEED = 20_261_206L;
    private static final int SEEDS = 600;

    @Test
    void allImplementationsReadTheSameRecordsAndFields() throws Exception {
        long directRows = 0;
        long writtenRows = 0;
        try (BufferAllocator allocator = new RootAllocator()) {
            for (int i = 0; i < SEEDS; i++) {
                long seed = FIRST_SEED + i;
                Input input = Input.random(new Random(seed));
                try {
                    long[] rows = check(input, new Random(~seed), allocator);
                    directRows += rows[0];
                    writtenRows += rows[1];
                } catch (AssertionError | Exception e) {
                    throw new AssertionError("seed " + seed + ", " + input.dialect() + ", input " + literal(input.bytes())
                            + ": " + e.getMessage(), e);
                }
            }
        }
        // the direct path must have taken most records, or this test would not test it
        assertTrue(directRows > writtenRows / 2, "direct path wrote " + directRows + " of " + writtenRows + " rows");
    }

    /** A field as the grammar reads it: its decoded text and whether it was quoted. */
    record Field(String value, boolean quoted) {}

    /**
     * A line of the file as the grammar sees it.
     *
     * @param start first byte
     * @param end after its terminator (LF, CR or CRLF), or the end of the file
     * @param line 1-based physical line of its first byte
     * @param skipped a blank or comment line
     * @param terminated whether a terminator ends it (else the end of the file does)
     * @param open a quoted field is still open at the end of the file
     */
    record Line(int start, int end, long line, boolean skipped, boolean terminated, boolean open, List<Field> fields) {}

    /** Checks one input; returns {rows the direct path wrote, rows written}. */
    private static long[] check(Input input, Random random, BufferAllocator allocator) throws Exception {
        byte[] file = input.bytes();
        RecordFormat format = input.format();
        int bom = file.length >= 3 && (file[0] & 0xFF) == 0xEF && (file[1] & 0xFF) == 0xBB && (file[2] & 0xFF) == 0xBF ? 3 : 0;
        List<Line> lines = grammarLines(file, bom, format);
        List<Line> data = lines.stream().filter(l -> !l.skipped()).toList();
        boolean open = !lines.isEmpty() && lines.get(lines.size() - 1).open();

        checkScanner(file, format, lines);
        List<Tokenized> whole = tokenize(input.dialect(), file, bom, file.length - bom, bom, 1);
        assertRecords(data, whole, "tokenizer, whole file");
        if (open) {
            assertThrows(BadRecordException.class, () -> BlockSimulation.simulate(file, format, randomStarts(random, file.length),
                    new BlockSimulation.Settings(16 + random.nextInt(32), 1 + random.nextInt(64), 1 << 20), new BlockSimulation.Stats()),
                    "block reader: a quote left open at the end of the file");
            return new long[2];
        }
        List<BlockSimulation.Chunk> chunks = checkReader(file, format, lines, random);
        List<Tokenized> perChunk = new ArrayList<>();
        for (BlockSimulation.Chunk chunk : chunks) {
            perChunk.addAll(tokenize(input.dialect(), chunk.bytes(), 0, chunk.bytes().length, chunk.fileOffset(), chunk.firstLine()));
        }
        assertRecords(data, perChunk, "tokenizer, chunk by chunk as the block reader returned them");
        return checkAvro(input.dialect(), chunks, data, allocator);
    }

    /** The grammar, byte by byte: every line with its fields. */
    private static List<Line> grammarLines(byte[] file, int bom, RecordFormat format) {
        RecordGrammar grammar = new RecordGrammar(format);
        List<Line> lines = new ArrayList<>();
        int n = file.length;
        int pos = bom;
        long line = 1;
        while (pos < n) {
            byte first = file[pos];
            boolean skipped = RecordGrammar.isTerminator(first) || (format.hasCommentPrefix() && (first & 0xFF) == format.commentPrefix());
            List<Field> fields = new ArrayList<>();
            ByteArrayOutputStream value = new ByteArrayOutputStream();
            boolean quoted = false;
            int state = RecordGrammar.RECORD_START;
            int end = n;
            boolean terminated = false;
            for (int i = pos; i < n; i++) {
                int next = grammar.step(state, file[i]);
                int to = next & RecordGrammar.STATE_MASK;
                if ((next & (RecordGrammar.RECORD_END | RecordGrammar.FIELD_END)) != 0) {
                    fields.add(new Field(value.toString(UTF_8), quoted));
                    value.reset();
                    quoted = false;
                    if ((next & RecordGrammar.RECORD_END) != 0) {
                        end = RecordGrammar.nextRecordStart(file, i, i + 1 < n ? file[i + 1] : -1);
                        terminated = true;
                        break;
                    }
                } else if (to == RecordGrammar.IN_QUOTE && (state == RecordGrammar.RECORD_START || state == RecordGrammar.FIELD_START)) {
                    quoted = true;
                } else if (to == RecordGrammar.UNQUOTED || to == RecordGrammar.IN_QUOTE) {
                    value.write(file[i]);
                }
                state = to;
            }
            if (!terminated) {
                // the file's last line, without a terminator; a backslash at the very end escapes
                // nothing and is data
                if (state == RecordGrammar.UNQUOTED_ESCAPED) {
                    value.write('\\');
                }
                fields.add(new Field(value.toString(UTF_8), quoted));
            }
            boolean openQuote = !terminated && !RecordGrammar.canEndRecord(state);
            long breaks = RecordGrammar.lineBreaks(file, pos, end, -1) + (terminated ? 0 : 1);
            lines.add(new Line(pos, end, line, skipped, terminated, openQuote, skipped ? List.of() : fields));
            line += breaks;
            pos = end;
        }
        return lines;
    }

    /**
     * The scanner, one record at a time from each line start, then in runs: it must find every
     * record's end and lines as the grammar does, stop at blank and comment lines, and may leave
     * only the file's last record (one the end of the file cuts) undecided.
     */
    private static void checkScanner(byte[] file, RecordFormat format, List<Line> lines) {
        RecordScanner scanner = new RecordScanner(format);
        int n = file.length;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int end = scanner.scan(file, line.start(), n, line.start() + 1);
            if (line.skipped() || !decidedByScanner(file, line)) {
                assertEquals(line.start(), end, "scanner: a skipped line or the last record is left to the reader, at " + line.start());
                continue;
            }
            assertEquals(1, scanner.records(), "scanner: one record at " + line.start());
            assertEquals(line.end(), end, "scanner: end of the record at " + line.start());
            long lineCount = (i + 1 < lines.size() ? lines.get(i + 1).line() : -1) - line.line();
            if (i + 1 < lines.size()) {
                assertEquals(lineCount, scanner.lines(), "scanner: lines of the record at " + line.start());
            }
        }
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int end = scanner.scan(file, line.start(), n, n);
            int j = i;
            while (j < lines.size() && !lines.get(j).skipped() && decidedByScanner(file, lines.get(j))) {
                j++;
            }
            assertEquals(j == i ? line.start() : lines.get(j - 1).end(), end, "scanner: end of the run of records from " + line.start());
            assertEquals(j - i, scanner.records(), "scanner: records in the run from " + line.start());
        }
    }

    /**
     * Whether the scanner decides this line: all but the file's last line; that one when its
     * terminator is whole in the data (not a CR as the last byte, which an LF might follow).
     */
    private static boolean decidedByScanner(byte[] file, Line line) {
        return line.end() < file.length || (line.terminated() && file[file.length - 1] == '\n');
    }

    /**
     * The block reader over random blocks (guessed starts, the AM's tiling check and re-runs):
     * the chunks of the accepted blocks must hold exactly the grammar's records, each once, at
     * their offsets and lines. Returns the chunks in file order, with absolute first lines.
     */
    private static List<BlockSimulation.Chunk> checkReader(byte[] file, RecordFormat format, List<Line> lines, Random random)
            throws Exception {
        List<Long> starts = randomStarts(random, file.length);
        BlockSimulation.Settings settings = new BlockSimulation.Settings(
                16 + random.nextInt(48), random.nextBoolean() ? 1 + random.nextInt(64) : 1 << 17, 1 << 20);
        List<BlockSimulation.Output> outputs = BlockSimulation.simulate(file, format, starts, settings, new BlockSimulation.Stats());
        Map<Integer, Line> byStart = new HashMap<>();
        for (Line line : lines) {
            byStart.put(line.start(), line);
        }
        List<BlockSimulation.Chunk> chunks = new ArrayList<>();
        List<Integer> starts2 = new ArrayList<>();
        for (BlockSimulation.Output output : outputs) {
            long base = 0;
            if (output.start() != 0 && !output.chunks().isEmpty()) {
                Line first = byStart.get((int) output.firstRecordOffset());
                assertTrue(first != null, "block reader: block " + output.start() + " starts at " + output.firstRecordOffset()
                        + ", not at a line start");
                base = first.line() - 1;
            }
            for (BlockSimulation.Chunk chunk : output.chunks()) {
                chunks.add(new BlockSimulation.Chunk(chunk.fileOffset(), chunk.bytes(), base + chunk.firstLine(), chunk.records()));
                int at = (int) chunk.fileOffset();
                int chunkEnd = at + chunk.bytes().length;
                Line line = byStart.get(at);
                assertTrue(line != null && !line.skipped(), "block reader: chunk at " + at + " does not start a record");
                assertEquals(line.line(), base + chunk.firstLine(), "block reader: line of the chunk at " + at);
                int records = 0;
                while (at < chunkEnd) {
                    line = byStart.get(at);
                    assertTrue(line != null && !line.skipped(), "block reader: chunk holds " + at + ", which is not a record start");
                    starts2.add(at);
                    records++;
                    at = line.end();
                }
                assertEquals(chunkEnd, at, "block reader: chunk ends inside a record");
                assertEquals(records, chunk.records(), "block reader: records in the chunk at " + chunk.fileOffset());
            }
        }
        List<Integer> expected = lines.stream().filter(l -> !l.skipped()).map(Line::start).toList();
        assertEquals(expected, starts2, "block reader: record starts of all blocks, in order");
        return chunks;
    }

    /** One record as the tokenizer returned it. */
    record Tokenized(long offset, long line, boolean malformed, List<Field> fields) {}

    private static List<Tokenized> tokenize(CsvDialect dialect, byte[] buffer, int offset, int length, long fileOffset, long firstLine) {
        CsvTokenizer tokenizer = new CsvTokenizer(dialect);
        tokenizer.reset(buffer, offset, length, fileOffset, firstLine);
        RowSpans spans = new RowSpans();
        List<Tokenized> records = new ArrayList<>();
        while (tokenizer.next(spans, 3) > 0) {
            for (int row = 0; row < spans.rowCount(); row++) {
                List<Field> fields = new ArrayList<>();
                for (int column = 0; column < spans.fieldCount(row); column++) {
                    fields.add(new Field(spans.fieldAsString(row, column), spans.isQuoted(row, column)));
                }
                records.add(new Tokenized(spans.byteOffset(row), spans.line(row), spans.isMalformed(row), fields));
            }
        }
        return records;
    }

    private static void assertRecords(List<Line> data, List<Tokenized> records, String what) {
        assertEquals(data.stream().map(Line::start).map(Long::valueOf).toList(), records.stream().map(Tokenized::offset).toList(),
                what + ": record offsets");
        assertEquals(data.stream().map(Line::line).toList(), records.stream().map(Tokenized::line).toList(), what + ": record lines");
        for (int i = 0; i < data.size(); i++) {
            Line line = data.get(i);
            assertEquals(line.open(), records.get(i).malformed(), what + ": quote left open in the record at " + line.start());
            if (!line.open()) {
                assertEquals(line.fields(), records.get(i).fields(), what + ": fields of the record at " + line.start());
            }
        }
    }

    /**
     * The direct path: the chunks written as Avro with as many string columns as the most common
     * field count; records with that count must read back as the grammar's fields (an unquoted
     * empty field as null), the others must be rejected at their offsets and lines.
     */
    private static long[] checkAvro(CsvDialect dialect, List<BlockSimulation.Chunk> chunks, List<Line> data, BufferAllocator allocator)
            throws IOException {
        if (data.isEmpty()) {
            return new long[2];
        }
        Map<Integer, Integer> counts = new HashMap<>();
        data.forEach(line -> counts.merge(line.fields().size(), 1, Integer::sum));
        int columns = counts.entrySet().stream().max(Map.Entry.<Integer, Integer>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey())).orElseThrow().getKey();
        List<Column> schemaColumns = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            schemaColumns.add(Column.of("c" + i, ColumnType.STRING, true));
        }
        TableSchema schema = new TableSchema(schemaColumns);
        List<BadRecord> bad = new ArrayList<>();
        ByteArrayOutputStream avro = new ByteArrayOutputStream();
        long direct;
        try (BatchBuilder builder = BatchBuilder.builder(schema, allocator).dialect(dialect).badRecords(bad::add).build();
                AvroBatchWriter writer = AvroBatchWriter.builder(schema, avro).codec(AvroBatchWriter.Codec.NULL).build()) {
            for (BlockSimulation.Chunk chunk : chunks) {
                builder.reset(chunk.bytes(), 0, chunk.bytes().length, chunk.fileOffset(), chunk.firstLine());
                builder.drainTo(writer);
            }
            direct = writer.directRows();
        }
        List<List<String>> expected = new ArrayList<>();
        List<Long> expectedBad = new ArrayList<>();
        for (Line line : data) {
            if (line.fields().size() == columns) {
                List<String> row = new ArrayList<>();
                line.fields().forEach(f -> row.add(f.value().isEmpty() && !f.quoted() ? null : f.value()));
                expected.add(row);
            } else {
                expectedBad.add((long) line.start());
                expectedBad.add(line.line());
            }
        }
        List<List<String>> read = new ArrayList<>();
        try (DataFileStream<GenericRecord> records = new DataFileStream<>(new java.io.ByteArrayInputStream(avro.toByteArray()),
                new GenericDatumReader<>())) {
            for (GenericRecord record : records) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < columns; i++) {
                    Object value = record.get(i);
                    row.add(value == null ? null : value.toString());
                }
                read.add(row);
            }
        }
        assertEquals(expected, read, "Avro (direct path and Arrow path): records written");
        List<Long> rejected = new ArrayList<>();
        bad.forEach(b -> {
            rejected.add(b.byteOffset());
            rejected.add(b.line());
        });
        assertEquals(expectedBad, rejected, "Avro (direct path and Arrow path): offsets and lines of rejected records");
        return new long[] {direct, expected.size()};
    }

    private static List<Long> randomStarts(Random random, int length) {
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        int blocks = random.nextInt(5);
        java.util.TreeSet<Long> cuts = new java.util.TreeSet<>();
        for (int i = 0; i < blocks && length > 1; i++) {
            cuts.add(1L + random.nextInt(length - 1));
        }
        starts.addAll(cuts);
        return starts;
    }

    /** A Java string literal of the bytes (UTF-8 where it decodes, escapes for the rest). */
    static String literal(byte[] bytes) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : new String(bytes, UTF_8).toCharArray()) {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c > 0x7E) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A random dialect and file. */
    record Input(CsvDialect dialect, RecordFormat format, byte[] bytes) {
        private static final String[] WORDS = {"a", "bc", "x y", "42", "-1.5", "\u00e9", "Z\u00fcrich", "\u6771\u4eac", "\ud83d\ude00", "na\u00efve", "#x"};
        private static final String[] TERMINATORS = {"\n", "\r", "\r\n"};

        static Input random(Random random) {
            char delimiter = ",;\t|".charAt(random.nextInt(4));
            char quote = random.nextInt(5) == 0 ? '\'' : '"';
            boolean backslash = random.nextInt(3) == 0;
            boolean comments = random.nextInt(3) == 0;
            CsvDialect.Builder dialect = CsvDialect.builder().delimiter(delimiter).quote(quote).withoutHeader()
                    .escapeMode(backslash ? CsvDialect.EscapeMode.BACKSLASH : CsvDialect.EscapeMode.DOUBLED);
            RecordFormat.Builder format = RecordFormat.builder().delimiter(delimiter).quote(quote)
                    .escape(backslash ? RecordFormat.Escape.BACKSLASH : RecordFormat.Escape.DOUBLED_QUOTE)
                    .header(RecordFormat.Header.ABSENT);
            if (comments) {
                dialect.commentPrefix("#");
                format.commentPrefix('#');
            }
            StringBuilder text = new StringBuilder();
            if (random.nextInt(5) == 0) {
                text.append('\uFEFF');
            }
            if (random.nextInt(5) == 0) {
                soup(random, text, delimiter, quote);
            } else {
                records(random, text, delimiter, quote, backslash, comments);
            }
            return new Input(dialect.build(), format.build(), text.toString().getBytes(UTF_8));
        }

        /** A short random mix of the grammar's special bytes and multi-byte characters. */
        private static void soup(Random random, StringBuilder text, char delimiter, char quote) {
            String alphabet = "ab #\\\n\r\u00e9\u6771" + delimiter + quote + quote;
            int length = 1 + random.nextInt(60);
            for (int i = 0; i < length; i++) {
                if (random.nextInt(20) == 0) {
                    text.append("\ud83d\ude00");
                } else {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
        }

        private static void records(Random random, StringBuilder text, char delimiter, char quote, boolean backslash, boolean comments) {
            int fields = 1 + random.nextInt(5);
            int records = 1 + random.nextInt(30);
            String fileTerminator = TERMINATORS[random.nextInt(3)];
            boolean mixed = random.nextBoolean();
            int messiness = random.nextInt(4); // 0: plain records only, up to 3: often messy
            for (int r = 0; r < records; r++) {
                if (messiness > 0 && random.nextInt(12) == 0) {
                    if (comments && random.nextBoolean()) {
                        text.append("# a \"comment").append(delimiter).append(quote).append(" \\");
                    }
                    text.append(terminator(random, fileTerminator, mixed));
                }
                int count = messiness > 0 && random.nextInt(10) == 0 ? Math.max(1, fields + random.nextInt(3) - 1) : fields;
                for (int f = 0; f < count; f++) {
                    if (f > 0) {
                        text.append(delimiter);
                    }
                    field(random, text, delimiter, quote, backslash, messiness, fileTerminator, mixed);
                }
                if (messiness > 0 && random.nextInt(15) == 0) {
                    text.append(delimiter); // a trailing delimiter: one more, empty field
                }
                if (r < records - 1 || random.nextInt(4) != 0) {
                    text.append(terminator(random, fileTerminator, mixed));
                }
            }
        }

        private static String terminator(Random random, String fileTerminator, boolean mixed) {
            return mixed ? TERMINATORS[random.nextInt(3)] : fileTerminator;
        }

        private static void field(Random random, StringBuilder text, char delimiter, char quote, boolean backslash, int messiness,
                String fileTerminator, boolean mixed) {
            int kind = random.nextInt(10);
            boolean messy = messiness > 0 && random.nextInt(4 - messiness + 1) == 0;
            if (kind == 0) {
                return; // empty
            }
            if (kind <= 5 || !messy && kind <= 7) {
                text.append(WORDS[random.nextInt(WORDS.length)]);
                if (messy && random.nextInt(4) == 0) {
                    text.append(quote).append(WORDS[random.nextInt(WORDS.length)]); // a stray quote
                }
                if (messy && backslash && random.nextInt(3) == 0) {
                    text.append('\\').append("\\,\n\r".charAt(random.nextInt(4)) == ',' ? delimiter : "\\\n\r".charAt(random.nextInt(3)));
                    text.append(WORDS[random.nextInt(WORDS.length)]);
                }
                return;
            }
            text.append(quote);
            int parts = random.nextInt(4);
            for (int i = 0; i < parts; i++) {
                switch (messy ? random.nextInt(6) : 0) {
                    case 1 -> text.append(delimiter);
                    case 2 -> text.append(quote).append(quote);
                    case 3 -> text.append(terminator(random, fileTerminator, mixed));
                    case 4 -> {
                        if (backslash) {
                            text.append('\\').append(random.nextBoolean() ? quote : "\\\n".charAt(random.nextInt(2)));
                        } else {
                            text.append(quote).append(quote);
                        }
                    }
                    default -> text.append(WORDS[random.nextInt(WORDS.length)]);
                }
            }
            text.append(quote);
            if (messy && random.nextInt(6) == 0) {
                text.append("tail"); // text after the closing quote
            }
        }
    }
}
