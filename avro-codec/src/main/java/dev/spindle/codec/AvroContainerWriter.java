package dev.spindle.codec;

import static java.util.Objects.requireNonNull;

import com.github.luben.zstd.Zstd;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.avro.Schema;
import org.xerial.snappy.Snappy;

/**
 * Writes an Avro object container file (spec 1.12, "Object Container Files") from whole blocks
 * of already-encoded datums: the header (magic, metadata map with {@code avro.schema} and
 * {@code avro.codec}, 16-byte sync marker), then per block the row count, the compressed size,
 * the compressed bytes and the sync marker.
 *
 * <p>Codecs are compressed exactly as Avro's own {@code DataFileWriter} does so that
 * {@code DataFileReader} and {@code DataFileStream} read the file: {@code deflate} is raw
 * deflate (no zlib header), {@code snappy} is a raw snappy block followed by the big-endian
 * CRC-32 of the uncompressed bytes, {@code zstandard} is one zstd frame. Not thread-safe; the
 * caller owns the stream and closes it.
 */
final class AvroContainerWriter {

    private static final byte[] MAGIC = {'O', 'b', 'j', 1};
    private static final int ZSTANDARD_LEVEL = 3; // Avro's CodecFactory.DEFAULT_ZSTANDARD_LEVEL

    private final OutputStream out;
    private final AvroBatchWriter.Codec codec;
    private final byte[] sync;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private byte[] compressed = new byte[0];
    private final byte[] varints = new byte[20];

    /**
     * @param deflateLevel zlib level 1..9, used only by {@link AvroBatchWriter.Codec#DEFLATE}
     * @param sync the 16-byte sync marker written after the header and after every block
     */
    AvroContainerWriter(OutputStream out, AvroBatchWriter.Codec codec, int deflateLevel, byte[] sync) {
        this.out = requireNonNull(out, "out is null");
        this.codec = requireNonNull(codec, "codec is null");
        if (sync.length != 16) {
            throw new IllegalArgumentException("Sync marker must be 16 bytes: " + sync.length);
        }
        this.sync = sync.clone();
        this.deflater = codec == AvroBatchWriter.Codec.DEFLATE ? new Deflater(deflateLevel, true) : null;
    }

    /** A random sync marker, as Avro's writer makes one per file. */
    static byte[] randomSync() {
        UUID uuid = UUID.randomUUID();
        return ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array();
    }

    /** Writes magic, metadata and sync marker. */
    void writeHeader(Schema schema) throws IOException {
        out.write(MAGIC);
        writeLong(2); // one block of two map entries
        writeString("avro.schema");
        writeString(schema.toString());
        writeString("avro.codec");
        writeString(codec.name().toLowerCase(java.util.Locale.ROOT));
        writeLong(0);
        out.write(sync);
    }

    /** Compresses {@code data[0..length)} holding {@code rows} encoded datums and writes it as one block. */
    void writeBlock(byte[] data, int length, long rows) throws IOException {
        byte[] block;
        int blockLength;
        switch (codec) {
            case NULL:
                block = data;
                blockLength = length;
                break;
            case DEFLATE:
                blockLength = deflate(data, length);
                block = compressed;
                break;
            case SNAPPY: {
                ensureCompressed(Snappy.maxCompressedLength(length) + 4);
                blockLength = Snappy.compress(data, 0, length, compressed, 0);
                crc.reset();
                crc.update(data, 0, length);
                int value = (int) crc.getValue();
                compressed[blockLength] = (byte) (value >>> 24);
                compressed[blockLength + 1] = (byte) (value >>> 16);
                compressed[blockLength + 2] = (byte) (value >>> 8);
                compressed[blockLength + 3] = (byte) value;
                blockLength += 4;
                block = compressed;
                break;
            }
            case ZSTANDARD: {
                ensureCompressed((int) Zstd.compressBound(length));
                long result = Zstd.compressByteArray(compressed, 0, compressed.length, data, 0, length, ZSTANDARD_LEVEL);
                if (Zstd.isError(result)) {
                    throw new IOException("zstd compression of " + length + " bytes failed: " + Zstd.getErrorName(result));
                }
                blockLength = (int) result;
                block = compressed;
                break;
            }
            default:
                throw new IllegalStateException("Unknown codec " + codec);
        }
        writeLong(rows);
        writeLong(blockLength);
        out.write(block, 0, blockLength);
        out.write(sync);
    }

    /** Frees the deflater. */
    void end() {
        if (deflater != null) {
            deflater.end();
        }
    }

    private int deflate(byte[] data, int length) {
        ensureCompressed(length + (length >> 3) + 64);
        deflater.reset();
        deflater.setInput(data, 0, length);
        deflater.finish();
        int n = 0;
        while (!deflater.finished()) {
            if (n == compressed.length) {
                compressed = Arrays.copyOf(compressed, compressed.length * 2);
            }
            n += deflater.deflate(compressed, n, compressed.length - n);
        }
        return n;
    }

    private void ensureCompressed(int size) {
        if (compressed.length < size) {
            compressed = new byte[Math.max(size, compressed.length + (compressed.length >> 1))];
        }
    }

    private void writeString(String s) throws IOException {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        writeLong(bytes.length);
        out.write(bytes);
    }

    private void writeLong(long value) throws IOException {
        long n = (value << 1) ^ (value >> 63);
        int p = 0;
        while ((n & ~0x7FL) != 0) {
            varints[p++] = (byte) ((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        varints[p++] = (byte) n;
        out.write(varints, 0, p);
    }
}
