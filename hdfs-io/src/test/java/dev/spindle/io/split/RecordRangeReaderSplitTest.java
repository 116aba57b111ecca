package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.io.split.BlockSimulation.Output;
import dev.spindle.io.split.BlockSimulation.Settings;
import dev.spindle.io.split.BlockSimulation.Stats;
import dev.spindle.io.split.CsvFileGenerator.Shape;
import dev.spindle.io.split.RecordFormat.Escape;
import dev.spindle.io.split.RecordFormat.Header;
import dev.spindle.io.split.RecordRangeReader.StartMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Trino {@code TestLineReader} standard extended to CSV: generated files for every line
 * ending, with and without BOM, final newline, header and blank/comment lines, with quoted
 * fields holding terminators, delimiters and doubled quotes. For every block size from 1 byte to
 * beyond the file, and for a split at every byte offset (so every start near every record
 * boundary), the AM is simulated (guess, tiling check, re-run) and the union of the records over
 * all blocks must equal the whole-file parse, with no record twice.
 */
class RecordRangeReaderSplitTest {
    private static final Stats QUOTED = new Stats();
    private static final Stats UNQUOTED = new Stats();

    record Variant(String name, Shape shape, long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Variant> variants() {
        List<Variant> variants = new ArrayList<>();
        long seed = 1;
        for (LineEnding ending : LineEnding.values()) {
            for (boolean bom : new boolean[] {false, true}) {
                for (boolean finalNewline : new boolean[] {true, false}) {
                    for (Header header : Header.values()) {
                        for (boolean blankLines : new boolean[] {false, true}) {
                            RecordFormat.Builder format = RecordFormat.builder().header(header);
                            if (blankLines) {
                                format.commentPrefix('#');
                            }
                            Shape shape = new Shape(format.build(), ending, bom, finalNewline, true, blankLines, false, 10, 3);
                            String name = "%s bom=%s finalNewline=%s header=%s blank=%s".formatted(ending, bom, finalNewline, header, blankLines);
                            variants.add(new Variant(name, shape, seed++));
                        }
                    }
                }
            }
            RecordFormat backslash = RecordFormat.builder().escape(Escape.BACKSLASH).delimiter(';').build();
            variants.add(new Variant(ending + " backslash escape", new Shape(backslash, ending, false, true, true, true, false, 10, 2), seed++));
            RecordFormat none = RecordFormat.builder().noQuote().delimiter('\t').build();
            variants.add(new Variant(ending + " no quote", new Shape(none, ending, true, false, false, true, false, 12, 3), seed++));
            RecordFormat single = RecordFormat.csv();
            variants.add(new Variant(ending + " one field", new Shape(single, ending, false, true, true, true, false, 12, 1), seed++));
        }
        return variants.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void everyBlockSizeAndEverySplitTilesTheFileExactly(Variant variant) throws Exception {
        byte[] file = CsvFileGenerator.generate(new Random(variant.seed()), variant.shape());
        RecordFormat format = variant.shape().format();
        Stats stats = format.hasQuote() ? QUOTED : UNQUOTED;
        for (int blockSize = 1; blockSize <= file.length + 1; blockSize++) {
            Settings settings = settings(blockSize);
            List<Output> outputs = BlockSimulation.simulate(file, format, blockSize, settings, stats);
            BlockSimulation.assertUnionEqualsWholeFile(file, format, outputs,
                    variant + ", block size " + blockSize + ", " + settings);
            if (blockSize <= file.length) {
                assertEquals(variant.shape().lineEnding(), outputs.get(0).lineEnding(), variant.toString());
            }
        }
        for (long split = 1; split < file.length; split++) {
            Settings settings = settings((int) split);
            List<Output> outputs = BlockSimulation.simulate(file, format, List.of(0L, split), settings, stats);
            BlockSimulation.assertUnionEqualsWholeFile(file, format, outputs, variant + ", split at " + split + ", " + settings);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void aKnownRecordStartReadsExactlyTheRecordsFromThere(Variant variant) throws Exception {
        byte[] file = CsvFileGenerator.generate(new Random(variant.seed()), variant.shape());
        RecordFormat format = variant.shape().format();
        ReferenceCsv.Parse parse = ReferenceCsv.parse(file, format);
        for (ReferenceCsv.Line line : parse.lines()) {
            long start = line.owner();
            if (start == 0) {
                continue;
            }
            for (long end = start; end <= file.length; end += Math.max(1, (file.length - start) / 7)) {
                BlockRange range = new BlockRange(BlockSimulation.LOCATION, start, end, file.length, true);
                Output output = BlockSimulation.run(file, range, format, StartMode.KNOWN_RECORD_START, Settings.defaults());
                assertEquals(start, output.firstRecordOffset(), variant + " from " + start);
                long from = end;
                long expectedStop = parse.lines().stream()
                        .mapToLong(ReferenceCsv.Line::owner)
                        .filter(owner -> owner >= from)
                        .min()
                        .orElse(file.length);
                assertEquals(expectedStop, output.stopOffset(), variant + " [" + start + ", " + end + ")");
            }
        }
    }

    /** Small buffers and windows on some sizes, defaults on others. */
    private static Settings settings(int blockSize) {
        int buffer = blockSize % 2 == 0 ? 16 : RecordRangeReader.READ_BUFFER_BYTES_DEFAULT;
        int lookAhead = blockSize % 3 == 0 ? 24 : RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT;
        return new Settings(buffer, lookAhead, RecordRangeReader.MAX_RECORD_BYTES_DEFAULT);
    }

    @AfterAll
    static void printGuessRates() {
        System.out.println("Exhaustive split test, quoted formats: " + QUOTED);
        System.out.println("Exhaustive split test, no quote: " + UNQUOTED);
        assertEquals(0, UNQUOTED.wrongGuesses + UNQUOTED.failedGuesses, "a file without quotes needs no re-run: " + UNQUOTED);
    }
}
