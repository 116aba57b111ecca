package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed bytes of a whole compressed file, offered as positional reads: positions are
 * offsets in the decompressed stream. Reads go forward through one decompressing stream; a read
 * before the stream's position restarts decompression at byte 0 and skips forward
 * ({@link dev.spindle.io.split.RecordRangeReader} does that once, after reading the file's prefix). The decompressed
 * length is not known before the end: {@link #length()} is unsupported and {@link #read} returns
 * -1 at the end. Decompression errors (corrupt or truncated data) are {@link IOException}s naming
 * the codec, the decompressed offset and the file.
 *
 * <p>{@link #close()} releases the decompressor, not the compressed input, which the caller
 * opened. Not thread-safe.
 */
final class DecompressedInput implements SeekableInput {
    private static final int SKIP_BUFFER_BYTES = 64 << 10;

    private final SeekableInput compressed;
    private final String codecName;
    private final InputCodecs.StreamDecompressor decompressor;

    private InputStream stream;
    /** Decompressed offset of the stream's next byte. */
    private long position;
    private boolean ended;

    DecompressedInput(SeekableInput compressed, String codecName, InputCodecs.StreamDecompressor decompressor) {
        this.compressed = requireNonNull(compressed, "compressed is null");
        this.codecName = requireNonNull(codecName, "codecName is null");
        this.decompressor = requireNonNull(decompressor, "decompressor is null");
    }

    /**
     * Unsupported: the decompressed length is known only once {@link #read} has returned -1.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public long length() {
        throw new UnsupportedOperationException("The decompressed length is known only at the end: " + location());
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (stream == null || position < this.position) {
            restart();
        }
        byte[] skipBuffer = this.position < position ? new byte[SKIP_BUFFER_BYTES] : null;
        while (this.position < position) {
            if (readStream(skipBuffer, 0, (int) Math.min(SKIP_BUFFER_BYTES, position - this.position)) < 0) {
                return -1;
            }
        }
        return readStream(buffer, offset, length);
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int read = read(position + done, buffer, offset + done, length - done);
            if (read < 0) {
                throw new EOFException("%s data ended at decompressed byte %d, reading %d bytes at %d: %s"
                        .formatted(codecName, position + done, length, position, location()));
            }
            done += read;
        }
    }

    /** Reads at least one byte at {@link #position}, or returns -1 at the end. */
    private int readStream(byte[] buffer, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        while (true) {
            int read;
            try {
                read = stream.read(buffer, offset, length);
            } catch (IOException | RuntimeException e) {
                throw new IOException("Cannot decompress %s data at decompressed byte %d: %s: %s"
                        .formatted(codecName, position, e.getMessage(), location()), e);
            }
            if (read < 0) {
                ended = true;
                return -1;
            }
            if (read > 0) {
                position += read;
                return read;
            }
        }
    }

    private void restart() throws IOException {
        close();
        try {
            stream = decompressor.open(new CompressedStream(compressed));
        } catch (IOException | RuntimeException e) {
            throw new IOException("Cannot open %s data: %s: %s".formatted(codecName, e.getMessage(), location()), e);
        }
        position = 0;
        ended = false;
    }

    @Override
    public String location() {
        return compressed.location();
    }

    /** Releases the decompressor; the compressed input stays open. */
    @Override
    public void close() throws IOException {
        if (stream != null) {
            InputStream closing = stream;
            stream = null;
            closing.close();
        }
    }

    /**
     * The compressed input from byte 0 as a stream, read in large positional reads (codecs ask
     * for a few KiB at a time, and each positional read on HDFS has a cost). Closing it leaves
     * the input open.
     */
    private static final class CompressedStream extends InputStream {
        private static final int READ_BYTES = 1 << 20;

        private final SeekableInput input;
        private final long length;
        private final byte[] one = new byte[1];
        private final byte[] buffer;
        private int bufferPosition;
        private int bufferEnd;
        /** File offset after the buffered bytes. */
        private long position;

        CompressedStream(SeekableInput input) {
            this.input = input;
            this.length = input.length();
            this.buffer = new byte[(int) Math.max(1, Math.min(READ_BYTES, length))];
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] target, int offset, int count) throws IOException {
            if (count == 0) {
                return 0;
            }
            if (bufferPosition == bufferEnd) {
                if (position >= length) {
                    return -1;
                }
                int read = input.read(position, buffer, 0, (int) Math.min(buffer.length, length - position));
                if (read <= 0) {
                    throw new EOFException("File ended at byte %d, before its length %d: %s"
                            .formatted(position, length, input.location()));
                }
                position += read;
                bufferPosition = 0;
                bufferEnd = read;
            }
            int copied = Math.min(count, bufferEnd - bufferPosition);
            System.arraycopy(buffer, bufferPosition, target, offset, copied);
            bufferPosition += copied;
            return copied;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, length - position + bufferEnd - bufferPosition);
        }
    }
}
