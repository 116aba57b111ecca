package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;

/**
 * Sequential reads from the start of a {@link SeekableInput}, for libraries that take an
 * {@link InputStream} (Avro's {@code DataFileStream}, Jackson). Unbuffered: each read is one
 * positional read. Closing it leaves the input open.
 */
public final class SeekableInputStream extends InputStream {
    private final SeekableInput input;
    private final byte[] one = new byte[1];
    private long position;

    public SeekableInputStream(SeekableInput input) {
        this.input = requireNonNull(input, "input is null");
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = input.read(position, buffer, offset, length);
        if (read > 0) {
            position += read;
        }
        return read;
    }
}
