package dev.spindle.io.split;

import java.util.HashMap;
import java.util.Map;

/**
 * Guesses the grammar state at the first byte of a look-ahead window that starts at an unknown
 * position of a file, as in speculative CSV parsing: every state is tried over the window and
 * scored by how badly the parse it implies breaks the format.
 *
 * <p>Score of a candidate state = 4 x quoting violations (a quote that is not at a field start,
 * text right after a closing quote) + the number of whole records in the window whose field
 * count differs from the expected one (the file's first record's, else the candidate's most
 * common count), and a prohibitive score when the window reaches the end of the file inside a
 * quoted field. The lowest score wins; ties go to the earlier state in {@link #CANDIDATES}, so
 * outside quotes beats inside. A window without a quote byte is a plain line-terminator scan.
 * A wrong guess is possible (data can be built to fool any window); the AM's {@link TilingCheck}
 * catches it and re-runs the block from a known record start.
 */
final class StartGuess {
    /** Candidate states in order of preference on a tie. */
    static final int[] CANDIDATES = {
        RecordGrammar.UNQUOTED,
        RecordGrammar.RECORD_START,
        RecordGrammar.FIELD_START,
        RecordGrammar.QUOTE_PENDING,
        RecordGrammar.COMMENT,
        RecordGrammar.IN_QUOTE,
        RecordGrammar.ESCAPED,
        RecordGrammar.UNQUOTED_ESCAPED,
    };

    private static final long UNTERMINATED = 1L << 40;

    private StartGuess() {}

    /**
     * Returns the most plausible state before {@code window[0]}.
     *
     * @param window bytes of the file from the position in question
     * @param length valid bytes in {@code window}
     * @param reachesEndOfFile whether the window ends at the end of the file
     * @param expectedFields fields per record learned from the file's first record, or -1
     */
    static int guess(
            RecordGrammar grammar,
            RecordFormat format,
            byte[] window,
            int length,
            boolean reachesEndOfFile,
            int expectedFields) {
        if (!format.hasQuote() || !containsQuote(window, length, (byte) format.quote())) {
            return RecordGrammar.UNQUOTED;
        }
        int best = RecordGrammar.UNQUOTED;
        long bestScore = Long.MAX_VALUE;
        for (int candidate : CANDIDATES) {
            if (candidate == RecordGrammar.COMMENT && !format.hasCommentPrefix()) {
                continue;
            }
            if ((candidate == RecordGrammar.ESCAPED || candidate == RecordGrammar.UNQUOTED_ESCAPED)
                    && format.escape() != RecordFormat.Escape.BACKSLASH) {
                continue;
            }
            long score = score(grammar, candidate, window, length, reachesEndOfFile, expectedFields);
            if (score < bestScore) {
                bestScore = score;
                best = candidate;
            }
        }
        return best;
    }

    private static boolean containsQuote(byte[] window, int length, byte quote) {
        for (int i = 0; i < length; i++) {
            if (window[i] == quote) {
                return true;
            }
        }
        return false;
    }

    private static long score(
            RecordGrammar grammar,
            int start,
            byte[] window,
            int length,
            boolean reachesEndOfFile,
            int expectedFields) {
        Map<Integer, Integer> fieldCounts = new HashMap<>();
        long violations = 0;
        int state = start;
        boolean firstRecord = true;
        int recordStart = 0;
        int fields = 1;
        int wholeRecords = 0;
        for (int i = 0; i < length; i++) {
            int next = grammar.step(state, window[i]);
            if ((next & RecordGrammar.VIOLATION) != 0) {
                violations++;
            }
            if ((next & RecordGrammar.FIELD_END) != 0) {
                fields++;
            }
            if ((next & RecordGrammar.RECORD_END) != 0) {
                boolean blank = i == recordStart || (i == recordStart + 1 && window[recordStart] == '\r');
                if (!firstRecord && !blank && state != RecordGrammar.COMMENT) {
                    fieldCounts.merge(fields, 1, Integer::sum);
                    wholeRecords++;
                }
                firstRecord = false;
                recordStart = i + 1;
                fields = 1;
            }
            state = next & RecordGrammar.STATE_MASK;
        }
        if (reachesEndOfFile && !RecordGrammar.canEndRecord(state)) {
            return UNTERMINATED + violations;
        }
        int matching = expectedFields > 0
                ? fieldCounts.getOrDefault(expectedFields, 0)
                : fieldCounts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return 4 * violations + (wholeRecords - matching);
    }
}
