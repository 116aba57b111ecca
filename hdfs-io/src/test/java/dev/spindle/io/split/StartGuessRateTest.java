package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.BlockSimulation.Output;
import dev.spindle.io.split.BlockSimulation.Settings;
import dev.spindle.io.split.BlockSimulation.Stats;
import dev.spindle.io.split.CsvFileGenerator.Shape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How often the start-state guess is wrong on larger files full of quoted newlines, with a
 * realistic window (16 KiB) and many blocks. The AM's check keeps the output exact anyway (also
 * asserted); this measures the cost in re-runs.
 */
class StartGuessRateTest {

    @Test
    void guessesOnLargerQuotedFilesAreRarelyWrong() throws Exception {
        Stats stats = new Stats();
        for (LineEnding ending : LineEnding.values()) {
            for (int fields : new int[] {2, 6}) {
                long seed = 1000L * fields + ending.ordinal();
                RecordFormat format = RecordFormat.builder().header(RecordFormat.Header.PRESENT).build();
                Shape shape = new Shape(format, ending, false, true, true, true, false, 4000, fields);
                byte[] file = CsvFileGenerator.generate(new Random(seed), shape);
                Settings settings = new Settings(RecordRangeReader.READ_BUFFER_BYTES_DEFAULT, 16 << 10,
                        RecordRangeReader.MAX_RECORD_BYTES_DEFAULT);
                List<Output> outputs = BlockSimulation.simulate(file, format, 1999, settings, stats);
                BlockSimulation.assertUnionEqualsWholeFile(file, format, outputs, "seed " + seed + ", " + shape);
            }
        }
        System.out.println("Start-state guesses on larger quoted files: " + stats);
        assertTrue(stats.wrongRate() < 0.01, "wrong guesses: " + stats);
    }
}
