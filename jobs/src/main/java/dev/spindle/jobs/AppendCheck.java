package dev.spindle.jobs;

import dev.spindle.codec.TableSchema;
import dev.spindle.io.commit.Manifest;
import dev.spindle.io.commit.ManifestCodec;
import dev.spindle.io.commit.PartCommitter;
import dev.spindle.io.commit.WriteMode;
import dev.spindle.io.split.Block;
import dev.spindle.io.split.BlockPlanner;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.FileStore;
import dev.spindle.io.store.InputCodecs;
import dev.spindle.io.store.SupportsDirectories;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.hadoop.conf.Configuration;

/**
 * The client's check of a {@code --write-mode append} or {@code overwrite-partitions} job before
 * it is submitted: the dataset it adds to must be a committed Spindle dataset of the job's format,
 * partition columns and schema, else the command fails with exit 2 naming the difference. The
 * committer checks the same again under the commit lock (the dataset may change meanwhile).
 *
 * <p>Without {@code --schema} the job's schema is inferred here, from the same sample the
 * ApplicationMaster would take, and given to the job with the dataset's record name (an inferred
 * record is named after the input files, which differ from one append to the next).
 */
final class AppendCheck {

    private AppendCheck() {}

    /**
     * @return the task spec to submit: {@code csv} itself, or with the inferred schema set when
     *     the job adds to an existing dataset without {@code --schema}
     * @throws UsageException when the dataset and the job do not fit together
     */
    static CsvJobSpec check(FileStore store, Configuration conf, String output, WriteMode mode, CsvJobSpec csv, List<String> inputs,
            long blockSize) throws IOException {
        Optional<Manifest> found = ManifestCodec.read(store, output);
        String name = mode.optionValue();
        if (found.isEmpty()) {
            List<String> content = content(store, output);
            if (!content.isEmpty()) {
                throw new UsageException(("Cannot %s to %s: it holds files (%s) but no %s manifest, so it is not a committed Spindle "
                        + "dataset (use --write-mode overwrite to replace it)").formatted(name, output, String.join(", ", content),
                        PartCommitter.SUCCESS));
            }
            return csv; // a missing or empty output: a first write
        }
        Manifest dataset = found.get();
        if (!dataset.format().equals(csv.format().extension())) {
            throw new UsageException("Cannot %s %s to %s: it is a %s dataset".formatted(name, csv.format().extension(), output,
                    dataset.format()));
        }
        List<String> columns = dataset.partitionColumns();
        boolean empty = dataset.parts().isEmpty();
        if (!empty && !columns.equals(csv.partitionBy())
                && !(mode == WriteMode.OVERWRITE_PARTITIONS && columns.isEmpty() && csv.partitionBy().isEmpty())) {
            throw new UsageException("Cannot %s to %s: the dataset is partitioned by %s, the job by %s (--partition-by %s)".formatted(
                    name, output, columns.isEmpty() ? "nothing" : String.join(", ", columns),
                    csv.partitionBy().isEmpty() ? "nothing" : String.join(", ", csv.partitionBy()),
                    columns.isEmpty() ? "must not be given" : "must be " + String.join(",", columns)));
        }
        if (mode == WriteMode.OVERWRITE_PARTITIONS && columns.isEmpty()) {
            return csv; // replaces an unpartitioned dataset whole, as overwrite: any schema
        }
        String recordName = dataset.schema().path("name").asText();
        CsvJobSpec submitted = csv;
        TableSchema table;
        if (csv.schema() != null) {
            table = csv.table().orElseThrow();
            recordName = csv.schema().getName();
        } else {
            List<Block> blocks = plan(store, conf, csv, inputs, blockSize);
            try {
                table = new SchemaSampler(store, csv, CsvConfig.from(conf, csv), InputCodecs.from(conf)).infer(blocks);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            submitted = csv.withSchema(table.toAvroSchema(recordName));
        }
        Schema job = CsvConversionTask.outputSchema(table, csv, recordName);
        Schema existing = new Schema.Parser().parse(dataset.schema().toString());
        if (SchemaNormalization.parsingFingerprint64(job) != SchemaNormalization.parsingFingerprint64(existing)) {
            throw new UsageException("Cannot %s to %s: the new data's schema differs from the dataset's: %s%n  dataset:  %s%n  new data: %s"
                    .formatted(name, output, String.join("; ", differences(existing, job)), existing, job));
        }
        return submitted;
    }

    /** Field by field, what differs between the dataset's schema and the new data's. */
    static List<String> differences(Schema dataset, Schema job) {
        List<String> differences = new ArrayList<>();
        if (!dataset.getFullName().equals(job.getFullName())) {
            differences.add("record %s, new data %s".formatted(dataset.getFullName(), job.getFullName()));
        }
        Map<String, Schema.Field> old = new LinkedHashMap<>();
        dataset.getFields().forEach(field -> old.put(field.name(), field));
        Map<String, Schema.Field> added = new LinkedHashMap<>();
        job.getFields().forEach(field -> added.put(field.name(), field));
        for (Schema.Field field : dataset.getFields()) {
            Schema.Field other = added.get(field.name());
            if (other == null) {
                differences.add("column %s (%s) only in the dataset".formatted(field.name(), field.schema()));
            } else if (SchemaNormalization.parsingFingerprint64(field.schema()) != SchemaNormalization.parsingFingerprint64(other.schema())) {
                differences.add("column %s is %s in the dataset, %s in the new data".formatted(field.name(), field.schema(), other.schema()));
            }
        }
        for (Schema.Field field : job.getFields()) {
            if (!old.containsKey(field.name())) {
                differences.add("column %s (%s) only in the new data".formatted(field.name(), field.schema()));
            }
        }
        if (differences.isEmpty()) {
            differences.add("the columns are in another order: dataset %s, new data %s".formatted(
                    dataset.getFields().stream().map(Schema.Field::name).toList(), job.getFields().stream().map(Schema.Field::name).toList()));
        }
        return differences;
    }

    /** The blocks the ApplicationMaster plans (JobCommit's listing and planning), so the sample is the one it would take. */
    private static List<Block> plan(FileStore store, Configuration conf, CsvJobSpec csv, List<String> inputs, long blockSize)
            throws IOException {
        Map<String, FileEntry> files = new TreeMap<>();
        for (String pattern : inputs) {
            for (FileEntry entry : store.list(pattern)) {
                files.putIfAbsent(entry.location(), entry);
            }
        }
        BlockPlanner.Builder planner = BlockPlanner.builder().codecs(conf).encodings(csv.inputEncodings(), store);
        if (blockSize > 0) {
            planner.blockSize(blockSize);
        }
        return planner.build().plan(List.copyOf(files.values())).blocks();
    }

    /** The output's entries but staging and the commit lock (at most 3 named); empty when it does not exist. */
    private static List<String> content(FileStore store, String output) throws IOException {
        if (!store.exists(output) || !(store instanceof SupportsDirectories directories)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try {
            for (String child : directories.listChildren(output)) {
                String childName = child.substring(child.lastIndexOf('/') + 1);
                if (!childName.equals(PartCommitter.TEMPORARY) && !childName.equals(PartCommitter.COMMIT_LOCK) && names.size() < 3) {
                    names.add(childName);
                }
            }
        } catch (FileNotFoundException e) {
            return List.of(output.substring(output.lastIndexOf('/') + 1)); // a file
        }
        return names;
    }
}
