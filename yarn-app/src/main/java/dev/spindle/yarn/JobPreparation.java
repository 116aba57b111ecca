package dev.spindle.yarn;

import static java.util.Objects.requireNonNull;

/**
 * What {@link BlockTask#prepare} decided for the whole job.
 *
 * @param format output format name written to the manifest ({@code avro}, {@code parquet})
 * @param extension part file extension without the dot ({@code avro})
 * @param schemaJson the output schema as JSON; written as {@code _schema.avsc} and into the manifest
 * @param task the task spec every block attempt runs with: the job's {@link JobSpec#task()} as
 *     prepared (for example with the schema inferred in the AM filled in), of the task's
 *     {@link BlockTask#specType()}
 */
public record JobPreparation(String format, String extension, String schemaJson, TaskSpec task) {
    public JobPreparation {
        requireNonNull(format, "format is null");
        requireNonNull(extension, "extension is null");
        requireNonNull(schemaJson, "schemaJson is null");
        requireNonNull(task, "task is null");
    }
}
