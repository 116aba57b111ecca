package dev.spindle.yarn;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job jar, uploaded once per content into {@code <staging root>/jar-cache/<sha256>.jar}
 * (as Hadoop's shared cache and Spark's archive do), instead of into every job's staging
 * directory: the next job with the same jar uploads nothing, and, shipped with PRIVATE
 * visibility, the NodeManagers localize it once per user instead of once per application.
 * The cache is never pruned: a new build adds one jar.
 */
final class JarCache {

    private static final Logger LOG = LoggerFactory.getLogger(JarCache.class);
    static final String DIRECTORY = "jar-cache";

    private JarCache() {}

    /**
     * The cached copy of {@code jar}, uploaded if it is not there yet; empty (the caller uploads
     * the jar into the job's staging as before) if the cache cannot be written.
     */
    static Optional<Path> stage(FileSystem fs, Path stagingRoot, File jar) throws IOException {
        return stage(fs, stagingRoot, jar, defaultMemoDirectory());
    }

    static Optional<Path> stage(FileSystem fs, Path stagingRoot, File jar, Optional<java.nio.file.Path> memo) throws IOException {
        String hash = memo.isPresent() ? memoizedSha256(jar, memo.get()) : sha256(jar);
        Path directory = new Path(stagingRoot, DIRECTORY);
        Path cached = fs.makeQualified(new Path(directory, hash + ".jar"));
        try {
            FileStatus status = fs.getFileStatus(cached);
            if (status.isFile() && status.getLen() == jar.length()) {
                LOG.debug("Job jar {} is cached as {}", jar, cached);
                return Optional.of(cached);
            }
        } catch (java.io.FileNotFoundException e) {
            // not cached yet
        }
        try {
            fs.mkdirs(directory, new FsPermission((short) 0700));
            // under a name of its own, then renamed: a half-written jar never has the cached name
            Path partial = new Path(directory, "." + hash + "." + java.util.UUID.randomUUID() + ".tmp");
            fs.copyFromLocalFile(false, true, new Path(jar.getAbsolutePath()), partial);
            if (!fs.rename(partial, cached)) {
                // another driver cached the same jar meanwhile (rename does not replace)
                fs.delete(partial, false);
                if (!fs.exists(cached)) {
                    throw new IOException("Cannot rename " + partial + " to " + cached);
                }
            }
            LOG.debug("Cached job jar {} as {}", jar, cached);
            return Optional.of(cached);
        } catch (IOException e) {
            LOG.warn("Cannot cache the job jar in {} ({}); uploading it into the job's staging", directory, e.toString());
            return Optional.empty();
        }
    }

    /** {@code ~/.cache/spindle/jar-sha256}, where the driver remembers the hashes of the jars it shipped. */
    private static Optional<java.nio.file.Path> defaultMemoDirectory() {
        String home = System.getProperty("user.home");
        return home == null || home.isBlank() ? Optional.empty()
                : Optional.of(java.nio.file.Path.of(home, ".cache", "spindle", "jar-sha256"));
    }

    /**
     * The jar's SHA-256, remembered on the local disk by the jar's path, length and modification
     * time (hashing 40 MB costs 0.2–0.4 s of a small job's client): a jar rebuilt in place has a
     * new time and is hashed again. Any failure to read or write the memo means hashing.
     */
    static String memoizedSha256(File jar, java.nio.file.Path memoDirectory) throws IOException {
        String key = jar.getCanonicalPath() + "\n" + jar.length() + "\n" + jar.lastModified();
        java.nio.file.Path entry = memoDirectory.resolve(sha256(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            String remembered = Files.readString(entry).trim();
            if (remembered.matches("[0-9a-f]{64}")) {
                return remembered;
            }
        } catch (IOException | RuntimeException e) {
            // not remembered (or unreadable): hash it
        }
        String hash = sha256(jar);
        try {
            Files.createDirectories(memoDirectory);
            java.nio.file.Path partial = Files.createTempFile(memoDirectory, ".memo", ".tmp");
            Files.writeString(partial, hash);
            Files.move(partial, entry, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debug("Cannot remember the hash of {} in {}: {}", jar, memoDirectory, e.toString());
        }
        return hash;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sha256(File file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file.toPath())) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
