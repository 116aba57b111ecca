package dev.spindle.yarn;

import dev.spindle.io.commit.Manifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The files the cluster tests of this module write, read and compare. */
final class TestFiles {

    private TestFiles() {}

    static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static void write(FileSystem fs, String path, byte[] bytes) throws IOException {
        try (OutputStream out = fs.create(new Path(path))) {
            out.write(bytes);
        }
    }

    static byte[] read(FileSystem fs, String path) throws IOException {
        try (InputStream in = fs.open(new Path(path))) {
            return in.readAllBytes();
        }
    }

    /** The committed parts of a byte-copy job's output, in manifest order: the input again when every block was copied once. */
    static byte[] joinedParts(FileSystem fs, String output, Manifest manifest) throws IOException {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (Manifest.Part part : manifest.parts()) {
            joined.write(read(fs, output + "/" + part.path()));
        }
        return joined.toByteArray();
    }
}
