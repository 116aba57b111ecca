package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.io.split.BlockSimulation.Output;
import dev.spindle.io.split.BlockSimulation.Settings;
import dev.spindle.io.split.BlockSimulation.Stats;
import dev.spindle.io.split.CsvFileGenerator.Shape;
import dev.spindle.io.split.RecordFormat.Escape;
import dev.spindle.io.split.RecordFormat.Header;
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

    /**
     * A bad record (longer than the limit, or a quote left open to the end of the file) inside
     * random files split at random: whatever the guesses, the AM loop ends in the one definitive
     * error (from a block at 0 or a re-run from a known start) at the bad record's offset.
     */
    @Test
    void aBadRecordFailsTheJobAtItsOffsetWhateverTheGuesses() throws Exception {
        long firstSeed = Long.getLong("spindle.test.seed", 20261121L);
        int files = Integer.getInteger("spindle.test.files", 3000) / 5;
        for (int i = 0; i < files; i++) {
            long seed = firstSeed + i;
            Random random = new Random(seed);
            Shape shape = randomShape(random);
            Shape before = new Shape(shape.format(), shape.lineEnding(), shape.bom(), true, shape.quotedNewlines(),
                    shape.blankLines(), shape.strayQuotes(), shape.records(), shape.fields());
            Shape after = new Shape(RecordFormat.builder().delimiter((char) shape.format().delimiter()).build(),
                    shape.lineEnding(), false, random.nextBoolean(), false, false, false, random.nextInt(8), shape.fields());
            byte[] head = CsvFileGenerator.generate(random, before);
            String terminator = switch (shape.lineEnding()) {
                case LF -> "\n";
                case CRLF -> "\r\n";
                case CR -> "\r";
            };
            boolean unterminated = shape.format().hasQuote() && random.nextBoolean();
            String bad = unterminated
                    ? "q" + (char) shape.format().delimiter() + (char) shape.format().quote() + "open" + terminator + "tail"
                    : "z".repeat(500) + terminator;
            byte[] tail = unterminated ? new byte[0] : CsvFileGenerator.generate(random, after);
            byte[] file = concat(head, bad.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), tail);
            List<Long> starts = randomStarts(random, file.length);
            Settings settings = new Settings(
                    random.nextBoolean() ? 16 + random.nextInt(48) : RecordRangeReader.READ_BUFFER_BYTES_DEFAULT,
                    random.nextBoolean() ? 1 + random.nextInt(64) : RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT,
                    400);
            String context = "seed %d (file of %d bytes, %s, unterminated=%s), block starts %s, %s"
                    .formatted(seed, file.length, shape, unterminated, starts, settings);
            BadRecordException e = assertThrows(BadRecordException.class,
                    () -> BlockSimulation.simulate(file, shape.format(), starts, settings, new Stats()), context);
            long offset = unterminated ? head.length + 2 : head.length;
            String problem = unterminated ? "Unterminated quoted field starting at line " : "Record longer than 400 bytes";
            assertFalse(e.guessedStart(), context);
            assertEquals(offset, e.byteOffset(), e.getMessage() + ": " + context);
            assertTrue(e.getMessage().startsWith(problem), e.getMessage() + ": " + context);
            assertTrue(e.getMessage().endsWith(", byte " + offset + (unterminated ? " runs to end of file: " : ": ") + BlockSimulation.LOCATION),
                    e.getMessage() + ": " + context);
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
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
