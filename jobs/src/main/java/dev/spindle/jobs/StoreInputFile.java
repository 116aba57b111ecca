package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

/**
 * A Parquet {@link InputFile} over any {@link FileStore}, so Parquet footers and records are
 * read the same way from HDFS, local disk and S3 (positional reads of the store, no Hadoop
 * {@code FileSystem} needed).
 */
final class StoreInputFile implements InputFile {

    private final FileStore store;
    private final String location;
    private long length = -1;

    StoreInputFile(FileStore store, String location) {
        this.store = requireNonNull(store, "store is null");
        this.location = requireNonNull(location, "location is null");
    }

    @Override
    public long getLength() throws IOException {
        if (length < 0) {
            try (SeekableInput input = store.open(location)) {
                length = input.length();
            }
        }
        return length;
    }

    @Override
    public SeekableInputStream newStream() throws IOException {
        SeekableInput input = store.open(location);
        length = input.length();
        return new DelegatingSeekableInputStream(new PositionedStream(input)) {
            @Override
            public long getPos() {
                return ((PositionedStream) getStream()).position;
            }

            @Override
            public void seek(long newPosition) throws IOException {
                if (newPosition < 0 || newPosition > length) {
                    throw new EOFException("Seek to " + newPosition + " outside 0.." + length + ": " + location);
                }
                ((PositionedStream) getStream()).position = newPosition;
            }
        };
    }

    @Override
    public String toString() {
        return location;
    }

    /** Sequential reads at a movable position; closing it closes the input. */
    private static final class PositionedStream extends InputStream {
        private final SeekableInput input;
        private final byte[] one = new byte[1];
        private long position;

        PositionedStream(SeekableInput input) {
            this.input = input;
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int read = input.read(position, buffer, offset, length);
            if (read > 0) {
                position += read;
            }
            return read;
        }

        @Override
        public void close() throws IOException {
            input.close();
        }
    }
}
