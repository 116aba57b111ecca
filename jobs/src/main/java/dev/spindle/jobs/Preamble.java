package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.split.InputEncodings;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a preamble: title or note lines before a CSV file's header that are not part of the
 * table, as DuckDB's sniffer does. A preamble line is one whose field count (in the job's
 * delimiter and quote) differs from the count the rows below it agree on; the header is the
 * first line with that count. Nothing is detected when the rows do not agree on one count of at
 * least two fields, or when the first lines already have it — so a one-column file, or a file
 * whose notes happen to have the table's field count, needs {@code --skip-lines N}.
 */
final class Preamble {

    /** Bytes of the file's start looked at, at most. */
    static final int SAMPLE_BYTES = 64 << 10;
    /** Lines looked at, at most. */
    static final int MAX_LINES = 200;
    /** A preamble longer than this is not believed (the file is something else). */
    static final int MAX_PREAMBLE_LINES = 50;

    private Preamble() {}

    /** The preamble's length in lines at the start of the file, or 0. */
    static int detect(FileStore store, FileEntry file, InputCodecs codecs, InputEncodings encodings, char delimiter, int quote)
            throws IOException {
        FileStart start = readStart(store, file, codecs, encodings, SAMPLE_BYTES);
        return detect(start.bytes(), start.length(), delimiter, quote);
    }

    /**
     * The first bytes of a file as its records are read: decompressed, transcoded to UTF-8.
     *
     * @param whole whether they are the whole file
     */
    record FileStart(byte[] bytes, int length, boolean whole) {}

    /** Reads up to {@code maxBytes} of the file's start, decompressed and in UTF-8 ({@link FileStart}). */
    static FileStart readStart(FileStore store, FileEntry file, InputCodecs codecs, InputEncodings encodings, int maxBytes)
            throws IOException {
        byte[] sample = new byte[maxBytes];
        int length = 0;
        boolean whole = false;
        try (SeekableInput raw = store.open(file.location());
                SeekableInput decompressed = codecs.decompressed(raw);
                SeekableInput input = encodings.utf8(decompressed)) {
            while (length < sample.length) {
                int read = input.read(length, sample, length, sample.length - length);
                if (read < 0) {
                    whole = true;
                    break;
                }
                length += read;
            }
        }
        return new FileStart(sample, length, whole);
    }

    /**
     * The preamble's length in lines of {@code bytes[0, length)}, the start of a file (UTF-8 or
     * ASCII-compatible; a byte order mark is ignored).
     */
    static int detect(byte[] bytes, int length, char delimiter, int quote) {
        requireNonNull(bytes, "bytes is null");
        List<Integer> counts = new ArrayList<>(); // field count per physical line; -1 blank, -2 open quote
        int start = length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF ? 3 : 0;
        int fields = 1;
        boolean quoted = false;
        boolean empty = true;
        boolean atFieldStart = true;
        for (int i = start; i < length && counts.size() < MAX_LINES; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                counts.add(quoted ? -2 : empty ? -1 : fields);
                if (quoted) {
                    break; // a quoted line break: the table has begun, or this is not a simple preamble
                }
                if (b == '\r' && i + 1 < length && bytes[i + 1] == '\n') {
                    i++;
                }
                fields = 1;
                empty = true;
                atFieldStart = true;
                continue;
            }
            empty = false;
            if (quote >= 0 && b == quote && (quoted || atFieldStart)) {
                quoted = !quoted;
                atFieldStart = false;
                continue;
            }
            if (!quoted && b == delimiter) {
                fields++;
                atFieldStart = true;
                continue;
            }
            atFieldStart = false;
        }
        // the count the lines below agree on: the most common among the second half of the lines
        List<Integer> lines = counts.stream().filter(c -> c != -1 && c != -2).toList();
        if (lines.size() < 3) {
            return 0;
        }
        Map<Integer, Integer> frequency = new HashMap<>();
        for (int c : lines.subList(lines.size() / 2, lines.size())) {
            frequency.merge(c, 1, Integer::sum);
        }
        int body = frequency.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        if (body < 2) {
            return 0;
        }
        int header = -1;
        for (int i = 0; i < counts.size(); i++) {
            if (counts.get(i) == body) {
                header = i;
                break;
            }
        }
        if (header <= 0 || header > MAX_PREAMBLE_LINES) {
            return 0;
        }
        // the lines from the header on must agree; else the guess is not safe to act on
        long agreeing = counts.subList(header, counts.size()).stream().filter(c -> c == body).count();
        long nonBlank = counts.subList(header, counts.size()).stream().filter(c -> c != -1).count();
        if (agreeing * 10 < nonBlank * 9) {
            return 0;
        }
        // blank lines just before the header are skipped by the reader anyway; keep them out
        int skip = header;
        while (skip > 0 && counts.get(skip - 1) == -1) {
            skip--;
        }
        return skip;
    }
}
