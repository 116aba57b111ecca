package dev.spindle.io.split;

import dev.spindle.io.store.SeekableInput;
import java.io.EOFException;

/** A {@link SeekableInput} over a byte array that counts the bytes read (test fake). */
final class ByteArrayInput implements SeekableInput {
    private final byte[] data;
    private final String location;
    private long bytesRead;

    ByteArrayInput(byte[] data, String location) {
        this.data = data;
        this.location = location;
    }

    @Override
    public long length() {
        return data.length;
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) {
        if (position >= data.length) {
            return -1;
        }
        int n = (int) Math.min(length, data.length - position);
        System.arraycopy(data, (int) position, buffer, offset, n);
        bytesRead += n;
        return n;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int length) throws EOFException {
        if (position + length > data.length) {
            throw new EOFException("Cannot read %d bytes at %d of %d: %s".formatted(length, position, data.length, location));
        }
        System.arraycopy(data, (int) position, buffer, offset, length);
        bytesRead += length;
    }

    @Override
    public String location() {
        return location;
    }

    long bytesRead() {
        return bytesRead;
    }

    @Override
    public void close() {}
}
