package dev.spindle.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spindle.io.commit.Manifest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code spindle inspect PATH}: what a dataset is — format, location, parts and size, row count
 * (from the manifest, else counted), the columns with their types, a committed output's
 * counters — and its first records as an aligned table.
 */
final class InspectCommand extends DatasetCommand {

    private static final int MAX_CELL = 40;

    private final RecordJson renderer = new RecordJson();

    InspectCommand(PrintStream out, PrintStream err) {
        super(out, err);
    }

    @Override
    String name() {
        return "inspect";
    }

    @Override
    java.util.List<String> examples() {
        return java.util.List.of("spindle inspect /data/taxi-avro", "spindle inspect -n 0 s3://clean/taxi-parquet");
    }

    @Override
    String summary() {
        return "describe a Spindle output, an Avro/Parquet directory or file: format, parts, size, rows, columns, first records";
    }

    @Override
    Options datasetOptions() {
        return new Options().addOption(Option.builder("n").longOpt("records").hasArg().argName("N")
                .desc("how many records to show (default 10; 0 for none)").build());
    }

    @Override
    ExitCode execute(CommandLine line) throws Exception {
        int limit = intOption(line, "records", 10, 0);
        Dataset dataset = dataset(line);
        Schema schema = dataset.schema();
        out.println("location: " + dataset.location());
        out.println("format:   " + dataset.format().manifestName());
        out.printf("parts:    %d (%,d bytes)%n", dataset.parts().size(), dataset.bytes());
        if (dataset.manifest().isPresent()) {
            Manifest manifest = dataset.manifest().get();
            Manifest.Counters c = manifest.counters();
            long rows = manifest.parts().stream().mapToLong(Manifest.Part::rows).sum();
            if (manifest.history().isEmpty()) {
                out.printf("rows:     %,d (from the manifest of %s)%n", rows, manifest.applicationId());
            } else {
                out.printf("rows:     %,d (from the manifest; written by %d jobs, the last %s)%n", rows, manifest.history().size(),
                        manifest.applicationId());
            }
            out.printf("counters: read %,d, written %,d, filtered %,d, rejected %,d; %d blocks%n",
                    c.rowsRead(), c.rowsWritten(), c.rowsFiltered(), c.rowsRejected(), c.blocks());
            for (Manifest.Job job : manifest.history()) {
                out.printf("  %s %s: wrote %,d rows in %d parts%s%n", job.applicationId(), job.writeMode(), job.counters().rowsWritten(),
                        job.parts(), job.partitionsReplaced().isEmpty() ? "" : ", replaced " + String.join(", ", job.partitionsReplaced()));
            }
        } else {
            long rows = 0;
            for (Dataset.Part part : dataset.parts()) {
                rows += dataset.countRows(part);
            }
            out.printf("rows:     %,d (counted; no manifest)%n", rows);
        }
        out.println("columns:");
        int nameWidth = schema.getFields().stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (Schema.Field field : schema.getFields()) {
            out.printf("  %-" + nameWidth + "s  %s%n", field.name(), typeName(field.schema()));
        }
        if (limit > 0) {
            out.println();
            printTable(dataset, schema, limit);
        }
        return ExitCode.OK;
    }

    private void printTable(Dataset dataset, Schema schema, int limit) throws Exception {
        List<String> header = schema.getFields().stream().map(Schema.Field::name).toList();
        List<List<String>> rows = new ArrayList<>();
        dataset.forEachRecord(record -> {
            List<String> cells = new ArrayList<>();
            JsonNode tree = renderer.tree(record);
            for (String column : header) {
                JsonNode value = tree.get(column);
                cells.add(cell(value == null || value.isNull() ? "NULL" : value.isTextual() ? value.asText()
                        : value.isBigDecimal() ? value.decimalValue().toPlainString() : value.toString()));
            }
            rows.add(cells);
            return rows.size() < limit;
        });
        int[] widths = new int[header.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        out.println(line(header, widths));
        StringBuilder rule = new StringBuilder();
        for (int i = 0; i < widths.length; i++) {
            rule.append(i == 0 ? "" : "-+-").append("-".repeat(widths[i]));
        }
        out.println(rule);
        rows.forEach(row -> out.println(line(row, widths)));
        out.printf("(%d record%s shown)%n", rows.size(), rows.size() == 1 ? "" : "s");
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == 0 ? "" : " | ").append(cells.get(i)).append(" ".repeat(widths[i] - cells.get(i).length()));
        }
        return line.toString().stripTrailing();
    }

    private static String cell(String text) {
        String flat = text.replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
        return flat.length() <= MAX_CELL ? flat : flat.substring(0, MAX_CELL - 1) + "…";
    }

    /** {@code long}, {@code string?} (nullable), {@code timestamp-micros}, by logical type when there is one. */
    static String typeName(Schema schema) {
        if (schema.getType() == Schema.Type.UNION) {
            Schema value = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElse(schema);
            boolean nullable = schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL);
            return typeName(value) + (nullable ? "?" : "");
        }
        if (schema.getLogicalType() != null) {
            return schema.getLogicalType().getName();
        }
        return schema.getType().getName();
    }
}
