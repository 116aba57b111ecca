package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A thread-safe store held in memory, for tests everywhere (shipped in main, like Trino's
 * in-memory file system). Locations are {@code memory:/a/b.csv}. As on HDFS, creating a file or
 * a directory creates its missing parents, which stay when their content is deleted. Every file reports storage blocks of a configurable size,
 * each held by the same configurable hosts.
 */
public final class InMemoryFileStore implements FileStore, SupportsRename, SupportsDirectories {

    /** The scheme prefix of every location of this store. */
    public static final String SCHEME_PREFIX = "memory:";
    /** Default storage block size, as HDFS: 128 MiB. */
    public static final long BLOCK_SIZE_DEFAULT = 128L * 1024 * 1024;

    private final long blockSize;
    private final List<String> hosts;
    // Guarded by this. Keys are normalized paths ("/a/b.csv").
    // Sorted, so everything below a directory is one range (belowFiles, belowDirectories): a
    // delete, rename or listing costs what it touches, not the whole store.
    private final NavigableMap<String, byte[]> files = new TreeMap<>();
    private final NavigableSet<String> directories = new TreeSet<>();

    /** A store with 128 MiB blocks and no hosts. */
    public InMemoryFileStore() {
        this(BLOCK_SIZE_DEFAULT, List.of());
    }

    /**
     * @param blockSize storage block size in bytes reported by {@link #list}
     * @param hosts the hosts every storage block reports
     */
    public InMemoryFileStore(long blockSize, List<String> hosts) {
        if (blockSize <= 0) {
            throw new IllegalArgumentException("blockSize must be positive: " + blockSize);
        }
        this.blockSize = blockSize;
        this.hosts = List.copyOf(hosts);
    }

    @Override
    public synchronized List<FileEntry> list(String pattern) throws IOException {
        String path = pathOf(pattern);
        List<FileEntry> entries = new ArrayList<>();
        if (ListingRules.isGlob(path)) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + path);
            for (String candidate : allPaths()) {
                if (matcher.matches(Path.of(candidate)) && !ListingRules.isHiddenGlobMatch(path, candidate)) {
                    addFileOrDirectory(candidate, entries);
                }
            }
        } else if (files.containsKey(path) || isDirectory(path)) {
            addFileOrDirectory(path, entries);
            if (entries.isEmpty()) {
                throw new FileNotFoundException(
                        "Directory holds no visible files (names starting with _ or . are skipped): " + pattern);
            }
        } else {
            throw new FileNotFoundException("No files match: " + pattern);
        }
        if (entries.isEmpty()) {
            throw new FileNotFoundException("No files match: " + pattern);
        }
        return ListingRules.sortedDistinct(entries);
    }

    @Override
    public synchronized SeekableInput open(String location) throws IOException {
        byte[] content = files.get(pathOf(location));
        if (content == null) {
            throw new FileNotFoundException(
                    (isDirectory(pathOf(location)) ? "Is a directory, not a file: " : "File not found: ") + location);
        }
        return new MemoryInput(SCHEME_PREFIX + pathOf(location), content);
    }

    @Override
    public synchronized OutputStream create(String location) throws IOException {
        String path = pathOf(location);
        if (files.containsKey(path) || isDirectory(path)) {
            throw StoreErrors.alreadyExists(SCHEME_PREFIX + path);
        }
        requireParentIsNotFile(path, location);
        addParents(path);
        files.put(path, new byte[0]);
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() {
                synchronized (InMemoryFileStore.this) {
                    if (!closed) {
                        closed = true;
                        // The file may have been deleted or renamed meanwhile; then the bytes go nowhere.
                        files.replace(path, toByteArray());
                    }
                }
            }
        };
    }

    @Override
    public synchronized boolean exists(String location) {
        String path = pathOf(location);
        return files.containsKey(path) || isDirectory(path);
    }

    @Override
    public synchronized void delete(String location) {
        String path = pathOf(location);
        files.remove(path);
        directories.remove(path);
        belowFiles(path).clear();
        belowDirectories(path).clear();
    }

    @Override
    public synchronized void rename(String source, String target) throws IOException {
        String from = pathOf(source);
        String to = pathOf(target);
        if (!files.containsKey(from) && !isDirectory(from)) {
            throw new FileNotFoundException("Cannot rename a missing source to %s: %s".formatted(target, source));
        }
        if (files.containsKey(to) || isDirectory(to)) {
            throw StoreErrors.alreadyExists(SCHEME_PREFIX + to);
        }
        if (isBelow(from, to)) {
            throw new IOException("Cannot rename a directory into itself (%s): %s".formatted(target, source));
        }
        requireParentIsNotFile(to, target);
        Map<String, byte[]> moved = new TreeMap<>();
        if (files.containsKey(from)) {
            moved.put(to, files.get(from));
        }
        belowFiles(from).forEach((file, content) -> moved.put(to + file.substring(from.length()), content));
        List<String> movedDirectories = new ArrayList<>();
        if (directories.contains(from)) {
            movedDirectories.add(to);
        }
        for (String directory : belowDirectories(from)) {
            movedDirectories.add(to + directory.substring(from.length()));
        }
        delete(source);
        files.putAll(moved);
        directories.addAll(movedDirectories);
        addParents(to);
    }

    @Override
    public synchronized void createDirectories(String location) throws IOException {
        String path = pathOf(location);
        for (String ancestor = path; ancestor != null; ancestor = parentOf(ancestor)) {
            if (files.containsKey(ancestor)) {
                throw StoreErrors.alreadyExists(SCHEME_PREFIX + ancestor);
            }
        }
        directories.add(path);
        addParents(path);
    }

    @Override
    public synchronized List<String> listChildren(String directory) throws IOException {
        String path = pathOf(directory);
        if (!isDirectory(path)) {
            throw new FileNotFoundException("Not a directory: " + directory);
        }
        SortedSet<String> children = new TreeSet<>();
        for (String candidate : belowFiles(path).keySet()) {
            if (Objects.equals(parentOf(candidate), path)) {
                children.add(SCHEME_PREFIX + candidate);
            }
        }
        for (String candidate : belowDirectories(path)) {
            if (Objects.equals(parentOf(candidate), path)) {
                children.add(SCHEME_PREFIX + candidate);
            }
        }
        return List.copyOf(children);
    }

    /** Like Hadoop's create and mkdirs: the parents become directories that outlive their content. */
    private void addParents(String path) {
        for (String parent = parentOf(path); parent != null && !parent.equals("/"); parent = parentOf(parent)) {
            directories.add(parent);
        }
    }

    private void addFileOrDirectory(String path, List<FileEntry> entries) {
        byte[] content = files.get(path);
        if (content != null) {
            entries.add(entryOf(path, content.length));
            return;
        }
        belowFiles(path).forEach((file, bytes) -> {
            if (!ListingRules.isHiddenBelow(path, file)) {
                entries.add(entryOf(file, bytes.length));
            }
        });
    }

    /** The files strictly below a directory path (a live view). */
    private NavigableMap<String, byte[]> belowFiles(String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return files.subMap(prefix, false, prefix + Character.MAX_VALUE, false);
    }

    /** The directories strictly below a directory path (a live view). */
    private NavigableSet<String> belowDirectories(String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return directories.subSet(prefix, false, prefix + Character.MAX_VALUE, false);
    }

    private FileEntry entryOf(String path, long length) {
        List<StorageBlock> blocks = new ArrayList<>();
        for (long offset = 0; offset < length; offset += blockSize) {
            blocks.add(new StorageBlock(offset, Math.min(blockSize, length - offset), hosts));
        }
        return new FileEntry(SCHEME_PREFIX + path, length, blockSize, blocks);
    }

    /** Every file and directory. */
    private SortedSet<String> allPaths() {
        SortedSet<String> paths = new TreeSet<>(files.keySet());
        paths.addAll(directories);
        paths.add("/");
        return paths;
    }

    private boolean isDirectory(String path) {
        return path.equals("/") || directories.contains(path);
    }

    private void requireParentIsNotFile(String path, String location) throws IOException {
        for (String parent = parentOf(path); parent != null; parent = parentOf(parent)) {
            if (files.containsKey(parent)) {
                throw new IOException("Parent %s is a file: %s".formatted(SCHEME_PREFIX + parent, location));
            }
        }
    }

    private static boolean isBelow(String directory, String path) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return path.startsWith(prefix) && path.length() > prefix.length();
    }

    private static String parentOf(String path) {
        if (path.equals("/")) {
            return null;
        }
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** {@code memory:/a//b/} -> {@code /a/b}. */
    private static String pathOf(String location) {
        requireNonNull(location, "location is null");
        if (!location.startsWith(SCHEME_PREFIX + "/")) {
            throw new IllegalArgumentException("Not a location of the in-memory store (memory:/...): " + location);
        }
        String path = location.substring(SCHEME_PREFIX.length()).replaceAll("/+", "/");
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path;
    }

    private static final class MemoryInput implements SeekableInput {
        private final String location;
        private final byte[] content;
        private boolean closed;

        MemoryInput(String location, byte[] content) {
            this.location = location;
            this.content = content;
        }

        @Override
        public long length() {
            return content.length;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            checkRead(position, buffer, offset, length);
            if (length == 0) {
                return 0;
            }
            if (position >= content.length) {
                return -1;
            }
            int count = (int) Math.min(length, content.length - position);
            System.arraycopy(content, (int) position, buffer, offset, count);
            return count;
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
            checkRead(position, buffer, offset, length);
            if (position + length > content.length) {
                throw StoreErrors.endOfFile(position, length, content.length, location);
            }
            System.arraycopy(content, (int) position, buffer, offset, length);
        }

        private void checkRead(long position, byte[] buffer, int offset, int length) throws IOException {
            if (closed) {
                throw new IOException("Input is closed: " + location);
            }
            Objects.checkFromIndexSize(offset, length, buffer.length);
            if (position < 0) {
                throw StoreErrors.negativePosition(position, location);
            }
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
