package dev.spindle.jobs;

import java.util.Locale;

/**
 * {@code --max-rejects}: how many bad records (rejected or skipped) a job may have before it
 * fails instead of committing. {@code N} is a count, {@code P%} a share of the records read,
 * {@code unlimited} no limit. The default, {@value #DEFAULT}, lets an unattended run through a
 * few bad lines but not through a file that is mostly not what the schema says (wrong
 * delimiter, wrong encoding, a different file dropped in the same directory).
 *
 * @param count the most bad records allowed, or -1
 * @param percent the largest share of read records, in percent, or -1
 */
record RejectLimit(long count, double percent) {

    /** The limit when {@code --max-rejects} is not given. */
    static final String DEFAULT = "1%";

    static RejectLimit parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("unlimited")) {
            return new RejectLimit(-1, -1);
        }
        try {
            if (value.endsWith("%")) {
                double percent = Double.parseDouble(value.substring(0, value.length() - 1).trim());
                if (percent >= 0 && percent <= 100) {
                    return new RejectLimit(-1, percent);
                }
            } else {
                long count = Long.parseLong(value);
                if (count >= 0) {
                    return new RejectLimit(count, -1);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--max-rejects takes a count (100), a percentage of the records read (0.5%%) or 'unlimited'; got '%s'"
                .formatted(text));
    }

    boolean unlimited() {
        return count < 0 && percent < 0;
    }

    /** Whether {@code rejected} bad records among {@code read} records are over the limit. */
    boolean exceeded(long rejected, long read) {
        if (count >= 0) {
            return rejected > count;
        }
        if (percent >= 0) {
            return read > 0 && rejected * 100.0 > percent * read;
        }
        return false;
    }

    /** The limit as the option writes it: {@code 100}, {@code 1%}, {@code unlimited}. */
    @Override
    public String toString() {
        if (count >= 0) {
            return String.valueOf(count);
        }
        if (percent >= 0) {
            String text = String.valueOf(percent);
            return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + "%";
        }
        return "unlimited";
    }

    /** The failure message: the count, the share and the limit. */
    String describe(long rejected, long read) {
        return String.format(Locale.ROOT, "%,d of %,d records were bad (%s), over --max-rejects %s; nothing was committed",
                rejected, read, share(rejected, read), this);
    }

    private static String share(long rejected, long read) {
        if (read == 0) {
            return "0%";
        }
        double percent = 100.0 * rejected / read;
        return percent >= 10 ? String.format(Locale.ROOT, "%.0f%%", percent) : String.format(Locale.ROOT, "%.2f%%", percent);
    }
}
