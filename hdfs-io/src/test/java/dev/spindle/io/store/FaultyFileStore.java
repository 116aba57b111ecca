package dev.spindle.io.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** An in-memory store that fails on purpose: on the Nth rename, or when creating or deleting a named location. */
public final class FaultyFileStore implements FileStore, SupportsRename, SupportsDirectories {

    private final InMemoryFileStore delegate = new InMemoryFileStore();
    private int renamesBeforeFailure = -1;
    private String failingCreate = "";
    private String failingDelete = "";
    private int renames;
    /** Every location opened, in order. */
    public final List<String> opened = new ArrayList<>();

    /** The rename numbered {@code n} (from 1) fails, and every rename after it. */
    public FaultyFileStore failRename(int n) {
        renamesBeforeFailure = n - 1;
        return this;
    }

    /** Renames made so far. */
    public int renames() {
        return renames;
    }

    /** From now on every rename succeeds again (the store came back). */
    public FaultyFileStore heal() {
        renamesBeforeFailure = -1;
        return this;
    }

    public FaultyFileStore failCreate(String location) {
        failingCreate = location;
        return this;
    }

    public FaultyFileStore failDelete(String location) {
        failingDelete = location;
        return this;
    }

    @Override
    public List<FileEntry> list(String pattern) throws IOException {
        return delegate.list(pattern);
    }

    @Override
    public SeekableInput open(String location) throws IOException {
        opened.add(location);
        return delegate.open(location);
    }

    @Override
    public OutputStream create(String location) throws IOException {
        if (location.equals(failingCreate)) {
            throw new IOException("Injected create failure: " + location);
        }
        return delegate.create(location);
    }

    @Override
    public boolean exists(String location) {
        return delegate.exists(location);
    }

    @Override
    public void delete(String location) throws IOException {
        if (location.equals(failingDelete)) {
            throw new IOException("Injected delete failure: " + location);
        }
        delegate.delete(location);
    }

    @Override
    public void rename(String source, String target) throws IOException {
        renames++;
        if (renamesBeforeFailure >= 0 && renames > renamesBeforeFailure) {
            throw new IOException("Injected rename failure: " + source);
        }
        delegate.rename(source, target);
    }

    @Override
    public void createDirectories(String location) throws IOException {
        delegate.createDirectories(location);
    }

    @Override
    public List<String> listChildren(String directory) throws IOException {
        return delegate.listChildren(directory);
    }
}
