package dev.spindle.s3;

import dev.spindle.io.commit.PartCommitter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The S3A "magic" committer model on Spindle's commit layout: a part file a task attempt creates
 * in its attempt directory,
 *
 * <pre>
 * &lt;output&gt;/_temporary/&lt;jobId&gt;/block-00042/attempt-1/part-00042.avro
 * </pre>
 *
 * is written as a multipart upload to its <em>final</em> key {@code <output>/part-00042.avro},
 * left incomplete; what is needed to complete it (key, upload id, part ETags) is kept in a small
 * <em>pending</em> object beside it, {@code .../attempt-1/part-00042.avro.pending}. Nothing is
 * visible under the final key until the job commit "renames" the attempt's part to it, which
 * completes the upload (no copy). Deleting the attempt or the staging directory aborts its
 * uploads. Only part files are magic: rejects and the manifest are read back before commit and
 * stay plain objects.
 */
final class MagicPaths {

    static final String PENDING_SUFFIX = ".pending";

    private static final Pattern PART_IN_ATTEMPT = Pattern.compile(
            "^(.*)/" + Pattern.quote(PartCommitter.TEMPORARY) + "/[^/]+/block-\\d+/attempt-\\d+/(part-[^/]+)$");

    private MagicPaths() {}

    /** The final key of a part file in an attempt directory; empty for any other key. */
    static Optional<String> finalKey(String key) {
        if (key.endsWith(PENDING_SUFFIX)) {
            return Optional.empty();
        }
        Matcher matcher = PART_IN_ATTEMPT.matcher(key);
        return matcher.matches() ? Optional.of(matcher.group(1) + "/" + matcher.group(2)) : Optional.empty();
    }

    static String pendingKey(String key) {
        return key + PENDING_SUFFIX;
    }

    static boolean isPending(String key) {
        return key.endsWith(PENDING_SUFFIX) && finalKey(key.substring(0, key.length() - PENDING_SUFFIX.length())).isPresent();
    }
}
