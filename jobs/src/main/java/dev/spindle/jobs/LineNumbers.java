package dev.spindle.jobs;

import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockRange;
import dev.spindle.io.store.SeekableInput;
import dev.spindle.yarn.BlockOutcome;
import dev.spindle.yarn.BlockResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Absolute line numbers for records of blocks that do not start at byte 0. A block counts lines
 * from its own first record; the lines before it are known once every block of the file ran
 * ({@link #bases}), or, on the error path only, by counting line breaks in the file's prefix.
 */
final class LineNumbers {

    /** The place in a bad-record message: {@code at line 12, byte 99321}. */
    private static final Pattern LINE = Pattern.compile("line (\\d+), byte ");
    /** The longest prefix counted on the error path; beyond it the message keeps the block's count. */
    static final long COUNT_LIMIT_BYTES = 8L << 30;

    private LineNumbers() {}

    /** The message with its line number moved forward by {@code base} lines. */
    static String shift(String message, long base) {
        if (base == 0) {
            return message;
        }
        Matcher matcher = LINE.matcher(message);
        if (!matcher.find()) {
            return message;
        }
        long line = Long.parseLong(matcher.group(1)) + base;
        return message.substring(0, matcher.start()) + "line " + line + ", byte " + message.substring(matcher.end());
    }

    /**
     * For every block, per file location, how many lines precede its range of that file: the sum
     * of the lines of the ranges before it, in file order.
     */
    static Map<Integer, Map<String, Long>> bases(List<Block> blocks, List<BlockResult> results) {
        record Owned(int block, long start, long lines) {}
        Map<String, List<Owned>> byFile = new HashMap<>();
        for (BlockResult result : results) {
            Block block = blocks.get(result.block());
            for (int i = 0; i < block.ranges().size(); i++) {
                BlockOutcome.RangeOutcome outcome = result.outcome().ranges().get(i);
                byFile.computeIfAbsent(block.ranges().get(i).location(), file -> new ArrayList<>())
                        .add(new Owned(result.block(), block.ranges().get(i).start(), outcome.lines()));
            }
        }
        Map<Integer, Map<String, Long>> bases = new HashMap<>();
        for (Map.Entry<String, List<Owned>> file : byFile.entrySet()) {
            List<Owned> ranges = file.getValue();
            ranges.sort((a, b) -> Long.compare(a.start(), b.start()));
            long before = 0;
            for (Owned range : ranges) {
                bases.computeIfAbsent(range.block(), block -> new HashMap<>()).put(file.getKey(), before);
                before += range.lines();
            }
        }
        return bases;
    }

    /**
     * The message of a bad record found by a block with absolute line numbers: unchanged for a
     * range at byte 0; otherwise counts the line breaks before the block's first record.
     */
    static String absolute(String message, BlockRange range, SeekableInput input, long firstRecordOffset) {
        if (range.start() == 0 || firstRecordOffset <= 0) {
            return message;
        }
        if (firstRecordOffset > COUNT_LIMIT_BYTES) {
            return message + " (line counted from byte " + firstRecordOffset + ")";
        }
        try {
            return shift(message, linesBefore(input, firstRecordOffset));
        } catch (IOException e) {
            return message + " (line counted from byte " + firstRecordOffset + ")";
        }
    }

    /**
     * Line breaks in {@code [0, end)}: the lines before a record that starts at {@code end}. LF,
     * CR and CRLF each end a line, anywhere in the file (the one grammar's rule): every LF counts,
     * and every CR not followed by an LF.
     */
    static long linesBefore(SeekableInput input, long end) throws IOException {
        byte[] buffer = new byte[1 << 20];
        long lines = 0;
        boolean afterCr = false;
        for (long position = 0; position < end; ) {
            int read = input.read(position, buffer, 0, (int) Math.min(buffer.length, end - position));
            if (read < 0) {
                break;
            }
            for (int i = 0; i < read; i++) {
                byte b = buffer[i];
                if (b == '\n') {
                    lines++;
                } else if (afterCr) {
                    lines++; // the CR before this byte ended a line on its own
                }
                afterCr = b == '\r';
            }
            position += read;
        }
        // a record starts at end, so a CR just before it ended a line
        return afterCr ? lines + 1 : lines;
    }
}
