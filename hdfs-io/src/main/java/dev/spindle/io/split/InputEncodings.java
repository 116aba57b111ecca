package dev.spindle.io.split;

import static java.util.Objects.requireNonNull;

import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Which charset each input file is written in, and how it is read: the sibling of
 * {@link InputCodecs} for text encodings.
 *
 * <ul>
 *   <li>An ASCII-compatible charset (UTF-8, ISO-8859-1, windows-1252, ...) writes delimiters,
 *       quotes and line terminators as the ASCII bytes, so files are split by bytes as usual and
 *       read as they are; converting values to UTF-8 is the CSV decoder's job.
 *   <li>UTF-16 and UTF-32 (either byte order) are not: a file in one of them cannot be split by
 *       bytes. It is read whole, like a compressed file, through a transcoding
 *       {@link SeekableInput} ({@link #utf8}) that decodes the charset and re-encodes UTF-8.
 *       Positions in that input are offsets in the <em>UTF-8 stream</em>, not in the file.
 * </ul>
 *
 * <p>Which charset: {@link #declared} always uses the charset given (an explicit option wins,
 * whatever the file starts with). {@link #detecting} looks at the first bytes of each file: a
 * UTF-32 or UTF-16 byte order mark at byte 0 names the encoding ({@code FF FE 00 00} UTF-32LE,
 * {@code 00 00 FE FF} UTF-32BE, {@code FF FE} UTF-16LE, {@code FE FF} UTF-16BE), anything else is
 * UTF-8 (a UTF-8 byte order mark is stripped by {@link RecordRangeReader}), as DuckDB and pandas
 * do. The detected byte order mark is transcoded too (to the UTF-8 one, which the reader strips).
 *
 * <p>Planning: {@link BlockPlanner} cannot know a file's encoding from its listing, so with
 * {@link BlockPlanner.Builder#encodings} it asks {@link #readWhole(FileStore, String)} about each
 * file it would cut into several blocks; when detecting, that reads the first 4 bytes of those
 * (large, uncompressed) files. Smaller files are one range {@code [0, length)} anyway and are
 * read whole by the worker.
 *
 * <p>Immutable and thread-safe.
 */
public final class InputEncodings {
    /** Bytes read at byte 0 to look for a byte order mark. */
    static final int BYTE_ORDER_MARK_BYTES = 4;

    private static final Charset UTF_32LE = Charset.forName("UTF-32LE");
    private static final Charset UTF_32BE = Charset.forName("UTF-32BE");

    private final Optional<Charset> declared;

    private InputEncodings(Optional<Charset> declared) {
        this.declared = declared;
    }

    /** Each file's byte order mark at byte 0 decides UTF-16 or UTF-32; without one, UTF-8. */
    public static InputEncodings detecting() {
        return new InputEncodings(Optional.empty());
    }

    /**
     * Every file is in {@code charset}, whatever it starts with (an explicit option wins).
     *
     * @throws IllegalArgumentException when the charset is neither ASCII-compatible nor UTF-16 or
     *     UTF-32 (EBCDIC, say): its files could be neither split nor transcoded
     */
    public static InputEncodings declared(Charset charset) {
        requireNonNull(charset, "charset is null");
        byte[] probe = ",\"\n\r".getBytes(charset);
        boolean asciiCompatible = probe.length == 4 && probe[0] == ',' && probe[1] == '"' && probe[2] == '\n' && probe[3] == '\r';
        if (!asciiCompatible && !transcoded(charset)) {
            throw new IllegalArgumentException("Charset must be ASCII-compatible (one byte per ASCII character) or one of"
                    + " UTF-16, UTF-16BE, UTF-16LE, UTF-32, UTF-32BE, UTF-32LE: " + charset);
        }
        return new InputEncodings(Optional.of(charset));
    }

    /** The declared charset, empty when detecting. */
    public Optional<Charset> declaredCharset() {
        return declared;
    }

    /**
     * Whether files in {@code charset} are read whole and transcoded to UTF-8: UTF-16 and UTF-32
     * in any byte order. Every other supported charset is ASCII-compatible and read as it is.
     */
    public static boolean transcoded(Charset charset) {
        String name = requireNonNull(charset, "charset is null").name();
        return name.startsWith("UTF-16") || name.startsWith("UTF-32");
    }

    /**
     * The charset of a file: the declared one (no read), or, when detecting, the one named by a
     * UTF-16/UTF-32 byte order mark at byte 0, else UTF-8. Reads at most 4 bytes at byte 0,
     * forward, so {@code input} may be a decompressed stream.
     *
     * @throws IOException if reading fails
     */
    public Charset charset(SeekableInput input) throws IOException {
        requireNonNull(input, "input is null");
        if (declared.isPresent()) {
            return declared.get();
        }
        byte[] prefix = new byte[BYTE_ORDER_MARK_BYTES];
        int length = 0;
        while (length < prefix.length) {
            int read = input.read(length, prefix, length, prefix.length - length);
            if (read < 0) {
                break;
            }
            length += read;
        }
        return byteOrderMark(prefix, length).orElse(StandardCharsets.UTF_8);
    }

    /** The UTF-16/UTF-32 encoding a byte order mark at the start of {@code prefix} names. */
    static Optional<Charset> byteOrderMark(byte[] prefix, int length) {
        int b0 = length > 0 ? prefix[0] & 0xff : -1;
        int b1 = length > 1 ? prefix[1] & 0xff : -1;
        int b2 = length > 2 ? prefix[2] & 0xff : -1;
        int b3 = length > 3 ? prefix[3] & 0xff : -1;
        if (b0 == 0xFF && b1 == 0xFE && b2 == 0 && b3 == 0) {
            return Optional.of(UTF_32LE);
        }
        if (b0 == 0 && b1 == 0 && b2 == 0xFE && b3 == 0xFF) {
            return Optional.of(UTF_32BE);
        }
        if (b0 == 0xFF && b1 == 0xFE) {
            return Optional.of(StandardCharsets.UTF_16LE);
        }
        if (b0 == 0xFE && b1 == 0xFF) {
            return Optional.of(StandardCharsets.UTF_16BE);
        }
        return Optional.empty();
    }

    /**
     * The file as UTF-8 positional reads: {@code input} itself when its {@link #charset} is
     * ASCII-compatible, else a transcoding view. The view's positions are offsets in the UTF-8
     * stream; reads should go forward (a read before the last position restarts decoding at byte
     * 0); {@link SeekableInput#length()} is unsupported and {@link SeekableInput#read} returns -1
     * at the end; bytes the charset cannot decode fail the read with an {@link IOException}
     * naming the charset, the byte offset in {@code input}, the UTF-8 offset and the location.
     * Closing the view releases its buffers, not {@code input}, which the caller closes.
     *
     * @throws IOException if reading the byte order mark fails
     */
    public SeekableInput utf8(SeekableInput input) throws IOException {
        Charset charset = charset(input);
        return transcoded(charset) ? new TranscodedInput(input, charset) : input;
    }

    /**
     * Whether a file must be read whole because its charset is transcoded: for a declared
     * charset without reading; when detecting, by opening the file and reading its first 4 bytes.
     *
     * @throws IOException if the file cannot be opened or read; the message names it
     */
    public boolean readWhole(FileStore store, String location) throws IOException {
        requireNonNull(store, "store is null");
        requireNonNull(location, "location is null");
        if (declared.isPresent()) {
            return transcoded(declared.get());
        }
        try (SeekableInput input = store.open(location)) {
            return transcoded(charset(input));
        }
    }

    @Override
    public String toString() {
        return declared.map(charset -> "InputEncodings{declared " + charset + "}").orElse("InputEncodings{detecting}");
    }
}
