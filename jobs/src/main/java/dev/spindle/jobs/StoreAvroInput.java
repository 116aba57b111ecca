package dev.spindle.jobs;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.SeekableInput;
import java.io.IOException;

/**
 * Avro's {@link org.apache.avro.file.SeekableInput} over a store's positional reads, so
 * {@code DataFileReader} can seek to a block's sync marker on HDFS, local disk and S3 alike.
 * Closing it closes the store input.
 */
final class StoreAvroInput implements org.apache.avro.file.SeekableInput {

    private final SeekableInput input;
    private long position;

    StoreAvroInput(SeekableInput input) {
        this.input = requireNonNull(input, "input is null");
    }

    @Override
    public void seek(long target) throws IOException {
        if (target < 0 || target > input.length()) {
            throw new IOException("Seek to byte %d outside 0..%d".formatted(target, input.length()));
        }
        position = target;
    }

    @Override
    public long tell() {
        return position;
    }

    @Override
    public long length() {
        return input.length();
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
