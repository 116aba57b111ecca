package dev.spindle.jobs;

import dev.spindle.io.commit.Manifest;
import dev.spindle.io.store.FileEntry;
import dev.spindle.io.store.SeekableInput;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code spindle validate PATH}: checks a committed output against its manifest — every listed
 * part present with its size and row count, no unlisted data file, every part's schema the
 * manifest's (by Avro parsing fingerprint), the counters adding up, the rejects files present.
 * Prints one line per problem and exits 1 when there is any.
 */
final class ValidateCommand extends DatasetCommand {

    ValidateCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "validate";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle validate /data/taxi-avro && echo intact");
    }

    @Override
    String summary() {
        return "check a committed Spindle output against its manifest (parts present, sizes, row counts,"
                + " no unlisted parts, schema); exit 1 naming each problem";
    }

    @Override
    Options datasetOptions() {
        return new Options();
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        Dataset dataset = dataset(line);
        Manifest manifest = dataset.manifest()
                .orElseThrow(() -> new UsageException("Not a committed Spindle output (no _SUCCESS manifest): " + dataset.location()));
        List<String> problems = problems(dataset, manifest);
        long rows = manifest.parts().stream().mapToLong(Manifest.Part::rows).sum();
        long bytes = manifest.parts().stream().mapToLong(Manifest.Part::bytes).sum();
        if (problems.isEmpty()) {
            out.printf("OK %s: %d parts, %d rows, %d bytes match the manifest%n", dataset.location(), manifest.parts().size(), rows, bytes);
            return ExitCode.OK;
        }
        problems.forEach(out::println);
        out.printf("INVALID %s: %d problem%s%n", dataset.location(), problems.size(), problems.size() == 1 ? "" : "s");
        return ExitCode.JOB_FAILED;
    }

    static List<String> problems(Dataset dataset, Manifest manifest) throws IOException {
        List<String> problems = new ArrayList<>();
        long expectedFingerprint = SchemaNormalization.parsingFingerprint64(dataset.schema());
        Set<String> listed = new HashSet<>();
        Map<String, Manifest.Part> entries = new HashMap<>();
        manifest.parts().forEach(entry -> entries.put(entry.path(), entry));
        for (Dataset.Part part : dataset.parts()) {
            Manifest.Part entry = entries.get(part.relativePath());
            listed.add(part.relativePath());
            long size;
            try (SeekableInput input = dataset.store().open(part.location())) {
                size = input.length();
            } catch (FileNotFoundException e) {
                problems.add("MISSING %s: listed with %d rows, %d bytes".formatted(part.relativePath(), entry.rows(), entry.bytes()));
                continue;
            }
            if (size != entry.bytes()) {
                problems.add("SIZE %s: %d bytes, the manifest says %d".formatted(part.relativePath(), size, entry.bytes()));
            }
            try {
                long rows = dataset.countRows(part);
                if (rows != entry.rows()) {
                    problems.add("ROWS %s: %d rows, the manifest says %d".formatted(part.relativePath(), rows, entry.rows()));
                }
                Schema schema = dataset.schemaOf(part);
                if (SchemaNormalization.parsingFingerprint64(schema) != expectedFingerprint) {
                    problems.add("SCHEMA %s: its schema differs from the manifest's: %s".formatted(part.relativePath(), schema));
                }
            } catch (IOException | RuntimeException e) {
                problems.add("UNREADABLE %s: %s".formatted(part.relativePath(), oneLine(e)));
            }
        }
        for (FileEntry file : visibleFiles(dataset)) {
            String relative = Dataset.relativePath(dataset.location(), file.location());
            if (!listed.contains(relative)) {
                problems.add("UNLISTED %s: %d bytes, not in the manifest".formatted(relative, file.length()));
            }
        }
        Manifest.Counters counters = manifest.counters();
        long partRows = manifest.parts().stream().mapToLong(Manifest.Part::rows).sum();
        if (partRows != counters.rowsWritten()) {
            problems.add("COUNTERS the parts hold %d rows, rowsWritten says %d".formatted(partRows, counters.rowsWritten()));
        }
        if (counters.rowsRead() != counters.rowsWritten() + counters.rowsFiltered() + counters.rowsRejected()) {
            problems.add("COUNTERS rowsRead %d != rowsWritten %d + rowsFiltered %d + rowsRejected %d".formatted(
                    counters.rowsRead(), counters.rowsWritten(), counters.rowsFiltered(), counters.rowsRejected()));
        }
        for (Manifest.Part rejects : manifest.rejects()) {
            if (!dataset.store().exists(dataset.location() + "/" + rejects.path())) {
                problems.add("MISSING %s: rejects file listed with %d rows".formatted(rejects.path(), rejects.rows()));
            }
        }
        return problems;
    }

    private static List<FileEntry> visibleFiles(Dataset dataset) throws IOException {
        try {
            return dataset.store().list(dataset.location());
        } catch (FileNotFoundException e) {
            return List.of();
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace('\n', ' ');
    }
}
