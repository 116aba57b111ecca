package dev.spindle.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.BlockSimulation.Output;
import dev.spindle.io.BlockSimulation.Settings;
import dev.spindle.io.BlockSimulation.Stats;
import dev.spindle.io.CsvFileGenerator.Shape;
import dev.spindle.io.RecordFormat.Escape;
import dev.spindle.io.RecordFormat.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random files (random format, line ending, BOM, header, blank and comment lines,
 * stray quotes, quoted terminators) split at random offsets into random numbers of blocks, read
 * with random buffer and look-ahead sizes; the AM simulation must give exactly the whole-file
 * parse. Every failure message names the seed: rerun one file with
 * {@code -Dspindle.test.seed=<seed> -Dspindle.test.files=1}.
 */
class RecordRangeReaderRandomTest {

    @Test
    void randomFilesAndRandomSplitsTileExactly() throws Exception {
        long firstSeed = Long.getLong("spindle.test.seed", 20261121L);
        int files = Integer.getInteger("spindle.test.files", 3000);
        Stats stats = new Stats();
        for (int i = 0; i < files; i++) {
            long seed = firstSeed + i;
            Random random = new Random(seed);
            Shape shape = randomShape(random);
            byte[] file = CsvFileGenerator.generate(random, shape);
            for (int trial = 0; trial < 4; trial++) {
                List<Long> starts = randomStarts(random, file.length);
                Settings settings = new Settings(
                        random.nextBoolean() ? 16 + random.nextInt(48) : RecordRangeReader.READ_BUFFER_BYTES_DEFAULT,
                        random.nextBoolean() ? 1 + random.nextInt(64) : RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT,
                        RecordRangeReader.MAX_RECORD_BYTES_DEFAULT);
                String context = "seed %d (file of %d bytes, %s), block starts %s, %s".formatted(seed, file.length, shape, starts, settings);
                List<Output> outputs;
                try {
                    outputs = BlockSimulation.simulate(file, shape.format(), starts, settings, stats);
                } catch (Exception | AssertionError e) {
                    throw new AssertionError("Failed: " + context, e);
                }
                BlockSimulation.assertUnionEqualsWholeFile(file, shape.format(), outputs, context);
            }
        }
        System.out.println("Random split test: " + stats);
        assertTrue(stats.wrongRate() < 0.05, "too many wrong guesses: " + stats);
    }

    private static Shape randomShape(Random random) {
        RecordFormat.Builder format = RecordFormat.builder()
                .delimiter(",;|\t".charAt(random.nextInt(4)))
                .header(random.nextBoolean() ? Header.PRESENT : Header.ABSENT);
        int quoting = random.nextInt(10);
        if (quoting == 0) {
            format.noQuote();
        } else if (quoting == 1) {
            format.quote('\'');
        } else if (quoting == 2) {
            format.escape(Escape.BACKSLASH);
        }
        boolean skipped = random.nextInt(3) == 0;
        if (skipped && random.nextBoolean()) {
            format.commentPrefix('#');
        }
        LineEnding ending = LineEnding.values()[random.nextInt(3)];
        return new Shape(
                format.build(),
                ending,
                random.nextInt(4) == 0,
                random.nextBoolean(),
                random.nextInt(5) != 0,
                skipped,
                random.nextInt(4) == 0,
                random.nextInt(25),
                1 + random.nextInt(6));
    }

    private static List<Long> randomStarts(Random random, int length) {
        List<Long> starts = new ArrayList<>();
        starts.add(0L);
        if (length == 0) {
            return starts;
        }
        int blocks = random.nextInt(Math.min(length, 12));
        long[] cuts = random.longs(blocks, 1, length + 1).sorted().distinct().toArray();
        for (long cut : cuts) {
            if (cut < length) {
                starts.add(cut);
            }
        }
        return starts;
    }
}
