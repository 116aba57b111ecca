package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.io.split.RecordFormat.Escape;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hot loop must implement exactly the grammar: checked on random byte soup. */
class RecordScannerTest {
    /** Special bytes, and plain ones often enough to make runs longer than a word. */
    private static final byte[] ALPHABET = {'a', ',', '"', '\\', '\n', '\r', '#', ';', '\t', 0x0B, 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'};

    @Test
    void theScannerFindsTheRecordEndsTheGrammarDefines() {
        long firstSeed = 77;
        for (int i = 0; i < 20_000; i++) {
            long seed = firstSeed + i;
            Random random = new Random(seed);
            RecordFormat.Builder builder = RecordFormat.builder().delimiter(",;\t".charAt(random.nextInt(3)));
            if (random.nextInt(4) == 0) {
                builder.noQuote();
            } else if (random.nextBoolean()) {
                builder.escape(Escape.BACKSLASH);
            }
            if (random.nextBoolean()) {
                builder.commentPrefix('#');
            }
            RecordFormat format = builder.build();
            byte[] data = new byte[1 + random.nextInt(random.nextBoolean() ? 12 : 80)];
            for (int j = 0; j < data.length; j++) {
                data[j] = ALPHABET[random.nextInt(ALPHABET.length)];
            }
            int limit = data.length;
            RecordScanner scanner = new RecordScanner(format);
            int end = scanner.scan(data, 0, limit, limit);
            Expected expected = expected(format, data, limit);
            String context = "seed " + seed + ", " + format + ", data " + new String(data, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\n", "\\n").replace("\r", "\\r");
            assertEquals(expected.end, end, "end: " + context);
            assertEquals(expected.records, scanner.records(), "records: " + context);
            assertEquals(expected.lines, scanner.lines(), "lines: " + context);
        }
    }

    private record Expected(int end, int records, int lines) {}

    /**
     * What the scanner must do, from the grammar: whole records from 0 until a blank or comment
     * line or a record not ended inside the data (a quote as the last byte inside a quoted field
     * is undecided: it may be the first of a doubled quote; so is a CR as the last byte: an LF
     * may follow).
     */
    private static Expected expected(RecordFormat format, byte[] data, int limit) {
        RecordGrammar grammar = new RecordGrammar(format);
        int pos = 0;
        int records = 0;
        int lines = 0;
        while (pos < limit) {
            byte first = data[pos];
            if (first == '\n' || first == '\r' || (format.hasCommentPrefix() && first == (byte) format.commentPrefix())) {
                break;
            }
            int state = RecordGrammar.RECORD_START;
            int recordLines = 1;
            int end = -1;
            for (int i = pos; i < limit; i++) {
                int next = grammar.step(state, data[i]);
                if ((next & RecordGrammar.RECORD_END) != 0) {
                    if (data[i] == '\r' && i + 1 >= limit) {
                        break;
                    }
                    end = RecordGrammar.nextRecordStart(data, i, i + 1 < limit ? data[i + 1] : -1);
                    break;
                }
                if (data[i] == '\n' || (data[i] == '\r' && i + 1 < limit && data[i + 1] != '\n')) {
                    recordLines++;
                }
                state = next & RecordGrammar.STATE_MASK;
            }
            if (end < 0) {
                break;
            }
            records++;
            lines += recordLines;
            pos = end;
        }
        return new Expected(pos, records, lines);
    }
}
