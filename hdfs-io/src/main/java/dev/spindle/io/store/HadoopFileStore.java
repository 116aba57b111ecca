package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The store over Hadoop {@link FileSystem}s. File systems come from Hadoop's cache
 * ({@link FileSystem#get}) and are not closed here.
 */
final class HadoopFileStore implements FileStore, SupportsRename, SupportsDirectories {

    /** Used when a file system reports no block size (0): HDFS's default. */
    private static final long BLOCK_SIZE_FALLBACK = 128L * 1024 * 1024;

    private final Configuration configuration;

    HadoopFileStore(Configuration configuration) {
        this.configuration = requireNonNull(configuration, "configuration is null");
    }

    @Override
    public List<FileEntry> list(String pattern) throws IOException {
        Path path = new Path(pattern);
        FileSystem fs = path.getFileSystem(configuration);
        Path qualified = fs.makeQualified(path);
        List<FileEntry> entries = new ArrayList<>();
        String patternPath = qualified.toUri().getPath();
        if (ListingRules.isGlob(patternPath)) {
            FileStatus[] matches = fs.globStatus(qualified);
            if (matches != null) {
                for (FileStatus match : matches) {
                    if (!ListingRules.isHiddenGlobMatch(patternPath, match.getPath().toUri().getPath())) {
                        addFileOrDirectory(fs, match, entries);
                    }
                }
            }
        } else {
            FileStatus status;
            try {
                status = fs.getFileStatus(qualified);
            } catch (FileNotFoundException e) {
                throw new FileNotFoundException("No files match: " + pattern);
            }
            addFileOrDirectory(fs, status, entries);
            if (entries.isEmpty()) {
                throw new FileNotFoundException(
                        "Directory holds no visible files (names starting with _ or . are skipped): " + pattern);
            }
        }
        if (entries.isEmpty()) {
            throw new FileNotFoundException("No files match: " + pattern);
        }
        return ListingRules.sortedDistinct(entries);
    }

    private void addFileOrDirectory(FileSystem fs, FileStatus status, List<FileEntry> entries) throws IOException {
        if (!status.isDirectory()) {
            entries.add(entryOf(fs, status));
            return;
        }
        RemoteIterator<FileStatus> children = fs.listStatusIterator(status.getPath());
        while (children.hasNext()) {
            FileStatus child = children.next();
            if (!ListingRules.isHiddenName(child.getPath().getName())) {
                addFileOrDirectory(fs, child, entries);
            }
        }
    }

    private static FileEntry entryOf(FileSystem fs, FileStatus status) throws IOException {
        List<StorageBlock> blocks = new ArrayList<>();
        if (status.getLen() > 0) {
            for (BlockLocation location : fs.getFileBlockLocations(status, 0, status.getLen())) {
                Set<String> hosts = new LinkedHashSet<>(List.of(location.getHosts()));
                blocks.add(new StorageBlock(location.getOffset(), location.getLength(), List.copyOf(hosts)));
            }
        }
        long blockSize = status.getBlockSize() > 0 ? status.getBlockSize() : BLOCK_SIZE_FALLBACK;
        return new FileEntry(status.getPath().toString(), status.getLen(), blockSize, blocks);
    }

    @Override
    public SeekableInput open(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(configuration);
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            throw new FileNotFoundException("File not found: " + location);
        }
        if (status.isDirectory()) {
            throw new FileNotFoundException("Is a directory, not a file: " + location);
        }
        return new HadoopInput(fs.open(path), status.getPath().toString(), status.getLen());
    }

    @Override
    public OutputStream create(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(configuration);
        if (fs.exists(path)) {
            throw StoreErrors.alreadyExists(fs.makeQualified(path).toString());
        }
        java.io.File local = localFile(fs, path);
        if (local != null) {
            return createLocal(fs, path, local);
        }
        try {
            return fs.create(path, false);
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            throw StoreErrors.alreadyExists(fs.makeQualified(path).toString());
        }
    }

    /** The local file of a path of Hadoop's local file system, else null. */
    private static java.io.File localFile(FileSystem fs, Path path) {
        if (fs instanceof org.apache.hadoop.fs.LocalFileSystem checksummed) {
            return checksummed.pathToFile(path);
        }
        if (fs instanceof org.apache.hadoop.fs.RawLocalFileSystem raw) {
            return raw.pathToFile(path);
        }
        return null;
    }

    /**
     * A local file created exclusively ({@code O_EXCL}): Hadoop's local file system checks, then
     * creates, so two writers could both create one file (and the commit lock would not be
     * exclusive). No checksum file is written beside it; Hadoop's local file system reads a file
     * without one unchecked.
     */
    private static OutputStream createLocal(FileSystem fs, Path path, java.io.File file) throws IOException {
        Path parent = path.getParent();
        if (parent != null && !mkdirs(fs, parent)) {
            throw new IOException("Cannot create the directory " + fs.makeQualified(parent));
        }
        try {
            return new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(file.toPath(),
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE), 64 * 1024);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw StoreErrors.alreadyExists(fs.makeQualified(path).toString());
        }
    }

    @Override
    public boolean exists(String location) throws IOException {
        Path path = new Path(location);
        return path.getFileSystem(configuration).exists(path);
    }

    @Override
    public void delete(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(configuration);
        if (!fs.delete(path, true) && fs.exists(path)) {
            throw new IOException("Delete failed: " + location);
        }
    }

    /**
     * Checks the source exists and the target does not, then calls {@link FileSystem#rename},
     * which is atomic on HDFS and local file systems. A concurrent writer may create the target
     * between the check and the rename; Spindle's staging layout gives every target one writer.
     */
    @Override
    public void rename(String source, String target) throws IOException {
        Path from = new Path(source);
        Path to = new Path(target);
        FileSystem fs = from.getFileSystem(configuration);
        if (!fs.exists(from)) {
            throw new FileNotFoundException("Cannot rename a missing source to %s: %s".formatted(target, source));
        }
        if (fs.exists(to)) {
            throw StoreErrors.alreadyExists(fs.makeQualified(to).toString());
        }
        Path parent = to.getParent();
        if (parent != null && !mkdirs(fs, parent)) {
            throw new IOException("Cannot create the parent directory of the rename target: " + parent);
        }
        if (!fs.rename(from, to)) {
            throw new IOException("Rename to %s failed: %s".formatted(target, source));
        }
    }

    @Override
    public void createDirectories(String location) throws IOException {
        Path path = new Path(location);
        FileSystem fs = path.getFileSystem(configuration);
        for (Path ancestor = path; ancestor != null; ancestor = ancestor.getParent()) {
            if (fs.isFile(ancestor)) {
                throw StoreErrors.alreadyExists(fs.makeQualified(ancestor).toString());
            }
        }
        if (!mkdirs(fs, path)) {
            throw new IOException("Cannot create directory: " + location);
        }
    }

    /**
     * {@link FileSystem#mkdirs}, but the JDK's on the local file system: without Hadoop's native
     * library, its local mkdirs forks a {@code chmod} per directory it creates (two per block
     * attempt, each a fork of the worker's JVM). The umask decides the permissions, as for the
     * files {@link #createLocal} creates.
     */
    private static boolean mkdirs(FileSystem fs, Path path) throws IOException {
        java.io.File local = localFile(fs, path);
        if (local == null) {
            return fs.mkdirs(path);
        }
        try {
            java.nio.file.Files.createDirectories(local.toPath());
            return true;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            return false; // a file in the way
        }
    }

    @Override
    public List<String> listChildren(String directory) throws IOException {
        Path path = new Path(directory);
        FileSystem fs = path.getFileSystem(configuration);
        FileStatus status;
        try {
            status = fs.getFileStatus(path);
        } catch (FileNotFoundException e) {
            status = null;
        }
        if (status == null || !status.isDirectory()) {
            throw new FileNotFoundException("Not a directory: " + directory);
        }
        List<String> children = new ArrayList<>();
        for (FileStatus child : fs.listStatus(path)) {
            children.add(child.getPath().toString());
        }
        children.sort(null);
        return List.copyOf(children);
    }

    private static final class HadoopInput implements SeekableInput {
        private final FSDataInputStream stream;
        private final String location;
        private final long length;

        HadoopInput(FSDataInputStream stream, String location, long length) {
            this.stream = stream;
            this.location = location;
            this.length = length;
        }

        @Override
        public long length() {
            return length;
        }

        @Override
        public int read(long position, byte[] buffer, int offset, int length) throws IOException {
            checkRead(position, buffer, offset, length);
            if (length == 0) {
                return 0;
            }
            if (position >= this.length) {
                return -1;
            }
            return stream.read(position, buffer, offset, length);
        }

        @Override
        public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
            checkRead(position, buffer, offset, length);
            if (position + length > this.length) {
                throw StoreErrors.endOfFile(position, length, this.length, location);
            }
            try {
                stream.readFully(position, buffer, offset, length);
            } catch (EOFException e) {
                // The file shrank since it was opened.
                EOFException shrunk = StoreErrors.endOfFile(position, length, this.length, location);
                shrunk.initCause(e);
                throw shrunk;
            }
        }

        private void checkRead(long position, byte[] buffer, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, buffer.length);
            if (position < 0) {
                throw StoreErrors.negativePosition(position, location);
            }
        }

        @Override
        public String location() {
            return location;
        }

        @Override
        public void close() throws IOException {
            stream.close();
        }
    }
}
