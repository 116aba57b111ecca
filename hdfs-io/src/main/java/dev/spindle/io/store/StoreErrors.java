package dev.spindle.io.store;

import java.io.EOFException;
import java.nio.file.FileAlreadyExistsException;

/** The messages every store uses for the same failures, so callers and tests see one wording. */
public final class StoreErrors {

    private StoreErrors() {}

    public static FileAlreadyExistsException alreadyExists(String location) {
        return new LocationExistsException(location);
    }

    public static EOFException endOfFile(long position, int length, long fileSize, String location) {
        return new EOFException("Unable to read %s bytes at position %s (fileSize=%s): %s"
                .formatted(length, position, fileSize, location));
    }

    public static EOFException negativePosition(long position, String location) {
        return new EOFException("Unable to read at negative position %s: %s".formatted(position, location));
    }

    /** A {@link FileAlreadyExistsException} whose message ends with the location, as ours all do. */
    private static final class LocationExistsException extends FileAlreadyExistsException {
        LocationExistsException(String location) {
            super(location);
        }

        @Override
        public String getMessage() {
            return "File already exists: " + getFile();
        }
    }
}
