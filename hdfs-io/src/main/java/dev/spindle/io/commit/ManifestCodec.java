package dev.spindle.io.commit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.SeekableInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reads and writes {@link Manifest}s as pretty JSON: the one place that knows the
 * {@code _SUCCESS} format (the committer writes it, the driver and {@code spindle head} read it
 * through {@link #read(FileStore, String)}). The mapper is configured once, never changed.
 */
public final class ManifestCodec {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            // Newer writers may add fields; readers of this version ignore them.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private ManifestCodec() {}

    static Manifest read(InputStream in) throws IOException {
        return MAPPER.readValue(in, Manifest.class);
    }

    /**
     * The manifest of a committed output directory, or empty when it has no {@code _SUCCESS}
     * (nothing committed there).
     *
     * @throws IOException when the manifest exists but cannot be read or parsed
     */
    public static java.util.Optional<Manifest> read(FileStore store, String outputDirectory) throws IOException {
        String location = outputDirectory + "/" + PartCommitter.SUCCESS;
        if (!store.exists(location)) {
            return java.util.Optional.empty();
        }
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return java.util.Optional.of(MAPPER.readValue(bytes, Manifest.class));
        }
    }

    static void write(Manifest manifest, OutputStream out) throws IOException {
        MAPPER.writeValue(out, manifest);
        out.write('\n');
    }

    /** Writes any value of this package as pretty JSON; does not close the stream. */
    static void writeValue(Object value, OutputStream out) throws IOException {
        MAPPER.writeValue(out, value);
        out.write('\n');
    }

    /** Reads the JSON file at {@code location} as {@code type}; the message names the file when it does not parse. */
    static <T> T readValue(FileStore store, String location, Class<T> type) throws IOException {
        try (SeekableInput input = store.open(location)) {
            byte[] bytes = new byte[(int) input.length()];
            input.readFully(0, bytes, 0, bytes.length);
            return MAPPER.readValue(bytes, type);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("Cannot read %s: %s: %s".formatted(type.getSimpleName(), e.getOriginalMessage(), location), e);
        }
    }

    /** Parses JSON text, such as an Avro schema. */
    static JsonNode parse(String json) throws IOException {
        return MAPPER.readTree(json);
    }
}
