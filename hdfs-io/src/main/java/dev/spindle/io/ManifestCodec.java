package dev.spindle.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reads and writes {@link Manifest}s as pretty JSON. The mapper is configured once, never changed. */
final class ManifestCodec {

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

    static void write(Manifest manifest, OutputStream out) throws IOException {
        MAPPER.writeValue(out, manifest);
        out.write('\n');
    }

    /** Parses JSON text, such as an Avro schema. */
    static JsonNode parse(String json) throws IOException {
        return MAPPER.readTree(json);
    }
}
