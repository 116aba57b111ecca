package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * What {@link BlockTask#prepare} decided for the whole job.
 *
 * @param format output format name written to the manifest ({@code avro}, {@code parquet})
 * @param extension part file extension without the dot ({@code avro})
 * @param schemaJson the output schema as JSON; written as {@code _schema.avsc} and into the manifest
 * @param properties handed unchanged to every {@link BlockTask#run} (for example the schema)
 */
public record JobPreparation(String format, String extension, String schemaJson, Map<String, String> properties) {
    public JobPreparation {
        requireNonNull(format, "format is null");
        requireNonNull(extension, "extension is null");
        requireNonNull(schemaJson, "schemaJson is null");
        properties = Map.copyOf(properties);
    }
}
