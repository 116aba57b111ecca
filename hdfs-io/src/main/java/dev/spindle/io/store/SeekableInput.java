package dev.spindle.io.store;

import java.io.Closeable;
import java.io.IOException;

/** An open file read at explicit positions. Not thread-safe. */
public interface SeekableInput extends Closeable {

    /** The file's length in bytes. */
    long length();

    /**
     * Reads up to {@code length} bytes at {@code position}.
     *
     * @return the number of bytes read, or -1 at end of file
     */
    int read(long position, byte[] buffer, int offset, int length) throws IOException;

    /**
     * Reads exactly {@code length} bytes at {@code position}.
     *
     * @throws java.io.EOFException if the file ends first; the message names the location
     */
    void readFully(long position, byte[] buffer, int offset, int length) throws IOException;

    /** The location this input reads. */
    String location();
}
