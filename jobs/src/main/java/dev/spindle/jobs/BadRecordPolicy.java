package dev.spindle.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a job does with a record it cannot convert ({@code --on-bad-record}). */
enum BadRecordPolicy {
    /** Write it with its reason to {@code <output>/_rejects/} and count it (the default). */
    REJECT,
    /** Fail the job, naming the file, byte offset, line, column and value. */
    FAIL,
    /** Count it and drop it. */
    SKIP;

    static BadRecordPolicy parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("Unknown --on-bad-record '%s'; valid: %s".formatted(text,
                    Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))));
        }
    }
}
