package dev.spindle.io.split;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spindle.io.split.RecordRangeReader.StartMode;
import dev.spindle.io.split.TilingCheck.Decision;
import dev.spindle.io.split.TilingCheck.RangeResult;
import dev.spindle.io.split.TilingCheck.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Simulates the AM over one file: every block runs with {@link StartMode#GUESS},
 * {@link TilingCheck} decides, flagged blocks re-run with {@link StartMode#KNOWN_RECORD_START},
 * until the file is tiled; then the union of the accepted outputs is compared with
 * {@link ReferenceCsv}'s whole-file parse.
 */
final class BlockSimulation {
    static final String LOCATION = "memory:/in/a.csv";

    record Chunk(long fileOffset, byte[] bytes, long firstLine, int records) {}

    /** One {@link RecordRangeReader.OversizedRecordListener#skipped} call. */
    record Skipped(long offset, long line, long length, byte[] prefix) {}

    record Output(
            long start,
            long firstRecordOffset,
            long stopOffset,
            List<Chunk> chunks,
            long records,
            long blankLines,
            long lines,
            Optional<byte[]> header,
            LineEnding lineEnding,
            List<Skipped> oversized,
            long oversizedRecords) {
        static Output empty(long start, long offset) {
            return new Output(start, offset, offset, List.of(), 0, 0, 0, Optional.empty(), null, List.of(), 0);
        }
    }

    /**
     * Options of a simulation.
     *
     * @param skipOversized whether readers skip records over the limit
     *     ({@link RecordRangeReader.Builder#skipOversizedRecords}) instead of throwing
     */
    record Settings(int readBufferBytes, int lookAheadBytes, int maxRecordBytes, boolean skipOversized) {
        Settings(int readBufferBytes, int lookAheadBytes, int maxRecordBytes) {
            this(readBufferBytes, lookAheadBytes, maxRecordBytes, false);
        }

        static Settings defaults() {
            return new Settings(
                    RecordRangeReader.READ_BUFFER_BYTES_DEFAULT,
                    RecordRangeReader.LOOK_AHEAD_BYTES_DEFAULT,
                    RecordRangeReader.MAX_RECORD_BYTES_DEFAULT);
        }
    }

    /** Counts over many simulations: how often a guess was wrong. */
    static final class Stats {
        long guessedBlocks;
        long wrongGuesses;
        long failedGuesses;
        long rounds;
        long files;

        double wrongRate() {
            return guessedBlocks == 0 ? 0 : (double) (wrongGuesses + failedGuesses) / guessedBlocks;
        }

        @Override
        public String toString() {
            return "%d tilings, %d guessed blocks, %d wrong first offsets, %d bad-record failures after a guess (%.4f%%), %d check rounds"
                    .formatted(files, guessedBlocks, wrongGuesses, failedGuesses, 100 * wrongRate(), rounds);
        }
    }

    private BlockSimulation() {}

    static Output run(byte[] file, BlockRange range, RecordFormat format, StartMode mode, Settings settings)
            throws Exception {
        ByteArrayInput input = new ByteArrayInput(file, range.location());
        List<Skipped> skipped = new ArrayList<>();
        RecordRangeReader.Builder builder = RecordRangeReader.builder(input, range, format)
                .startMode(mode)
                .readBufferBytes(settings.readBufferBytes())
                .lookAheadBytes(settings.lookAheadBytes())
                .maxRecordBytes(settings.maxRecordBytes());
        if (settings.skipOversized()) {
            builder.skipOversizedRecords(listener(skipped));
        }
        try (RecordRangeReader reader = builder.open()) {
            return readAll(reader, range.start(), skipped);
        }
    }

    /** A listener that adds every report to {@code skipped}. */
    static RecordRangeReader.OversizedRecordListener listener(List<Skipped> skipped) {
        return (offset, line, length, prefix) -> skipped.add(new Skipped(offset, line, length, prefix));
    }

    /** Reads every chunk of an open reader of a range that starts at {@code start}. */
    static Output readAll(RecordRangeReader reader, long start) throws Exception {
        return readAll(reader, start, List.of());
    }

    /**
     * Reads every chunk of an open reader of a range that starts at {@code start}; its listener,
     * if any, adds to {@code skipped}.
     */
    static Output readAll(RecordRangeReader reader, long start, List<Skipped> skipped) throws Exception {
        List<Chunk> chunks = new ArrayList<>();
        for (RecordChunk chunk = reader.next(); chunk != null; chunk = reader.next()) {
            byte[] bytes = Arrays.copyOfRange(chunk.buffer(), chunk.offset(), chunk.offset() + chunk.length());
            chunks.add(new Chunk(chunk.fileOffset(), bytes, chunk.firstLine(), chunk.records()));
        }
        assertEquals(null, reader.next(), "next() after the end");
        return new Output(
                start,
                reader.firstRecordOffset(),
                reader.stopOffset(),
                chunks,
                reader.records(),
                reader.blankLines(),
                reader.lines(),
                reader.header(),
                reader.lineEnding(),
                List.copyOf(skipped),
                reader.oversizedRecords());
    }

    /** Plans blocks of {@code blockSize} bytes and simulates the AM; returns accepted outputs. */
    static List<Output> simulate(byte[] file, RecordFormat format, long blockSize, Settings settings, Stats stats)
            throws Exception {
        List<Long> starts = new ArrayList<>();
        for (long s = 0; s < file.length || s == 0; s += blockSize) {
            starts.add(s);
        }
        return simulate(file, format, starts, settings, stats);
    }

    static List<Output> simulate(byte[] file, RecordFormat format, List<Long> starts, Settings settings, Stats stats)
            throws Exception {
        int n = starts.size();
        List<Output> outputs = new ArrayList<>();
        List<RangeResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long start = starts.get(i);
            long end = i + 1 < n ? starts.get(i + 1) : file.length;
            BlockRange range = new BlockRange(LOCATION, start, end, file.length, true);
            if (start > 0) {
                stats.guessedBlocks++;
            }
            try {
                Output output = run(file, range, format, StartMode.GUESS, settings);
                outputs.add(output);
                results.add(new RangeResult(start, end, output.firstRecordOffset(), output.stopOffset()));
            } catch (BadRecordException e) {
                if (!e.guessedStart()) {
                    throw e;
                }
                stats.failedGuesses++;
                outputs.add(null);
                results.add(RangeResult.failedAfterGuess(start, end));
            }
        }
        stats.files++;
        List<RangeResult> initial = List.copyOf(results);
        for (int round = 1; ; round++) {
            stats.rounds++;
            if (round > n + 1) {
                fail("tiling did not converge in " + n + " rounds");
            }
            Verdict verdict = TilingCheck.check(LOCATION, file.length, results);
            for (Decision decision : verdict.decisions()) {
                int i = decision.index();
                RangeResult old = results.get(i);
                switch (decision.outcome()) {
                    case RERUN -> {
                        BlockRange range = new BlockRange(LOCATION, decision.offset(), old.end(), file.length, true);
                        Output output = run(file, range, format, StartMode.KNOWN_RECORD_START, settings);
                        outputs.set(i, output);
                        results.set(i, new RangeResult(old.start(), old.end(), output.firstRecordOffset(), output.stopOffset()));
                    }
                    case OWNS_NOTHING -> {
                        outputs.set(i, Output.empty(old.start(), decision.offset()));
                        results.set(i, new RangeResult(old.start(), old.end(), decision.offset(), decision.offset()));
                    }
                    default -> {}
                }
            }
            if (verdict.tiled()) {
                break;
            }
        }
        for (int i = 1; i < n; i++) {
            long guessed = initial.get(i).firstRecordOffset();
            if (guessed == RangeResult.UNKNOWN) {
                continue;
            }
            if (guessed != results.get(i).firstRecordOffset()) {
                stats.wrongGuesses++;
            }
        }
        return outputs;
    }

    /** Asserts that the outputs hold every record of the whole-file parse exactly once. */
    static void assertUnionEqualsWholeFile(byte[] file, RecordFormat format, List<Output> outputs, String context) {
        assertUnionEqualsWholeFile(file, format, outputs, Long.MAX_VALUE, context);
    }

    /**
     * Asserts that the outputs hold every record of the whole-file parse exactly once: in a chunk
     * when it has at most {@code maxRecordBytes}, else reported once as skipped (offset, line,
     * length, prefix). A quote left open at the end of the file makes the rest of the file one
     * record, as the reader sees it.
     */
    static void assertUnionEqualsWholeFile(byte[] file, RecordFormat format, List<Output> outputs, long maxRecordBytes,
            String context) {
        ReferenceCsv.Parse parse = ReferenceCsv.parse(file, format, true);
        List<ReferenceCsv.Line> data = parse.data();
        Map<Long, Integer> indexByStart = new HashMap<>();
        for (int i = 0; i < data.size(); i++) {
            indexByStart.put((long) data.get(i).start(), i);
        }
        Map<Long, Long> lineByOwner = new HashMap<>();
        for (ReferenceCsv.Line line : parse.lines()) {
            lineByOwner.put(line.owner(), line.line());
        }
        boolean[] seen = new boolean[data.size()];
        long records = 0;
        long oversized = 0;
        long blank = 0;
        long lines = 0;
        for (Output output : outputs) {
            records += output.records();
            oversized += output.oversizedRecords();
            blank += output.blankLines();
            lines += output.lines();
            assertEquals(output.oversizedRecords(), output.oversized().size(), "oversizedRecords() vs reports: " + context);
            if (output.start() == 0) {
                if (format.hasHeader() && !parse.lines().isEmpty() && output.stopOffset() > 0) {
                    ReferenceCsv.Line header = parse.lines().get(0);
                    int contentEnd = header.end();
                    if (file[contentEnd - 1] == '\n') {
                        contentEnd--;
                        if (contentEnd > header.start() && file[contentEnd - 1] == '\r') {
                            contentEnd--;
                        }
                    } else if (file[contentEnd - 1] == '\r') {
                        contentEnd--;
                    }
                    assertArrayEquals(Arrays.copyOfRange(file, header.start(), contentEnd), output.header().orElseThrow(),
                            "header: " + context);
                } else {
                    assertTrue(output.header().isEmpty(), "no header expected: " + context);
                }
            }
            long lineBase = output.start() == 0 ? 0 : lineByOwner.getOrDefault(output.firstRecordOffset(), 1L) - 1;
            long previousReport = -1;
            for (Skipped skipped : output.oversized()) {
                Integer index = indexByStart.get(skipped.offset());
                if (index == null) {
                    fail("record reported as oversized at byte " + skipped.offset() + " does not start a record: " + context);
                }
                ReferenceCsv.Line record = data.get(index);
                int length = record.end() - record.start();
                if (length <= maxRecordBytes) {
                    fail("record of %d bytes at byte %d reported as oversized: %s".formatted(length, record.start(), context));
                }
                if (seen[index]) {
                    fail("record at byte " + record.start() + " reported twice: " + context);
                }
                seen[index] = true;
                assertTrue(skipped.offset() > previousReport, "reports in file order: " + context);
                previousReport = skipped.offset();
                assertEquals(length, skipped.length(), "length of the oversized record at " + skipped.offset() + ": " + context);
                assertEquals(record.line() - lineBase, skipped.line(), "line of the oversized record at " + skipped.offset() + ": " + context);
                assertArrayEquals(Arrays.copyOfRange(file, record.start(), record.start() + Math.min(length, RecordRangeReader.OVERSIZED_PREFIX_BYTES)),
                        skipped.prefix(), "prefix of the oversized record at " + skipped.offset() + ": " + context);
            }
            int chunkRecords = 0;
            for (Chunk chunk : output.chunks()) {
                Integer first = indexByStart.get(chunk.fileOffset());
                if (first == null) {
                    fail("chunk at byte " + chunk.fileOffset() + " does not start at a record: " + context);
                }
                assertArrayEquals(
                        Arrays.copyOfRange(file, (int) chunk.fileOffset(), (int) chunk.fileOffset() + chunk.bytes().length),
                        chunk.bytes(), "chunk bytes at " + chunk.fileOffset() + ": " + context);
                assertEquals(data.get(first).line() - lineBase, chunk.firstLine(), "first line of chunk at " + chunk.fileOffset() + ": " + context);
                long expectedEnd = chunk.fileOffset();
                for (int r = first; r < first + chunk.records(); r++) {
                    if (r >= data.size() || data.get(r).start() != expectedEnd) {
                        fail("chunk at byte %d with %d records is not contiguous records at record %d: %s"
                                .formatted(chunk.fileOffset(), chunk.records(), r, context));
                    }
                    if (seen[r]) {
                        fail("record at byte " + data.get(r).start() + " read twice: " + context);
                    }
                    if (data.get(r).end() - data.get(r).start() > maxRecordBytes) {
                        fail("record of %d bytes at byte %d returned, longer than the limit %d: %s"
                                .formatted(data.get(r).end() - data.get(r).start(), data.get(r).start(), maxRecordBytes, context));
                    }
                    seen[r] = true;
                    expectedEnd = data.get(r).end();
                }
                assertEquals(expectedEnd, chunk.fileOffset() + chunk.bytes().length,
                        "end of chunk at " + chunk.fileOffset() + ": " + context);
                chunkRecords += chunk.records();
            }
            assertEquals(output.records(), chunkRecords, "records() vs chunks: " + context);
        }
        for (int i = 0; i < seen.length; i++) {
            if (!seen[i]) {
                fail("record at byte " + data.get(i).start() + " never read: " + context);
            }
        }
        long expectedOversized = data.stream().filter(line -> line.end() - line.start() > maxRecordBytes).count();
        assertEquals(expectedOversized, oversized, "oversized records: " + context);
        assertEquals(data.size() - expectedOversized, records, "records: " + context);
        assertEquals(parse.skipped(), blank, "blank lines: " + context);
        assertEquals(parse.totalLines(), lines, "lines: " + context);
    }
}
