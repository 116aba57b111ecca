package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.SeekableInput;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A file in a charset that is not ASCII-compatible (UTF-16, UTF-32), offered as positional reads
 * of its UTF-8 re-encoding: positions are offsets in the UTF-8 stream. Like
 * {@code DecompressedInput}: reads go forward through one decoder; a read before the current
 * position restarts at byte 0 and skips forward; the UTF-8 length is not known before the end,
 * so {@link #length()} is unsupported and {@link #read} returns -1 at the end. A byte order mark
 * (U+FEFF as the first character) is dropped, whether the charset's decoder keeps it (UTF-16LE)
 * or not (UTF-32LE): the UTF-8 stream starts with the first character after it.
 *
 * <p>Decoding is strict: malformed input (an unpaired surrogate, a truncated code unit at the end,
 * a UTF-32 value above U+10FFFF) fails the read at its UTF-8 position, after every byte before it
 * has been returned, with an {@link UndecodableInputException} naming the charset, the offset of
 * the bad bytes in the source, the UTF-8 offset and the location.
 *
 * <p>{@link #close()} releases the buffers, not the source, which the caller opened. Not
 * thread-safe.
 */
final class TranscodedInput implements SeekableInput {
    private static final int SOURCE_READ_BYTES = 64 << 10;

    private final SeekableInput source;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final CharsetEncoder encoder;

    private ByteBuffer raw;
    private CharBuffer chars;
    private ByteBuffer out;
    /** Source offset after the bytes read into {@link #raw}. */
    private long sourcePosition;
    private boolean sourceEnded;
    /** UTF-8 offset of the next byte {@link #out} returns. */
    private long position;
    private boolean started;
    private boolean decodedAll;
    /** Whether the first character is still to be checked for a byte order mark. */
    private boolean atStart;
    private boolean ended;
    /** Length of the malformed input found, 0 if none; reported once the bytes before it are read. */
    private int badBytes;
    private long badSourceOffset;

    TranscodedInput(SeekableInput source, Charset charset) {
        this.source = requireNonNull(source, "source is null");
        this.charset = requireNonNull(charset, "charset is null");
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        this.encoder = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** The charset decoded. */
    Charset charset() {
        return charset;
    }

    /**
     * Unsupported: the UTF-8 length is known only once {@link #read} has returned -1.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public long length() {
        throw new UnsupportedOperationException("The UTF-8 length of a " + charset + " file is known only at the end: " + location());
    }

    @Override
    public int read(long position, byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!started || position < this.position) {
            restart();
        }
        while (this.position < position) {
            if (!fill()) {
                return -1;
            }
            int skipped = (int) Math.min(out.remaining(), position - this.position);
            out.position(out.position() + skipped);
            this.position += skipped;
        }
        if (!fill()) {
            return -1;
        }
        int count = Math.min(length, out.remaining());
        out.get(buffer, offset, count);
        this.position += count;
        return count;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int read = read(position + done, buffer, offset + done, length - done);
            if (read < 0) {
                throw new EOFException("%s data ended at UTF-8 byte %d, reading %d bytes at %d: %s"
                        .formatted(charset, position + done, length, position, location()));
            }
            done += read;
        }
    }

    /**
     * Makes {@link #out} hold at least one byte, decoding more source bytes as needed.
     *
     * @return false at the end of the stream
     * @throws UndecodableInputException once every byte before malformed input was returned
     */
    private boolean fill() throws IOException {
        while (!out.hasRemaining()) {
            if (ended) {
                return false;
            }
            out.clear();
            // encode what was decoded; a high surrogate at the end waits for its pair
            CoderResult encoded = encoder.encode(chars, out, decodedAll);
            if (encoded.isError()) {
                if (badBytes == 0) {
                    badBytes = encoded.length();
                    badSourceOffset = sourcePosition - raw.remaining();
                }
            } else if (decodedAll && encoded.isUnderflow()) {
                encoder.flush(out);
                ended = true;
            }
            out.flip();
            if (out.hasRemaining()) {
                return true;
            }
            if (badBytes > 0) {
                throw new UndecodableInputException(charset, badBytes, badSourceOffset, position, location());
            }
            if (ended) {
                return false;
            }
            chars.compact();
            readSource();
            CoderResult decoded = decoder.decode(raw, chars, sourceEnded);
            if (decoded.isError()) {
                badBytes = decoded.length();
                badSourceOffset = sourcePosition - raw.remaining();
            } else if (sourceEnded && !raw.hasRemaining()) {
                decoder.flush(chars);
                decodedAll = true;
            }
            chars.flip();
            if (atStart && chars.hasRemaining()) {
                atStart = false;
                if (chars.get(chars.position()) == '\ufeff') {
                    chars.position(chars.position() + 1);
                }
            }
        }
        return true;
    }

    /** Reads more source bytes into {@link #raw}, keeping undecoded ones. */
    private void readSource() throws IOException {
        raw.compact();
        while (!sourceEnded && raw.hasRemaining()) {
            int read = source.read(sourcePosition, raw.array(), raw.position(), raw.remaining());
            if (read < 0) {
                sourceEnded = true;
            } else {
                raw.position(raw.position() + read);
                sourcePosition += read;
                if (read > 0) {
                    break;
                }
            }
        }
        raw.flip();
    }

    private void restart() {
        raw = ByteBuffer.allocate(SOURCE_READ_BYTES);
        raw.flip();
        chars = CharBuffer.allocate(SOURCE_READ_BYTES);
        chars.flip();
        out = ByteBuffer.allocate(3 * SOURCE_READ_BYTES + 4);
        out.flip();
        decoder.reset();
        encoder.reset();
        sourcePosition = 0;
        sourceEnded = false;
        position = 0;
        decodedAll = false;
        atStart = true;
        ended = false;
        badBytes = 0;
        started = true;
    }

    @Override
    public String location() {
        return source.location();
    }

    /** Releases the buffers; the source stays open. */
    @Override
    public void close() {
        raw = null;
        chars = null;
        out = null;
        started = false;
    }
}
