package dev.spindle.io.split;

import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Optional;

/**
 * The bytes a {@link RecordRangeReader} reads: the file itself, its decompressed stream (with
 * {@link InputCodecs}), or the UTF-8 transcoding of either (a UTF-16/UTF-32 file, with
 * {@link InputEncodings}). A decompressed or transcoded stream's length is unknown until a read
 * reaches its end: {@link #length()} is then {@link #UNKNOWN_LENGTH}, larger than any real offset.
 *
 * <p>Not thread-safe. {@link #close()} releases the decompressor and the transcoder, never the
 * file the caller opened.
 */
final class DecodedInput {
    /**
     * The length assumed for a decompressed stream until its end is read: larger than any real
     * offset, small enough that offset arithmetic cannot overflow.
     */
    static final long UNKNOWN_LENGTH = Long.MAX_VALUE / 4;

    private final SeekableInput file;
    private final String location;
    /** The file itself, or its decompressed stream. */
    private final SeekableInput decompressed;
    /** The bytes read: {@link #decompressed}, or its UTF-8 transcoding. */
    private final SeekableInput input;
    private final Charset charset;
    private long length;
    private boolean lengthKnown;

    private DecodedInput(SeekableInput file, String location, SeekableInput decompressed, SeekableInput input, Charset charset,
            long length) {
        this.file = file;
        this.location = location;
        this.decompressed = decompressed;
        this.input = input;
        this.charset = charset;
        this.length = length;
        this.lengthKnown = length != UNKNOWN_LENGTH;
    }

    /**
     * Opens the bytes of {@code range}'s file.
     *
     * @param file the open file; its length must equal {@code range.fileLength()}
     * @param codecs decompress a file these find a codec for; null to read every file as it is
     * @param encodings transcode a UTF-16/UTF-32 file to UTF-8; null to read every file as it is
     * @throws IOException if the file's length differs from the planned one, or decompressing fails
     * @throws BadRecordException for a transcoded file whose range does not start at byte 0
     */
    static DecodedInput open(SeekableInput file, BlockRange range, InputCodecs codecs, InputEncodings encodings)
            throws IOException, BadRecordException {
        if (file.length() != range.fileLength()) {
            throw new IOException("File length %d differs from the planned length %d: %s"
                    .formatted(file.length(), range.fileLength(), range.location()));
        }
        SeekableInput decompressed = codecs == null ? file : codecs.decompressed(file);
        long length = decompressed == file ? range.fileLength() : UNKNOWN_LENGTH;
        Charset charset = null;
        SeekableInput input = decompressed;
        try {
            if (encodings != null) {
                charset = encodings.charset(decompressed);
                if (InputEncodings.transcoded(charset)) {
                    if (range.start() != 0) {
                        throw new BadRecordException(("A %s file cannot be split by bytes: it is read whole from byte 0, not as"
                                + " [%d, %d) of %d bytes (plan it with BlockPlanner.Builder.encodings)")
                                .formatted(charset, range.start(), range.end(), range.fileLength()),
                                range.location(), range.start(), 0, 0, false);
                    }
                    input = new TranscodedInput(decompressed, charset);
                    length = UNKNOWN_LENGTH;
                }
            }
        } catch (IOException | BadRecordException | RuntimeException e) {
            if (decompressed != file) {
                try {
                    decompressed.close();
                } catch (IOException closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
        return new DecodedInput(file, range.location(), decompressed, input, charset, length);
    }

    /** The length of the bytes read, or {@link #UNKNOWN_LENGTH} until the end of a stream is read. */
    long length() {
        return length;
    }

    boolean lengthKnown() {
        return lengthKnown;
    }

    /** The file's charset as the encodings decided it; empty without encodings. */
    Optional<Charset> charset() {
        return Optional.ofNullable(charset);
    }

    /**
     * Reads up to {@code length} bytes at {@code position} into {@code buffer}.
     *
     * @return the bytes read (at least 1), or -1 at the end of a stream of unknown length (whose
     *     length is known from then on)
     * @throws EOFException if a file of known length ends before it
     * @throws UndecodableInputException for bytes a transcoded file's charset cannot decode
     */
    int read(long position, byte[] buffer, int offset, int length) throws IOException {
        int read = input.read(position, buffer, offset, length);
        if (read < 0 && !lengthKnown) {
            endOfStreamAt(position);
            return -1;
        }
        if (read <= 0) {
            throw new EOFException("File ended at byte %d, before its length %d: %s".formatted(position, this.length, location));
        }
        return read;
    }

    /** Reads exactly {@code length} bytes at {@code position}, which must lie within a known length. */
    void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
        input.readFully(position, buffer, offset, length);
    }

    /**
     * Reads up to {@code length} bytes at {@code position}, fewer only at the end of a stream (whose
     * length it records) or before bytes that do not decode (reading the records reports those with
     * their line).
     */
    int readPrefix(long position, byte[] buffer, int length) throws IOException {
        if (lengthKnown) {
            input.readFully(position, buffer, 0, length);
            return length;
        }
        int done = 0;
        while (done < length) {
            int read;
            try {
                read = input.read(position + done, buffer, done, length - done);
            } catch (UndecodableInputException e) {
                break;
            }
            if (read < 0) {
                endOfStreamAt(position + done);
                break;
            }
            done += read;
        }
        return done;
    }

    /** The byte at {@code offset}, or -1 past the end. */
    int readByte(long offset) throws IOException {
        byte[] one = new byte[1];
        return readPrefix(offset, one, 1) == 1 ? one[0] : -1;
    }

    private void endOfStreamAt(long position) {
        length = position;
        lengthKnown = true;
    }

    /**
     * Releases the transcoder and the decompressor; not the file.
     *
     * @throws UncheckedIOException if releasing the decompressor fails
     */
    void close() {
        if (input instanceof TranscodedInput) {
            ((TranscodedInput) input).close();
        }
        if (decompressed != file) {
            try {
                decompressed.close();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot close the decompressor: " + location, e);
            }
        }
    }
}
