package dev.spindle.io.split;

import java.io.IOException;

/**
 * Finds where a block's records start: what the file's first bytes say (byte order mark, first
 * line's terminator, fields of the first record), and, for a block that does not start at byte
 * 0, the first record start at or after its start, guessing the grammar state at
 * {@code start - 1} with {@link StartGuess}. Reads through a {@link DecodedInput}; keeps no state.
 */
final class FirstRecordFinder {
    /** Bytes read at offset 0 of every file to detect its line ending and field count. */
    static final int DETECTION_PREFIX_BYTES = 64 << 10;

    /**
     * What the prefix at byte 0 of a file says.
     *
     * @param bomLength 3 when the file starts with a UTF-8 byte order mark, else 0
     * @param lineEnding the first line's terminator (LF when there is none in the prefix)
     * @param expectedFields fields of the first record, or -1 when the prefix does not show them
     *     whole (a blank or comment first line, or a first record longer than the prefix)
     */
    record FilePrefix(int bomLength, LineEnding lineEnding, int expectedFields) {}

    private final RecordFormat format;
    private final RecordGrammar grammar;

    FirstRecordFinder(RecordFormat format) {
        this.format = format;
        this.grammar = new RecordGrammar(format);
    }

    /** Reads the prefix at byte 0 of {@code input}: byte order mark, line ending, fields of the first record. */
    FilePrefix detect(DecodedInput input) throws IOException {
        byte[] prefix = new byte[(int) Math.min(input.length(), DETECTION_PREFIX_BYTES + 1)];
        int length = input.readPrefix(0, prefix, prefix.length);
        int bom = length >= 3 && prefix[0] == (byte) 0xEF && prefix[1] == (byte) 0xBB && prefix[2] == (byte) 0xBF ? 3 : 0;
        int state = RecordGrammar.RECORD_START;
        int fields = 1;
        for (int i = bom; i < length; i++) {
            byte b = prefix[i];
            int next = grammar.step(state, b);
            if ((next & RecordGrammar.RECORD_END) != 0) {
                LineEnding ending = LineEnding.LF;
                if (b == '\r') {
                    int after = i + 1 < length ? prefix[i + 1] : i + 1 < input.length() ? input.readByte(i + 1) : -1;
                    ending = after == '\n' ? LineEnding.CRLF : LineEnding.CR;
                }
                return new FilePrefix(bom, ending, i > bom && state != RecordGrammar.COMMENT ? fields : -1);
            }
            if ((next & RecordGrammar.FIELD_END) != 0) {
                fields++;
            }
            state = next & RecordGrammar.STATE_MASK;
        }
        boolean whole = length == input.length() && length > bom && state != RecordGrammar.COMMENT;
        return new FilePrefix(bom, LineEnding.LF, whole ? fields : -1);
    }

    /**
     * Guesses the state at {@code start - 1} from a look-ahead window and returns the first
     * record start after it: the index after the first terminator (with the LF of a CRLF) in that
     * state, or the file's length.
     *
     * @param start the block's start, at least 1, within a file of known length
     * @param maxRecordBytes the record limit: scanning further than this for a record start throws
     *     unless {@code oversizedAllowed}
     * @param oversizedAllowed whether over-long records are skipped (then the scan goes on to the
     *     record's end, however far)
     * @throws BadRecordException when the record that holds the start is longer than the limit
     */
    long guessFirstRecordStart(DecodedInput input, long start, FilePrefix prefix, int lookAheadBytes, int maxRecordBytes,
            boolean oversizedAllowed, String location) throws IOException, BadRecordException {
        long fileLength = input.length();
        long from = start - 1;
        int length = (int) Math.min(lookAheadBytes, fileLength - from);
        byte[] window = new byte[Math.max(length, 1)];
        input.readFully(from, window, 0, length);
        int state = StartGuess.guess(grammar, format, window, length, from + length == fileLength, prefix.expectedFields());
        long windowStart = from;
        int windowLength = length;
        while (true) {
            for (int i = 0; i < windowLength; i++) {
                int next = grammar.step(state, window[i]);
                if ((next & RecordGrammar.RECORD_END) != 0) {
                    long after = windowStart + i + 1;
                    if (window[i] != '\r' || after >= fileLength) {
                        return after;
                    }
                    return input.readByte(after) == '\n' ? after + 1 : after;
                }
                state = next & RecordGrammar.STATE_MASK;
            }
            windowStart += windowLength;
            if (windowStart >= fileLength) {
                return fileLength;
            }
            if (windowStart - from > maxRecordBytes && !oversizedAllowed) {
                throw new BadRecordException(
                        "Record longer than " + maxRecordBytes + " bytes (" + RecordRangeReader.MAX_RECORD_BYTES + ") spans {}",
                        location, start, 0, start, true);
            }
            windowLength = (int) Math.min(window.length, fileLength - windowStart);
            input.readFully(windowStart, window, 0, windowLength);
        }
    }
}
