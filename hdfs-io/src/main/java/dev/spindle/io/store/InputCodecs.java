package dev.spindle.io.store;

import static java.util.Objects.requireNonNull;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.io.compress.ZStandardCodec;

/**
 * Which input files are compressed, found by extension through Hadoop's
 * {@link CompressionCodecFactory}: every codec on the class path plus those named by
 * {@code io.compression.codecs} ({@code .gz} gzip, {@code .deflate}, {@code .zst} zstd,
 * {@code .bz2} bzip2, ...). A file with no codec is plain.
 *
 * <p>Compressed files are never split: {@link dev.spindle.io.split.BlockPlanner} plans each as one block and
 * {@link dev.spindle.io.split.RecordRangeReader} reads it whole, decompressed (see
 * {@link dev.spindle.io.split.RecordRangeReader.Builder#codecs}). That includes bzip2, which Hadoop could split; Spindle
 * does not yet.
 *
 * <p>Hadoop's zstd codec needs the native libhadoop built with zstd, which Hadoop's jars do not
 * ship; without it zstd files are decompressed by aircompressor's pure-Java zstd decoder. gzip,
 * deflate and bzip2 have pure-Java decompressors in Hadoop itself.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class InputCodecs {

    private final CompressionCodecFactory factory;

    private InputCodecs(CompressionCodecFactory factory) {
        this.factory = factory;
    }

    /** The codecs Hadoop knows under this configuration. */
    public static InputCodecs from(Configuration configuration) {
        return new InputCodecs(new CompressionCodecFactory(requireNonNull(configuration, "configuration is null")));
    }

    /**
     * The name of the codec of a file ({@code "GzipCodec"}, {@code "BZip2Codec"}, ...), or empty
     * for a plain file.
     */
    public Optional<String> codecName(String location) {
        return codec(location).map(codec -> codec.getClass().getSimpleName());
    }

    /** Whether a file may be cut into several blocks: only a plain (uncompressed) file may. */
    public boolean splittable(String location) {
        return codec(location).isEmpty();
    }

    private Optional<CompressionCodec> codec(String location) {
        requireNonNull(location, "location is null");
        return Optional.ofNullable(factory.getCodec(new Path(location)));
    }

    /**
     * The file's decompressed bytes as positional reads, or {@code input} itself for a plain file.
     * For a compressed file, reads should go forward (a read before the last position restarts
     * decompression), {@link SeekableInput#length()} is unsupported, and closing releases the
     * decompressor but not {@code input}, which the caller closes.
     */
    public SeekableInput decompressed(SeekableInput input) {
        Optional<CompressionCodec> found = codec(input.location());
        if (found.isEmpty()) {
            return input;
        }
        CompressionCodec codec = found.get();
        String name = codec.getClass().getSimpleName();
        if (codec instanceof ZStandardCodec && !ZStandardCodec.isNativeCodeLoaded()) {
            return new DecompressedInput(input, name, ZstdInputStream::new);
        }
        return new DecompressedInput(input, name, codec::createInputStream);
    }

    /** Opens a decompressing stream over a compressed one. */
    @FunctionalInterface
    interface StreamDecompressor {
        InputStream open(InputStream compressed) throws IOException;
    }
}
