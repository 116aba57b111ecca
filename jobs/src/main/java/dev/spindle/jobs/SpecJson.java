package dev.spindle.jobs;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import dev.spindle.codec.CsvDialect;
import java.io.IOException;
import java.nio.charset.Charset;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;

/**
 * How the parts of {@link CsvJobSpec} that are not Spindle records travel as JSON: the CSV
 * dialect as a small object of its settings, an Avro schema as the schema's own JSON (an object,
 * not a string holding one).
 */
final class SpecJson {

    private SpecJson() {}

    /**
     * The dialect's settings in JSON.
     *
     * @param delimiter the field delimiter, one character
     * @param quote the quote character
     * @param escape {@code doubled} or {@code backslash}
     * @param header whether the first record of each file is a header
     * @param nullTokens unquoted texts that mean null
     * @param comment the comment prefix, or null
     * @param charset the charset name
     */
    record Dialect(String delimiter, String quote, String escape, boolean header, List<String> nullTokens, String comment, String charset) {}

    static final class DialectWriter extends StdConverter<CsvDialect, Dialect> {
        @Override
        public Dialect convert(CsvDialect value) {
            return new Dialect(String.valueOf((char) value.delimiter()), String.valueOf((char) value.quote()),
                    value.escapeMode().name().toLowerCase(Locale.ROOT), value.headerPresent(), value.nullTokens(),
                    value.commentPrefix().orElse(null), value.charset().name());
        }
    }

    static final class DialectReader extends StdConverter<Dialect, CsvDialect> {
        @Override
        public CsvDialect convert(Dialect value) {
            CsvDialect.Builder builder = CsvDialect.builder()
                    .delimiter(single(value.delimiter(), "delimiter"))
                    .quote(single(value.quote(), "quote"))
                    .escapeMode(CsvDialect.EscapeMode.valueOf(value.escape().toUpperCase(Locale.ROOT)))
                    .nullTokens(value.nullTokens())
                    .charset(Charset.forName(value.charset()));
            if (value.header()) {
                builder.withHeader();
            } else {
                builder.withoutHeader();
            }
            if (value.comment() != null) {
                builder.commentPrefix(value.comment());
            }
            return builder.build();
        }

        private static char single(String text, String what) {
            if (text == null || text.length() != 1) {
                throw new IllegalArgumentException("The dialect's " + what + " must be one character, got " + text);
            }
            return text.charAt(0);
        }
    }

    static final class SchemaSerializer extends StdSerializer<Schema> {
        private static final long serialVersionUID = 1L;

        SchemaSerializer() {
            super(Schema.class);
        }

        @Override
        public void serialize(Schema value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeRawValue(value.toString());
        }
    }

    static final class SchemaDeserializer extends StdDeserializer<Schema> {
        private static final long serialVersionUID = 1L;

        SchemaDeserializer() {
            super(Schema.class);
        }

        @Override
        public Schema deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            JsonNode tree = parser.readValueAsTree();
            return new Schema.Parser().parse(tree.toString());
        }
    }
}
